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
    private struct Entry {
        var value: Value
        var generation: Int64
    }

    private struct State {
        /// The newest generation seen: answers read from an older state are not stored.
        var generation: Int64 = .min
        var entries: [Key: Entry] = [:]
        /// Keys in the order they were stored; `next` is the oldest, the next to go.
        var order: [Key?]
        var next = 0
    }

    private let state: Mutex<State>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        state = Mutex(State(order: Array(repeating: nil, count: max(0, capacity))))
    }

    func value(for key: Key, at generation: Int64) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation else { return nil }
            return entry.value
        }
    }

    /// Keeps `value`, read at `generation`. An answer older than the newest generation seen is not
    /// stored; answers of older generations are never served, and leave as new ones come in.
    ///
    /// When full, each new answer replaces the oldest one, and only that one. The cache used to
    /// empty itself when full or when the index moved on: freeing 2,000 pages of results at once
    /// took tens of milliseconds, during which every worker's `malloc` waited on the freeing
    /// thread (under a load of searches nobody had asked before, a stall of 50–120 ms came every
    /// half second and slowed every answer around it). The replaced answer is freed after the lock
    /// is let go.
    func store(_ value: Value, for key: Key, at generation: Int64) {
        var replaced: Entry?
        state.withLock { state in
            guard capacity > 0, generation >= state.generation else { return }
            state.generation = generation
            let entry = Entry(value: value, generation: generation)
            if let index = state.entries.index(forKey: key) {
                replaced = state.entries.values[index]
                state.entries.values[index] = entry
                return
            }
            if let oldest = state.order[state.next] {
                replaced = state.entries.removeValue(forKey: oldest)
            }
            state.order[state.next] = key
            state.next = state.next + 1 == capacity ? 0 : state.next + 1
            state.entries[key] = entry
        }
        _ = replaced  // freed here, outside the lock
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
