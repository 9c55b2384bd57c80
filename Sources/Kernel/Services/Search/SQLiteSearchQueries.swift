import Foundation
import Storage

/// The reading half of ``SQLiteSearchIndex``: ranked search, names by trigram, the directory,
/// the vocabulary for "did you mean", statistics.
extension SQLiteSearchIndex {
    static let columns = "d.id, d.kind, d.item_id, d.title, d.url, d.sort_date, d.group_slug"

    /// The filters every part of one search shares: who may see, the group, the author.
    func filters(_ request: SearchRequest, kinds: [String]) -> (
        sql: String, arguments: [any DatabaseValueConvertible]
    ) {
        let visibility = Self.visibility(request.viewer, visitorKinds: request.visitorKinds)
        var sql = visibility.sql
        var arguments = visibility.arguments
        if !kinds.isEmpty {
            sql += " AND d.kind IN (SELECT value FROM json_each(?))"
            arguments.append(Self.jsonArray(kinds))
        }
        if let group = request.query.group {
            // Its own slug, or the group it belongs to when the viewer may see that group.
            let groupVisible = Self.visibility(request.viewer, of: "g")
            sql += """
                 AND (d.group_slug = ? OR d.group_ref IN (SELECT g.item_id FROM search_documents g
                    WHERE g.kind = 'group' AND g.group_slug = ? AND \(groupVisible.sql)))
                """
            arguments += [group, group] + groupVisible.arguments
        }
        if case .some(let author) = request.authorID {
            sql += " AND d.author_id = ?"
            arguments.append(author ?? -1)
        }
        return (sql, arguments)
    }

    /// `strings` as a JSON array (for `json_each`), escaped as the API escapes strings
    /// (JSONEncoder cost 20,000 instructions for the list of kinds every search passes).
    static func jsonArray(_ strings: [String]) -> String {
        var bytes: [UInt8] = [0x5B]
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            JSONOutput.appendString(string, to: &bytes)
        }
        bytes.append(0x5D)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One ranked match of the single full-text pass.
    private struct Match {
        var documentID: Int64
        var kind: String
        var score: Double
        var date: Double
    }

    /// One pass over the full-text matches the viewer may see gives both the counts per kind
    /// and the order (BM25, then newest); only the rows of the page shown are then read in
    /// full, with their snippets. Names matched by trigrams come first; their query runs only
    /// when every word of the query begins some name.
    public func search(_ request: SearchRequest, in db: Connection) throws -> SearchResults {
        // The ranked pass records where each row matched; the page's snippets are made from that.
        try db.recordingFullTextPositions { try recordedSearch(request, in: db) }
    }

    private func recordedSearch(_ request: SearchRequest, in db: Connection) throws -> SearchResults {
        guard let expression = request.query.fullTextExpression else { return .empty }
        let names = try mayMatchNames(request.query, in: db) ? nameHits(request, in: db) : []
        let shows = { (kind: String) in request.kinds.isEmpty || request.kinds.contains(kind) }
        let shownNames = names.filter { shows($0.kind) }
        let nameIDs = Set(names.map(\.documentID))

        var counts: [String: Int] = [:]
        for name in names { counts[name.kind, default: 0] += 1 }
        var matches: [Match] = []
        let counted = filters(request, kinds: request.countedKinds)
        // BM25 with the phrases' document frequencies cached for this generation of the index
        // (FullTextRanking): bm25() would count each phrase's whole doclist on every query.
        let ranking: [any DatabaseValueConvertible] = [
            try generation(in: db), request.query.fullTextPhrases.joined(separator: "\n"),
        ]
        try db.forEach(
            """
            SELECT d.id, d.kind, \(FullTextRanking.sizedFunctionName)(search_text, 'search_text', ?, ?, d.tokens, \(Self.weights))
                AS score, d.sort_date
            FROM search_text JOIN search_documents d ON d.id = search_text.rowid
            WHERE search_text MATCH ? AND \(counted.sql)
            """, ranking + [expression] + counted.arguments
        ) { row in
            let id: Int64 = try row.value(column: 0)
            guard !nameIDs.contains(id) else { return }
            let kind: String = try row.value(column: 1)
            counts[kind, default: 0] += 1
            guard shows(kind) else { return }
            matches.append(
                Match(
                    documentID: id, kind: kind, score: try row.value(column: 2),
                    date: try row.value(column: 3)))
        }
        let total = shownNames.count + matches.count

        var hits = shownNames.dropFirst(request.offset).prefix(request.limit).map(\.hit)
        let offset = max(0, request.offset - shownNames.count)
        let wanted = min(request.limit - hits.count, max(0, matches.count - offset))
        if wanted > 0 {
            let ranked = Self.best(matches, upTo: offset + wanted).dropFirst(offset)
            hits += try rankedHits(ranked.map(\.documentID), request: request, in: db)
        }
        return SearchResults(hits: hits, total: total, counts: counts)
    }

