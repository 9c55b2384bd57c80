import Foundation

/// Copies every row of one PLN database into another whose schema the same migrations made
/// (SQLite → PostgreSQL, or back), table by table in batches, then compares the row counts of
/// every table. Triggers do not run on the copied rows (counts they keep are copied as they
/// are); foreign keys are checked by the destination once everything is in.
///
/// ```swift
/// let copy = DatabaseCopy(from: sqlite, to: postgres)
/// let report = try copy.run { table, rows in print("\(table): \(rows) rows") }
/// ```
public struct DatabaseCopy {
    public struct TableReport: Sendable, Equatable {
        public var table: String
        public var sourceRows: Int
        public var copiedRows: Int
    }

    public let source: Database
    public let destination: Database
    /// Rows per INSERT statement, and per destination transaction.
    public var rowsPerStatement = 100
    public var rowsPerTransaction = 5_000

    public init(from source: Database, to destination: Database) {
        self.source = source
        self.destination = destination
    }

    /// The user tables of a database (not its catalog, nor the FTS5 shadow tables).
    public static func tables(of database: Database) throws -> [String] {
        try database.read { db in
            if db.dialect == .postgres {
                return try db.query(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
                ) { try $0.value(column: 0) as String }
            }
            return try db.query(
                """
                SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                AND (sql NOT LIKE '%VIRTUAL TABLE%fts5vocab%') ORDER BY name
                """
            ) { try $0.value(column: 0) as String }
            .filter { name in
                // FTS5 keeps its index in shadow tables named after the virtual table.
                !["_data", "_idx", "_content", "_docsize", "_config"].contains { name.hasSuffix($0) }
            }
        }
    }

    /// The columns of `table`, and on PostgreSQL the type of each (to read SQLite's loosely
    /// typed values as the column expects).
    static func columns(of table: String, in database: Database) throws -> [(name: String, type: String)] {
        try database.read { db in
            if db.dialect == .postgres {
                return try db.query(
                    """
                    SELECT column_name, data_type FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
                    ORDER BY ordinal_position
                    """, [table]
                ) { (try $0.value(column: 0) as String, try $0.value(column: 1) as String) }
            }
            return try db.query("SELECT name, type FROM pragma_table_xinfo(?) WHERE hidden = 0", [table]) {
                (try $0.value(column: 0) as String, (try $0.optional(column: 1) as String?) ?? "")
            }
        }
    }

    static func count(_ table: String, in database: Database) throws -> Int {
        try database.read { try $0.scalar("SELECT COUNT(*) FROM \"\(table)\"", as: Int.self) ?? 0 }
    }

    /// Refuses, before anything is written, a PostgreSQL destination whose role may not set
    /// `session_replication_role` (the copy needs it, see ``run(progress:)``): the error says
    /// which right to grant. Nothing to check for SQLite.
    public func checkRights() throws {
        guard destination.dialect == .postgres else { return }
        do {
            try destination.write { db in try db.execute("SET LOCAL session_replication_role = replica") }
        } catch let error as StorageError where error.sqlState == "42501" {
            throw StorageError(
                kind: .refused,
                message:
                    "copying into \(destination.path) needs the right to set session_replication_role (so that triggers and foreign keys are not run for every copied row), which its role lacks",
                hint:
                    "run the copy as a superuser, or let a superuser grant it: GRANT SET ON PARAMETER session_replication_role TO <the role> (PostgreSQL 15 or later)"
            )
        }
    }

    /// Copies every table both databases have (the migration record excepted: the destination's
    /// own migrations wrote it) and verifies the counts. `progress` is called after each batch
    /// with the table and the rows copied so far. Throws when a count differs.
    @discardableResult
    public func run(progress: (String, Int, Int) -> Void = { _, _, _ in }) throws -> [TableReport] {
        let wanted = Set(try Self.tables(of: destination))
        let tables = try Self.tables(of: source).filter { wanted.contains($0) && $0 != "pln_migrations" }
        var reports: [TableReport] = []
        let savedTriggers = try suspendTriggers()
        defer { try? restoreTriggers(savedTriggers) }
        try withDestinationTransactions { transaction in
            // Migrations may have written rows (settings, defaults): the source's replace them.
            try transaction { db in for table in tables { try db.execute("DELETE FROM \"\(table)\"") } }
            for table in tables {
                let total = try Self.count(table, in: source)
                let copied = try copy(table, total: total, transaction: transaction, progress: progress)
                reports.append(TableReport(table: table, sourceRows: total, copiedRows: copied))
            }
        }
        try restoreTriggers(savedTriggers)
        if destination.dialect == .postgres {
            try destination.write { db in
                for table in tables where try db.hasSerialID(table) {
                    try db.execute("SELECT public.pln_sync_id(?)", [table])
                }
            }
            // Statistics for the planner now, not when autovacuum gets round to the new rows:
            // without them the first minutes of a copied network plan sequential scans.
            // Only the copied tables: a plain ANALYZE would visit every schema of the database.
            try destination.write { db in
                for table in tables { try db.executeScript("ANALYZE \"\(table)\"") }
            }
        }
        for index in reports.indices {
            let counted = try Self.count(reports[index].table, in: destination)
            reports[index].copiedRows = counted
            if counted != reports[index].sourceRows {
                throw StorageError(
                    kind: .refused,
                    message:
                        "\(reports[index].table): \(reports[index].sourceRows) rows in \(source.path), \(counted) in \(destination.path)"
                )
            }
        }
        return reports
    }

