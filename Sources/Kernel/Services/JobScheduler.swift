import Foundation
import Storage
import Synchronization

/// Delayed and periodic jobs stored in the database: they survive a restart, and each due job
/// runs once even when several `pln serve` processes share the database, because claiming a
/// job is a single write under SQLite's write lock.
///
/// ```swift
/// services.jobs.register("outbox.deliver") { _ in try services.outbox.deliverDue() }
/// try services.jobs.schedulePeriodic("outbox.deliver", every: 60)
/// try db.write { try services.jobs.enqueue("cpd.followup", payload: "42", at: later, in: $0) }
/// ```
public final class JobScheduler: Sendable {
    public typealias Handler = @Sendable (_ payload: String) throws -> Void

    private let database: Database
    private let clock: any Clock
    private let log: Logger
    private let handlers = Mutex<[String: Handler]>([:])
    private let owner = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    /// How long a claimed job stays locked before another process may take it over.
    public let lease: TimeInterval = 600
    public let maximumAttempts = 5

    public init(database: Database, clock: any Clock, log: Logger) {
        self.database = database
        self.clock = clock
        self.log = log
    }

    public static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "004_jobs",
            sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    payload TEXT NOT NULL DEFAULT '',
                    run_at INTEGER NOT NULL,
                    period_seconds INTEGER,
                    status TEXT NOT NULL DEFAULT 'queued',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    locked_by TEXT,
                    locked_until INTEGER,
                    last_error TEXT,
                    unique_key TEXT UNIQUE
                );
                CREATE INDEX jobs_due ON jobs (status, run_at);
                """)
    ]

    /// Registers the code that runs jobs of `name`. Jobs whose handler is not registered (their
    /// module is disabled) wait, untouched, until it is.
    public func register(_ name: String, _ handler: @escaping Handler) {
        handlers.withLock { $0[name] = handler }
    }

    public var registeredNames: [String] { handlers.withLock { Array($0.keys).sorted() } }

    /// Schedules a one-off job inside the caller's transaction.
    public func enqueue(_ name: String, payload: String = "", at date: Date, in db: Connection) throws {
        try db.execute(
            "INSERT INTO jobs (name, payload, run_at) VALUES (?, ?, ?)", [name, payload, date])
    }

    /// Ensures one periodic job of `name` exists (idempotent across processes and restarts).
    public func schedulePeriodic(_ name: String, every seconds: Int) throws {
        let now = clock.now
        try database.write { db in
            try db.execute(
                """
                INSERT INTO jobs (name, run_at, period_seconds, unique_key) VALUES (?, ?, ?, ?)
                ON CONFLICT (unique_key) DO UPDATE SET period_seconds = excluded.period_seconds
                """, [name, now, seconds, "periodic:\(name)"])
        }
    }

    public struct RunReport: Sendable, Equatable, Codable {
        public var ran = 0
        public var failed = 0
    }

    /// Claims and runs due jobs whose handlers are registered, one at a time, until none is due
    /// or `limit` ran.
    @discardableResult
    public func runDue(limit: Int = 100) throws -> RunReport {
        var report = RunReport()
        let names = registeredNames
        guard !names.isEmpty else { return report }
        let namesJSON = "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        for _ in 0..<limit {
            let now = clock.now
            let claimed = try database.write { db in
                try db.queryOne(
                    """
                    UPDATE jobs SET status = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1
                    WHERE id = (
                        SELECT id FROM jobs
                        WHERE ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))
                          AND name IN (SELECT value FROM json_each(?))
                        ORDER BY run_at, id LIMIT 1)
                    RETURNING id, name, payload, period_seconds, attempts
                    """, [owner, now.addingTimeInterval(lease), now, now, namesJSON]
                ) { row in
                    (
                        id: try row.value("id") as Int64, name: try row.value("name") as String,
                        payload: try row.value("payload") as String,
                        period: try row.optional("period_seconds") as Int?,
                        attempts: try row.value("attempts") as Int
                    )
                }
            }
            guard let job = claimed else { break }
            guard let handler = handlers.withLock({ $0[job.name] }) else { continue }
            var failure: String?
            do { try handler(job.payload) } catch { failure = "\(error)" }
            let finished = clock.now
            try database.write { db in
                if let period = job.period {
                    try db.execute(
                        """
                        UPDATE jobs SET status = 'queued', run_at = ?, locked_by = NULL, locked_until = NULL,
                            attempts = 0, last_error = ? WHERE id = ?
                        """, [finished.addingTimeInterval(Double(period)), failure, job.id])
                } else if let failure {
                    let gaveUp = job.attempts >= maximumAttempts
                    try db.execute(
                        """
                        UPDATE jobs SET status = ?, run_at = ?, locked_by = NULL, locked_until = NULL,
                            last_error = ? WHERE id = ?
                        """,
                        [
                            gaveUp ? "failed" : "queued",
                            finished.addingTimeInterval(60 * Double(job.attempts)),
                            failure, job.id,
                        ])
                } else {
                    try db.execute("DELETE FROM jobs WHERE id = ?", [job.id])
                }
            }
            if let failure {
                report.failed += 1
                log.error("job failed", ["job": job.name, "id": String(job.id), "error": failure])
            } else {
                report.ran += 1
            }
        }
        return report
    }

    /// Lowers the calling thread's CPU priority by `steps` nice levels (at most to 19), so that a
    /// thread running jobs gives way to the threads answering requests when the cores are busy
    /// (Linux keeps a nice value per thread). Returns the thread's new nice value, or nil where
    /// it cannot be changed.
    ///
    /// ```swift
    /// Thread { JobScheduler.lowerCurrentThreadPriority(); while true { try? jobs.runDue(); … } }.start()
    /// ```
    @discardableResult
    public static func lowerCurrentThreadPriority(by steps: Int32 = 10) -> Int32? {
        #if os(Linux)
            // `who` 0 with PRIO_PROCESS is the calling thread on Linux, not the whole process.
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            errno = 0
            let current = getpriority(which, 0)
            if current == -1 && errno != 0 { return nil }
            let lowered = min(current + steps, 19)
            guard setpriority(which, 0, lowered) == 0 else { return nil }
            return getpriority(which, 0)
        #else
            return nil
        #endif
    }

    /// Queued and failed jobs, for the console.
    public func list() throws -> [(id: Int64, name: String, status: String, runAt: Date, lastError: String?)]
    {
        try database.read { db in
            try db.query(
                "SELECT id, name, status, run_at, last_error FROM jobs ORDER BY run_at, id LIMIT 500"
            ) {
                row in
                (
                    try row.value("id"), try row.value("name"), try row.value("status"),
                    try row.value("run_at"),
                    try row.optional("last_error")
                )
            }
        }
    }
}
