import Glibc

/// Writing responses out, deadlines and shutdown: the second half of ``EventLoop``.
extension EventLoop {
    // MARK: - Writing

    func flush(_ connection: Connection) {
        while connection.outputByteCount > 0 {
            let written: Int
            if connection.output.count == 1 {
                let offset = connection.outputOffset
                written = connection.output[0].withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return 0 }
                    return send(connection.fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
            } else {
                written = gatherWrite(connection)
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    if connection.writeDeadline == 0 { connection.writeDeadline = now &+ writeTimeout }
                    return
                }
                close(connection)
                return
            }
            connection.consume(written)
            // Progress resets the clock: only a client that stops reading altogether is cut off.
            connection.writeDeadline = connection.outputByteCount > 0 ? now &+ writeTimeout : 0
        }
        if connection.phase == .closingAfterWrite { beginLinger(connection) }
    }

    /// `sendmsg` with an iovec per queued buffer: head and large body leave in one call.
    func gatherWrite(_ connection: Connection) -> Int {
        let count = min(connection.output.count, 16)
        var vectors = [iovec](repeating: iovec(), count: count)
        // The buffers stay alive in `connection.output` for the duration of the call.
        for index in 0..<count {
            let offset = index == 0 ? connection.outputOffset : 0
            connection.output[index].withUnsafeBytes { bytes in
                vectors[index] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress.map { $0 + offset }),
                    iov_len: bytes.count - offset)
            }
        }
        return vectors.withUnsafeMutableBufferPointer { pointer in
            var message = msghdr()
            message.msg_iov = pointer.baseAddress
            message.msg_iovlen = count
            return sendmsg(connection.fd, &message, Int32(MSG_NOSIGNAL))
        }
    }

    func beginLinger(_ connection: Connection) {
        if connection.peerClosed {
            close(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        setDeadline(connection, .closing, lingerTimeout)
    }

    func updateInterest(_ connection: Connection) {
        var desired: UInt32 = 0
        switch connection.phase {
        case .reading:
            if !connection.peerClosed && connection.outputByteCount < outputHighWater {
                desired |= SystemCalls.epollIn
            }
        case .lingering:
            desired |= SystemCalls.epollIn
        case .waitingForWorker, .closingAfterWrite:
            break
        }
        if connection.outputByteCount > 0 { desired |= SystemCalls.epollOut }
        if desired != connection.interest {
            connection.interest = desired
            _ = system.control(epollFD, SystemCalls.epollCtlMod, connection.fd, events: desired)
        }
    }

    // MARK: - Time

    func setDeadline(_ connection: Connection, _ kind: Connection.DeadlineKind, _ timeout: UInt64) {
        connection.deadlineKind = kind
        connection.deadline = now &+ timeout
    }

    func tick() {
        if acceptPausedUntil != 0 && now >= acceptPausedUntil && listenerFD >= 0 {
            acceptPausedUntil = 0
            _ = system.control(epollFD, SystemCalls.epollCtlMod, listenerFD, events: SystemCalls.epollIn)
        }
        for case let connection? in connections {
            if connection.writeDeadline != 0 && now >= connection.writeDeadline {
                close(connection)
                continue
            }
            guard connection.deadline != 0 && now >= connection.deadline else { continue }
            switch connection.deadlineKind {
            case .idle:
                // A response still being written is not idleness; the write deadline covers it.
                if connection.outputByteCount == 0 { close(connection) }
            case .closing:
                close(connection)
            case .header, .body:
                connection.deadline = 0
                connection.deadlineKind = .none
                guard connection.phase == .reading else { continue }
                let what = connection.parser.isReadingBody ? "body" : "header section"
                respond(
                    to: HTTPParseError(
                        .requestTimeout, .requestTimeout, "The request \(what) took too long"),
                    on: connection)
                service(connection)
            case .none:
                break
            }
        }
    }

    // MARK: - Shutdown

    func beginShutdown(deadline: UInt64) {
        shutdownDeadline = deadline
        if listenerFD >= 0 {
            _ = system.control(epollFD, SystemCalls.epollCtlDel, listenerFD, events: 0)
            Glibc.close(listenerFD)
            listenerFD = -1
        }
        for case let connection? in connections {
            if connection.phase == .reading && connection.parser.isIdle && connection.outputByteCount == 0 {
                close(connection)
            } else {
                connection.keepAlive = false
            }
        }
    }
}