    typealias Transaction = ((Connection) throws -> Void) throws -> Void

    /// Lends `body` a way to run destination transactions with foreign keys (and PostgreSQL's
    /// triggers) off: the rows come table by table, in no particular order.
    private func withDestinationTransactions(_ body: (Transaction) throws -> Void) throws {
        if destination.dialect == .postgres {
            try body { work in
                try destination.write { db in
                    try db.execute("SET LOCAL session_replication_role = replica")
                    try work(db)
                }
            }
            return
        }
        try destination.withWriter { db in
            try db.executeScript("PRAGMA foreign_keys = OFF")
            defer { try? db.executeScript("PRAGMA foreign_keys = ON") }
            try body { work in
                try db.execute("BEGIN IMMEDIATE")
                do {
                    try work(db)
                    try db.execute("COMMIT")
                } catch {
                    try? db.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }

    private func copy(
        _ table: String, total: Int, transaction: Transaction, progress: (String, Int, Int) -> Void
    ) throws -> Int {
        let from = try Self.columns(of: table, in: source)
        let to = try Self.columns(of: table, in: destination)
        let sourceNames = Set(from.map(\.name))
        var columns = to.filter { sourceNames.contains($0.name) }
        // FTS5 tables keep their key as the hidden rowid; PostgreSQL's search tables name it.
        let explicitRowID =
            (to.contains { $0.name == "rowid" } && !sourceNames.contains("rowid"))
            || (sourceNames.contains("rowid") && !to.contains { $0.name == "rowid" })
        if explicitRowID && !columns.contains(where: { $0.name == "rowid" }) {
            columns.insert((name: "rowid", type: "bigint"), at: 0)
        }
        guard !columns.isEmpty else { return 0 }
        let names = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let select =
            "SELECT \(columns.map { $0.name == "rowid" ? "rowid" : "\"\($0.name)\"" }.joined(separator: ", ")) FROM \"\(table)\""
        var copied = 0
        var pending: [[DatabaseValue]] = []
        func flush(_ db: Connection) throws {
            var start = 0
            while start < pending.count {
                let chunk = pending[start..<min(start + rowsPerStatement, pending.count)]
                let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
                try db.execute(
                    "INSERT INTO \"\(table)\" (\(names)) VALUES "
                        + Array(repeating: row, count: chunk.count).joined(separator: ", "),
                    chunk.flatMap { $0 })
                start += rowsPerStatement
            }
            copied += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        let textColumns = columns.map {
            destination.dialect == .postgres && ["text", "character varying"].contains($0.type)
        }
        var batches: [[[DatabaseValue]]] = []
        try source.read { db in
            try db.forEach(select) { row in
                var values: [DatabaseValue] = []
                values.reserveCapacity(columns.count)
                for index in columns.indices {
                    var value = row.value(at: index)
                    if textColumns[index] {
                        switch value {
                        case .integer(let v): value = .text(String(v))
                        case .real(let v): value = .text(String(v))
                        default: break
                        }
                    }
                    values.append(value)
                }
                pending.append(values)
                if pending.count == rowsPerTransaction {
                    batches.append(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !pending.isEmpty { batches.append(pending) }
        for batch in batches {
            pending = batch
            try transaction { db in try flush(db) }
            progress(table, copied, total)
        }
        if batches.isEmpty { progress(table, 0, total) }
        return copied
    }

    /// SQLite runs triggers on every insert: the destination's are dropped while rows come in
    /// (their counts are copied) and created again after. PostgreSQL's are held off by the
    /// session's replication role instead.
    private func suspendTriggers() throws -> [String] {
        guard destination.dialect == .sqlite else { return [] }
        return try destination.write { db in
            let triggers = try db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'") {
                (try $0.value(column: 0) as String, try $0.value(column: 1) as String)
            }
            for (name, _) in triggers { try db.execute("DROP TRIGGER \"\(name)\"") }
            return triggers.map(\.1)
        }
    }

    private func restoreTriggers(_ triggers: [String]) throws {
        guard !triggers.isEmpty else { return }
        try destination.write { db in
            for sql in triggers {
                let exists =
                    try db.scalar(
                        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND sql = ?", [sql],
                        as: Int.self) ?? 0
                if exists == 0 { try db.executeScript(sql) }
            }
        }
    }
}
