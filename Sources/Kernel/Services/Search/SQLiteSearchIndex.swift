import Foundation
import Storage

/// The search index on SQLite: one row per item in `search_documents` (who may find it), its
/// text in the FTS5 table `search_text` (Unicode tokens without diacritics, Porter stems; BM25
/// with titles above keywords above bodies), names in the trigram table `search_names`, filter
/// values in `search_facets`, and conversation readers in `search_readers`. Nothing outside
/// this type and its query half names these tables.
///
/// ```swift
/// let index = SQLiteSearchIndex()
/// try database.write { db in try index.upsert(SearchItem(kind: "blog_post", id: 7), module: "blog", document, in: db) }
/// ```
public struct SQLiteSearchIndex: SearchBackend {
    public init() {}

    /// Title, keywords, body.
    static let weights = "10.0, 4.0, 1.0"

    public static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "008_search",
            sql: """
                CREATE TABLE search_documents (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    module TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    item_id INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    url TEXT NOT NULL,
                    author_id INTEGER,
                    audience TEXT NOT NULL,
                    group_id INTEGER,
                    group_slug TEXT,
                    state TEXT NOT NULL,
                    container TEXT,
                    sort_date REAL NOT NULL,
                    UNIQUE (kind, item_id)
                );
                CREATE INDEX search_documents_container ON search_documents (container) WHERE container IS NOT NULL;
                CREATE INDEX search_documents_author ON search_documents (author_id) WHERE author_id IS NOT NULL;
                CREATE INDEX search_documents_module ON search_documents (module);
                CREATE INDEX search_documents_directory ON search_documents (kind, title COLLATE NOCASE, item_id);
                CREATE TABLE search_readers (
                    document_id INTEGER NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL,
                    PRIMARY KEY (document_id, member_id)
                ) WITHOUT ROWID;
                CREATE TABLE search_facets (
                    -- Columns in primary-key order: SQLite 3.40's quick_check misreads NOT NULL
                    -- columns of a WITHOUT ROWID table whose key is in another order.
                    name TEXT NOT NULL,
                    value TEXT NOT NULL COLLATE NOCASE,
                    document_id INTEGER NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
                    PRIMARY KEY (name, value, document_id)
                ) WITHOUT ROWID;
                CREATE INDEX search_facets_document ON search_facets (document_id);
                CREATE VIRTUAL TABLE search_text USING fts5 (
                    title, keywords, body, tokenize = 'porter unicode61 remove_diacritics 2');
                CREATE VIRTUAL TABLE search_names USING fts5 (name, tokenize = 'trigram');
                CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab (search_text, 'row');
                CREATE TABLE search_reindex (kind TEXT PRIMARY KEY, last_id INTEGER NOT NULL);
                """),
        // The words of names (so a query none of whose words begins a name skips the trigram
        // index), and the group an item belongs to when that is not who may see it (a CPD
        // session offered on behalf of a cluster), for showing the group with the result.
        Migration(owner: "kernel", name: "020_search_name_words") { db in
            try db.executeScript(
                """
                CREATE TABLE search_name_words (word TEXT PRIMARY KEY, documents INTEGER NOT NULL) WITHOUT ROWID;
                ALTER TABLE search_documents ADD COLUMN group_ref INTEGER;
                CREATE INDEX search_documents_group_slug ON search_documents (group_slug) WHERE kind = 'group';
                """)
            var counts: [String: Int] = [:]
            try db.forEach("SELECT name FROM search_names") { row in
                for word in Set(SearchQuery.tokens(of: try row.value("name"))) {
                    counts[word, default: 0] += 1
                }
            }
            for (word, count) in counts {
                try db.execute(
                    "INSERT INTO search_name_words (word, documents) VALUES (?, ?)", [word, count])
            }
        },
        // A counter moved on by every write to the index, so cached answers know their state.
        Migration(
            owner: "kernel", name: "021_search_generation",
            sql: """
                CREATE TABLE search_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO search_generation (id, value) VALUES (1, 0);
                """),
    ]

    /// Each document's length in tokens kept beside it, so ranking reads it with the row it
    /// joins instead of looking it up in FTS5's `docsize` for every match
    /// (``FullTextRanking/sizedFunctionName``). Documents indexed before get theirs here.
    static let storeLength = """
        UPDATE search_documents SET tokens =
            (SELECT \(FullTextRanking.lengthFunctionName)(sz) FROM search_text_docsize WHERE id = ?)
        WHERE id = ?
        """
    static let documentLength = Migration(
        owner: "kernel", name: "024_search_document_length",
        sql: """
            ALTER TABLE search_documents ADD COLUMN tokens INTEGER;
            UPDATE search_documents SET tokens =
                (SELECT \(FullTextRanking.lengthFunctionName)(sz) FROM search_text_docsize WHERE id = search_documents.id);
            """,
        postgres: "ALTER TABLE search_documents ADD COLUMN tokens BIGINT")

    /// The tables the kernel owns for search (for the architecture test and purges).
    public static let tables = [
        "search_documents", "search_readers", "search_facets", "search_text", "search_names",
        "search_vocabulary", "search_reindex", "search_name_words", "search_generation",
    ]

    // MARK: Writing

    public func upsert(_ item: SearchItem, module: String, _ document: SearchDocument, in db: Connection)
        throws
    {
        let audience: String
        var groupID: Int64?
        var readers: [Int64] = []
        switch document.audience {
        case .everyone: audience = "everyone"
        case .members: audience = "members"
        case .group(let id):
            audience = "group"
            groupID = id
        case .participants(let ids):
            audience = "participants"
            readers = ids
        }
        let values: [any DatabaseValueConvertible] = [
            module, HighlightedText.clean(document.title), document.url, document.authorID, audience, groupID,
            document.groupSlug?.lowercased(), document.state.rawValue, document.container?.key, document.date,
            document.groupID ?? groupID,
        ]
        let documentID: Int64
        if let existing = try storedID(of: item, in: db) {
            documentID = existing
            try db.execute(
                """
                UPDATE search_documents SET module = ?, title = ?, url = ?, author_id = ?, audience = ?, group_id = ?,
                    group_slug = ?, state = ?, container = ?, sort_date = ?, group_ref = ? WHERE id = ?
                """, values + [existing])
            try clear(documentID: existing, in: db)
        } else {
            try db.execute(
                """
                INSERT INTO search_documents (module, title, url, author_id, audience, group_id, group_slug, state,
                    container, sort_date, group_ref, kind, item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values + [item.kind, item.id])
            documentID = db.lastInsertedRowID
        }
        try db.execute(
            "INSERT INTO search_text (rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
            [
                documentID, document.titleIsSearchable ? HighlightedText.clean(document.title) : "",
                HighlightedText.clean(document.keywords),
                HighlightedText.clean(document.body),
            ])
        // PostgreSQL writes through here too; its ranking needs no length.
        if db.dialect == .sqlite { try db.execute(Self.storeLength, [documentID, documentID]) }
        if let name = document.name, !name.isEmpty {
            let folded = SearchQuery.fold(name)
            try db.execute("INSERT INTO search_names (rowid, name) VALUES (?, ?)", [documentID, folded])
            try countNameWords(of: folded, by: 1, in: db)
        }
        for facet in Set(document.facets) where !facet.value.isEmpty {
            try db.execute(
                "INSERT INTO search_facets (document_id, name, value) VALUES (?, ?, ?)",
                [documentID, facet.name, facet.value])
        }
        for reader in Set(readers) {
            try db.execute(
                "INSERT INTO search_readers (document_id, member_id) VALUES (?, ?)", [documentID, reader])
        }
    }

    private func storedID(of item: SearchItem, in db: Connection) throws -> Int64? {
        try db.scalar(
            "SELECT id FROM search_documents WHERE kind = ? AND item_id = ?", [item.kind, item.id],
            as: Int64.self)
    }

    private func clear(documentID: Int64, in db: Connection) throws {
        if let name = try db.scalar(
            "SELECT name FROM search_names WHERE rowid = ?", [documentID], as: String.self)
        {
            try countNameWords(of: name, by: -1, in: db)
        }
        try db.execute("DELETE FROM search_text WHERE rowid = ?", [documentID])
        try db.execute("DELETE FROM search_names WHERE rowid = ?", [documentID])
        try db.execute("DELETE FROM search_facets WHERE document_id = ?", [documentID])
        try db.execute("DELETE FROM search_readers WHERE document_id = ?", [documentID])
    }

    /// Adds `delta` to the count of each word of `name` in `search_name_words` (a word leaves
    /// when no name holds it).
    private func countNameWords(of name: String, by delta: Int, in db: Connection) throws {
        for word in Set(SearchQuery.tokens(of: name)) {
            try db.execute(
                """
                INSERT INTO search_name_words (word, documents) VALUES (?, ?)
                ON CONFLICT (word) DO UPDATE SET documents = search_name_words.documents + excluded.documents
                """, [word, delta])
        }
        if delta < 0 { try db.execute("DELETE FROM search_name_words WHERE documents <= 0") }
    }

    public func remove(_ item: SearchItem, in db: Connection) throws {
        guard let id = try storedID(of: item, in: db) else { return }
        try clear(documentID: id, in: db)
        try db.execute("DELETE FROM search_documents WHERE id = ?", [id])
    }

    public func dependents(of item: SearchItem, in db: Connection) throws -> [SearchItem] {
        try db.query(
            "SELECT kind, item_id FROM search_documents WHERE container = ? ORDER BY id", [item.key]
        ) { SearchItem(kind: try $0.value("kind"), id: try $0.value("item_id")) }
    }

    public func items(authoredBy memberID: Int64, in db: Connection) throws -> [SearchItem] {
        try db.query(
            "SELECT kind, item_id FROM search_documents WHERE author_id = ? ORDER BY id", [memberID]
        ) { SearchItem(kind: try $0.value("kind"), id: try $0.value("item_id")) }
    }

    public func removeAll(module: String, in db: Connection) throws {
        let ids = try db.query("SELECT id FROM search_documents WHERE module = ?", [module]) {
            try $0.value("id") as Int64
        }
        for id in ids { try clear(documentID: id, in: db) }
        try db.execute("DELETE FROM search_documents WHERE module = ?", [module])
    }

    public func removeMissing(
        kind: String, in range: ClosedRange<Int64>, keeping keep: Set<Int64>, in db: Connection
    ) throws {
        let stale = try db.query(
            "SELECT item_id FROM search_documents WHERE kind = ? AND item_id BETWEEN ? AND ?",
            [kind, range.lowerBound, range.upperBound]
        ) { try $0.value("item_id") as Int64 }
        for id in stale where !keep.contains(id) { try remove(SearchItem(kind: kind, id: id), in: db) }
    }

    public func generation(in db: Connection) throws -> Int64? {
        try db.scalar("SELECT value FROM search_generation WHERE id = 1", as: Int64.self)
    }

    public func advanceGeneration(in db: Connection) throws {
        try db.execute("UPDATE search_generation SET value = value + 1 WHERE id = 1")
    }

    public func reindexProgress(kind: String, in db: Connection) throws -> Int64? {
        try db.scalar("SELECT last_id FROM search_reindex WHERE kind = ?", [kind], as: Int64.self)
    }

    public func setReindexProgress(kind: String, lastID: Int64?, in db: Connection) throws {
        if let lastID {
            try db.execute(
                "INSERT INTO search_reindex (kind, last_id) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET last_id = excluded.last_id",
                [kind, lastID])
        } else {
            try db.execute("DELETE FROM search_reindex WHERE kind = ?", [kind])
        }
    }

    // MARK: Compaction

    /// The FTS5 tables of the index: each write transaction adds a segment to each, FTS5's
    /// automerge folds small ones together, and a query reads every segment.
    static let fullTextTables = ["search_text", "search_names"]

    /// FTS5's 'merge' with a negative page count: all segments count as one level, so as few as
    /// two are merged, about `pages` pages at a time. Two or more rows changed means work was done.
    public func compactStep(pages: Int, in db: Connection) throws -> Bool {
        var worked = false
        for table in Self.fullTextTables {
            let before = db.totalChanges
            try db.execute("INSERT INTO \(table) (\(table), rank) VALUES ('merge', ?)", [-max(1, pages)])
            if db.totalChanges - before >= 2 { worked = true }
        }
        return worked
    }

    /// Segments of the words index (`%_idx` has a row per leaf page of each segment).
    public func parts(in db: Connection) throws -> Int? {
        try db.scalar("SELECT COUNT(DISTINCT segid) FROM search_text_idx", as: Int.self)
    }

    // MARK: Visibility

    /// The condition (on `d`, the documents table) for what `viewer` may find, with its arguments:
    /// published items their audience allows; drafts for their author; hidden items for moderators.
    /// For visitors, `visitorKinds` overrides the indexed audience of the kinds it names (items
    /// for everyone or members: shown when true, not when false).
    static func visibility(_ viewer: Viewer, of d: String = "d", visitorKinds: [String: Bool] = [:]) -> (
        sql: String, arguments: [any DatabaseValueConvertible]
    ) {
        guard let memberID = viewer.memberID else {
            guard !visitorKinds.isEmpty else {
                return ("\(d).state = 'published' AND \(d).audience = 'everyone'", [])
            }
            let open = jsonArray(visitorKinds.filter(\.value).keys.sorted())
            let decided = jsonArray(visitorKinds.keys.sorted())
            return (
                """
                \(d).state = 'published'
                AND ((\(d).kind IN (SELECT value FROM json_each(?)) AND \(d).audience IN ('everyone', 'members'))
                    OR (\(d).kind NOT IN (SELECT value FROM json_each(?)) AND \(d).audience = 'everyone'))
                """,
                [open, decided]
            )
        }
        let groups = "[" + viewer.groupIDs.map(String.init).joined(separator: ",") + "]"
        return (
            """
            (\(d).state = 'published' OR (\(d).state = 'draft' AND \(d).author_id = ?) OR (\(d).state = 'hidden' AND ? = 1))
            AND (\(d).audience IN ('everyone', 'members')
                OR (\(d).audience = 'group' AND \(d).group_id IN (SELECT value FROM json_each(?)))
                OR (\(d).audience = 'participants'
                    AND EXISTS (SELECT 1 FROM search_readers r WHERE r.document_id = \(d).id AND r.member_id = ?)))
            """,
            [memberID, viewer.isModerator, groups, memberID]
        )
    }
}
