import Glibc

/// Everything the server needs to know: address, threads, limits, timeouts and hooks.
///
/// ```swift
/// var config = ServerConfiguration(host: "127.0.0.1", port: 8080)
/// config.workerCount = 8
/// config.bodyLimit = { head in head.path == "/upload" ? 20 << 20 : 1 << 20 }
/// config.accessLog = { entry in print(entry.line) }
/// ```
public struct ServerConfiguration: Sendable {
    /// Address to bind ("127.0.0.1", "0.0.0.0", "::").
    public var host: String
    /// Port to bind; 0 picks a free port (read it back from ``HTTPServer/port``).
    public var port: Int
    /// Event-loop threads, each with its own SO_REUSEPORT listener. Defaults to the core count.
    public var eventLoopCount: Int
    /// Threads for blocking handlers (SQLite, password hashing).
    public var workerCount: Int
    /// Open connections beyond this are answered 503 and closed. `start()` raises the soft
    /// RLIMIT_NOFILE towards this (up to the hard limit); past that, accept pauses on EMFILE.
    public var maxConnections: Int
    public var limits: HTTPParserLimits
    /// Per-request body limit, asked once the head is parsed and before the body is read.
    /// Nil uses `limits.maxBodySize`.
    public var bodyLimit: (@Sendable (HTTPRequestHead) -> Int)?
    /// From the first byte of a request to the end of its header section → 408.
    public var headerTimeout: Duration
    /// From the end of the header section to the end of the body → 408.
    public var bodyTimeout: Duration
    /// How long a keep-alive connection may sit between requests before it is closed silently.
    public var idleTimeout: Duration
    /// How long queued response bytes may wait without any progress before the connection is dropped.
    public var writeTimeout: Duration
    /// Install handlers for `shutdownSignals` that call `shutdown(deadline: shutdownGracePeriod)`.
    /// One server per process can own them.
    public var handleSignals: Bool
    public var shutdownSignals: [Int32]
    public var shutdownGracePeriod: Duration
    /// Called after each response, on the event-loop thread: keep it quick (format and write a line).
    public var accessLog: (@Sendable (AccessLogEntry) -> Void)?
    /// Renders the engine's own error responses (400, 408, 413, 414, 431, 501, 505, 503 at the
    /// connection cap) from the status and a one-line reason, e.g. as problem details.
    /// The connection is closed after these whatever the hook returns. Nil: a short text/plain body.
    public var errorResponse: (@Sendable (HTTPStatus, String) -> HTTPResponse)?
    /// Listen backlog.
    public var backlog: Int32
    /// The time slice each event-loop thread asks the scheduler for (``TimeSlice``): a short one
    /// lets a loop that wakes get a core before the workers' slices end, which lowers the tail of
    /// costly pages and costs the cheapest ones some throughput (more switches). Nil (the
    /// default) keeps the kernel's slice.
    public var eventLoopSlice: Duration?

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
        eventLoopCount = max(1, System.coreCount)
        workerCount = 16
        maxConnections = 10_000
        limits = HTTPParserLimits()
        bodyLimit = nil
        headerTimeout = .seconds(10)
        bodyTimeout = .seconds(30)
        idleTimeout = .seconds(60)
        writeTimeout = .seconds(30)
        handleSignals = false
        shutdownSignals = [SIGTERM, SIGINT]
        shutdownGracePeriod = .seconds(10)
        accessLog = nil
        errorResponse = nil
        backlog = 1024
        eventLoopSlice = nil
    }
}

enum System {
    static var coreCount: Int {
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? count : 1
    }
}
