import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A SQLite database in WAL mode: one writer connection used serially and a pool of read-only
/// connections, so readers never wait for the writer.
///
/// ```swift
/// let db = try Database(path: "data/pln.sqlite")
/// try db.write { try $0.execute("INSERT INTO notes(text) VALUES (?)", ["hello"]) }
/// let count = try db.read { try $0.scalar("SELECT count(*) FROM notes", as: Int.self) }
/// ```
public final class Database: Sendable {
    public struct Configuration: Sendable {
        /// Read-only connections kept in the pool.
        public var readers: Int = 4
        public var busyTimeoutMilliseconds: Int32 = 5000
        /// Log pages after which a background thread checkpoints (see ``Checkpointer``); 0 leaves
        /// checkpoints to SQLite, inside the commit that crosses its threshold.
        public var checkpointPages: Int32 = 1000
        /// PostgreSQL: sessions in the pool (opened as needed), and the statement timeout.
        public var postgresSessions: Int = 24
        public var statementTimeoutMilliseconds: Int = 30_000
        public init(
            readers: Int = 4, busyTimeoutMilliseconds: Int32 = 5000, checkpointPages: Int32 = 1000,
            postgresSessions: Int = 24, statementTimeoutMilliseconds: Int = 30_000
        ) {
            self.readers = readers
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.checkpointPages = checkpointPages
            self.postgresSessions = postgresSessions
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        }
    }

    /// The file (SQLite), or the URL without its password (PostgreSQL).
    public let path: String
    public let dialect: Dialect
    private let writer: Connection!
    private let checkpointer: Checkpointer?
    private let writerLock = NSLock()
    let readerPool: ReaderPool!
    let postgresPool: PostgresPool?

    /// Opens PostgreSQL (`postgres://…`, `postgresql://…`) or a SQLite file, by the form of `location`.
    public convenience init(location: String, configuration: Configuration = .init()) throws {
        if Self.isPostgresURL(location) {
            try self.init(url: location, configuration: configuration)
        } else {
            try self.init(path: location, configuration: configuration)
        }
    }

    public static func isPostgresURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Connects to PostgreSQL: a pool of libpq sessions, opened as needed.
    public init(url: String, configuration: Configuration = .init()) throws {
        path = PostgresSession.redacted(url)
        dialect = .postgres
        writer = nil
        readerPool = nil
        checkpointer = nil
        let pool = PostgresPool(
            url: url, size: max(2, configuration.postgresSessions),
            statementTimeoutMilliseconds: configuration.statementTimeoutMilliseconds)
        postgresPool = pool
        try pool.bootstrap()
    }

