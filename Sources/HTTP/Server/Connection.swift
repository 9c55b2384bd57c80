import Glibc

/// One client connection. Owned by a single event loop and touched only on its thread.
final class Connection {
    enum Phase {
        /// Parsing requests and answering inline ones.
        case reading
        /// A request is on the worker pool; reading is paused so responses stay in order.
        case waitingForWorker
        /// The last response is being written; then the connection closes.
        case closingAfterWrite
        /// Write side shut; draining what the client still sends so the close does not reset
        /// the connection before the client has read our last response.
        case lingering
    }

    enum DeadlineKind {
        case none
        /// Between requests (or before the first byte): close silently.
        case idle
        /// Inside a header section: 408.
        case header
        /// Inside a body: 408.
        case body
        /// Writing the last response or lingering: close.
        case closing
    }

    let fd: Int32
    let id: UInt64
    let remoteAddress: String
    let parser: HTTPRequestParser
    /// False for connections over the cap, which only carry a 503.
    let countsTowardLimit: Bool

    var phase = Phase.reading
    var deadline: UInt64 = 0
    var deadlineKind = DeadlineKind.none
    /// When queued output must have made progress by; 0 when nothing is waiting to be written.
    var writeDeadline: UInt64 = 0
    var interest: UInt32 = 0
    var keepAlive = true
    var peerClosed = false

    var output: [[UInt8]] = []
    var outputOffset = 0
    var outputByteCount = 0

    var requestStart: UInt64 = 0
    var requestMethod = "-"
    var requestPath = "-"
    var requestIsHead = false
    var requestVersion = HTTPVersion.http1_1

    init(fd: Int32, id: UInt64, remoteAddress: String, limits: HTTPParserLimits, countsTowardLimit: Bool) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.countsTowardLimit = countsTowardLimit
    }

    func enqueue(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        output.append(bytes)
        outputByteCount += bytes.count
    }

    /// Drops `count` written bytes from the front of the output queue.
    func consume(_ count: Int) {
        var remaining = count
        outputByteCount -= count
        while remaining > 0, let first = output.first {
            let left = first.count - outputOffset
            if remaining >= left {
                remaining -= left
                output.removeFirst()
                outputOffset = 0
            } else {
                outputOffset += remaining
                remaining = 0
            }
        }
    }
}
