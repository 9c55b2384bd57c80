import CSQLite

/// An error from the storage layer. A failure explains itself: it carries SQLite's message, its
/// extended result code, the operating system's error number behind an I/O failure, the file
/// concerned and — when a statement was involved — the SQL and its arguments. ``cause`` sorts
/// it into what an operator can act on (read-only, locked, not a database, disk full …), with a
/// ``summary`` naming the file and a ``remedy``.
///
/// ```swift
/// do { try db.write { try $0.execute("INSERT INTO t VALUES (?)", [1]) } }
/// catch let error as StorageError { print(error) }  // SQLite error 19 (…): UNIQUE … — SQL: … — arguments: [1]
/// ```
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// SQLite reported an error.
        case sqlite
        /// A migration problem: unknown applied migrations, a failed migration.
        case migration
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The caller misused the API (e.g. a missing column name).
        case misuse
        /// A file-system operation around the database failed (creating its folder, writing a
        /// backup); ``systemErrno`` says why.
        case fileSystem
        /// The operation was refused to protect the data (e.g. a backup onto the live database).
        case refused
        /// PostgreSQL (or libpq) reported an error; ``sqlState`` holds its SQLSTATE.
        case postgres
    }

    public var kind: Kind
    /// SQLite's extended result code, or 0 when the error did not come from SQLite.
    public var resultCode: Int32
    public var message: String
    public var sql: String?
    public var arguments: [DatabaseValue]?
    /// The database (or other) file concerned, when known.
    public var path: String?
    /// The operating system's `errno` behind the failure (`sqlite3_system_errno`), 0 if none.
    public var systemErrno: Int32
    /// What to do, when the thrower knows better than ``cause`` (see ``remedy``).
    public var hint: String?
    /// What the file system said was in the way, when the error was diagnosed (see
    /// ``diagnosed()``); it decides ``cause``.
    var accessProblem: AccessProblem?
    /// PostgreSQL's SQLSTATE (`23505`, `40001` …), empty for SQLite and other errors.
    public var sqlState: String = ""

    public init(
        kind: Kind, resultCode: Int32 = 0, message: String, sql: String? = nil,
        arguments: [DatabaseValue]? = nil, path: String? = nil, systemErrno: Int32 = 0, hint: String? = nil
    ) {
        self.kind = kind
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
        self.arguments = arguments
        self.path = path
        self.systemErrno = systemErrno
        self.hint = hint
    }

    init(
        kind: Kind, message: String, sql: String? = nil, arguments: [DatabaseValue]? = nil,
        path: String? = nil,
        sqlState: String
    ) {
        self.init(kind: kind, message: message, sql: sql, arguments: arguments, path: path)
        self.sqlState = sqlState
    }

    /// The primary result code (the low byte of the extended one), e.g. `SQLITE_CONSTRAINT`.
    public var primaryResultCode: Int32 { resultCode & 0xff }

    /// True for constraint violations (UNIQUE, FOREIGN KEY, CHECK, NOT NULL).
    public var isConstraintViolation: Bool {
        kind == .postgres ? sqlState.hasPrefix("23") : primaryResultCode == SQLITE_CONSTRAINT
    }

    /// True when a UNIQUE or PRIMARY KEY constraint failed.
    public var isUniqueViolation: Bool {
        if kind == .postgres { return sqlState == "23505" }
        return resultCode == 2067 /* SQLITE_CONSTRAINT_UNIQUE */ || resultCode == 1555 /* PRIMARYKEY */
    }

    /// True for PostgreSQL's serialization failures and deadlocks: the transaction can simply
    /// run again.
    public var isRetryableConflict: Bool { kind == .postgres && (sqlState == "40001" || sqlState == "40P01") }

    /// True when SQLite gave up waiting for another writer (its busy timeout ran out).
    public var isBusy: Bool { kind == .sqlite && primaryResultCode == 5 /* SQLITE_BUSY */ }

    /// The technical account: SQLite's code and message, the SQL and its arguments.
    public var description: String {
        var text: String
        switch kind {
        case .sqlite:
            let name = String(cString: sqlite3_errstr(resultCode))
            text = "SQLite error \(resultCode) (\(name)): \(message)"
        case .postgres: text = "PostgreSQL error \(sqlState.isEmpty ? "?" : sqlState): \(message)"
        case .migration: text = "migration error: \(message)"
        case .decoding: text = "decoding error: \(message)"
        case .misuse: text = "storage misuse: \(message)"
        case .fileSystem, .refused: text = message
        }
        if cause != .other, let path, !text.contains(path) { text += " (\(path))" }
        if let sql { text += " — SQL: \(sql)" }
        if let arguments, !arguments.isEmpty {
            text += " — arguments: [" + arguments.map(\.debugDescription).joined(separator: ", ") + "]"
        }
        return text
    }
}