    /// The first `count` matches by score then date, without sorting them all.
    private static func best(_ matches: [Match], upTo count: Int) -> [Match] {
        let before = { (a: Match, b: Match) in a.score < b.score || (a.score == b.score && a.date > b.date) }
        guard matches.count > count * 4 else { return Array(matches.sorted(by: before).prefix(count)) }
        // Keep the best `count` seen so far, sorted; most rows lose against the last of them.
        var kept: [Match] = []
        kept.reserveCapacity(count + 1)
        for match in matches {
            if kept.count == count, let last = kept.last, !before(match, last) { continue }
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if before(match, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            let at = low
            kept.insert(match, at: at)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }

    /// The page's rows, with their group when the viewer may see it and the snippet of the
    /// field that matched, made from where the ranked pass found the matches
    /// (``FullTextSnippet/recordedFunctionName``): the rows are looked up by rowid, and FTS5
    /// does not run the expression again.
    private func rankedHits(_ documentIDs: [Int64], request: SearchRequest, in db: Connection) throws
        -> [SearchHit]
    {
        guard !documentIDs.isEmpty else { return [] }
        let groupVisible = Self.visibility(request.viewer, of: "g")
        var byID: [Int64: SearchHit] = [:]
        try db.forEach(
            """
            SELECT \(Self.columns), g.title AS group_name, g.group_slug AS group_ref_slug, g.url AS group_url,
                \(FullTextSnippet.recordedFunctionName)(search_text, 24, search_text.rowid, 2, 1) AS snippet
            FROM search_text JOIN search_documents d ON d.id = search_text.rowid
            LEFT JOIN search_documents g ON g.kind = 'group' AND g.item_id = d.group_ref AND \(groupVisible.sql)
            WHERE search_text.rowid IN (SELECT value FROM json_each(?))
            """,
            groupVisible.arguments + ["[" + documentIDs.map(String.init).joined(separator: ",") + "]"]
        ) { row in
            // The body's words around the matches, or the keywords' when only they match.
            byID[try row.value(column: 0)] = try hit(
                row, snippet: HighlightedText(marked: try row.optional("snippet") ?? ""))
        }
        return documentIDs.compactMap { byID[$0] }
    }

    /// A hit from a row that begins with ``columns`` (read by position: twenty rows a page).
    func hit(_ row: Row, snippet: HighlightedText) throws -> SearchHit {
        var hit = SearchHit(
            kind: try row.value(column: 1), id: try row.value(column: 2), title: try row.value(column: 3),
            url: try row.value(column: 4), date: try row.value(column: 5),
            groupSlug: try row.optional(column: 6),
            snippet: snippet)
        if row.hasColumn("group_name"), let name: String = try row.optional("group_name") {
            hit.groupName = name
            hit.groupURL = try row.optional("group_url")
            if hit.groupSlug == nil { hit.groupSlug = try row.optional("group_ref_slug") }
        }
        return hit
    }

    public func vocabulary(near word: String, in db: Connection) throws -> [(term: String, documents: Int)] {
        guard let first = word.first else { return [] }
        let lower = String(first)
        let upper = String(Character(Unicode.Scalar((first.unicodeScalars.first?.value ?? 0) + 1) ?? "~"))
        let limit = word.count <= 4 ? 1 : 2
        var found: [(term: String, documents: Int, distance: Int)] = []
        try db.forEach(
            "SELECT term, doc FROM search_vocabulary WHERE term >= ? AND term < ?", [lower, upper]
        ) { row in
            let term: String = try row.value("term")
            guard term.count <= word.count + limit, term.count + limit + 5 >= word.count, term != word else {
                return
            }
            let distance = EditDistance.toStem(word, term, atMost: limit)
            if distance <= limit { found.append((term, try row.value("doc"), distance)) }
        }
        return found.sorted { ($0.distance, -$0.documents, $0.term) < ($1.distance, -$1.documents, $1.term) }
            .prefix(5).map { ($0.term, $0.documents) }
    }

    /// Below this many items a facet drives the directory query (its items are read, then sorted
    /// by name); above it the query walks members by name and checks each facet, which stops after
    /// a page when the facets are common.
    static let drivingFacetLimit = 3_000

    public func directory(_ request: DirectoryRequest, in db: Connection) throws -> [Int64] {
        let visibility = Self.visibility(request.viewer, visitorKinds: request.visitorKinds)
        var from = "search_documents d"
        var sql = "d.kind = ? AND " + visibility.sql
        var arguments: [any DatabaseValueConvertible] = [request.kind] + visibility.arguments
        var having = request.having
        var rarest: (index: Int, count: Int)?
        for (index, facet) in having.enumerated() {
            let count =
                try db.scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM search_facets WHERE name = ? AND value = ? LIMIT ?)",
                    [facet.name, facet.value, Self.drivingFacetLimit], as: Int.self) ?? 0
            if count < (rarest?.count ?? Self.drivingFacetLimit) { rarest = (index, count) }
        }
        var fromArguments: [any DatabaseValueConvertible] = []
        if let rarest {
            let facet = having.remove(at: rarest.index)
            // CROSS JOIN keeps this order: the few items of the rare facet first.
            from = "search_facets driver CROSS JOIN search_documents d ON d.id = driver.document_id"
            sql = "driver.name = ? AND driver.value = ? AND " + sql
            fromArguments = [facet.name, facet.value]
        }
        arguments = fromArguments + arguments
        for facet in having {
            sql +=
                " AND EXISTS (SELECT 1 FROM search_facets f WHERE f.name = ? AND f.value = ? AND f.document_id = d.id)"
            arguments += [facet.name, facet.value]
        }
        for facet in request.lacking {
            sql +=
                " AND NOT EXISTS (SELECT 1 FROM search_facets f WHERE f.document_id = d.id AND f.name = ? AND f.value = ?)"
            arguments += [facet.name, facet.value]
        }
        if let text = request.text, let expression = text.fullTextExpression {
            if let names = text.nameExpression {
                sql +=
                    " AND (d.id IN (SELECT rowid FROM search_text WHERE search_text MATCH ?) OR d.id IN (SELECT rowid FROM search_names WHERE search_names MATCH ?))"
                arguments += [expression, names]
            } else {
                sql += " AND d.id IN (SELECT rowid FROM search_text WHERE search_text MATCH ?)"
                arguments.append(expression)
            }
        }
        if let after = request.after {
            sql += " AND (d.title > ? COLLATE NOCASE OR (d.title = ? COLLATE NOCASE AND d.item_id > ?))"
            arguments += [after.title, after.title, after.id]
        }
        return try db.query(
            "SELECT d.item_id FROM \(from) WHERE \(sql) ORDER BY d.title COLLATE NOCASE, d.item_id LIMIT ?",
            arguments + [request.limit]
        ) { try $0.value("item_id") as Int64 }
    }

