#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value read on every request and written a handful of times (at boot, or by a test): a
/// reader-writer lock, so readers never wait for each other.
///
/// `Mutex` suits short critical sections that both read and write; for a registry that every
/// worker thread reads per request it is the wrong tool. On Linux it is a priority-inheritance
/// futex, and under contention every reader goes through the kernel. Profiling `pln serve`
/// (perf, home page, 64 connections) put 12% of the CPU in `Mutex.lockSlow` from service lookups.
///
/// ```swift
/// let registry = ReadMostly([String: Int]())
/// registry.write { $0["a"] = 1 }
/// let a = registry.read { $0["a"] }
/// ```
public final class ReadMostly<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held (shared for reads, exclusive for
    // writes); the lock lives on the heap so its address never moves.
    private var value: Value
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    public init(_ value: Value) {
        self.value = value
        lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    public func read<R>(_ body: (Value) throws -> R) rethrows -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    public func write<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}
