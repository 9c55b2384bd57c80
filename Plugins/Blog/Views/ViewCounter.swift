import Foundation
import Kernel
import Storage
import Synchronization

/// Counts post views without making a page wait for the database writer: a view is decided
/// with a read (readers never wait for the writer in WAL mode) and an in-memory check, and the
/// increments are batched in memory and written by ``flush()`` — every second from a
/// background thread, and on demand in tests.
///
/// A view counts once per viewer per hour (a member by id, a visitor by a hash of address and
/// User-Agent); known bots and the post's author do not count.
///
/// ```swift
/// let counted = try counter.record(postID: 7, authorID: 3, viewer: .member(12))
/// let shown = blog.liveViews(of: post)   // stored count plus what the count lacks
/// try counter.flush()
/// ```
public final class ViewCounter: Sendable {
    /// Who is looking, for counting purposes.
    public enum ViewerKey: Sendable, Equatable {
        case member(Int64)
        /// A visitor: their address and User-Agent, hashed before they are kept.
        case visitor(address: String, userAgent: String)

        var key: String {
            switch self {
            case .member(let id): return "m:\(id)"
            case .visitor(let address, let userAgent):
                return "v:" + SHA256.hex(Self.host(of: address) + "\n" + userAgent).prefix(32)
            }
        }

