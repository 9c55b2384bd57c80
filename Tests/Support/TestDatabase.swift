import Foundation
import Kernel
import Storage
import Synchronization
import Testing

/// Where a test's database lives. By default a SQLite file in the test's folder; with
/// `PLN_TEST_DATABASE_URL=postgres://…` a fresh schema of that PostgreSQL database, so every
/// test that touches storage runs on PostgreSQL, each alone in its schema.
///
/// ```swift
/// let database = try TestDatabase.open(in: TestNetwork.temporaryFolder())
/// ```
public enum TestDatabase {
    /// The PostgreSQL database tests run on, or nil for SQLite.
    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["PLN_TEST_DATABASE_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// True when tests run on PostgreSQL.
    public static var isPostgres: Bool { postgresURL != nil }

    /// A location for a new, empty database: a new schema on PostgreSQL, else `name` in `folder`.
    public static func location(in folder: String, name: String = "pln.sqlite") throws -> String {
        guard let base = postgresURL else { return folder + "/" + name }
        // The same folder means the same database (a test that restarts a network on it).
        let key = folder + "/" + name
        if let known = locations.withLock({ $0[key] }) { return known }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try admin(base).write { try $0.executeScript("CREATE SCHEMA \(schema)") }
        let separator = base.contains("?") ? "&" : "?"
        let location = base + separator + "options=-csearch_path%3D\(schema)%2Cpublic"
        locations.withLock { $0[key] = location }
        return location
    }

    private static let locations = Mutex<[String: String]>([:])

    /// Opens a new, empty database (see ``location(in:name:)``).
    public static func open(
        in folder: String, name: String = "pln.sqlite", configuration: Database.Configuration = .init()
    )
        throws -> Database
    {
        try Database(location: try location(in: folder, name: name), configuration: configuration)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var adminDatabase: Database?

    /// One shared connection pool to create schemas with.
    private static func admin(_ url: String) throws -> Database {
        lock.lock()
        defer { lock.unlock() }
        if let adminDatabase { return adminDatabase }
        let database = try Database(url: url, configuration: .init(postgresSessions: 4))
        adminDatabase = database
        return database
    }
}

extension DeploymentConfig {
    /// Points `storage` at a new test database in `folder` (see ``TestDatabase``).
    public mutating func useTestDatabase(in folder: String) throws {
        sections["storage", default: [:]]["path"] = .string(folder + "/pln.sqlite")
        if TestDatabase.isPostgres {
            sections["storage", default: [:]]["url"] = .string(try TestDatabase.location(in: folder))
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Not run on PostgreSQL, for the reason given (SQLite's files, query plans, FTS5 syntax …).
    /// The reason shows in the test report, so nothing is skipped silently.
    public static func notOnPostgres(_ reason: Comment) -> Self {
        .disabled(if: TestDatabase.isPostgres, reason)
    }
}
