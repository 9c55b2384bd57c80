import Foundation
import Synchronization
import Testing

@testable import Storage

/// A fresh database in its own temporary folder.
func makeDatabase(readers: Int = 2) throws -> Database {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("pln-storage-\(UUID().uuidString)")
    return try Database(
        path: folder.appendingPathComponent("db/test.sqlite").path,
        configuration: .init(readers: readers))
}

@Suite struct DatabaseTests {
    @Test func opensInWALWithNormalSyncAndForeignKeys() throws {
        let db = try makeDatabase()
        let mode = try db.read { try $0.scalar("PRAGMA journal_mode", as: String.self) }
        #expect(mode == "wal")
        let sync = try db.withWriter { try $0.scalar("PRAGMA synchronous", as: Int.self) }
        #expect(sync == 1)  // NORMAL
        let foreignKeys = try db.withWriter { try $0.scalar("PRAGMA foreign_keys", as: Int.self) }
        #expect(foreignKeys == 1)
    }

    @Test func bindsAndDecodesEveryValueType() throws {
        let db = try makeDatabase()
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        try db.write { db in
            try db.executeScript(
                "CREATE TABLE t (i INTEGER, b INTEGER, d REAL, s TEXT, at INTEGER, bl BLOB, n TEXT)")
            try db.execute(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                [42, true, 2.5, "héllo <&>", date, Data([0, 1, 2, 255]), String?.none])
        }
        try db.read { db in
            let row = try #require(
                try db.queryOne("SELECT * FROM t") { row in
                    (
                        try row.value("i") as Int, try row.value("b") as Bool, try row.value("d") as Double,
                        try row.value("s") as String, try row.value("at") as Date,
                        try row.value("bl") as Data,
                        try row.optional("n") as String?
                    )
                })
            #expect(row.0 == 42)
            #expect(row.1 == true)
            #expect(row.2 == 2.5)
            #expect(row.3 == "héllo <&>")
            #expect(abs(row.4.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
            #expect(row.5 == Data([0, 1, 2, 255]))
            #expect(row.6 == nil)
        }
    }

    @Test func columnsAreFoundByNameInAnyOrderAndARepeatedNameMeansTheLastOne() throws {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript(
                """
                CREATE TABLE a (id INTEGER, name TEXT); CREATE TABLE b (id INTEGER, a_id INTEGER);
                INSERT INTO a VALUES (1, 'one'), (2, 'two'); INSERT INTO b VALUES (10, 1), (20, 2);
                """)
        }
        let sql = "SELECT a.id, a.name, b.id FROM a JOIN b ON b.a_id = a.id ORDER BY a.id"
        try db.read { db in
            // The same statement, read forwards, backwards and by the repeated name.
            for _ in 0..<2 {
                let forwards = try db.query(sql) { row in
                    "\(try row.value("name") as String)/\(try row.value("id") as Int)"
                }
                #expect(forwards == ["one/10", "two/20"])
                let backwards = try db.query(sql) { row in
                    "\(try row.value("id") as Int)/\(try row.value("name") as String)/\(row.hasColumn("a_id"))"
                }
                #expect(backwards == ["10/one/false", "20/two/false"])
                #expect(try db.query(sql) { row in row.value(at: 0) } == [.integer(1), .integer(2)])
            }
            #expect(throws: StorageError.self) {
                try db.query(sql) { row in try row.value("missing") as Int }
            }
            // By position: the same values, a clear error past the last column or for a wrong type.
            let positional = try db.query(sql) { row in
                "\(try row.value(column: 1) as String)/\(try row.value(column: 2) as Int)"
            }
            #expect(positional == ["one/10", "two/20"])
            #expect(try db.query(sql) { row in try row.optional(column: 0) as Int? } == [1, 2])
            #expect(throws: StorageError.self) {
                try db.query(sql) { row in try row.value(column: 3) as Int }
            }
            #expect(throws: StorageError.self) {
                try db.query(sql) { row in try row.value(column: 1) as Int }
            }
        }
    }

    @Test func theLogIsCheckpointedByABackgroundThread() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-storage-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("db/test.sqlite").path
        let db = try Database(path: path, configuration: .init(readers: 2, checkpointPages: 50))
        #expect(try db.withWriter { try $0.scalar("PRAGMA wal_autocheckpoint", as: Int.self) } == 0)
        try db.write { try $0.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)") }
        let text = String(repeating: "x", count: 3000)
        for round in 0..<60 {
            try db.write { db in
                for index in 0..<20 {
                    try db.execute("INSERT INTO t (text) VALUES (?)", [text + "\(round).\(index)"])
                }
            }
        }
        // The checkpoint thread runs on its own: give it a moment to catch up with the last commit.
        let deadline = Date().addingTimeInterval(5)
        while db.backgroundCheckpoints == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(db.backgroundCheckpoints > 0)
        // Checkpoints give way to requests: the thread runs at idle priority wherever the system
        // lets a thread lower itself that far (a thread of this test asks the same).
        final class Answer: @unchecked Sendable {
            // @unchecked: written by the thread before it signals, read after the wait.
            var idle = false
        }
        let answer = Answer()
        let asked = DispatchSemaphore(value: 0)
        Thread {
            answer.idle = Checkpointer.lowerCurrentThreadToIdle()
            asked.signal()
        }.start()
        asked.wait()
        #expect(db.checkpointsAtIdlePriority == answer.idle)
        #if os(Linux)
            #expect(answer.idle, "this system refuses SCHED_IDLE; checkpoints run at nice 19")
        #endif
        // The rows reached the database file itself: the writer's own checkpoints are off and its
        // backstop (10,000 log pages) was never reached, so the background thread copied them.
        let deadline2 = Date().addingTimeInterval(5)
        func databaseBytes() -> Int {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        while databaseBytes() < 3_000_000 && Date() < deadline2 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(databaseBytes() >= 3_000_000, "database file holds \(databaseBytes()) bytes")
        #expect(try db.read { try $0.scalar("SELECT COUNT(*) FROM t", as: Int.self) } == 1200)
        #expect(try db.integrityCheck().isEmpty)
        let plain = try Database(
            path: folder.appendingPathComponent("db/plain.sqlite").path,
            configuration: .init(checkpointPages: 0))
        #expect(try plain.withWriter { try $0.scalar("PRAGMA wal_autocheckpoint", as: Int.self) } == 1000)
    }

    /// After a burst that a long reader kept from being checkpointed, the log file is cut back to
    /// four times the checkpoint threshold once the checkpoints catch up (`journal_size_limit`).
    @Test func theLogFileShrinksBackAfterABurst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-storage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db/test.sqlite").path
        let db = try Database(path: path, configuration: .init(readers: 2, checkpointPages: 50))
        let pageSize = try #require(try db.withWriter { try $0.scalar("PRAGMA page_size", as: Int.self) })
        let limit = 50 * pageSize * 4
        #expect(try db.withWriter { try $0.scalar("PRAGMA journal_size_limit", as: Int.self) } == limit)
        try db.write { try $0.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)") }
        let text = String(repeating: "x", count: 3000)
        func logBytes() -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
        }
        // A reader holds its snapshot through the burst: no checkpoint can finish, the log grows.
        try db.read { reader in
            _ = try reader.scalar("SELECT count(*) FROM t", as: Int.self)
            for round in 0..<40 {
                try db.write { db in
                    for index in 0..<20 {
                        try db.execute("INSERT INTO t (text) VALUES (?)", [text + "\(round).\(index)"])
                    }
                }
            }
        }
        #expect(logBytes() > limit * 2)
        // Once a checkpoint started after the reader's end has copied the whole log, the next
        // write starts the log again and cuts the file back to the limit. (No write while the
        // checkpoint runs: a PASSIVE checkpoint copies the log as it was when it began.)
        let deadline = Date().addingTimeInterval(20)
        while logBytes() > limit && Date() < deadline {
            let before = db.backgroundCheckpoints
            try db.write { try $0.execute("INSERT INTO t (text) VALUES ('wakes the checkpoint')") }
            while db.backgroundCheckpoints == before && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            try db.write { try $0.execute("INSERT INTO t (text) VALUES ('starts the log again')") }
        }
        #expect(logBytes() <= limit)
        #expect(try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } ?? 0 >= 800)
    }

    @Test func aThrownErrorRollsTheWholeTransactionBack() throws {
        let db = try makeDatabase()
        try db.write { try $0.executeScript("CREATE TABLE t (x INTEGER UNIQUE)") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.write { db in
                try db.execute("INSERT INTO t VALUES (1)")
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(throws: StorageError.self) {
            try db.write { db in
                try db.execute("INSERT INTO t VALUES (3)")
                try db.execute("INSERT INTO t VALUES (3)")  // UNIQUE violation
            }
        }
        #expect(try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } == 0)
    }

    @Test func errorsCarryTheSQLArgumentsAndExtendedCode() throws {
        let db = try makeDatabase()
        try db.write { try $0.executeScript("CREATE TABLE t (x INTEGER UNIQUE)") }
        try db.write { try $0.execute("INSERT INTO t VALUES (?)", [7]) }
        do {
            try db.write { try $0.execute("INSERT INTO t VALUES (?)", [7]) }
            Issue.record("expected a constraint error")
        } catch let error as StorageError {
            #expect(error.isUniqueViolation)
            #expect(error.sql == "INSERT INTO t VALUES (?)")
            #expect(error.arguments == [.integer(7)])
            #expect(error.description.contains("UNIQUE constraint failed: t.x"))
            #expect(error.description.contains("arguments: [7]"))
        }
    }

    @Test func aWrongArgumentCountIsAClearError() throws {
        let db = try makeDatabase()
        try db.write { try $0.executeScript("CREATE TABLE t (x)") }
        #expect(throws: StorageError.self) {
            try db.write { try $0.execute("INSERT INTO t VALUES (?, ?)", [1]) }
        }
    }

    @Test func nestedWritesAreRefusedRatherThanDeadlocking() throws {
        let db = try makeDatabase()
        #expect(throws: StorageError.self) {
            try db.write { _ in try db.write { _ in } }
        }
    }

    @Test func readersSeeAConsistentSnapshotWhileTheWriterCommits() throws {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript("CREATE TABLE t (x INTEGER)")
            try db.execute("INSERT INTO t VALUES (1)")
        }
        let (before, after) = try db.read { reader -> (Int?, Int?) in
            let before = try reader.scalar("SELECT count(*) FROM t", as: Int.self)
            // The writer commits while this read transaction is open.
            try db.write { try $0.execute("INSERT INTO t VALUES (2)") }
            let after = try reader.scalar("SELECT count(*) FROM t", as: Int.self)
            return (before, after)
        }
        #expect(before == 1)
        #expect(after == 1)
        #expect(try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } == 2)
    }

    @Test func concurrentReadersAndAWriterDoNotBlockEachOther() async throws {
        let db = try makeDatabase(readers: 4)
        try db.write { try $0.executeScript("CREATE TABLE t (x INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 0..<200 { try db.write { try $0.execute("INSERT INTO t VALUES (?)", [i]) } }
            }
            for _ in 0..<4 {
                group.addTask {
                    var last = 0
                    for _ in 0..<200 {
                        let count = try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } ?? 0
                        #expect(count >= last)
                        last = count
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } == 200)
    }

    @Test func afterCommitActionsRunOnlyWhenTheTransactionCommits() throws {
        let db = try makeDatabase()
        let ran = Mutex<[String]>([])
        try db.write { db in try db.afterCommit { ran.withLock { $0.append("committed") } } }
        struct Boom: Error {}
        _ = try? db.write { db in
            try db.afterCommit { ran.withLock { $0.append("rolled back") } }
            throw Boom()
        }
        #expect(ran.withLock { $0 } == ["committed"])
    }

    @Test func backupWhileAnotherConnectionWritesPassesIntegrityCheck() async throws {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript("CREATE TABLE t (x INTEGER, pad TEXT); CREATE INDEX t_x ON t(x)")
            for i in 0..<2000 {
                try db.execute("INSERT INTO t VALUES (?, ?)", [i, String(repeating: "p", count: 200)])
            }
        }
        let stop = Atomic<Bool>(false)
        let writer = Task.detached {
            var i = 10_000
            while !stop.load(ordering: .relaxed) {
                try db.write { try $0.execute("INSERT INTO t VALUES (?, 'w')", [i]) }
                i += 1
            }
        }
        let target = (db.path as NSString).deletingLastPathComponent + "/backup.sqlite"
        for _ in 0..<3 { try db.backup(to: target) }
        stop.store(true, ordering: .relaxed)
        try await writer.value
        #expect(try Database.integrityCheck(path: target) == [])
        #expect(try db.integrityCheck() == [])
        let copy = try Database(path: target)
        let rows = try copy.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } ?? 0
        #expect(rows >= 2000)
        #expect(!FileManager.default.fileExists(atPath: target + ".partial"))
    }
}