    /// Opens (creating it and its folder if needed) the database at `path`.
    public init(path: String, configuration: Configuration = .init()) throws {
        self.path = path
        dialect = .sqlite
        postgresPool = nil
        // One cache of full-text statistics for all this database's connections (FullTextRanking).
        let statistics = FullTextStatistics()
        try Self.createFolder(of: path)
        let writer = try Connection(
            path: path, readOnly: false, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
            ranking: statistics)
        // Debian builds SQLite with WAL's synchronous defaulting to FULL: NORMAL is safe in WAL
        // (no corruption; at worst the last commits before a power loss) and much faster.
        let mode = try writer.scalar("PRAGMA journal_mode = WAL", as: String.self)
        guard mode?.lowercased() == "wal" else {
            throw StorageError(
                kind: .misuse, message: "could not switch \(path) to WAL (got \(mode ?? "nil"))")
        }
        try writer.executeScript("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        self.writer = writer
        if configuration.checkpointPages > 0 {
            // The log file keeps its largest size unless told otherwise. A burst (or the idle
            // checkpoint thread falling behind on a machine busy for long) can leave it at tens of
            // megabytes; once a checkpoint has caught up, the next write that starts the log
            // again cuts the file back to four times the threshold.
            let pageSize = try writer.scalar("PRAGMA page_size", as: Int.self) ?? 4096
            let limit = Int(configuration.checkpointPages) * pageSize * 4
            _ = try writer.scalar("PRAGMA journal_size_limit = \(limit)", as: Int.self)
            let checkpointer = try Checkpointer(
                path: path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
                threshold: configuration.checkpointPages,
                hardLimit: max(10_000, configuration.checkpointPages * 10))
            try checkpointer.attach(to: writer)
            self.checkpointer = checkpointer
        } else {
            checkpointer = nil
        }
        var readers: [Connection] = []
        for _ in 0..<max(1, configuration.readers) {
            let reader = try Connection(
                path: path, readOnly: true, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
                ranking: statistics)
            try reader.executeScript("PRAGMA foreign_keys = ON;")
            readers.append(reader)
        }
        readerPool = ReaderPool(readers)
    }

    /// Creates the folders on the way to `path` (like `mkdir -p`), failing with the system's
    /// reason: a file where a folder should be, permission denied, a read-only file system.
    static func createFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFDIR { continue }
                throw StorageError(
                    kind: .fileSystem, message: "\(prefix) is a file, not a folder", path: path,
                    systemErrno: ENOTDIR)
            }
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                guard code == EEXIST else {
                    throw StorageError(
                        kind: .fileSystem, message: "cannot create the folder \(prefix)", path: path,
                        systemErrno: code)
                }
            }
        }
    }

    deinit {
        if let checkpointer, let writer {
            sqlite3_wal_hook(writer.handle, nil, nil)
            checkpointer.stop()
        }
    }

    /// Checkpoints the background thread has completed (tests, diagnostics).
    public var backgroundCheckpoints: Int { checkpointer?.completedCount ?? 0 }

    /// Whether the checkpoint thread runs at idle CPU priority (tests, diagnostics); nil with no
    /// checkpoint thread or before it has started.
    public var checkpointsAtIdlePriority: Bool? { checkpointer?.isIdlePriority }

    /// Runs `body` in a read transaction on a pooled read-only connection: it sees one
    /// consistent snapshot, however long it runs and whatever the writer does meanwhile.
    ///
    /// Inside ``readScope(_:)`` the reads of the scope share one transaction (see ``ReadScope``).
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        if let postgresPool { return try postgresPool.read(body) }
        if let scope = activeScope { return try read(in: scope, body) }
        let connection = readerPool.take()
        defer { readerPool.give(connection) }
        try connection.execute("BEGIN DEFERRED")
        do {
            let result = try body(connection)
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE … COMMIT` transaction on the writer connection. A
    /// thrown error rolls everything back. Actions registered with
    /// ``Connection/afterCommit(_:)`` run after the commit, outside the writer lock.
    @discardableResult
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        if let postgresPool { return try postgresPool.write(database: ObjectIdentifier(self), body) }
        let (result, actions): (T, [@Sendable () -> Void]) = try withWriter { connection in
            if connection.isInWriteTransaction {
                throw StorageError(kind: .misuse, message: "write transactions cannot be nested")
            }
            try connection.execute("BEGIN IMMEDIATE")
            connection.isInWriteTransaction = true
            defer {
                connection.isInWriteTransaction = false
                connection.afterCommitActions.removeAll()
            }
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return (result, connection.afterCommitActions)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
        for action in actions { action() }
        return result
    }

    /// Runs `body` on the writer connection outside any transaction (pragmas, VACUUM,
    /// migrations that manage their own transactions).
    public func withWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        if let postgresPool { return try postgresPool.withSession(database: ObjectIdentifier(self), body) }
        renewReadSnapshot()
        if writerLock.try() == false {
            // A nested call from inside a write on this thread would deadlock: say so instead.
            if Thread.current.threadDictionary["pln.storage.writer"] as? ObjectIdentifier
                == ObjectIdentifier(self)
            {
                throw StorageError(kind: .misuse, message: "write transactions cannot be nested")
            }
            writerLock.lock()
        }
        Thread.current.threadDictionary["pln.storage.writer"] = ObjectIdentifier(self)
        defer {
            Thread.current.threadDictionary["pln.storage.writer"] = nil
            writerLock.unlock()
            renewReadSnapshot()
        }
        return try body(writer)
    }

    /// Lends a pooled read-only connection outside any transaction (the backup API manages its
    /// own read).
    func withReader<T>(_ body: (Connection) throws -> T) throws -> T {
        if let postgresPool { return try postgresPool.withSession(database: nil, body) }
        let connection = readerPool.take()
        defer { readerPool.give(connection) }
        return try body(connection)
    }

    /// Runs `body` while holding the migration lock: PostgreSQL's advisory lock, so that servers
    /// starting together migrate in turn (SQLite's single writer needs none).
    public func withMigrationLock<T>(_ body: () throws -> T) throws -> T {
        guard let postgresPool else { return try body() }
        return try postgresPool.withMigrationLock(body)
    }

    /// Runs `PRAGMA integrity_check`; an empty array means the database is sound.
    public func integrityCheck() throws -> [String] {
        if dialect == .postgres { return [] }  // the server checks its own pages
        let lines = try read { db in
            try db.query("PRAGMA integrity_check") { String.decode($0.value(at: 0)) ?? "?" }
        }
        return lines.filter { $0 != "ok" }
    }

    /// Runs `PRAGMA integrity_check` on any database file (e.g. a backup).
    public static func integrityCheck(path: String) throws -> [String] {
        let connection = try Connection(path: path, readOnly: true, busyTimeoutMilliseconds: 5000)
        return try connection.query("PRAGMA integrity_check") { row in
            String.decode(row.value(at: 0)) ?? "?"
        }.filter { $0 != "ok" }
    }
}

/// A fixed set of read-only connections handed out one per reader.
final class ReaderPool: @unchecked Sendable {
    // @unchecked: `available` is only touched under `lock`, and the semaphore bounds takers.
    private var available: [Connection]
    private let lock = NSLock()
    private let semaphore: DispatchSemaphore

    init(_ connections: [Connection]) {
        available = connections
        semaphore = DispatchSemaphore(value: connections.count)
    }

    func take() -> Connection {
        semaphore.wait()
        lock.lock()
        defer { lock.unlock() }
        return available.removeLast()
    }

    func give(_ connection: Connection) {
        lock.lock()
        available.append(connection)
        lock.unlock()
        semaphore.signal()
    }
}
