/// Substring search over UTF-8 bytes in linear time (Knuth–Morris–Pratt), forwards or backwards.
/// Strings are indexed by byte in Starlark; one searcher serves every match of a `split`,
/// `replace` or `count`, so those cost O(len(s) + len(sep)) in all.
///
/// ```swift
/// let search = ByteSearch(Array(",".utf8))
/// search.first(in: Array("a,b".utf8), from: 0, to: 3)   // 1
/// ```
struct ByteSearch {
    let needle: [UInt8]
    private let forward: [Int]
    private let reversedNeedle: [UInt8]
    private let backward: [Int]

    init(_ needle: [UInt8]) {
        self.needle = needle
        self.forward = Self.failureTable(needle)
        self.reversedNeedle = needle.reversed()
        self.backward = Self.failureTable(reversedNeedle)
    }

    /// `table[i]`: length of the longest proper prefix of `pattern[0...i]` that is also its suffix.
    private static func failureTable(_ pattern: [UInt8]) -> [Int] {
        var table = [Int](repeating: 0, count: pattern.count)
        var k = 0
        var i = 1
        while i < pattern.count {
            while k > 0 && pattern[i] != pattern[k] { k = table[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            table[i] = k
            i += 1
        }
        return table
    }

    /// Offset of the first occurrence inside `haystack[lo..<hi]`.
    func first(in haystack: [UInt8], from lo: Int, to hi: Int) -> Int? {
        let m = needle.count
        if hi - lo < m { return nil }
        if m == 0 { return lo }
        var j = 0
        var i = lo
        while i < hi {
            let byte = haystack[i]
            while j > 0 && byte != needle[j] { j = forward[j - 1] }
            if byte == needle[j] { j += 1 }
            if j == m { return i - m + 1 }
            i += 1
        }
        return nil
    }

    /// Offset of the last occurrence inside `haystack[lo..<hi]`.
    func last(in haystack: [UInt8], from lo: Int, to hi: Int) -> Int? {
        let m = needle.count
        if hi - lo < m { return nil }
        if m == 0 { return hi }
        var j = 0
        var i = hi - 1
        while i >= lo {
            let byte = haystack[i]
            while j > 0 && byte != reversedNeedle[j] { j = backward[j - 1] }
            if byte == reversedNeedle[j] { j += 1 }
            if j == m { return i }
            i -= 1
        }
        return nil
    }

    /// Byte offset of `needle` in `haystack`, comparing bytes (not Unicode canonical equivalence).
    static func first(_ needle: String, in haystack: String) -> Int? {
        ByteSearch(Array(needle.utf8)).first(in: Array(haystack.utf8), from: 0, to: haystack.utf8.count)
    }
}
