import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Storage

/// A request's reads in one transaction: one snapshot, its own writes seen, readers not held
/// while writing.
@Suite struct ReadScopeTests {
    private func database(readers: Int) throws -> Database {
        let db = try makeDatabase(readers: readers)
        try db.write { try $0.executeScript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);") }
        return db
    }

    private func count(_ db: Database) throws -> Int? {
        try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) }
    }

    /// Writes a row from another thread and waits for it.
    private func writeElsewhere(_ db: Database) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? db.write { try $0.execute("INSERT INTO t VALUES (2)") }
            done.signal()
        }.start()
        done.wait()
    }

    @Test func readsInAScopeShareOneSnapshot() throws {
        let db = try database(readers: 2)
        let (first, second) = try db.readScope {
            let first = try count(db)
            writeElsewhere(db)
            return (first, try count(db))
        }
        #expect(first == 1 && second == 1)
        // Outside the scope, each read sees the latest state.
        #expect(try count(db) == 2)
        writeElsewhere(db)
        #expect(try count(db) == 3)
    }

    @Test func aWriteInTheScopeIsSeenByTheReadsAfterIt() throws {
        let db = try database(readers: 2)
        let (before, after, later) = try db.readScope {
            let before = try count(db)
            try db.write { try $0.execute("INSERT INTO t VALUES (3)") }
            let after = try count(db)
            writeElsewhere(db)
            return (before, after, try count(db))
        }
        #expect(before == 1 && after == 2)
        #expect(later == 2)  // the new transaction is again one snapshot
    }

    @Test func aWriteInsideAReadRenewsTheTransactionWhenTheReadEnds() throws {
        let db = try database(readers: 2)
        let (inside, after) = try db.readScope {
            let inside = try db.read { connection -> Int? in
                _ = try connection.scalar("SELECT count(*) FROM t", as: Int.self)  // the snapshot starts
                try db.write { try $0.execute("INSERT INTO t VALUES (4)") }
                // The connection is still this read's, in its old snapshot.
                return try connection.scalar("SELECT count(*) FROM t", as: Int.self)
            }
            return (inside, try count(db))
        }
        #expect(inside == 1 && after == 2)
    }

    @Test func aReadDuringAWriteDoesNotHideTheWriteFromTheReadsAfterIt() throws {
        let db = try database(readers: 2)
        let (during, after) = try db.readScope {
            let during = try db.write { writer -> Int? in
                try writer.execute("INSERT INTO t VALUES (6)")
                return try count(db)  // a reader: the insert is not committed yet
            }
            return (during, try count(db))
        }
        #expect(during == 1 && after == 2)
    }

    @Test func aRenewedSnapshotSeesOtherThreadsCommits() throws {
        let db = try database(readers: 2)
        let (old, renewed, insideRead, afterRead) = try db.readScope {
            let old = try count(db)
            writeElsewhere(db)
            db.renewReadSnapshot()
            let renewed = try count(db)
            // Inside a read the connection stays this read's; the next read renews.
            let insideRead = try db.read { connection -> Int? in
                writeElsewhere(db)
                db.renewReadSnapshot()
                return try connection.scalar("SELECT count(*) FROM t", as: Int.self)
            }
            return (old, renewed, insideRead, try count(db))
        }
        #expect(old == 1 && renewed == 2)
        #expect(insideRead == 2 && afterRead == 3)
    }

    @Test func aScopeHoldsOneReaderAndGivesItBack() throws {
        // One reader: a read inside a read would wait for itself without the scope.
        let db = try database(readers: 1)
        let nested = try db.readScope {
            try db.read { _ in try count(db) }
        }
        #expect(nested == 1)
        #expect(try count(db) == 1)  // given back
    }

    @Test func aThreadWaitingToWriteHoldsNoReader() throws {
        let db = try database(readers: 1)
        let other = DispatchSemaphore(value: 0)
        let seen = Mutex<Int?>(nil)
        try db.readScope {
            _ = try count(db)  // the only reader is the scope's
            try db.write { writer in
                try writer.execute("INSERT INTO t VALUES (5)")
                // Another thread reads while this one holds the writer: the reader is free.
                Thread {
                    let value = try? count(db)
                    seen.withLock { $0 = value }
                    other.signal()
                }.start()
                #expect(other.wait(timeout: .now() + 10) == .success)
            }
        }
        #expect(seen.withLock { $0 } == 1)  // the insert was not committed yet
    }

    @Test func anErrorInAReadLeavesTheScopeUsable() throws {
        let db = try database(readers: 1)
        let after = try db.readScope {
            #expect(throws: StorageError.self) {
                try db.read { try $0.scalar("SELECT nope FROM t", as: Int.self) }
            }
            return try count(db)
        }
        #expect(after == 1)
        #expect(try count(db) == 1)
    }

    @Test func scopesOfOtherDatabasesAndNestedScopesKeepApart() throws {
        let one = try database(readers: 1)
        let two = try database(readers: 1)
        let counts = try one.readScope {
            try two.readScope {
                // `two`'s reads are not inside `one`'s scope, and the nested scope joins nothing.
                writeElsewhere(two)
                return (try count(one), try count(two))
            }
        }
        #expect(counts.0 == 1 && counts.1 == 2)
    }
}
