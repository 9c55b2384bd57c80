import Dispatch
import Foundation
import Kernel
import Storage
import Synchronization
import Testing

@testable import Blog

@Suite struct ViewCountTests {
    static let browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

    @Test func aViewCountsOncePerViewerPerHour() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author)
        let blog = fixture.blog
        #expect(blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
        #expect(!blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
        fixture.clock.advance(by: 59 * 60)
        #expect(!blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
        try blog.views.flush()
        // After a flush the stored time still holds the viewer back.
        #expect(!blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
        fixture.clock.advance(by: 60)
        #expect(blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
        try blog.views.flush()
        let stored = try #require(try blog.post(id: post.id, viewer: .anonymous))
        #expect(stored.storedViews == 2)
        #expect(blog.liveViews(of: stored) == 2)
    }

    @Test func visitorsAreToldApartByAddressAndUserAgent() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author)
        let blog = fixture.blog
        #expect(
            blog.recordView(
                of: post, viewer: .visitor(address: "10.0.0.1", userAgent: Self.browser),
                userAgent: Self.browser))
        #expect(
            !blog.recordView(
                of: post, viewer: .visitor(address: "10.0.0.1", userAgent: Self.browser),
                userAgent: Self.browser))
        #expect(
            blog.recordView(
                of: post, viewer: .visitor(address: "10.0.0.2", userAgent: Self.browser),
                userAgent: Self.browser))
        // The port changes with every connection; the visitor stays the same.
        #expect(
            !blog.recordView(
                of: post, viewer: .visitor(address: "10.0.0.1:50123", userAgent: Self.browser),
                userAgent: Self.browser))
        #expect(ViewCounter.ViewerKey.host(of: "[2001:db8::1]:443") == "2001:db8::1")
        #expect(ViewCounter.ViewerKey.host(of: "2001:db8::1") == "2001:db8::1")
        let safari = "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15"
        #expect(
            blog.recordView(
                of: post, viewer: .visitor(address: "10.0.0.1", userAgent: safari), userAgent: safari))
        #expect(blog.liveViews(of: post) == 3)
        // Visitors are kept only as a hash.
        try blog.views.flush()
        let keys = try fixture.services.database.read { db in
            try db.query("SELECT viewer_key FROM blog_post_viewers") { try $0.value("viewer_key") as String }
        }
        #expect(keys.count == 3)
        #expect(keys.allSatisfy { $0.hasPrefix("v:") && !$0.contains("10.0.0") })
    }

    @Test func botsAndTheAuthorDoNotCount() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author)
        let bots = [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "facebookexternalhit/1.1", "curl/8.5.0", "python-requests/2.31", "Slackbot-LinkExpanding 1.0", "",
        ]
        for (index, agent) in bots.enumerated() {
            let counted = fixture.blog.recordView(
                of: post, viewer: .visitor(address: "10.0.1.\(index)", userAgent: agent), userAgent: agent)
            #expect(!counted, "\(agent) counted")
        }
        #expect(!fixture.blog.recordView(of: post, viewer: .member(author.id), userAgent: Self.browser))
        fixture.clock.advance(by: 7200)
        #expect(!fixture.blog.recordView(of: post, viewer: .member(author.id), userAgent: Self.browser))
        #expect(fixture.blog.liveViews(of: post) == 0)
        #expect(!ViewCounter.isBot(userAgent: Self.browser))
    }

    @Test func pagesShowPendingIncrementsBeforeAnyWrite() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author)
        for index in 0..<5 {
            fixture.blog.recordView(
                of: post, viewer: .visitor(address: "10.0.2.\(index)", userAgent: Self.browser),
                userAgent: Self.browser)
        }
        let live = try #require(try fixture.blog.post(id: post.id, viewer: .anonymous))
        // The background flush may or may not have run: stored plus pending is always the truth.
        #expect(fixture.blog.liveViews(of: live) == 5)
        try fixture.blog.views.flush()
        #expect(!fixture.blog.views.hasPending)
        let stored = try #require(try fixture.blog.post(id: post.id, viewer: .anonymous))
        #expect(fixture.blog.liveViews(of: stored) == 5)
        #expect(try fixture.blog.post(id: post.id, viewer: .anonymous)?.storedViews == 5)
    }

    @Test func aCountReadJustBeforeAFlushIsStillExactAfterIt() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author)
        fixture.blog.recordView(
            of: post, viewer: .visitor(address: "10.0.3.1", userAgent: Self.browser), userAgent: Self.browser)
        let before = try #require(try fixture.blog.post(id: post.id, viewer: .anonymous))
        try fixture.blog.views.flush()
        let after = try #require(try fixture.blog.post(id: post.id, viewer: .anonymous))
        // The older snapshot lacks the flushed batch and adds it; the newer one has it in its count.
        #expect(before.storedViews == 0 && after.storedViews == 1)
        #expect(fixture.blog.liveViews(of: before) == 1)
        #expect(fixture.blog.liveViews(of: after) == 1)
    }

    /// A request reads in one snapshot (Storage's ReadScope); two flushes committed by another
    /// thread after it began must not make every retry of `record` read that old snapshot again.
    @Test func aViewCountsInARequestWhoseSnapshotFlushesOvertook() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author)
        let blog = fixture.blog
        let counted = try fixture.services.database.readScope {
            _ = try blog.post(id: post.id, viewer: .anonymous)  // the request's snapshot begins
            for visitor in 1...3 {
                blog.recordView(
                    of: post, viewer: .visitor(address: "10.0.4.\(visitor)", userAgent: Self.browser),
                    userAgent: Self.browser)
                let flushed = DispatchSemaphore(value: 0)
                Thread {
                    try? blog.views.flush()
                    flushed.signal()
                }.start()
                flushed.wait()
            }
            return blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser)
        }
        #expect(counted)
        try blog.views.flush()
        #expect(try #require(try blog.post(id: post.id, viewer: .anonymous)).storedViews == 4)
    }

    @Test func concurrentViewsAndFlushesLoseNothingAndTheShownCountNeverGoesBack() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author)
        let blog = fixture.blog
        let threads = 4
        let viewsPerThread = 400
        let group = DispatchGroup()
        let problems = Mutex<[String]>([])
        let done = Atomic<Int>(0)
        let started = ContinuousClock.now
        for thread in 0..<threads {
            DispatchQueue.global().async(group: group) {
                for index in 0..<viewsPerThread {
                    let agent = Self.browser
                    // Every view twice: the second must not count.
                    for _ in 0..<2 {
                        blog.recordView(
                            of: post,
                            viewer: .visitor(
                                address: "10.\(thread).\(index / 256).\(index % 256)", userAgent: agent),
                            userAgent: agent)
                    }
                }
                done.add(1, ordering: .sequentiallyConsistent)
            }
        }
        let flusher = Thread {
            while done.load(ordering: .sequentiallyConsistent) < threads {
                do { try blog.views.flush() } catch { problems.withLock { $0.append("flush: \(error)") } }
            }
        }
        flusher.start()
        var last: Int64 = 0
        while done.load(ordering: .sequentiallyConsistent) < threads {
            guard let current = try blog.post(id: post.id, viewer: .anonymous) else { break }
            let shown = blog.liveViews(of: current)
            if shown < last { problems.withLock { $0.append("shown count went from \(last) to \(shown)") } }
            last = shown
        }
        group.wait()
        let elapsed = ContinuousClock.now - started
        try blog.views.flush()
        let stored = try #require(try blog.post(id: post.id, viewer: .anonymous))
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0 }.prefix(5))")
        #expect(stored.storedViews == Int64(threads * viewsPerThread))
        #expect(blog.liveViews(of: stored) == Int64(threads * viewsPerThread))
        print(
            "blog views: \(threads * viewsPerThread * 2) recordView calls with concurrent flushes in \(elapsed)"
        )
    }

    @Test func countingDoesNotWaitForTheWriter() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author)
        let database = fixture.services.database
        let blog = fixture.blog
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let writer = Thread {
            try? database.write { _ in
                started.signal()
                release.wait()
            }
        }
        writer.start()
        started.wait()
        // The writer is held: counting and showing a count must still return at once.
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(blog.recordView(of: post, viewer: .member(reader.id), userAgent: Self.browser))
            #expect(blog.liveViews(of: post) == 1)
        }
        release.signal()
        #expect(elapsed < .milliseconds(500))
        try blog.views.flush()
        #expect(try blog.post(id: post.id, viewer: .anonymous)?.storedViews == 1)
    }

    @Test func viewsOfADeletedPostAreDroppedAndOldViewersForgotten() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let gone = try fixture.post(by: author, title: "Gone")
        let kept = try fixture.post(by: author, title: "Kept")
        fixture.blog.recordView(of: gone, viewer: .member(reader.id), userAgent: Self.browser)
        fixture.blog.recordView(of: kept, viewer: .member(reader.id), userAgent: Self.browser)
        try fixture.blog.deletePost(id: gone.id, by: author)
        try fixture.blog.views.flush()
        #expect(try fixture.blog.post(id: kept.id, viewer: .anonymous)?.storedViews == 1)
        fixture.clock.advance(by: 3601)
        let other = try fixture.member("Olive Other")
        fixture.blog.recordView(of: kept, viewer: .member(other.id), userAgent: Self.browser)
        try fixture.blog.views.flush()
        let keys = try fixture.services.database.read { db in
            try db.query("SELECT viewer_key FROM blog_post_viewers") { try $0.value("viewer_key") as String }
        }
        #expect(keys == ["m:\(other.id)"])
    }
}
