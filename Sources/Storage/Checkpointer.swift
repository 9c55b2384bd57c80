import CSQLite
import Foundation

/// Copies the write-ahead log back into the database on a thread of its own, so the writer never
/// stops to do it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold: that writer
/// reads the log, writes the pages into the database file and syncs both, while every other
/// write waits for the lock. Profiling a stream of comment writes (perf, 64 connections) put a
/// quarter of the writer's time in `pwrite` and `fdatasync`, most of it checkpointing. Here the
/// writer's automatic checkpoint is off; a WAL hook on the writer wakes this thread once the log
/// holds `threshold` pages, and it runs a PASSIVE checkpoint on its own connection (which never
/// blocks the writer or readers). Should the log still reach `hardLimit` pages (checkpoints kept
/// from finishing by long readers), the writer checkpoints itself, as SQLite would.
///
/// The thread runs at the lowest CPU priority (Linux `SCHED_IDLE`): copying pages and syncing
/// the file can wait, a request cannot. At normal priority, the checkpoints that a stream of
/// writes (a 2,000-member fan-out) sets off kept a member's reply waiting for a core, +0.6 to
/// +0.9 ms at p99 (BENCHMARKS.md, stop 31). What it costs:
/// - A PASSIVE checkpoint never waits for the writer or readers, but it takes SQLite's
///   shared-memory locks (and the VFS mutex around them) for moments. Preempted inside one, it
///   makes a starting transaction retry until it runs again; the waiters sleeping free a core
///   for it, so the stall lasts as long as the other runnable work, not longer.
/// - On a machine busy for long, checkpoints finish later (the thread still gets a small share
///   of a core; Linux also gives it the idle disk-I/O class), and while one is under way the
///   writer's own checkpoint at `hardLimit` finds it busy: the log grows past the limit until it
///   catches up (60 s of saturating searches and writes on the large seed: 52–54 MB at most,
///   level; 40 MB before). `journal_size_limit` cuts the file back afterwards.
/// - Closing the database waits for a checkpoint under way.
final class Checkpointer: @unchecked Sendable {
    // @unchecked: `pending`, `stopping`, `completed` and `runsAtIdlePriority` are touched only
    // under `lock`; `connection` only by the checkpoint thread (and deinit, after that thread
    // has finished).
    let threshold: Int32
    let hardLimit: Int32
    private let connection: Connection
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var pending = false
    private var stopping = false
    private var completed = 0

    /// Whether the thread got `SCHED_IDLE` (Linux); nil until it has started.
    private var runsAtIdlePriority: Bool?

    var isIdlePriority: Bool? {
        lock.lock()
        defer { lock.unlock() }
        return runsAtIdlePriority
    }

    /// Puts the calling thread in `SCHED_IDLE` (per thread on Linux), or where that is refused
    /// gives it the highest nice value. Returns whether it is in `SCHED_IDLE`.
    static func lowerCurrentThreadToIdle() -> Bool {
        #if os(Linux)
            var parameters = sched_param()
            parameters.sched_priority = 0
            // SCHED_IDLE is 5; Glibc's Swift module does not export the constant.
            if sched_setscheduler(0, 5, &parameters) == 0 { return true }
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
        return false
    }

    var completedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return completed
    }

    init(path: String, busyTimeoutMilliseconds: Int32, threshold: Int32 = 1000, hardLimit: Int32 = 50_000)
        throws
    {
        self.threshold = threshold
        self.hardLimit = hardLimit
        connection = try Connection(
            path: path, readOnly: false, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // A connection opens the file lazily; until it has read the header it does not know the
        // database is in WAL mode, and a checkpoint on it silently does nothing.
        guard try connection.scalar("PRAGMA journal_mode", as: String.self)?.lowercased() == "wal" else {
            throw StorageError(kind: .misuse, message: "\(path) is not in WAL mode: nothing to checkpoint")
        }
        let thread = Thread { [self] in
            let idle = Self.lowerCurrentThreadToIdle()
            lock.lock()
            runsAtIdlePriority = idle
            lock.unlock()
            run()
        }
        thread.name = "sqlite-checkpoint"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Installs the hook on the writer connection and turns its automatic checkpoint off.
    func attach(to writer: Connection) throws {
        try writer.executeScript("PRAGMA wal_autocheckpoint = 0;")
        sqlite3_wal_hook(writer.handle, checkpointerWALHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called after each commit with the number of pages in the log.
    func committed(walPages: Int32, writer: OpaquePointer?) {
        if walPages >= hardLimit {
            sqlite3_wal_checkpoint_v2(writer, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if walPages >= threshold {
            request()
        }
    }

    func request() {
        lock.lock()
        let wasPending = pending
        pending = true
        lock.unlock()
        if !wasPending { wake.signal() }
    }

    /// Ends the thread after any checkpoint in progress; waits for it.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        wake.signal()
        finished.wait()
    }

    private func run() {
        while true {
            wake.wait()
            lock.lock()
            let stop = stopping
            pending = false
            lock.unlock()
            if stop { break }
            var logPages: Int32 = 0
            var checkpointed: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(
                connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &checkpointed)
            if code == SQLITE_OK {
                lock.lock()
                completed += 1
                lock.unlock()
            }
            // SQLITE_BUSY (another checkpoint running) or an I/O error: the next commit past the
            // threshold asks again, and the writer's hard limit stays as the backstop.
        }
        finished.signal()
    }
}

/// The WAL hook: a C function, so it finds its checkpointer through the context pointer.
private func checkpointerWALHook(
    _ context: UnsafeMutableRawPointer?, _ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(walPages: pages, writer: db)
    return SQLITE_OK
}
