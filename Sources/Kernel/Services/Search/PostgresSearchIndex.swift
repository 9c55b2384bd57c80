import Foundation
import Storage

/// The search index's PostgreSQL form: the same `search_documents`, `search_readers`,
/// `search_facets` and `search_reindex` as on SQLite, with the text in `search_text` as a
/// weighted `tsvector` (titles A, keywords B, bodies D; the `english` configuration stems like
/// FTS5's Porter tokenizer) under a GIN index, and names in `search_names`.
public enum PostgresSearchSchema {
    /// `column` without diacritics (as FTS5's `remove_diacritics`; the unaccent extension
    /// would need a superuser to install).
    static func folded(_ column: String) -> String {
        "translate(\(column), '\(accented)', '\(plain)')"
    }
    static let accented =
        "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżžÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮŁÑŃŇÒÓÔÕÖØŌŐŔŘŚŠŞŤÙÚÛÜŪŮŰŲÝŸŹŻŽ"
    static let plain =
        "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzAAAAAAAAACCCDEEEEEEEEIIIIIILNNNOOOOOOOORRSSSTUUUUUUUUYYZZZ"

    /// The PostgreSQL form of migration `kernel/008_search`.
    public static let migration = """
        CREATE TABLE search_documents (
            id BIGSERIAL PRIMARY KEY,
            module TEXT NOT NULL,
            kind TEXT NOT NULL,
            item_id BIGINT NOT NULL,
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            author_id BIGINT,
            audience TEXT NOT NULL,
            group_id BIGINT,
            group_slug TEXT,
            state TEXT NOT NULL,
            container TEXT,
            sort_date DOUBLE PRECISION NOT NULL,
            UNIQUE (kind, item_id)
        );
        CREATE INDEX search_documents_container ON search_documents (container) WHERE container IS NOT NULL;
        CREATE INDEX search_documents_author ON search_documents (author_id) WHERE author_id IS NOT NULL;
        CREATE INDEX search_documents_module ON search_documents (module);
        CREATE INDEX search_documents_directory ON search_documents (kind, title COLLATE nocase, item_id);
        CREATE TABLE search_readers (
            document_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
            member_id BIGINT NOT NULL,
            PRIMARY KEY (document_id, member_id)
        );
        CREATE TABLE search_facets (
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            document_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
            PRIMARY KEY (name, value, document_id)
        );
        CREATE INDEX search_facets_document ON search_facets (document_id);
        CREATE INDEX search_facets_folded ON search_facets (name, lower(value));
        CREATE TABLE search_text (
            rowid BIGINT PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            keywords TEXT NOT NULL,
            body TEXT NOT NULL,
            document tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', \(folded("title"))), 'A')
                || setweight(to_tsvector('english', \(folded("keywords"))), 'B')
                || setweight(to_tsvector('english', \(folded("body"))), 'D')) STORED
        );
        CREATE INDEX search_text_document ON search_text USING GIN (document);
        CREATE TABLE search_names (
            rowid BIGINT PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
            name TEXT NOT NULL
        );
        CREATE TABLE search_reindex (kind TEXT PRIMARY KEY, last_id BIGINT NOT NULL);
        """
}

/// The search index on PostgreSQL (see ``PostgresSearchSchema``). Writing is the same SQL as on
/// SQLite (the dialect layer translates it), so it is ``SQLiteSearchIndex``'s; reading uses
/// `websearch_to_tsquery` against the GIN index, `ts_rank` with titles above keywords above
/// bodies, `ts_headline` for snippets and `ts_stat` for the vocabulary.
public struct PostgresSearchIndex: SearchBackend {
    let writer = SQLiteSearchIndex()
    public init() {}

    static let configuration = "english"
    /// `ts_rank`'s weights for D, C, B, A: bodies 0.1, keywords 0.4, titles 1.0 (as FTS5's 1, 4, 10).
    static let rank = "ts_rank('{0.1, 0.0, 0.4, 1.0}', t.document, websearch_to_tsquery('english', ?))"
    static let headline =
        "MaxFragments=1, MaxWords=24, MinWords=8, FragmentDelimiter=…, StartSel=\u{E000}, StopSel=\u{E001}"

    /// `ts_headline` drops what looks like an HTML tag: `<` and `>` travel as private-use
    /// characters and come back after.
    static let angles = "\u{E002}\u{E003}"
    static func restoringAngles(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{E002}", with: "<").replacingOccurrences(of: "\u{E003}", with: ">")
    }