@Suite struct MigrationTests {
    @Test func appliesInRegisteredOrderAndOnlyOnce() throws {
        let db = try makeDatabase()
        let order = Mutex<[String]>([])
        func step(_ owner: String, _ name: String, _ sql: String) -> Migration {
            Migration(owner: owner, name: name) { db in
                order.withLock { $0.append("\(owner)/\(name)") }
                try db.executeScript(sql)
            }
        }
        let migrator = Migrator([
            step("kernel", "001_a", "CREATE TABLE a (x)"),
            step("blog", "001_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY, a_x REFERENCES a(x))"),
            step("kernel", "002_b", "ALTER TABLE a ADD COLUMN y"),
        ])
        #expect(try migrator.migrate(db) == ["kernel/001_a", "blog/001_posts", "kernel/002_b"])
        #expect(try migrator.migrate(db) == [])
        #expect(order.withLock { $0 } == ["kernel/001_a", "blog/001_posts", "kernel/002_b"])
        let status = try migrator.status(of: db)
        #expect(status.pending.isEmpty)
        #expect(status.applied.count == 3)
    }

    @Test func onlyTheRequestedOwnersAreApplied() throws {
        let db = try makeDatabase()
        let migrator = Migrator([
            Migration(owner: "kernel", name: "001", sql: "CREATE TABLE k (x)"),
            Migration(owner: "blog", name: "001", sql: "CREATE TABLE b (x)"),
        ])
        #expect(try migrator.migrate(db, owners: ["kernel"]) == ["kernel/001"])
        #expect(try migrator.status(of: db).pending == ["blog/001"])
    }

