import Testing

@testable import Kernel

/// The answers cache: one generation at a time, emptied when full.
@Suite struct SearchResultCacheTests {
    @Test func answersAreKeptForTheirGenerationUntilTheCacheIsFull() {
        let cache = SearchResultCache<String, [String]>(capacity: 3)
        for key in ["a", "b", "c"] { cache.store([key], for: key, at: 5) }
        #expect(cache.value(for: "a", at: 5) == ["a"])
        #expect(cache.value(for: "a", at: 6) == nil)
        // Full: the next answer starts afresh (the old ones are freed after the lock is let go).
        cache.store(["d"], for: "d", at: 5)
        #expect(cache.value(for: "a", at: 5) == nil && cache.value(for: "c", at: 5) == nil)
        #expect(cache.value(for: "d", at: 5) == ["d"])
        // An answer read from an older state is not kept; a newer state drops the rest.
        cache.store(["old"], for: "e", at: 4)
        #expect(cache.value(for: "e", at: 4) == nil && cache.value(for: "e", at: 5) == nil)
        cache.store(["f"], for: "f", at: 6)
        #expect(cache.value(for: "d", at: 5) == nil && cache.value(for: "f", at: 6) == ["f"])
    }
}
