import Foundation
import Storage

/// Names by trigrams in ``SQLiteSearchIndex``: "Jon Smit" finds "Jonathan Smith". The trigram
/// query is skipped when some word of the query begins no name (`search_name_words` holds the
/// words of every indexed name), which is most queries about content.
extension SQLiteSearchIndex {
    /// Names matched by trigrams come before the ranked results, at most this many.
    static let maximumNameHits = 20

    /// Whether every token of the query's required terms begins a word of some indexed name.
    func mayMatchNames(_ query: SearchQuery, in db: Connection) throws -> Bool {
        guard query.nameExpression != nil else { return false }
        for token in Set(query.required.joined()) {
            let found = try db.scalar(
                "SELECT 1 FROM search_name_words WHERE word >= ? AND word < ? LIMIT 1",
                [token, token + "\u{10FFFF}"], as: Int.self)
            if found == nil { return false }
        }
        return true
    }

    /// Items whose name holds every required term at the start of a word ("Jon Smit" →
    /// "Jonathan Smith"), best trigram match first, among the kinds counted.
    func nameHits(_ request: SearchRequest, in db: Connection) throws -> [(
        documentID: Int64, kind: String, hit: SearchHit
    )] {
        guard let expression = request.query.nameExpression else { return [] }
        let filter = filters(request, kinds: request.countedKinds)
        let terms = request.query.required.map { " " + $0.joined(separator: " ") }
        let candidates = try db.query(
            """
            SELECT \(Self.columns), search_names.name AS name, t.keywords AS keywords
            FROM search_names JOIN search_documents d ON d.id = search_names.rowid
            JOIN search_text t ON t.rowid = d.id
            WHERE search_names MATCH ? AND \(filter.sql)
            ORDER BY bm25(search_names), d.title LIMIT 200
            """, [expression] + filter.arguments
        ) { row -> (Int64, String, String, SearchHit) in
            let keywords = HighlightedText(marked: try row.value("keywords") as String)
            return (
                try row.value("id"), try row.value("kind"), try row.value("name"),
                try hit(row, snippet: keywords)
            )
        }
        var found: [(documentID: Int64, kind: String, hit: SearchHit)] = []
        for (id, kind, name, hit) in candidates {
            let words = " " + SearchQuery.tokens(of: name).joined(separator: " ")
            guard terms.allSatisfy({ words.contains($0) }) else { continue }
            found.append((id, kind, hit))
            if found.count == Self.maximumNameHits { break }
        }
        return found
    }
}
