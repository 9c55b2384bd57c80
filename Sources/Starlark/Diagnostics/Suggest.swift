/// "Did you mean …?" suggestions by edit distance.
///
/// ```swift
/// Suggest.closest("netwrok", among: ["network", "modules"])  // "network"
/// ```
public enum Suggest {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    /// Case-only differences always qualify; otherwise the distance must be at most
    /// about a third of the word's length (at least 1).
    public static func closest(_ word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let limit = max(1, (word.unicodeScalars.count + 1) / 3)
        var best: (name: String, distance: Int)?
        for candidate in Set(candidates) where candidate != word {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance > limit { continue }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// Edit distance over Unicode scalars: insertions, deletions, substitutions and swaps of
    /// adjacent characters each cost 1 (optimal string alignment), since swaps are common typos.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
