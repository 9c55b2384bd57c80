import Glibc

/// One epoll loop on one thread: accepts from its own SO_REUSEPORT listener, reads, parses,
/// answers inline requests, hands blocking ones to the worker pool and writes responses in order.
///
/// Everything except `post` runs on the loop's thread; `post` is how workers and `shutdown`
/// reach it (a locked inbox plus an eventfd wake-up), which is why the class is
/// `@unchecked Sendable`.
final class EventLoop: @unchecked Sendable {
    enum Message {
        case completed(fd: Int32, id: UInt64, response: HTTPResponse)
        case shutdown(deadline: UInt64)
    }

    let context: ServerContext
    let system: SystemCalls
    let epollFD: Int32
    let wakeFD: Int32
    var listenerFD: Int32
    struct Inbox {
        var messages: [Message] = []
        /// Set when the loop has exited: later posts (a worker finishing after a forced
        /// shutdown) are dropped rather than written to a closed, possibly reused, eventfd.
        var closed = false
        var wakePending = false
    }

    let inbox = PlainLock(Inbox())

    var connections: [Connection?] = []
    var liveCount = 0
    var nextID: UInt64
    var now: UInt64 = Clock.now()
    var dateBytes: [UInt8] = []
    var dateSecond = -1
    var acceptPausedUntil: UInt64 = 0
    var shutdownDeadline: UInt64?
    var nextTick: UInt64 = 0
    let tickInterval: UInt64
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let idleTimeout: UInt64
    let writeTimeout: UInt64
    let closingTimeout: UInt64 = 10_000_000_000
    let lingerTimeout: UInt64 = 1_000_000_000
    /// Stop parsing further pipelined requests while this much output is unsent.
    let outputHighWater = 256 * 1024
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 16384, alignment: 8)

    init(index: Int, listenerFD: Int32, context: ServerContext, system: SystemCalls) throws(HTTPServerError) {
        self.context = context
        self.system = system
        self.listenerFD = listenerFD
        nextID = UInt64(index) << 48
        let configuration = context.configuration
        headerTimeout = configuration.headerTimeout.nanosecondsClamped
        bodyTimeout = configuration.bodyTimeout.nanosecondsClamped
        idleTimeout = configuration.idleTimeout.nanosecondsClamped
        writeTimeout = configuration.writeTimeout.nanosecondsClamped
        let shortest = min(headerTimeout, bodyTimeout, idleTimeout, writeTimeout)
        tickInterval = min(max(shortest / 5, 10_000_000), 250_000_000)
        epollFD = system.epollCreate1(SystemCalls.closeOnExec)
        guard epollFD >= 0 else { throw .systemCallFailed(call: "epoll_create1", errno: errno) }
        wakeFD = system.eventFD(0, SystemCalls.nonBlocking | SystemCalls.closeOnExec)
        guard wakeFD >= 0 else {
            Glibc.close(epollFD)
            throw .systemCallFailed(call: "eventfd", errno: errno)
        }
        _ = system.control(epollFD, SystemCalls.epollCtlAdd, wakeFD, events: SystemCalls.epollIn)
        _ = system.control(epollFD, SystemCalls.epollCtlAdd, listenerFD, events: SystemCalls.epollIn)
    }

    deinit { scratch.deallocate() }

    /// Thread-safe: queues a message and wakes the loop.
    func post(_ message: Message) {
        let wakeFD = wakeFD
        inbox.withLock { inbox in
            guard !inbox.closed else { return }
            inbox.messages.append(message)
            if !inbox.wakePending {
                inbox.wakePending = true
                var one: UInt64 = 1
                _ = Glibc.write(wakeFD, &one, 8)
            }
        }
    }

    // MARK: - Loop

    func run() {
        let events = EpollEventBuffer(capacity: 512)
        defer {
            events.deallocate()
            for case let connection? in connections { close(connection) }
            if listenerFD >= 0 { Glibc.close(listenerFD) }
            let wakeFD = wakeFD
            inbox.withLock { inbox in
                inbox.closed = true
                Glibc.close(wakeFD)
            }
            Glibc.close(epollFD)
            context.loopsRunning.leave()
        }
        if let slice = context.configuration.eventLoopSlice {
            TimeSlice.requestForCurrentThread(nanoseconds: slice.nanosecondsClamped)
        }
        now = Clock.now()
        refreshDate()
        nextTick = now + tickInterval
        while true {
            let wait = nextTick > now ? Int32(min((nextTick - now + 999_999) / 1_000_000, 1000)) : 0
            let count = system.epollWait(epollFD, events.storage, Int32(events.capacity), wait)
            now = Clock.now()
            refreshDate()
            if count < 0 && errno != EINTR { return }
            for index in 0..<max(0, Int(count)) {
                let fd = events.fd(at: index)
                let flags = events.events(at: index)
                if fd == wakeFD {
                    drainInbox()
                } else if fd == listenerFD {
                    acceptConnections()
                } else if fd >= 0, fd < connections.count, let connection = connections[Int(fd)] {
                    handle(connection, flags: flags)
                }
            }
            if now >= nextTick {
                tick()
                nextTick = now + tickInterval
            }
            if let shutdownDeadline, liveCount == 0 || now >= shutdownDeadline { return }
        }
    }

    func refreshDate() {
        let second = time(nil)
        if second != dateSecond {
            dateSecond = second
            dateBytes = HTTPDate.formatBytes(epochSeconds: second)
        }
    }

    func drainInbox() {
        var counter: UInt64 = 0
        _ = Glibc.read(wakeFD, &counter, 8)
        let messages = inbox.withLock { inbox in
            inbox.wakePending = false
            let taken = inbox.messages
            inbox.messages.removeAll(keepingCapacity: true)
            return taken
        }
        for message in messages {
            switch message {
            case .completed(let fd, let id, let response):
                guard fd >= 0, Int(fd) < connections.count, let connection = connections[Int(fd)],
                    connection.id == id, connection.phase == .waitingForWorker
                else { continue }
                write(response, on: connection)
                service(connection)
            case .shutdown(let deadline):
                beginShutdown(deadline: deadline)
            }
        }
    }

    // MARK: - Accepting

    func acceptConnections() {
        guard listenerFD >= 0 else { return }
        let configuration = context.configuration
        for _ in 0..<256 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    system.accept4(
                        listenerFD, address, &length, SystemCalls.nonBlocking | SystemCalls.closeOnExec)
                }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: the pending connection stays queued and the listener stays
                    // readable, so stop watching it for a moment instead of spinning.
                    _ = system.control(epollFD, SystemCalls.epollCtlMod, listenerFD, events: 0)
                    acceptPausedUntil = now + 100_000_000
                    return
                default:
                    return
                }
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let overCap =
                context.connectionCount.add(1, ordering: .relaxed).newValue > configuration.maxConnections
            if overCap { context.connectionCount.subtract(1, ordering: .relaxed) }
            nextID &+= 1
            let connection = Connection(
                fd: fd, id: nextID, remoteAddress: SocketAddress.describe(&storage),
                limits: configuration.limits,
                countsTowardLimit: !overCap)
            register(connection)
            if overCap || shutdownDeadline != nil {
                let detail = "Too many connections; try again shortly."
                var response =
                    configuration.errorResponse?(.serviceUnavailable, detail)
                    ?? HTTPResponse.text("Service Unavailable: \(detail)\n", status: .serviceUnavailable)
                response.headers.add("Retry-After", "1")
                connection.keepAlive = false
                write(response, on: connection)
                service(connection)
            } else {
                setDeadline(connection, .idle, headerTimeout)
            }
        }
    }

    func register(_ connection: Connection) {
        let fd = Int(connection.fd)
        if fd >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: max(fd + 1 - connections.count, 256)))
        }
        connections[fd] = connection
        liveCount += 1
        connection.interest = SystemCalls.epollIn
        _ = system.control(epollFD, SystemCalls.epollCtlAdd, connection.fd, events: SystemCalls.epollIn)
    }

    func close(_ connection: Connection) {
        guard connections.indices.contains(Int(connection.fd)), connections[Int(connection.fd)] === connection
        else { return }
        connections[Int(connection.fd)] = nil
        liveCount -= 1
        _ = system.control(epollFD, SystemCalls.epollCtlDel, connection.fd, events: 0)
        Glibc.close(connection.fd)
        if connection.countsTowardLimit { context.connectionCount.subtract(1, ordering: .relaxed) }
    }

    func isOpen(_ connection: Connection) -> Bool {
        Int(connection.fd) < connections.count && connections[Int(connection.fd)] === connection
    }

    // MARK: - Events

    func handle(_ connection: Connection, flags: UInt32) {
        if flags & SystemCalls.epollErr != 0 {
            close(connection)
            return
        }
        if flags & SystemCalls.epollHup != 0
            && (connection.phase == .waitingForWorker || connection.phase == .closingAfterWrite)
        {
            // Both directions are gone: nobody can read the pending response, and a level-triggered
            // hang-up would otherwise be reported on every loop turn until the worker finishes.
            close(connection)
            return
        }
        if flags & SystemCalls.epollOut != 0 {
            flush(connection)
            guard isOpen(connection) else { return }
        }
        if flags & SystemCalls.epollIn != 0 || flags & SystemCalls.epollHup != 0 {
            readable(connection)
            guard isOpen(connection) else { return }
        }
        service(connection)
    }

    func readable(_ connection: Connection) {
        if connection.phase == .lingering {
            while true {
                let count = recv(connection.fd, scratch, 16384, 0)
                if count > 0 { continue }
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
                if count < 0 && errno == EINTR { continue }
                close(connection)
                return
            }
        }
        guard connection.phase == .reading else { return }
        let buffer = connection.parser.buffer
        for _ in 0..<4 {
            if buffer.writableCount < 2048 { buffer.reserveWritable(max(4096, buffer.readableCount)) }
            let space = buffer.writableCount
            let count = recv(connection.fd, buffer.writablePointer, space, 0)
            if count > 0 {
                buffer.writerIndex += count
                if count < space { break }
                continue
            }
            if count == 0 {
                connection.peerClosed = true
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            close(connection)
            return
        }
    }

    /// Parses and answers what is buffered, writes what is queued, then fixes the epoll interest.
    func service(_ connection: Connection) {
        while true {
            let stalledOnOutput = connection.phase == .reading && process(connection)
            guard isOpen(connection) else { return }
            if connection.peerClosed && connection.phase == .reading && !stalledOnOutput {
                // Nothing more will arrive: anything half-received is abandoned.
                connection.phase = .closingAfterWrite
                setDeadline(connection, .closing, closingTimeout)
            }
            flush(connection)
            guard isOpen(connection) else { return }
            // Pipelined requests wait while output is backed up; once it drains, carry on.
            if stalledOnOutput && connection.outputByteCount < outputHighWater { continue }
            break
        }
        updateInterest(connection)
    }

    /// Handles buffered requests; returns true when it stopped because too much output is queued.
    func process(_ connection: Connection) -> Bool {
        let parser = connection.parser
        while connection.phase == .reading {
            if connection.outputByteCount >= outputHighWater { return true }
            let event: HTTPRequestParser.Event
            do {
                event = try parser.next()
            } catch {
                respond(to: error, on: connection)
                return false
            }
            switch event {
            case .needMoreData:
                if parser.isIdle {
                    if connection.deadlineKind != .idle { setDeadline(connection, .idle, idleTimeout) }
                    parser.buffer.shrinkIfIdle(to: 2048)
                } else if parser.isReadingBody {
                    if connection.deadlineKind != .body { setDeadline(connection, .body, bodyTimeout) }
                } else if connection.deadlineKind != .header {
                    setDeadline(connection, .header, headerTimeout)
                }
                return false
            case .head(let head):
                let limit = context.configuration.bodyLimit?(head) ?? parser.limits.maxBodySize
                do {
                    try parser.continueWithBody(limit: limit)
                } catch {
                    connection.requestMethod = head.method
                    connection.requestPath = head.rawPath
                    respond(to: error, on: connection)
                    return false
                }
                if parser.expectsContinue && parser.bufferedByteCount == 0 {
                    connection.enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                setDeadline(connection, .body, bodyTimeout)
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                connection.requestStart = now
                connection.requestMethod = request.method
                connection.requestPath = request.rawPath
                connection.requestIsHead = request.method == "HEAD"
                connection.requestVersion = request.version
                connection.keepAlive = parser.keepAlive
                connection.deadlineKind = .none
                connection.deadline = 0
                switch context.responder.dispatch(request) {
                case .respond(let response):
                    write(response, on: connection)
                case .offload(let work):
                    connection.phase = .waitingForWorker
                    let fd = connection.fd
                    let id = connection.id
                    context.pool.submit { [self] in
                        self.post(.completed(fd: fd, id: id, response: work()))
                    }
                    return false
                }
            }
        }
        return false
    }

    func respond(to error: HTTPParseError, on connection: Connection) {
        connection.keepAlive = false
        connection.requestIsHead = false
        if connection.requestStart == 0 { connection.requestStart = now }
        write(
            context.configuration.errorResponse?(error.status, error.detail)
                ?? HTTPResponse.text("\(error.status.reasonPhrase): \(error.detail)\n", status: error.status),
            on: connection)
    }

    func write(_ response: HTTPResponse, on connection: Connection) {
        let keepAlive = connection.keepAlive && !connection.peerClosed && shutdownDeadline == nil
        let output = ResponseSerializer.serialize(
            response, isHead: connection.requestIsHead, keepAlive: keepAlive,
            requestVersion: connection.requestVersion, date: dateBytes)
        connection.enqueue(output.head)
        if let body = output.body { connection.enqueue(body) }
        if let accessLog = context.configuration.accessLog {
            // Read the clock again: `now` is the loop turn's start, too coarse for inline handlers.
            let elapsed = connection.requestStart == 0 ? 0 : Clock.now() &- connection.requestStart
            accessLog(
                AccessLogEntry(
                    method: connection.requestMethod, path: connection.requestPath,
                    status: response.status.code,
                    duration: .nanoseconds(Int64(clamping: elapsed)), remoteAddress: connection.remoteAddress,
                    bodyBytes: output.bodyBytes))
        }
        connection.requestMethod = "-"
        connection.requestPath = "-"
        connection.requestStart = 0
        connection.requestIsHead = false
        if keepAlive && !output.closeRequested {
            connection.phase = .reading
        } else {
            connection.phase = .closingAfterWrite
            setDeadline(connection, .closing, closingTimeout)
        }
    }
}