        /// The address without its port: the server reports "ip:port" or "[ipv6]:port", and
        /// every new connection of the same visitor has a new port.
        static func host(of address: String) -> String {
            if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
                return String(address[address.index(after: address.startIndex)..<end])
            }
            let colons = address.filter { $0 == ":" }.count
            if colons == 1, let colon = address.firstIndex(of: ":") { return String(address[..<colon]) }
            return address
        }
    }

    /// Seconds before the same viewer counts again.
    public let window: TimeInterval = 3600

    private struct Mark: Hashable {
        var postID: Int64
        var viewer: String
    }

    /// Increments taken by a flush: untagged while being written, then tagged with the flush
    /// generation they were committed with.
    private struct Batch {
        var counts: [Int64: Int64]
        var generation: Int64?
        var settledAt: ContinuousClock.Instant?
    }

    private struct State {
        /// Increments not yet taken by a flush, by post.
        var pending: [Int64: Int64] = [:]
        /// Views counted in memory, with the time and the flush round they belong to.
        var marks: [Mark: (at: Date, round: Int)] = [:]
        var batches: [Batch] = []
        var round = 0
        /// The newest flush generation this process tagged.
        var latestGeneration: Int64 = 0
    }

    private let database: Database
    private let clock: any Clock
    private let state = Mutex(State())
    /// One flush at a time, so the same increments are never written twice.
    private let flushing = Mutex(())

    public init(database: Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// Known crawlers, link previewers and scripted clients, matched in the lowercased
    /// User-Agent. An empty User-Agent is treated as a script too: browsers always send one.
    static let botMarkers = [
        "bot", "crawl", "spider", "slurp", "bingpreview", "mediapartners", "facebookexternalhit", "facebot",
        "embedly", "quora link preview", "whatsapp", "skypeuripreview", "headlesschrome", "phantomjs",
        "lighthouse", "pingdom", "uptime", "monitor", "feedfetcher", "feedparser", "rss", "curl/", "wget/",
        "python-requests", "python-urllib", "aiohttp", "go-http-client", "java/", "okhttp", "libwww-perl",
        "httpclient", "scrapy", "archive.org", "ia_archiver", "preview",
    ]

    public static func isBot(userAgent: String) -> Bool {
        let agent = userAgent.lowercased().trimmingCharacters(in: .whitespaces)
        if agent.isEmpty { return true }
        return botMarkers.contains { agent.contains($0) }
    }

    /// Records one page view; returns whether it counted.
    @discardableResult
    public func record(postID: Int64, authorID: Int64, viewer: ViewerKey, userAgent: String) throws -> Bool {
        if case .member(let id) = viewer, id == authorID { return false }
        if Self.isBot(userAgent: userAgent) { return false }
        let key = viewer.key
        let now = clock.now
        // Optimistic: decide against one snapshot of the viewers table, unless two flushes of this
        // process committed since it was read (the marks that cover the gap may be forgotten).
        for _ in 0..<8 {
            // The request's snapshot may be older than the last flushes: read the newest state.
            database.renewReadSnapshot()
            let (lastCounted, generation) = try database.read { db in
                (
                    try db.scalar(
                        "SELECT last_counted_at FROM blog_post_viewers WHERE post_id = ? AND viewer_key = ?",
                        [postID, key], as: Date.self),
                    try db.scalar("SELECT generation FROM blog_view_flushes WHERE id = 1", as: Int64.self)
                        ?? 0
                )
            }
            let decision = state.withLock { state -> Bool? in
                if state.latestGeneration > generation + 1 { return nil }
                let mark = Mark(postID: postID, viewer: key)
                if let seen = state.marks[mark], now.timeIntervalSince(seen.at) < window { return false }
                if let lastCounted, now.timeIntervalSince(lastCounted) < window { return false }
                state.marks[mark] = (now, state.round)
                state.pending[postID, default: 0] += 1
                return true
            }
            if let decision { return decision }
        }
        // Flushes kept overtaking the read: not counting is the safe answer.
        return false
    }

    /// Increments a count read at flush generation `generation` does not include yet.
    ///
    /// A page reads a post's count and the flush generation in one snapshot; batches committed
    /// with a later generation (or still being written) are added, earlier ones are already in
    /// the count. So the number shown is exact however a flush interleaves with the page.
    func pending(for postID: Int64, after generation: Int64) -> Int64 {
        state.withLock { state in
            var total = state.pending[postID] ?? 0
            for batch in state.batches where batch.generation.map({ $0 > generation }) ?? true {
                total += batch.counts[postID] ?? 0
            }
            return total
        }
    }

    public var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    /// Writes the batched increments and the viewers' times in one transaction, and forgets
    /// viewers whose hour has passed.
    public func flush() throws {
        try flushing.withLock { _ in
            let settled = ContinuousClock.now
            let (batch, marks, round) = state.withLock { state -> ([Int64: Int64], [Mark: Date], Int) in
                // Settled batches stay a few seconds for pages that read their count just before
                // the commit; the generation check keeps them from being added twice.
                state.batches.removeAll { batch in
                    batch.settledAt.map { settled - $0 > .seconds(10) } ?? false
                }
                let batch = state.pending
                state.pending = [:]
                if !batch.isEmpty {
                    state.batches.append(Batch(counts: batch, generation: nil, settledAt: nil))
                }
                let current = state.round
                state.round += 1
                var marks: [Mark: Date] = [:]
                for (mark, value) in state.marks where value.round == current { marks[mark] = value.at }
                return (batch, marks, current)
            }
            // Marks are forgotten only by a flush that wrote a new generation: `record` relies on
            // the marks of the newest generation still being here.
            if batch.isEmpty { return }
            let now = clock.now
            do {
                try database.write { db in
                    for (postID, count) in batch {
                        try db.execute(
                            "UPDATE blog_posts SET view_count = view_count + ? WHERE id = ?", [count, postID])
                    }
                    for (mark, at) in marks {
                        // A post deleted since the view has no row left to attach the viewer to.
                        try db.execute(
                            """
                            INSERT INTO blog_post_viewers (post_id, viewer_key, last_counted_at)
                            SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM blog_posts WHERE id = ?)
                            ON CONFLICT (post_id, viewer_key) DO UPDATE SET last_counted_at = excluded.last_counted_at
                            """, [mark.postID, mark.viewer, at, mark.postID])
                    }
                    try db.execute(
                        "DELETE FROM blog_post_viewers WHERE last_counted_at < ?",
                        [now.addingTimeInterval(-window)])
                    let generation =
                        try db.queryOne(
                            "UPDATE blog_view_flushes SET generation = generation + 1 WHERE id = 1 RETURNING generation"
                        ) { try $0.value("generation") as Int64 } ?? 0
                    // Tagged before the commit: a snapshot that sees the new counts also sees this
                    // generation, and one that does not still adds the batch.
                    state.withLock { state in
                        if let index = state.batches.lastIndex(where: { $0.generation == nil }) {
                            state.batches[index].generation = generation
                        }
                        state.latestGeneration = max(state.latestGeneration, generation)
                    }
                }
            } catch {
                // Put the increments back so the next flush tries again.
                state.withLock { state in
                    state.batches.removeAll { $0.settledAt == nil }
                    for (postID, count) in batch { state.pending[postID, default: 0] += count }
                    for mark in marks.keys { state.marks[mark]?.round = state.round }
                }
                throw error
            }
            state.withLock { state in
                for index in state.batches.indices where state.batches[index].settledAt == nil {
                    state.batches[index].settledAt = ContinuousClock.now
                }
            }
            forget(before: round)
        }
    }

    /// Marks stay in memory one flush longer than needed: a request that read the viewers table
    /// just before a flush committed still finds its mark and does not count twice (and one
    /// that read it before two flushes reads again).
    private func forget(before round: Int) {
        state.withLock { state in
            state.marks = state.marks.filter { $0.value.round >= round }
        }
    }

    /// Drops the in-memory increments of a deleted post.
    func discard(postID: Int64) {
        state.withLock { state in
            state.pending[postID] = nil
            for index in state.batches.indices { state.batches[index].counts[postID] = nil }
            state.marks = state.marks.filter { $0.key.postID != postID }
        }
    }

    /// Flushes every `interval` seconds on a background thread while the counter is alive.
    func startBackgroundFlush(every interval: TimeInterval, log: Logger) {
        let thread = Thread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                guard let counter = self else { return }
                if counter.hasPending {
                    do { try counter.flush() } catch {
                        log.error("blog view flush failed", ["error": "\(error)"])
                    }
                }
            }
        }
        thread.name = "pln-blog-views"
        thread.start()
    }
}
