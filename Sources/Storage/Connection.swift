import CSQLite
import Foundation

/// One SQLite connection with its prepared-statement cache. You never create one yourself: a
/// ``Database`` lends it to a `read` or `write` closure, and it must not escape that closure.
///
/// ```swift
/// let names = try db.read { db in
///     try db.query("SELECT name FROM members WHERE school = ?", ["Hilltop"]) { try $0.value("name") as String }
/// }
/// ```
public final class Connection: @unchecked Sendable {
    // @unchecked: a connection is only ever used by the one thread that borrowed it from the
    // Database's pool, which hands it out under a lock.
    let handle: OpaquePointer
    let isReadOnly: Bool
    /// The libpq session when the database is PostgreSQL (then `handle` is never used).
    let postgres: PostgresSession?
    /// On PostgreSQL: rows changed by the last statement, and whether an id was handed out.
    var postgresChanges = 0
    var postgresLastID: Int64 = 0
    /// On PostgreSQL: tables known to have (or not) an `id` filled from a sequence.
    var serialTables: [String: Bool] = [:]
    private var statements: [String: Statement] = [:]
    var afterCommitActions: [@Sendable () -> Void] = []
    var isInWriteTransaction = false
    /// What the ranking function records for snippets (SQLite connections with full-text
    /// functions only).
    let fullTextPositions: FullTextPositions?