    public func facetValues(
        _ name: String, kind: String, viewer: Viewer, visitorKinds: [String: Bool], in db: Connection
    ) throws -> [(value: String, count: Int)] {
        let visibility = Self.visibility(viewer, visitorKinds: visitorKinds)
        return try db.query(
            """
            SELECT f.value AS value, COUNT(*) AS n FROM search_facets f JOIN search_documents d ON d.id = f.document_id
            WHERE f.name = ? AND d.kind = ? AND \(visibility.sql) GROUP BY f.value ORDER BY f.value
            """, [name, kind] + visibility.arguments
        ) { (try $0.value("value") as String, try $0.value("n") as Int) }
    }

    public func statistics(in db: Connection) throws -> SearchStatistics {
        var rows: [String: SearchStatistics.Row] = [:]
        try db.forEach("SELECT kind, state, COUNT(*) AS n FROM search_documents GROUP BY kind, state") {
            row in
            let kind: String = try row.value("kind")
            var entry = rows[kind] ?? SearchStatistics.Row(kind: kind, published: 0, drafts: 0, hidden: 0)
            let count: Int = try row.value("n")
            switch SearchState(rawValue: try row.value("state")) {
            case .published: entry.published += count
            case .draft: entry.drafts += count
            case .hidden, nil: entry.hidden += count
            }
            rows[kind] = entry
        }
        return SearchStatistics(
            kinds: rows.values.sorted { $0.kind < $1.kind },
            vocabulary: try db.scalar("SELECT COUNT(*) FROM search_vocabulary", as: Int.self) ?? 0,
            names: try db.scalar("SELECT COUNT(*) FROM search_names", as: Int.self) ?? 0)
    }
}

/// Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
/// neighbours each cost one), for "did you mean".
enum EditDistance {
    /// The distance from `word` to `stem` or to `stem` followed by an ending of up to five
    /// letters: the vocabulary holds Porter stems ("zemblan" for "zemblanity").
    static func toStem(_ word: String, _ stem: String, atMost bound: Int) -> Int {
        var best = between(word, stem, atMost: bound)
        guard stem.count >= 4, word.count > stem.count - bound else { return best }
        let characters = Array(word)
        let lower = max(stem.count - bound, 1)
        let upper = min(stem.count + bound, characters.count)
        guard lower <= upper else { return best }
        for cut in lower...upper where characters.count - cut <= 5 {
            best = min(best, between(String(characters[..<cut]), stem, atMost: bound))
        }
        return best
    }

    static func between(_ a: String, _ b: String, atMost bound: Int) -> Int {
        let a = Array(a)
        let b = Array(b)
        if abs(a.count - b.count) > bound { return bound + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
                rowBest = min(rowBest, current[j])
            }
            if rowBest > bound { return bound + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
