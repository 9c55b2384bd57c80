import Foundation

/// The sessions of a PostgreSQL ``Database``: opened as needed up to `size`, lent one per
/// `read`, `write` or `withWriter`. Writes run SERIALIZABLE and run again (a few times, after a
/// short random pause) when PostgreSQL reports a serialization failure or a deadlock, so code
/// written for SQLite's one-writer-at-a-time keeps its guarantees across servers.
final class PostgresPool: @unchecked Sendable {
    // @unchecked: `idle` and `opened` are only touched under `lock`; the semaphore bounds takers.
    let url: String
    let statementTimeoutMilliseconds: Int
    private var idle: [(connection: Connection, since: ContinuousClock.Instant)] = []
    let idleLimit: Duration
    private var opened = 0
    private let lock = NSLock()
    private let semaphore: DispatchSemaphore
    static let attempts = 12

    init(url: String, size: Int, statementTimeoutMilliseconds: Int, idleSeconds: Int = 10) {
        self.url = url
        idleLimit = .seconds(idleSeconds)
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        semaphore = DispatchSemaphore(value: size)
    }

    /// Creates what the dialect relies on (collation, catalog view, helper function) once per
    /// database, under a transaction-wide advisory lock so that servers starting together agree.
    func bootstrap() throws {
        try withSession(database: nil) { connection in
            let session = connection.postgres!
            let ready = try session.rows(
                "SELECT to_regprocedure('public.pln_sync_id(text)') IS NOT NULL AND to_regclass('public.sqlite_master') IS NOT NULL AND to_regprocedure('public.pragma_table_info(text)') IS NOT NULL"
            )
            if ready.first?.first == "t" { return }
            try session.run(
                "BEGIN; SELECT pg_advisory_xact_lock(8675309); \(PostgresDialect.bootstrap); COMMIT;")
        }
    }

    /// Holds a session-wide advisory lock, per schema, while `body` runs: servers starting
    /// together migrate one after the other.
    func withMigrationLock<T>(_ body: () throws -> T) throws -> T {
        let connection = try take()
        defer { give(connection) }
        let session = connection.postgres!
        try session.run("SELECT pg_advisory_lock(hashtext('pln.migrate.' || current_schema()))")
        defer { try? session.run("SELECT pg_advisory_unlock(hashtext('pln.migrate.' || current_schema()))") }
        return try body()
    }

    func take() throws -> Connection {
        semaphore.wait()
        lock.lock()
        if let (connection, _) = idle.popLast() {
            lock.unlock()
            return connection
        }
        opened += 1
        lock.unlock()
        do {
            return Connection(
                postgres: try PostgresSession(
                    url: url, statementTimeoutMilliseconds: statementTimeoutMilliseconds))
        } catch {
            lock.lock()
            opened -= 1
            lock.unlock()
            semaphore.signal()
            throw error
        }
    }

    func give(_ connection: Connection) {
        lock.lock()
        if connection.postgres!.isHealthy && !connection.postgres!.isInTransaction {
            idle.append((connection, .now))
            if idle.count == 1 { PostgresPool.reaper.watch(self) }
        } else {
            opened -= 1
        }
        lock.unlock()
        semaphore.signal()
    }

    /// Closes sessions idle for longer than `idleLimit` (the oldest are at the front). Returns
    /// true while some remain idle.
    func closeIdleSessions() -> Bool {
        lock.lock()
        let now = ContinuousClock.now
        var closing: [Connection] = []
        while let first = idle.first, now - first.since > idleLimit {
            closing.append(idle.removeFirst().connection)
            opened -= 1
        }
        let remaining = !idle.isEmpty
        lock.unlock()
        closing.removeAll()  // closes the sessions outside the lock
        return remaining
    }

    static let reaper = IdleReaper()

    static let writerKey = "pln.storage.writer"

    /// Lends a session outside any transaction; `database` marks the thread as writing so that
    /// a nested write fails instead of waiting.
    func withSession<T>(database: ObjectIdentifier?, _ body: (Connection) throws -> T) throws -> T {
        if let database {
            if Thread.current.threadDictionary[Self.writerKey] as? ObjectIdentifier == database {
                throw StorageError(kind: .misuse, message: "write transactions cannot be nested")
            }
            Thread.current.threadDictionary[Self.writerKey] = database
        }
        defer { if database != nil { Thread.current.threadDictionary[Self.writerKey] = nil } }
        let connection = try take()
        defer { give(connection) }
        return try body(connection)
    }

    /// A REPEATABLE READ, READ ONLY transaction: one snapshot, like a SQLite reader.
    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try take()
        defer { give(connection) }
        let session = connection.postgres!
        try session.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let result = try body(connection)
            try session.run("COMMIT")
            return result
        } catch {
            try? session.run("ROLLBACK")
            throw error
        }
    }

    func write<T>(database: ObjectIdentifier, _ body: (Connection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (result, actions): (T, [@Sendable () -> Void]) = try withSession(database: database) {
                    connection in
                    let session = connection.postgres!
                    try session.run("BEGIN ISOLATION LEVEL SERIALIZABLE")
                    connection.isInWriteTransaction = true
                    defer {
                        connection.isInWriteTransaction = false
                        connection.afterCommitActions.removeAll()
                    }
                    do {
                        let result = try body(connection)
                        try session.run("COMMIT")
                        return (result, connection.afterCommitActions)
                    } catch {
                        try? session.run("ROLLBACK")
                        throw error
                    }
                }
                for action in actions { action() }
                return result
            } catch let error as StorageError where error.isRetryableConflict && attempt < Self.attempts {
                usleep(UInt32.random(in: 1_000...(5_000 * UInt32(attempt))))
            }
        }
    }
}

/// One background thread for every pool: every second it closes sessions idle too long, so a
/// quiet server (or a finished test) holds no server connections it does not use.
final class IdleReaper: @unchecked Sendable {
    // @unchecked: `pools` is only touched under `lock`.
    private var pools: [ObjectIdentifier: Weak] = [:]
    private var running = false
    private let lock = NSLock()

    struct Weak {
        weak var pool: PostgresPool?
    }

    func watch(_ pool: PostgresPool) {
        lock.lock()
        defer { lock.unlock() }
        pools[ObjectIdentifier(pool)] = Weak(pool: pool)
        guard !running else { return }
        running = true
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "pln-pg-reaper"
        thread.start()
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: 1)
            lock.lock()
            let watched = pools
            lock.unlock()
            var done: [ObjectIdentifier] = []
            for (key, entry) in watched {
                guard let pool = entry.pool, pool.closeIdleSessions() else {
                    done.append(key)
                    continue
                }
            }
            lock.lock()
            for key in done { pools[key] = nil }
            lock.unlock()
        }
    }
}
