import Testing

@testable import Kernel

/// The answers cache: an answer is served only for the generation it was read at; when full,
/// each new answer replaces the oldest.
@Suite struct SearchResultCacheTests {
    @Test func answersAreKeptForTheirGenerationAndTheOldestLeavesFirst() {
        let cache = SearchResultCache<String, [String]>(capacity: 3)
        for key in ["a", "b", "c"] { cache.store([key], for: key, at: 5) }
        #expect(cache.value(for: "a", at: 5) == ["a"])
        #expect(cache.value(for: "a", at: 6) == nil)
        // Full: the next answer replaces the oldest one, and only that one.
        cache.store(["d"], for: "d", at: 5)
        #expect(cache.value(for: "a", at: 5) == nil)
        #expect(cache.value(for: "b", at: 5) == ["b"] && cache.value(for: "c", at: 5) == ["c"])
        #expect(cache.value(for: "d", at: 5) == ["d"])
        // Storing a key again replaces its answer in place: nothing else leaves.
        cache.store(["b2"], for: "b", at: 5)
        #expect(cache.value(for: "b", at: 5) == ["b2"] && cache.value(for: "c", at: 5) == ["c"])
        cache.store(["e"], for: "e", at: 5)
        #expect(cache.value(for: "b", at: 5) == nil && cache.value(for: "c", at: 5) == ["c"])
        // An answer read from an older state is not kept.
        cache.store(["old"], for: "f", at: 4)
        #expect(cache.value(for: "f", at: 4) == nil && cache.value(for: "f", at: 5) == nil)
        // A newer state: nothing older is served, even for keys still held.
        cache.store(["g"], for: "g", at: 6)
        #expect(cache.value(for: "c", at: 5) == nil && cache.value(for: "d", at: 6) == nil)
        #expect(cache.value(for: "g", at: 6) == ["g"])
        // A stale key asked again at the new generation takes its answer in place.
        cache.store(["e6"], for: "e", at: 6)
        #expect(cache.value(for: "e", at: 6) == ["e6"] && cache.value(for: "g", at: 6) == ["g"])
    }

    @Test func theCacheNeverHoldsMoreThanItsCapacity() {
        let cache = SearchResultCache<Int, Int>(capacity: 50)
        for key in 0..<1_000 { cache.store(key, for: key % 170, at: Int64(key / 300)) }
        let held = (0..<170).filter { cache.value(for: $0, at: 3) != nil }
        // The last 50 distinct keys stored (keys 950..999 mod 170), all at generation 3.
        #expect(held.count == 50)
        #expect(Set(held) == Set((950..<1_000).map { $0 % 170 }))
    }

    @Test func aCacheOfNoCapacityKeepsNothing() {
        let cache = SearchResultCache<String, Int>(capacity: 0)
        cache.store(1, for: "a", at: 1)
        #expect(cache.value(for: "a", at: 1) == nil)
    }
}
