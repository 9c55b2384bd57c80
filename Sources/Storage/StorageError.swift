import CSQLite

/// An error from the storage layer. A failure explains itself: it carries SQLite's message, its
/// extended result code, and — when a statement was involved — the SQL and its arguments.
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
    }

    public var kind: Kind
    /// SQLite's extended result code, or 0 when the error did not come from SQLite.
    public var resultCode: Int32
    public var message: String
    public var sql: String?
    public var arguments: [DatabaseValue]?

    public init(
        kind: Kind, resultCode: Int32 = 0, message: String, sql: String? = nil,
        arguments: [DatabaseValue]? = nil
    ) {
        self.kind = kind
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
        self.arguments = arguments
    }

    /// The primary result code (the low byte of the extended one), e.g. `SQLITE_CONSTRAINT`.
    public var primaryResultCode: Int32 { resultCode & 0xff }

    /// True for constraint violations (UNIQUE, FOREIGN KEY, CHECK, NOT NULL).
    public var isConstraintViolation: Bool { primaryResultCode == SQLITE_CONSTRAINT }

    /// True when a UNIQUE or PRIMARY KEY constraint failed.
    public var isUniqueViolation: Bool {
        resultCode == 2067 /* SQLITE_CONSTRAINT_UNIQUE */ || resultCode == 1555 /* PRIMARYKEY */
    }

    public var description: String {
        var text: String
        switch kind {
        case .sqlite:
            let name = String(cString: sqlite3_errstr(resultCode))
            text = "SQLite error \(resultCode) (\(name)): \(message)"
        case .migration: text = "migration error: \(message)"
        case .decoding: text = "decoding error: \(message)"
        case .misuse: text = "storage misuse: \(message)"
        }
        if let sql { text += " — SQL: \(sql)" }
        if let arguments, !arguments.isEmpty {
            text += " — arguments: [" + arguments.map(\.debugDescription).joined(separator: ", ") + "]"
        }
        return text
    }
}
