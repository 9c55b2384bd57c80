import Dispatch
import Foundation
import Glibc
import Synchronization

/// The HTTP/1.1 server: one epoll event loop per core, a bounded worker pool for blocking
/// handlers, graceful shutdown.
///
/// ```swift
/// let server = HTTPServer(configuration: ServerConfiguration(port: 8080), responder: BlockingResponder { _ in
///     .text("Hello, World!")
/// })
/// try server.start()
/// server.waitUntilStopped()   // or later: server.shutdown(deadline: .seconds(10))
/// ```
public final class HTTPServer: Sendable {
    private struct State: ~Copyable {
        var started = false
        var stopping = false
        var port = 0
        var context: ServerContext?
        var loops: [EventLoop] = []
        var signalWatcher: SignalWatcher?
    }

    public let configuration: ServerConfiguration
    private let responder: any HTTPResponder
    private let system: SystemCalls?
    // start/shutdown may be called from any thread (a signal handler, a test).
    private let state = Mutex(State())
    private let stopped = DispatchGroup()

    public init(configuration: ServerConfiguration, responder: some HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.system = nil
    }

    /// Lets tests substitute system calls (e.g. an `accept4` that fails with EMFILE).
    init(configuration: ServerConfiguration, responder: some HTTPResponder, system: SystemCalls) {
        self.configuration = configuration
        self.responder = responder
        self.system = system
    }

    /// The bound port (useful with `port: 0`); 0 before `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// Binds, starts the event loops and returns. A server starts once; make a new one to restart.
    public func start() throws(HTTPServerError) {
        guard let system = system ?? SystemCalls.shared else { throw .epollUnavailable }
        try state.withLock { (state: inout State) throws(HTTPServerError) in
            if state.started { throw .alreadyStarted }
            state.started = true
        }
        signal(SIGPIPE, SIG_IGN)
        Self.raiseFileLimit(toAtLeast: configuration.maxConnections + 256)
        let loopCount = max(1, configuration.eventLoopCount)
        var listeners: [Int32] = []
        do {
            var port = configuration.port
            if port != 0 {
                // SO_REUSEPORT would let a second copy of the server (same user) silently share
                // the port; a plain bind first makes "address in use" an error instead.
                Glibc.close(
                    try Self.makeSocket(
                        host: configuration.host, port: port, reusePort: false, listening: false))
            }
            for _ in 0..<loopCount {
                let fd = try Self.makeSocket(
                    host: configuration.host, port: port, reusePort: true, listening: true,
                    backlog: configuration.backlog)
                listeners.append(fd)
                if port == 0 { port = Self.boundPort(fd) }
            }
            let context = ServerContext(configuration: configuration, responder: responder)
            var loops: [EventLoop] = []
            for (index, fd) in listeners.enumerated() {
                loops.append(try EventLoop(index: index, listenerFD: fd, context: context, system: system))
            }
            stopped.enter()
            for (index, loop) in loops.enumerated() {
                context.loopsRunning.enter()
                let thread = Thread { loop.run() }
                thread.name = "http-loop-\(index)"
                thread.start()
            }
            let boundPort = port
            state.withLock { state in
                state.port = boundPort
                state.context = context
                state.loops = loops
            }
            if configuration.handleSignals { installSignalHandlers() }
        } catch {
            for fd in listeners { Glibc.close(fd) }
            state.withLock { $0.started = false }
            throw error
        }
    }

    /// Stops accepting (new connections are refused), closes idle connections, lets in-flight
    /// requests finish and be answered with `Connection: close`, and force-closes whatever is
    /// left at the deadline. Blocks until the loops have stopped. Safe to call more than once.
    public func shutdown(deadline: Duration = .seconds(10)) {
        let (context, loops, first) = state.withLock { state in
            let first = state.started && !state.stopping
            if first { state.stopping = true }
            return (state.context, state.loops, first)
        }
        guard let context else { return }
        if first {
            let deadlineNanos = Clock.now() &+ deadline.nanosecondsClamped
            for loop in loops { loop.post(.shutdown(deadline: deadlineNanos)) }
            context.loopsRunning.wait()
            context.pool.stop()
            state.withLock { $0.signalWatcher?.stop() }
            stopped.leave()
        } else {
            stopped.wait()
        }
    }

    /// Blocks until the server has been shut down (for `main`).
    public func waitUntilStopped() {
        guard state.withLock({ $0.started }) else { return }
        stopped.wait()
    }

    /// Starts, then blocks until shut down (by `shutdown(deadline:)` or, with `handleSignals`,
    /// one of `shutdownSignals`).
    public func run() throws(HTTPServerError) {
        try start()
        waitUntilStopped()
    }

    /// Open connections right now, across all loops.
    public var connectionCount: Int {
        state.withLock { $0.context?.connectionCount.load(ordering: .relaxed) ?? 0 }
    }

    private func installSignalHandlers() {
        let grace = configuration.shutdownGracePeriod
        let watcher = SignalWatcher(signals: configuration.shutdownSignals) { [self] _ in
            self.shutdown(deadline: grace)
        }
        state.withLock { $0.signalWatcher = watcher }
    }

    /// Whether this server installed the process's shutdown-signal handlers.
    var ownsSignalHandling: Bool { state.withLock { $0.signalWatcher != nil } }

    // MARK: - Sockets

    /// The default soft limit (often 1,024) would hit EMFILE long before `maxConnections`; the
    /// hard limit is the administrator's decision, so the soft one is raised only up to it.
    private static func raiseFileLimit(toAtLeast wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else {
            return
        }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    private static func makeSocket(
        host: String, port: Int, reusePort: Bool, listening: Bool, backlog: Int32 = 0
    ) throws(HTTPServerError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw .addressResolutionFailed(
                host: host, port: port, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | SystemCalls.closeOnExec, 0)
        guard fd >= 0 else { throw .systemCallFailed(call: "socket", errno: errno) }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size)
        if reusePort { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) }
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .bindFailed(host: host, port: port, errno: code)
        }
        if !listening { return fd }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .systemCallFailed(call: "listen", errno: code)
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        return fd
    }

    private static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
    }
}
