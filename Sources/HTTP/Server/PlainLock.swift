#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value behind an ordinary pthread mutex.
///
/// `Synchronization.Mutex` on Linux is a priority-inheritance futex: when contended, the waiter
/// and the holder both go through the kernel's rt-mutex path. The event loops' inboxes and the
/// worker queue are contended on every response (a worker posts, the loop drains), and perf
/// showed 3.5% of a page's CPU in `Mutex.lockSlow` there. A plain mutex spins briefly in user
/// space and parks on a simple futex.
///
/// ```swift
/// let queue = PlainLock([Int]())
/// queue.withLock { $0.append(1) }
/// ```
final class PlainLock<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `mutex` is held; the mutex lives on the heap
    // so its address never moves.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if canImport(Glibc)
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
