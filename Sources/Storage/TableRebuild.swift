import Foundation

extension Connection {
    /// Rebuilds `table` so that its `id INTEGER PRIMARY KEY` becomes `AUTOINCREMENT`: SQLite then
    /// never hands out an id again, not after the newest row is deleted and not after the table is
    /// dropped and created anew (the kernel keeps the high-water mark of a purged module's tables).
    /// Moderation cases, activity entries and audit entries refer to content by id, so a reused id
    /// would attach them to someone else's post.
    ///
    /// Rows, indexes and triggers are kept. Run it from a migration declared with
    /// `disablesForeignKeys: true`: dropping the old table with foreign keys on would cascade into
    /// the tables that refer to it.
    ///
    /// ```swift
    /// Migration(owner: "blog", name: "006_ids_never_reused", disablesForeignKeys: true) { db in
    ///     try db.makeIDsNeverReused(in: "blog_posts")
    /// }
    /// ```
    public func makeIDsNeverReused(in table: String) throws {
        // PostgreSQL's sequences never hand out an id twice.
        if dialect == .postgres { return }
        guard
            let createSQL = try scalar(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [table], as: String.self)
        else { throw StorageError(kind: .misuse, message: "no table \(table) to rebuild") }
        if createSQL.range(of: "AUTOINCREMENT", options: .caseInsensitive) != nil { return }
        guard
            let key = createSQL.range(
                of: #"(?<=[\s(,])id INTEGER PRIMARY KEY"#, options: [.regularExpression, .caseInsensitive])
        else {
            throw StorageError(kind: .misuse, message: "\(table) has no \"id INTEGER PRIMARY KEY\" column")
        }
        let temporary = table + "__rebuild"
        var rebuilt = createSQL.replacingCharacters(in: key, with: "id INTEGER PRIMARY KEY AUTOINCREMENT")
        guard let name = rebuilt.range(of: table) else {
            throw StorageError(kind: .misuse, message: "cannot find the name of \(table) in its definition")
        }
        rebuilt.replaceSubrange(name, with: temporary)
        let dependents = try query(
            "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
            [table]
        ) { row -> String in
            guard case .text(let sql) = row.value(at: 0) else { return "" }
            return sql
        }
        try executeScript(rebuilt)
        try execute("INSERT INTO \"\(temporary)\" SELECT * FROM \"\(table)\"")
        try execute("DROP TABLE \"\(table)\"")
        // Legacy renaming leaves other tables' triggers and foreign keys as written: they name
        // the table, which exists again once the rename is done.
        try executeScript("PRAGMA legacy_alter_table = ON")
        defer { try? executeScript("PRAGMA legacy_alter_table = OFF") }
        try execute("ALTER TABLE \"\(temporary)\" RENAME TO \"\(table)\"")
        for sql in dependents { try executeScript(sql) }
    }

    /// Makes sure the next id SQLite hands out in `table` is above `floor`. Returns false, and
    /// changes nothing, when the table does not exist or is not AUTOINCREMENT.
    @discardableResult
    public func raiseNextID(of table: String, above floor: Int64) throws -> Bool {
        if dialect == .postgres {
            guard let sequence = try serialSequence(of: table) else { return false }
            try execute(
                "SELECT setval(?, ?) WHERE ? > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM \(sequence))",
                [sequence, floor, floor])
            return true
        }
        guard
            let sql = try scalar(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [table], as: String.self),
            sql.range(of: "AUTOINCREMENT", options: .caseInsensitive) != nil
        else { return false }
        let current = try scalar("SELECT seq FROM sqlite_sequence WHERE name = ?", [table], as: Int64.self)
        if let current {
            if current < floor {
                try execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", [floor, table])
            }
        } else {
            try execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, floor])
        }
        return true
    }

    /// The highest id `table` has handed out: its largest rowid, or the AUTOINCREMENT mark when
    /// that is higher (the newest rows were deleted).
    public func highestIDEverUsed(in table: String) throws -> Int64 {
        if dialect == .postgres {
            let hasID =
                try scalar(
                    "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = 'id' AND NOT attisdropped",
                    [table], as: Int.self) != nil
            guard hasID else { return 0 }
            let rows = try scalar("SELECT MAX(id) FROM \"\(table)\"", as: Int64.self) ?? 0
            guard let sequence = try serialSequence(of: table) else { return rows }
            let mark = try scalar(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \(sequence)", as: Int64.self)
            return max(rows, mark ?? 0)
        }
        let rows = try scalar("SELECT MAX(rowid) FROM \"\(table)\"", as: Int64.self) ?? 0
        let hasSequence =
            try scalar(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'", as: Int.self)
            != nil
        let mark =
            hasSequence
            ? try scalar("SELECT seq FROM sqlite_sequence WHERE name = ?", [table], as: Int64.self) ?? 0 : 0
        return max(rows, mark)
    }
}

extension Connection {
    /// The sequence behind `table`'s `id` on PostgreSQL (nil when there is none).
    func serialSequence(of table: String) throws -> String? {
        guard try hasSerialID(table) else { return nil }
        return try scalar("SELECT pg_get_serial_sequence(?, 'id')", [table], as: String.self)
    }
}