    /// Opens `path`; with `ranking`, registers ``FullTextRanking``'s function using it as cache, and
    /// ``FullTextSnippet``'s.
    init(
        path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32, ranking: FullTextStatistics? = nil
    ) throws {
        _ = Self.configureSQLite
        var pointer: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let code = sqlite3_open_v2(path, &pointer, flags, nil)
        guard code == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            let resultCode = pointer.map { sqlite3_extended_errcode($0) } ?? code
            let systemErrno = pointer.map { sqlite3_system_errno($0) } ?? 0
            if let pointer { sqlite3_close_v2(pointer) }
            throw StorageError(
                kind: .sqlite, resultCode: resultCode != 0 ? resultCode : code, message: message, path: path,
                systemErrno: systemErrno
            ).diagnosed()
        }
        handle = pointer
        isReadOnly = readOnly
        postgres = nil
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        if let ranking {
            let positions = FullTextPositions()
            fullTextPositions = positions
            FullTextRanking.register(on: handle, statistics: ranking, positions: positions)
            FullTextSnippet.register(on: handle, positions: positions)
        } else {
            fullTextPositions = nil
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens.
    private static let configureSQLite: Void = { _ = csqlite_disable_memory_statistics() }()

    /// A PostgreSQL connection: one libpq session.
    init(postgres session: PostgresSession) {
        handle = OpaquePointer(bitPattern: 1)!
        isReadOnly = false
        postgres = session
        fullTextPositions = nil
    }

    deinit {
        statements.removeAll()
        if postgres == nil { sqlite3_close_v2(handle) }
    }

    /// The SQL engine behind this connection.
    public var dialect: Dialect { postgres == nil ? .sqlite : .postgres }

    // MARK: Executing

    /// Runs one statement with its arguments bound as parameters.
    public func execute(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws {
        if postgres != nil { return try postgresForEach(sql, arguments) { _ in } }
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs several statements separated by semicolons, with no arguments (migrations, pragmas).
    public func executeScript(_ sql: String) throws {
        if postgres != nil { return try postgresScript(sql) }
        var errorPointer: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorPointer)
        if code != SQLITE_OK {
            let message = errorPointer.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorPointer)
            throw StorageError(
                kind: .sqlite, resultCode: sqlite3_extended_errcode(handle), message: message, sql: sql,
                path: fileName, systemErrno: sqlite3_system_errno(handle)
            ).diagnosed()
        }
    }

    /// Runs a query and maps each row. The ``Row`` handed to `transform` is only valid inside it.
    public func query<T>(
        _ sql: String, _ arguments: [any DatabaseValueConvertible] = [], _ transform: (Row) throws -> T
    ) throws -> [T] {
        var results: [T] = []
        try forEach(sql, arguments) { results.append(try transform($0)) }
        return results
    }

    /// Runs a query and calls `body` for each row, without collecting anything.
    public func forEach(
        _ sql: String, _ arguments: [any DatabaseValueConvertible] = [], _ body: (Row) throws -> Void
    ) throws {
        if postgres != nil { return try postgresForEach(sql, arguments, body) }
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        let row = Row(statement: statement)
        while try statement.step() {
            try body(row)
        }
    }

    /// The first row mapped by `transform`, or nil when the query returns no row.
    public func queryOne<T>(
        _ sql: String, _ arguments: [any DatabaseValueConvertible] = [], _ transform: (Row) throws -> T
    ) throws -> T? {
        if postgres != nil {
            var first: T?
            try postgresForEach(sql, arguments) { row in
                if first == nil { first = try transform(row) }
            }
            return first
        }
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return try transform(Row(statement: statement))
    }

    /// The first column of the first row, or nil when there is no row or the value is NULL.
    public func scalar<T: ColumnDecodable>(
        _ sql: String, _ arguments: [any DatabaseValueConvertible] = [], as type: T.Type = T.self
    ) throws -> T? {
        try queryOne(sql, arguments) { row in T.decode(row.value(at: 0)) } ?? nil
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRowID: Int64 {
        postgres != nil ? postgresLastInsertedID() : sqlite3_last_insert_rowid(handle)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { postgres != nil ? postgresChanges : Int(sqlite3_changes(handle)) }

    /// Rows changed since the connection opened, counting what FTS5 commands such as 'merge'
    /// write (0 on PostgreSQL, which has no such commands).
    public var totalChanges: Int { postgres != nil ? 0 : Int(sqlite3_total_changes(handle)) }

    /// Schedules `action` to run after the current write transaction commits. If the
    /// transaction rolls back, the action is discarded. Outside a write it is an error.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) throws {
        guard isInWriteTransaction else {
            throw StorageError(kind: .misuse, message: "afterCommit called outside a write transaction")
        }
        afterCommitActions.append(action)
    }

    // MARK: Statements

    var statementCache: [String: Statement] {
        get { statements }
        set { statements = newValue }
    }

    func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The database file's full path, as SQLite opened it (nil for an in-memory database).
    var fileName: String? {
        guard let name = sqlite3_db_filename(handle, "main"), name.pointee != 0 else { return nil }
        return String(cString: name)
    }

    func error(_ code: Int32, sql: String?, arguments: [DatabaseValue]? = nil) -> StorageError {
        StorageError(
            kind: .sqlite,
            resultCode: sqlite3_extended_errcode(handle) != 0
                ? sqlite3_extended_errcode(handle) : code,
            message: lastErrorMessage, sql: sql, arguments: arguments, path: fileName,
            systemErrno: sqlite3_system_errno(handle)
        ).diagnosed()
    }
}

/// A prepared statement, cached by its SQL text on its connection.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: Connection
    /// The result columns' names, read once when the statement is prepared.
    var columnNames: [String]
    /// The PostgreSQL side (prepared name, current result), nil on SQLite.
    let postgres: PostgresStatement?
    /// For each column, the last column of the same name: a name given twice (`a.id, b.id`)
    /// means the last one, wherever the search finds it.
    private var lastOfName: [Int]
    /// Where the next lookup by name starts: decoders read columns in the SELECT's order, so
    /// the next name is almost always at the hint. Hashing every name into a dictionary cost a
    /// third of the activity page's CPU (perf); comparing short strings costs next to nothing.
    private var columnHint = 0

    /// The position of the first result column named `name`.
    func columnIndex(_ name: String) -> Int? {
        let names = columnNames
        let count = names.count
        var index = columnHint < count ? columnHint : 0
        for _ in 0..<count {
            if names[index] == name {
                columnHint = index + 1
                return lastOfName[index]
            }
            index = index + 1 == count ? 0 : index + 1
        }
        return nil
    }
    private var boundArguments: [DatabaseValue] = []

    init(connection: Connection, sql: String) throws {
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v3(
            connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard code == SQLITE_OK, let pointer else {
            throw connection.error(code, sql: sql)
        }
        self.handle = pointer
        self.sql = sql
        self.connection = connection
        let names = (0..<sqlite3_column_count(pointer)).map { index in
            sqlite3_column_name(pointer, index).map { String(cString: $0) } ?? ""
        }
        postgres = nil
        columnNames = names
        lastOfName = Statement.lastOfName(names)
    }

    /// A PostgreSQL statement: its columns are known once it is described.
    init(connection: Connection, postgres: PostgresStatement) {
        handle = OpaquePointer(bitPattern: 1)!
        sql = postgres.original
        self.connection = connection
        self.postgres = postgres
        columnNames = postgres.columnNames
        lastOfName = Statement.lastOfName(postgres.columnNames)
    }

    static func lastOfName(_ names: [String]) -> [Int] {
        var last: [String: Int] = [:]
        for (index, name) in names.enumerated() { last[name] = index }
        return names.map { last[$0]! }
    }

    deinit { if postgres == nil { sqlite3_finalize(handle) } }

    func bind(_ arguments: [any DatabaseValueConvertible]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        boundArguments = arguments.map(\.databaseValue)
        guard expected == arguments.count else {
            throw StorageError(
                kind: .misuse,
                message: "statement expects \(expected) arguments, got \(arguments.count)", sql: sql,
                arguments: boundArguments)
        }
        for (offset, value) in boundArguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
            case .real(let v): code = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                code = sqlite3_bind_text(handle, index, v, -1, csqlite_transient())
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(
                        handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                        Int32(buffer.count), csqlite_transient())
                }
            }
            if code != SQLITE_OK {
                throw connection.error(code, sql: sql, arguments: boundArguments)
            }
        }
    }

    /// Advances; true when a row is available.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code, sql: sql, arguments: boundArguments)
        }
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        boundArguments.removeAll(keepingCapacity: true)
    }
}

