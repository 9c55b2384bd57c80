import Foundation
import PLNTestSupport
import Storage
import Synchronization
import Testing

@testable import Kernel

/// What only PostgreSQL has: concurrent writers retried on serialization failures, and moving a
/// network between SQLite and PostgreSQL. Run with `PLN_TEST_DATABASE_URL=postgres://…`
/// (`scripts/with-postgres.sh swift test`, as `.ci/run` does).
@Suite(
    .enabled(
        if: TestDatabase.isPostgres, "needs PostgreSQL: set PLN_TEST_DATABASE_URL (scripts/with-postgres.sh)")
)
struct PostgresStorageTests {
    @Test func concurrentReadModifyWritesAreRetriedAndLoseNothing() throws {
        let database = try TestDatabase.open(in: temporaryFolder())
        try database.write {
            try $0.executeScript("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        }
        try database.write { try $0.execute("INSERT INTO counter (id, n) VALUES (1, 0)") }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            do {
                try database.write { db in
                    // Read, then write what was read plus one: two servers doing this at once
                    // would lose an increment without SERIALIZABLE and the retry.
                    let n = try db.scalar("SELECT n FROM counter WHERE id = 1", as: Int.self) ?? 0
                    try db.execute("UPDATE counter SET n = ? WHERE id = 1", [n + 1])
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(try database.read { try $0.scalar("SELECT n FROM counter WHERE id = 1", as: Int.self) } == 40)
        // A new row after explicit ids gets the next id, as SQLite would give it.
        try database.write { try $0.execute("INSERT INTO counter (n) VALUES (7)") }
        #expect(try database.read { try $0.scalar("SELECT MAX(id) FROM counter", as: Int.self) } == 2)
    }

    @Test func aCopyIntoADatabaseWhoseRoleMayNotSkipTriggersIsRefusedBeforeAnythingIsWritten() throws {
        let folder = temporaryFolder()
        let target = try TestDatabase.location(in: folder, name: "copy")
        let schema = try #require(
            target.components(separatedBy: "search_path%3D").last?.components(separatedBy: "%2C").first)
        let role = "pln_copy_" + UUID().uuidString.prefix(8).lowercased()
        let owner = try Database(location: target)
        try owner.write { db in
            try db.executeScript("CREATE ROLE \(role) LOGIN; GRANT ALL ON SCHEMA \(schema) TO \(role)")
        }
        defer { try? owner.write { try $0.executeScript("DROP OWNED BY \(role); DROP ROLE \(role)") } }
        let limited = try Database(
            location: target.replacingOccurrences(of: "://pln@", with: "://\(role)@"))
        let source = try Database(path: folder + "/pln.sqlite")
        let refusal = #expect(throws: StorageError.self) {
            try DatabaseCopy(from: source, to: limited).checkRights()
        }
        #expect(refusal?.hint?.contains("GRANT SET ON PARAMETER session_replication_role") == true)
        // The owner (a superuser here) may.
        try DatabaseCopy(from: source, to: owner).checkRights()
    }

    @Test func aSeededNetworkMovesToPostgreSQLAndBackWithEveryRow() throws {
        let folder = temporaryFolder()
        var sqlite = testConfig(folder: folder)
        sqlite.sections["storage"]?["url"] = .string("")  // the source is the SQLite file
        let sqliteConfig = sqlite
        let fromSQLite = CommandLineApp(
            registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in sqliteConfig })
        #expect(fromSQLite.run(["admin", "seed", "--scale", "small"], console: .capturing()) == 0)
        let target = try TestDatabase.location(in: folder, name: "copy")
        let console = Console.capturing()
        #expect(fromSQLite.run(["admin", "database", "copy", "--to", target], console: console) == 0)
        #expect(console.capturedOutput.contains("every table's count matches"), "\(console.capturedErrors)")
        #expect(console.capturedOutput.contains("membership_members:"))
        // Copying again into the same database is refused: nothing there is overwritten.
        let again = Console.capturing()
        #expect(fromSQLite.run(["admin", "database", "copy", "--to", target], console: again) == 1)
        #expect(again.capturedErrors.contains("is not empty"))

        var postgres = sqlite
        postgres.sections["storage"]?["url"] = .string(target)
        let postgresConfig = postgres
        let fromPostgres = CommandLineApp(
            registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in postgresConfig })
        let back = Console.capturing()
        #expect(
            fromPostgres.run(["admin", "database", "copy", "--to", folder + "/back.sqlite"], console: back)
                == 0)
        #expect(back.capturedOutput.contains("every table's count matches"), "\(back.capturedErrors)")
        // The network boots on the copy and shows what it showed on SQLite.
        let original = try Database(path: folder + "/pln.sqlite")
        let moved = try Database(location: target)
        let query = "SELECT COUNT(*) FROM membership_members WHERE status = 'active'"
        #expect(
            try original.read { try $0.scalar(query, as: Int.self) }
                == moved.read { try $0.scalar(query, as: Int.self) })
        let kernel = try Kernel.boot(
            config: postgres, registry: fullRegistry, clock: FixedClock(), log: .silent)
        #expect(
            try kernel.services.database.read {
                try $0.scalar("SELECT COUNT(*) FROM activities", as: Int.self) ?? 0
            } > 0)
    }
}
