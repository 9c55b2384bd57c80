import Foundation

/// One named schema change, owned by the kernel or by a module. Registered in order; applied
/// once, in its own transaction, and recorded in `pln_migrations`.
///
/// ```swift
/// Migration(owner: "blog", name: "001_posts") { db in
///     try db.executeScript("CREATE TABLE blog_posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
/// }
/// ```
public struct Migration: Sendable {
    public var owner: String
    public var name: String
    public var body: @Sendable (Connection) throws -> Void
    /// Runs with foreign keys off (a table rebuild: dropping the old table with them on would
    /// cascade into the tables that refer to it). They are checked before the commit.
    public var disablesForeignKeys: Bool
    /// The PostgreSQL form, when the SQLite form cannot be translated (triggers, table rebuilds).
    /// Without one, PostgreSQL runs `body`, its SQL translated by the dialect layer.
    public var postgres: (@Sendable (Connection) throws -> Void)?

    public init(
        owner: String, name: String, disablesForeignKeys: Bool = false,
        _ body: @escaping @Sendable (Connection) throws -> Void
    ) {
        self.owner = owner
        self.name = name
        self.disablesForeignKeys = disablesForeignKeys
        self.body = body
    }

    /// A migration that runs a fixed SQL script.
    public init(owner: String, name: String, sql: String) {
        self.init(owner: owner, name: name) { try $0.executeScript(sql) }
    }

    /// A migration stated in both forms: `sql` for SQLite, `postgres` for PostgreSQL, run as
    /// written.
    public init(owner: String, name: String, sql: String, postgres: String) {
        self.init(owner: owner, name: name) { try $0.executeScript(sql) }
        self.postgres = { try $0.executePostgresScript(postgres) }
    }

    /// This migration with a PostgreSQL form run as written.
    public func withPostgres(_ sql: String) -> Migration {
        var copy = self
        copy.postgres = { try $0.executePostgresScript(sql) }
        return copy
    }

    public var identifier: String { "\(owner)/\(name)" }
}

/// What ``Migrator/status(of:)`` finds.
public struct MigrationStatus: Sendable, Equatable {
    /// Recorded migrations, as `owner/name`, in the order they were applied.
    public var applied: [String]
    /// Known migrations not yet applied, in the order they would run.
    public var pending: [String]
    /// Recorded migrations this binary does not know.
    public var unknown: [String]
}

/// Applies registered migrations in order and refuses a database that holds migrations this
/// binary does not know (one written by a newer PLN).
///
/// ```swift
/// var migrator = Migrator()
/// migrator.register(Migration(owner: "kernel", name: "001_activity", sql: "CREATE TABLE …"))
/// try migrator.migrate(db)
/// ```
public struct Migrator: Sendable {
    public private(set) var migrations: [Migration] = []

    public init(_ migrations: [Migration] = []) {
        self.migrations = migrations
    }

    public mutating func register(_ migration: Migration) {
        migrations.append(migration)
    }

    public mutating func register(contentsOf list: [Migration]) {
        migrations.append(contentsOf: list)
    }

    static let createTablePostgres = """
        CREATE TABLE IF NOT EXISTS pln_migrations (
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL,
            seq BIGSERIAL,
            PRIMARY KEY (owner, name)
        )
        """

    static let createTable = """
        CREATE TABLE IF NOT EXISTS pln_migrations (
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL,
            PRIMARY KEY (owner, name)
        )
        """

    /// When a migration was applied, or nil if it was not (e.g. when a module's data began:
    /// moderation counts "first posts" only for members who joined after it was enabled).
    public static func appliedAt(owner: String, name: String, in db: Connection) throws -> Date? {
        try db.scalar(
            "SELECT applied_at FROM pln_migrations WHERE owner = ? AND name = ?", [owner, name], as: Date.self
        )
    }

