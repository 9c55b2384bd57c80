import Foundation
import Synchronization

/// Answers of recent searches and directory pages, each valid for one generation of the index.
///
/// The generation is a counter the backend keeps in the database and moves on in every write
/// transaction that changes the index (this process's or another's: `pln admin` commands write
/// from their own process). A reader reads it in the same snapshot as its query, so an answer is
/// kept, and served, only for the exact state of the index it was read from. Keys hold
/// everything that decides what the viewer may see (member, moderator, groups), so one member's
/// answer is never another's.
///
/// ```swift
/// try database.read { db in
///     let generation = try backend.generation(in: db)
///     if let generation, let hit = cache.value(for: key, at: generation) { return hit }
///     let fresh = try compute(db)
///     if let generation { cache.store(fresh, for: key, at: generation) }
///     return fresh
/// }
/// ```
final class SearchResultCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var generation: Int64 = .min
        var entries: [Key: Value] = [:]
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(for key: Key, at generation: Int64) -> Value? {
        state.withLock { $0.generation == generation ? $0.entries[key] : nil }
    }

    /// Keeps `value`, read at `generation`; answers of older generations are dropped, and an
    /// answer older than those kept is not stored.
    ///
    /// Dropped answers are freed after the lock is let go: freeing 2,000 pages of results takes
    /// milliseconds, and every search waits for this lock (under a load of searches nobody had
    /// asked before, that stall came every half second and stretched the slowest answers).
    func store(_ value: Value, for key: Key, at generation: Int64) {
        var dropped: [Key: Value] = [:]
        state.withLock { state in
            guard capacity > 0, generation >= state.generation else { return }
            if generation > state.generation || state.entries.count >= capacity {
                swap(&dropped, &state.entries)
                state.entries.reserveCapacity(min(capacity, dropped.count))
                state.generation = generation
            }
            state.entries[key] = value
        }
        _ = dropped  // freed here, outside the lock
    }
}

/// What decides a search's answer: the query, the tab, the page, and who asks.
struct SearchCacheKey: Hashable, Sendable {
    var text: String
    var kind: String?
    var offset: Int
    var limit: Int
    var memberID: Int64?
    var isModerator: Bool
    var groupIDs: [Int64]
}

/// What decides a directory page: the filters, the page, and who asks.
struct DirectoryCacheKey: Hashable, Sendable {
    var kind: String
    var having: [SearchFacet]
    var lacking: [SearchFacet]
    var text: String?
    var afterTitle: String?
    var afterID: Int64?
    var limit: Int
    var memberID: Int64?
    var isModerator: Bool
    var groupIDs: [Int64]
}