    public func upsert(_ item: SearchItem, module: String, _ document: SearchDocument, in db: Connection)
        throws
    {
        try writer.upsert(item, module: module, document, in: db)
    }
    public func remove(_ item: SearchItem, in db: Connection) throws { try writer.remove(item, in: db) }
    public func dependents(of item: SearchItem, in db: Connection) throws -> [SearchItem] {
        try writer.dependents(of: item, in: db)
    }
    public func items(authoredBy memberID: Int64, in db: Connection) throws -> [SearchItem] {
        try writer.items(authoredBy: memberID, in: db)
    }
    public func removeAll(module: String, in db: Connection) throws {
        try writer.removeAll(module: module, in: db)
    }
    public func removeMissing(
        kind: String, in range: ClosedRange<Int64>, keeping keep: Set<Int64>, in db: Connection
    ) throws {
        try writer.removeMissing(kind: kind, in: range, keeping: keep, in: db)
    }
    public func reindexProgress(kind: String, in db: Connection) throws -> Int64? {
        try writer.reindexProgress(kind: kind, in: db)
    }
    public func setReindexProgress(kind: String, lastID: Int64?, in db: Connection) throws {
        try writer.setReindexProgress(kind: kind, lastID: lastID, in: db)
    }
    public func facetValues(
        _ name: String, kind: String, viewer: Viewer, visitorKinds: [String: Bool], in db: Connection
    ) throws -> [(value: String, count: Int)] {
        try writer.facetValues(name, kind: kind, viewer: viewer, visitorKinds: visitorKinds, in: db)
    }

    /// The query as `websearch_to_tsquery` reads it: words, "phrases", -excluded.
    static func webSearch(_ query: SearchQuery) -> String? {
        guard query.hasTerms else { return nil }
        let quote = { (tokens: [String]) in
            tokens.count == 1 ? tokens[0] : "\"" + tokens.joined(separator: " ") + "\""
        }
        return (query.required.map(quote) + query.excluded.map { "-" + quote($0) }).joined(separator: " ")
    }

    /// Names holding every required term (3 letters or more), none of the excluded.
    static func nameCondition(_ query: SearchQuery) -> (
        sql: String, arguments: [any DatabaseValueConvertible]
    )? {
        guard query.nameExpression != nil else { return nil }
        let pattern = { (tokens: [String]) in "%" + tokens.joined(separator: " ") + "%" }
        var sql = query.required.map { _ in "n.name LIKE ?" }.joined(separator: " AND ")
        var arguments: [any DatabaseValueConvertible] = query.required.map(pattern)
        for excluded in query.excluded where excluded.joined(separator: " ").count >= 3 {
            sql += " AND n.name NOT LIKE ?"
            arguments.append(pattern(excluded))
        }
        return (sql, arguments)
    }

    private func filters(_ request: SearchRequest, kinds: [String]) -> (
        sql: String, arguments: [any DatabaseValueConvertible]
    ) {
        let visibility = SQLiteSearchIndex.visibility(request.viewer, visitorKinds: request.visitorKinds)
        var sql = visibility.sql
        var arguments = visibility.arguments
        if !kinds.isEmpty {
            sql += " AND d.kind IN (SELECT value FROM json_each(?))"
            arguments.append(SQLiteSearchIndex.jsonArray(kinds))
        }
        if let group = request.query.group {
            sql += " AND d.group_slug = ?"
            arguments.append(group)
        }
        if case .some(let author) = request.authorID {
            sql += " AND d.author_id = ?"
            arguments.append(author ?? -1)
        }
        return (sql, arguments)
    }

    private func hit(_ row: Row, snippet: HighlightedText) throws -> SearchHit {
        SearchHit(
            kind: try row.value("kind"), id: try row.value("item_id"), title: try row.value("title"),
            url: try row.value("url"), date: try row.value("sort_date"),
            groupSlug: try row.optional("group_slug"),
            snippet: snippet)
    }

    public func search(_ request: SearchRequest, in db: Connection) throws -> SearchResults {
        guard let web = Self.webSearch(request.query) else { return .empty }
        let names = try nameHits(request, kinds: request.countedKinds, in: db)
        let shownNames = names.filter { request.kinds.isEmpty || request.kinds.contains($0.kind) }
        let nameIDs = "[" + names.map { String($0.documentID) }.joined(separator: ",") + "]"
        var counts: [String: Int] = [:]
        for name in names { counts[name.hit.kind, default: 0] += 1 }
        let counted = filters(request, kinds: request.countedKinds)
        try db.forEach(
            """
            SELECT d.kind, COUNT(*) AS n FROM search_text t JOIN search_documents d ON d.id = t.rowid
            WHERE t.document @@ websearch_to_tsquery('english', ?) AND d.id NOT IN (SELECT value FROM json_each(?))
            AND \(counted.sql) GROUP BY d.kind
            """, [web, nameIDs] + counted.arguments
        ) { row in counts[try row.value("kind"), default: 0] += try row.value("n") as Int }
        let total =
            request.kinds.isEmpty
            ? counts.values.reduce(0, +) : request.kinds.reduce(0) { $0 + (counts[$1] ?? 0) }
        var hits = Array(shownNames.dropFirst(request.offset).prefix(request.limit).map(\.hit))
        let remaining = request.limit - hits.count
        if remaining > 0 {
            let ranked = filters(request, kinds: request.kinds)
            let offset = max(0, request.offset - shownNames.count)
            hits += try db.query(
                """
                SELECT \(SQLiteSearchIndex.columns), \(Self.rank) AS score,
                    ts_headline('english', translate(t.body, '<>', ?), websearch_to_tsquery('english', ?), ?) AS body_snippet,
                    ts_headline('english', translate(t.keywords, '<>', ?), websearch_to_tsquery('english', ?), ?)
                        AS keyword_snippet
                FROM search_text t JOIN search_documents d ON d.id = t.rowid
                WHERE t.document @@ websearch_to_tsquery('english', ?) AND d.id NOT IN (SELECT value FROM json_each(?))
                AND \(ranked.sql)
                ORDER BY score DESC, d.sort_date DESC LIMIT ? OFFSET ?
                """,
                [web, Self.angles, web, Self.headline, Self.angles, web, Self.headline, web, nameIDs]
                    + ranked.arguments + [remaining, offset]
            ) { row in
                let body = HighlightedText(
                    marked: Self.restoringAngles(try row.optional("body_snippet") ?? ""))
                let keywords = HighlightedText(
                    marked: Self.restoringAngles(try row.optional("keyword_snippet") ?? ""))
                let snippet = body.matches.isEmpty && !keywords.matches.isEmpty ? keywords : body
                return try hit(row, snippet: snippet)
            }
        }
        return SearchResults(hits: hits, total: total, counts: counts)
    }