    @Test func aFailedMigrationLeavesNoTraceAndNamesItself() throws {
        let db = try makeDatabase()
        let migrator = Migrator([
            Migration(owner: "kernel", name: "001", sql: "CREATE TABLE k (x); CREATE TABLE oops (")
        ])
        do {
            try migrator.migrate(db)
            Issue.record("expected failure")
        } catch let error as StorageError {
            #expect(error.message.contains("migration kernel/001 failed"))
        }
        let tables = try db.read {
            try $0.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'k'", as: Int.self)
        }
        #expect(tables == 0)
        #expect(try migrator.status(of: db).pending == ["kernel/001"])
    }

    @Test func aDatabaseWithUnknownMigrationsIsRefused() throws {
        let db = try makeDatabase()
        let newer = Migrator([
            Migration(owner: "kernel", name: "001", sql: "CREATE TABLE k (x)"),
            Migration(owner: "kernel", name: "002_future", sql: "CREATE TABLE f (x)"),
        ])
        try newer.migrate(db)
        let older = Migrator([
            Migration(owner: "kernel", name: "001", sql: "CREATE TABLE k (x)"),
            Migration(owner: "blog", name: "001", sql: "CREATE TABLE b (x)"),
        ])
        do {
            try older.migrate(db)
            Issue.record("expected refusal")
        } catch let error as StorageError {
            #expect(error.kind == .migration)
            #expect(error.message.contains("kernel/002_future"))
            #expect(error.message.contains("newer PLN"))
        }
        // Nothing of the older binary's was applied.
        #expect(try older.status(of: db).pending == ["blog/001"])
    }
}