    /// Applied, pending and unknown migrations. `knownOwners` limits which owners count as
    /// pending (e.g. only enabled modules); every compiled-in migration counts as known.
    public func status(of db: Database, pendingFor owners: Set<String>? = nil) throws -> MigrationStatus {
        try db.write { connection in try status(on: connection, pendingFor: owners) }
    }

    func status(on connection: Connection, pendingFor owners: Set<String>?) throws -> MigrationStatus {
        let postgres = connection.dialect == .postgres
        if postgres {
            if try connection.scalar("SELECT to_regclass('pln_migrations') IS NOT NULL", as: Bool.self)
                != true
            {
                try connection.executePostgresScript(Self.createTablePostgres)
            }
        } else {
            try connection.execute(Self.createTable)
        }
        let applied = try connection.query(
            postgres
                ? "SELECT owner, name FROM pln_migrations ORDER BY applied_at, seq"
                : "SELECT owner, name FROM pln_migrations ORDER BY applied_at, rowid"
        ) { row in "\(try row.value("owner") as String)/\(try row.value("name") as String)" }
        let appliedSet = Set(applied)
        let known = Set(migrations.map(\.identifier))
        let pending = migrations.filter {
            !appliedSet.contains($0.identifier) && (owners?.contains($0.owner) ?? true)
        }.map(\.identifier)
        return MigrationStatus(
            applied: applied, pending: pending, unknown: applied.filter { !known.contains($0) })
    }

    /// Applies pending migrations of `owners` (all when nil), each in its own transaction.
    /// Returns the identifiers applied. Throws before changing anything when the database
    /// holds migrations this binary does not know.
    @discardableResult
    public func migrate(_ db: Database, owners: Set<String>? = nil, now: Date = Date()) throws -> [String] {
        try db.withMigrationLock { try migrateLocked(db, owners: owners, now: now) }
    }

    private func migrateLocked(_ db: Database, owners: Set<String>?, now: Date) throws -> [String] {
        let found = try db.write { try self.status(on: $0, pendingFor: owners) }
        guard found.unknown.isEmpty else {
            throw StorageError(
                kind: .migration,
                message: "\(db.path) holds migrations this binary does not know: "
                    + found.unknown.joined(separator: ", ")
                    + ". It was written by a newer PLN: run that version, or restore a backup.")
        }
        let pending = Set(found.pending)
        var applied: [String] = []
        for migration in migrations where pending.contains(migration.identifier) {
            do {
                let record = { (connection: Connection) throws -> Void in
                    if connection.dialect == .postgres, let postgres = migration.postgres {
                        try postgres(connection)
                    } else {
                        try migration.body(connection)
                    }
                    try connection.execute(
                        "INSERT INTO pln_migrations (owner, name, applied_at) VALUES (?, ?, ?)",
                        [migration.owner, migration.name, now])
                }
                if migration.disablesForeignKeys && db.dialect == .sqlite {
                    try Self.withoutForeignKeys(db, record)
                } else {
                    try db.write(record)
                }
            } catch let error as StorageError {
                var wrapped = error
                wrapped.message = "migration \(migration.identifier) failed: \(error.message)"
                throw wrapped
            }
            applied.append(migration.identifier)
        }
        return applied
    }

    /// One transaction with foreign keys off (the pragma has no effect inside a transaction),
    /// which commits only when every foreign key still holds.
    static func withoutForeignKeys(_ db: Database, _ body: (Connection) throws -> Void) throws {
        try db.withWriter { connection in
            try connection.executeScript("PRAGMA foreign_keys = OFF")
            defer { try? connection.executeScript("PRAGMA foreign_keys = ON") }
            try connection.execute("BEGIN IMMEDIATE")
            do {
                try body(connection)
                let broken = try connection.query("PRAGMA foreign_key_check") { row -> String in
                    guard case .text(let table) = row.value(at: 0) else { return "?" }
                    return table
                }
                if let table = broken.first {
                    throw StorageError(
                        kind: .migration,
                        message: "\(broken.count) rows of \(table) refer to rows that do not exist")
                }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