/// The current row of a query. Columns are found by name through the statement's name index,
/// built once per prepared statement, so decoding a row allocates no dictionary.
///
/// ```swift
/// let member = try db.queryOne("SELECT id, name FROM members WHERE id = ?", [7]) { row in
///     (id: try row.value("id") as Int64, name: try row.value("name") as String)
/// }
/// ```
public struct Row {
    let statement: Statement

    /// Number of result columns.
    public var count: Int {
        statement.postgres != nil ? statement.columnNames.count : Int(sqlite3_column_count(statement.handle))
    }

    /// The raw value at a column position.
    public func value(at index: Int) -> DatabaseValue {
        if let postgres = statement.postgres { return postgres.value(at: index) }
        let handle = statement.handle
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let length = Int(sqlite3_column_bytes(handle, column))
            return .text(
                String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(handle, column))
            guard let bytes = sqlite3_column_blob(handle, column), length > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default: return .null
        }
    }

    /// The raw value of a named column.
    public subscript(_ name: String) -> DatabaseValue {
        guard let index = statement.columnIndex(name) else { return .null }
        return value(at: index)
    }

    /// True when the result has a column of that name.
    public func hasColumn(_ name: String) -> Bool { statement.columnIndex(name) != nil }

    /// The named column decoded as `T`; throws when the column is missing, NULL or of another type.
    ///
    /// Inlinable, so each call site gets a version specialised for its `T`: called generically
    /// across the module boundary, every column read instantiated `Optional<T>`'s metadata at
    /// run time (perf: a tenth of a page's CPU went to decoding activity rows).
    @inlinable
    public func value<T: ColumnDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let raw = try column(named: name)
        guard let decoded = T.decode(raw) else { throw decodingError(name, raw, T.self) }
        return decoded
    }

    /// The named column decoded as `T`, or nil when it is NULL.
    @inlinable
    public func optional<T: ColumnDecodable>(_ name: String, as type: T.Type = T.self) throws -> T? {
        let raw = try column(named: name)
        if case .null = raw { return nil }
        guard let decoded = T.decode(raw) else { throw decodingError(name, raw, T.self) }
        return decoded
    }

    /// The column at `index` (in SELECT order) decoded as `T`: for decoders on hot paths that
    /// know their SELECT list, skipping the lookup by name.
    @inlinable
    public func value<T: ColumnDecodable>(column index: Int, as type: T.Type = T.self) throws -> T {
        let raw = try column(at: index)
        guard let decoded = T.decode(raw) else { throw decodingError(columnName(index), raw, T.self) }
        return decoded
    }

    /// The column at `index` decoded as `T`, or nil when it is NULL.
    @inlinable
    public func optional<T: ColumnDecodable>(column index: Int, as type: T.Type = T.self) throws -> T? {
        let raw = try column(at: index)
        if case .null = raw { return nil }
        guard let decoded = T.decode(raw) else { throw decodingError(columnName(index), raw, T.self) }
        return decoded
    }

    /// The raw value at `index`; throws when the result has no such column.
    public func column(at index: Int) throws -> DatabaseValue {
        guard index >= 0 && index < statement.columnNames.count else {
            throw StorageError(kind: .misuse, message: "no column at position \(index)", sql: statement.sql)
        }
        return value(at: index)
    }

    /// The name of the column at `index` ("#index" when there is none).
    public func columnName(_ index: Int) -> String {
        index >= 0 && index < statement.columnNames.count ? statement.columnNames[index] : "#\(index)"
    }

    /// The raw value of a named column; throws when the result has no such column.
    public func column(named name: String) throws -> DatabaseValue {
        guard let index = statement.columnIndex(name) else {
            throw StorageError(
                kind: .misuse, message: "no column named \"\(name)\"", sql: statement.sql)
        }
        return value(at: index)
    }

    @usableFromInline
    func decodingError(_ name: String, _ raw: DatabaseValue, _ type: Any.Type) -> StorageError {
        StorageError(
            kind: .decoding, message: "column \"\(name)\" holds \(raw.debugDescription), not \(type)",
            sql: statement.sql)
    }
}
