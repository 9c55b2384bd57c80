import Foundation
import Synchronization

/// Answers of recent searches and directory pages, each valid until the index next changes.
///
/// Every write to the index (inside its transaction) and every commit of such a write moves the
/// generation on and empties the cache. A reader notes the generation before it opens its read
/// transaction and stores its answer only if the generation has not moved since, so an answer
/// read from a snapshot older than a committed write is never kept. Keys hold everything that
/// decides what the viewer may see (member, moderator, groups), so one member's answer is never
/// another's.
///
/// ```swift
/// let generation = cache.generation
/// if let hit = cache.value(for: key) { return hit }
/// let fresh = try compute()
/// cache.store(fresh, for: key, readAt: generation)
/// ```
final class SearchResultCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var entries: [Key: Value] = [:]
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var generation: UInt64 { state.withLock { $0.generation } }

    func value(for key: Key) -> Value? {
        state.withLock { $0.entries[key] }
    }

    /// Keeps `value` when the index has not changed since `generation` was read.
    func store(_ value: Value, for key: Key, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation, capacity > 0 else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = value
        }
    }

    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
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
