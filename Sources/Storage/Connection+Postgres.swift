import CLibPQ
import Foundation

/// A statement prepared on a PostgreSQL session: the translated SQL, its server-side name and,
/// while a query runs, the result and the current row.
final class PostgresStatement {
    let original: String
    let translated: PostgresDialect.Translated
    let name: String
    let columnNames: [String]
    let columnTypes: [UInt32]
    /// True when PLN appended `RETURNING id` to learn the new row's id.
    let returnsID: Bool
    var result: OpaquePointer?
    var row: Int32 = 0

    init(
        original: String, translated: PostgresDialect.Translated, name: String, columnNames: [String],
        columnTypes: [UInt32], returnsID: Bool
    ) {
        self.original = original
        self.translated = translated
        self.name = name
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        self.returnsID = returnsID
    }

    func value(at index: Int) -> DatabaseValue {
        guard let result, index >= 0, index < columnTypes.count else { return .null }
        return PostgresResult.value(result, row: row, column: Int32(index), type: columnTypes[index])
    }
}

extension Connection {
    /// Runs a statement on PostgreSQL, calling `body` for each row.
    func postgresForEach(
        _ sql: String, _ arguments: [any DatabaseValueConvertible], _ body: (Row) throws -> Void
    ) throws {
        let session = postgres!
        var values = arguments.map(\.databaseValue)
        let statement = try postgresStatement(sql, values: values)
        let pg = statement.postgres!
        guard pg.translated.parameterCount == values.count else {
            throw StorageError(
                kind: .misuse,
                message: "statement expects \(pg.translated.parameterCount) arguments, got \(values.count)",
                sql: sql,
                arguments: values)
        }
        for index in pg.translated.arrayParameters {
            values[index] = PostgresDialect.arrayLiteral(values[index])
        }
        let result = try session.execute(prepared: pg.name, sql: pg.translated.sql, arguments: values)
        let previous = pg.result
        pg.result = result
        defer {
            PQclear(result)
            pg.result = previous
        }
        postgresChanges = Int(String(cString: PQcmdTuples(result))) ?? 0
        let count = PQntuples(result)
        if pg.returnsID {
            if count > 0,
                case .integer(let id) = PostgresResult.value(
                    result, row: count - 1, column: 0, type: PostgresResult.int8)
            {
                postgresLastID = id
            }
        } else {
            let row = Row(statement: statement)
            for index in 0..<count {
                pg.row = index
                try body(row)
            }
        }
        if let table = pg.translated.explicitIDTable, postgresChanges > 0 {
            _ = try session.rows("SELECT public.pln_sync_id($1)", [table])
        }
    }

    /// The cached statement for `sql`, translated and prepared on first use.
    func postgresStatement(_ sql: String, values: [DatabaseValue]) throws -> Statement {
        if let cached = statementCache[sql] { return cached }
        let session = postgres!
        var translated = try PostgresDialect.translate(sql) { table in
            try session.rows(
                """
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
                """, [table]
            ).compactMap { $0.first ?? nil }
        }
        var returnsID = false
        if let table = translated.insertTable, translated.explicitIDTable == nil,
            translated.sql.range(of: #"(?i)\sRETURNING\s"#, options: .regularExpression) == nil,
            try hasSerialID(table)
        {
            translated.sql += " RETURNING id"
            returnsID = true
        }
        let types: [UInt32] = values.enumerated().map { index, value in
            if translated.arrayParameters.contains(index) { return 0 }
            switch value {
            case .integer: return PostgresResult.int8
            case .real: return PostgresResult.float8
            case .blob: return PostgresResult.bytea
            case .text, .null: return 0
            }
        }
        let name = try session.prepare(translated.sql, types: types)
        let description = PQdescribePrepared(session.handle, name)
        defer { PQclear(description) }
        let names = description.map(PostgresResult.columnNames) ?? []
        let columnTypes = description.map(PostgresResult.columnTypes) ?? []
        let pg = PostgresStatement(
            original: sql, translated: translated, name: name, columnNames: names, columnTypes: columnTypes,
            returnsID: returnsID)
        let statement = Statement(connection: self, postgres: pg)
        statementCache[sql] = statement
        return statement
    }

    /// True when `table` has an `id` column filled from a sequence.
    func hasSerialID(_ table: String) throws -> Bool {
        if let known = serialTables[table] { return known }
        let found =
            try postgres!.rows(
                """
                SELECT 1 FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = to_regclass($1) AND a.attname = 'id' AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval%'
                """, [table]
            ).isEmpty == false
        serialTables[table] = found
        return found
    }

    /// Runs a script: each statement translated, in order.
    func postgresScript(_ sql: String) throws {
        for statement in PostgresDialect.statements(of: sql) {
            let translated = try PostgresDialect.translate(statement) { _ in [] }
            try postgres!.run(translated.sql)
        }
        statementCache.removeAll()
        serialTables.removeAll()
    }

    /// Runs PostgreSQL SQL as written (a migration's PostgreSQL form).
    public func executePostgresScript(_ sql: String) throws {
        guard let postgres else {
            throw StorageError(kind: .misuse, message: "a PostgreSQL script was run on SQLite", sql: sql)
        }
        try postgres.run(sql)
        statementCache.removeAll()
        serialTables.removeAll()
    }

    func postgresLastInsertedID() -> Int64 { postgresLastID }
}
