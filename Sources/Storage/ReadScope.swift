import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One snapshot for a whole unit of work (an HTTP request): every ``Database/read(_:)`` inside
/// ``Database/readScope(_:)`` on the same thread runs in one read transaction on one pooled
/// connection, begun at the first read and ended with the scope.
///
/// A page used to open a read transaction per section (six for a search page, more for the
/// home page). Each one takes and releases a WAL read lock: SQLite's shared-memory mutex,
/// common to every connection of the process, and an `fcntl` under it. Under load that mutex
/// was the first source of blocking `futex` calls in the server. One transaction per request
/// also gives the page one consistent state: its counts and lists agree.
///
/// A write on the thread ends the scope's transaction before it takes the writer (so the rest
/// of the request reads what it wrote, and a thread waiting for the writer holds no reader)
/// and again when it lets the writer go (a read made during the write saw the state before its
/// commit); the next read begins a new one.
///
/// ```swift
/// try database.readScope {
///     let a = try database.read { try $0.scalar("SELECT count(*) FROM posts", as: Int.self) }
///     let b = try database.read { try $0.scalar("SELECT max(id) FROM posts", as: Int.self) }  // same snapshot
/// }
/// ```
final class ReadScope {
    let database: ObjectIdentifier
    /// The pooled connection, from the scope's first read until the scope ends or a write.
    var connection: Connection?
    /// Reads running on `connection` (a read inside a read), so a write inside one does not
    /// pull the connection from under it.
    var depth = 0
    /// Set by a write inside a read: the transaction is renewed once no read is running.
    var stale = false

    init(database: ObjectIdentifier) {
        self.database = database
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The scope active on this thread, if any.
    static var current: ReadScope? {
        get {
            guard let pointer = pthread_getspecific(key) else { return nil }
            return Unmanaged<ReadScope>.fromOpaque(pointer).takeUnretainedValue()
        }
        set {
            if let old = pthread_getspecific(key) { Unmanaged<ReadScope>.fromOpaque(old).release() }
            pthread_setspecific(key, newValue.map { Unmanaged.passRetained($0).toOpaque() })
        }
    }
}

extension Database {
    /// Runs `body` with every read on this thread sharing one read transaction (see
    /// ``ReadScope``). Nested scopes join the outer one. On PostgreSQL each read keeps its own
    /// transaction.
    public func readScope<T>(_ body: () throws -> T) rethrows -> T {
        guard postgresPool == nil, ReadScope.current == nil else { return try body() }
        let scope = ReadScope(database: ObjectIdentifier(self))
        ReadScope.current = scope
        defer {
            ReadScope.current = nil
            release(scope)
        }
        return try body()
    }

    /// The scope of this database active on this thread, if any.
    var activeScope: ReadScope? {
        guard let scope = ReadScope.current, scope.database == ObjectIdentifier(self) else { return nil }
        return scope
    }

    /// Runs a read inside `scope`: on its connection, in its transaction (begun if needed).
    func read<T>(in scope: ReadScope, _ body: (Connection) throws -> T) throws -> T {
        if scope.stale && scope.depth == 0 { release(scope) }
        let connection: Connection
        if let held = scope.connection {
            connection = held
        } else {
            connection = readerPool.take()
            scope.connection = connection
            if sqlite3_get_autocommit(connection.handle) == 0 {
                // Given back inside a transaction (a ROLLBACK that failed): never read its
                // old snapshot.
                try connection.execute("ROLLBACK")
            }
        }
        if sqlite3_get_autocommit(connection.handle) != 0 {
            // Not in a transaction: the first read, or one an error ended.
            try connection.execute("BEGIN DEFERRED")
        }
        scope.depth += 1
        defer { scope.depth -= 1 }
        return try body(connection)
    }

    /// Lets the next read on this thread see the latest commits, inside a ``readScope(_:)``
    /// too: for code that decides on the newest state, such as an optimistic read retried when
    /// another thread's commit overtook it (outside a scope every read is fresh already). Writes
    /// call it before taking the writer (the rest of the request reads what it writes, and a
    /// thread waiting for the writer holds no reader) and after (a read made during the write
    /// began its snapshot before the write's commit).
    public func renewReadSnapshot() {
        guard let scope = activeScope, scope.connection != nil else { return }
        if scope.depth == 0 { release(scope) } else { scope.stale = true }
    }

    /// Ends the scope's transaction and gives its connection back to the pool.
    func release(_ scope: ReadScope) {
        scope.stale = false
        guard let connection = scope.connection else { return }
        scope.connection = nil
        if sqlite3_get_autocommit(connection.handle) == 0 {
            // A read-only transaction: nothing to keep, and ROLLBACK cannot fail for want of
            // anything to write.
            try? connection.execute("ROLLBACK")
        }
        readerPool.give(connection)
    }
}