    private func nameHits(_ request: SearchRequest, kinds: [String], in db: Connection) throws -> [(
        documentID: Int64, kind: String, hit: SearchHit
    )] {
        guard let names = Self.nameCondition(request.query) else { return [] }
        let filter = filters(request, kinds: kinds)
        let terms = request.query.required.map { " " + $0.joined(separator: " ") }
        let candidates = try db.query(
            """
            SELECT \(SQLiteSearchIndex.columns), n.name AS name, t.keywords AS keywords
            FROM search_names n JOIN search_documents d ON d.id = n.rowid JOIN search_text t ON t.rowid = d.id
            WHERE \(names.sql) AND \(filter.sql)
            ORDER BY length(n.name), d.title LIMIT 200
            """, names.arguments + filter.arguments
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
            if found.count == SQLiteSearchIndex.maximumNameHits { break }
        }
        return found
    }

    public func vocabulary(near word: String, in db: Connection) throws -> [(term: String, documents: Int)] {
        guard let first = word.first else { return [] }
        let lower = String(first)
        let upper = String(Character(Unicode.Scalar((first.unicodeScalars.first?.value ?? 0) + 1) ?? "~"))
        let limit = word.count <= 4 ? 1 : 2
        var found: [(term: String, documents: Int, distance: Int)] = []
        try db.forEach(
            "SELECT word, ndoc FROM ts_stat('SELECT document FROM search_text') WHERE word >= ? AND word < ?",
            [lower, upper]
        ) { row in
            let term: String = try row.value("word")
            guard term.count <= word.count + limit, term.count + limit + 5 >= word.count, term != word else {
                return
            }
            let distance = EditDistance.toStem(word, term, atMost: limit)
            if distance <= limit { found.append((term, try row.value("ndoc"), distance)) }
        }
        return found.sorted { ($0.distance, -$0.documents, $0.term) < ($1.distance, -$1.documents, $1.term) }
            .prefix(5).map { ($0.term, $0.documents) }
    }

    public func directory(_ request: DirectoryRequest, in db: Connection) throws -> [Int64] {
        let visibility = SQLiteSearchIndex.visibility(request.viewer, visitorKinds: request.visitorKinds)
        var sql = "d.kind = ? AND " + visibility.sql
        var arguments: [any DatabaseValueConvertible] = [request.kind] + visibility.arguments
        for facet in request.having {
            sql +=
                " AND EXISTS (SELECT 1 FROM search_facets f WHERE f.name = ? AND f.value = ? AND f.document_id = d.id)"
            arguments += [facet.name, facet.value]
        }
        for facet in request.lacking {
            sql +=
                " AND NOT EXISTS (SELECT 1 FROM search_facets f WHERE f.document_id = d.id AND f.name = ? AND f.value = ?)"
            arguments += [facet.name, facet.value]
        }
        if let text = request.text, let web = Self.webSearch(text) {
            let words =
                "d.id IN (SELECT rowid FROM search_text WHERE document @@ websearch_to_tsquery('english', ?))"
            if let names = Self.nameCondition(text) {
                sql += " AND (\(words) OR d.id IN (SELECT n.rowid FROM search_names n WHERE \(names.sql)))"
                arguments += [web] + names.arguments
            } else {
                sql += " AND " + words
                arguments.append(web)
            }
        }
        if let after = request.after {
            sql += " AND (d.title > ? COLLATE NOCASE OR (d.title = ? COLLATE NOCASE AND d.item_id > ?))"
            arguments += [after.title, after.title, after.id]
        }
        return try db.query(
            "SELECT d.item_id FROM search_documents d WHERE \(sql) ORDER BY d.title COLLATE NOCASE, d.item_id LIMIT ?",
            arguments + [request.limit]
        ) { try $0.value("item_id") as Int64 }
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
            vocabulary: try db.scalar(
                "SELECT COUNT(*) FROM ts_stat('SELECT document FROM search_text')", as: Int.self)
                ?? 0,
            names: try db.scalar("SELECT COUNT(*) FROM search_names", as: Int.self) ?? 0)
    }
}
