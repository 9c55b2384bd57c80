import Foundation
import Glibc
import Synchronization

/// Write end of the self-pipe the signal handler writes to; -1 when no server watches signals.
/// Signal dispositions are process-wide, so at most one server watches signals.
private let signalPipeWriteFD = Atomic<Int32>(-1)

/// Runs in signal context: only async-signal-safe work (an atomic load and `write`).
private func relaySignal(_ number: Int32) {
    let fd = signalPipeWriteFD.load(ordering: .relaxed)
    if fd >= 0 {
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(fd, &byte, 1)
    }
}

/// Turns shutdown signals (SIGTERM, SIGINT by default) into a call on a normal thread, through a `sigaction` handler and a
/// self-pipe. (A Dispatch signal source needs the signal ignored, and an ignored signal that
/// lands on a thread other than Dispatch's is simply lost.)
///
/// After the first signal the default disposition is restored, so a second Ctrl-C kills at once.
final class SignalWatcher: Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    /// Guards the pipe's file descriptors against `stop()` writing to them after they are closed.
    private let closed = Mutex(false)

    /// Installs the handlers and starts the watching thread; nil when another server already
    /// watches signals or the pipe cannot be created.
    init?(signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(readFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeFD, F_SETFD, FD_CLOEXEC)
        guard
            signalPipeWriteFD.compareExchange(
                expected: -1, desired: writeFD, ordering: .acquiringAndReleasing
            ).exchanged
        else {
            Glibc.close(readFD)
            Glibc.close(writeFD)
            return nil
        }
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = relaySignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(number, &action, nil)
        }
        let readFD = readFD
        let writeFD = writeFD
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readFD, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                break
            }
            Self.restoreDefaults(signals)
            _ = signalPipeWriteFD.compareExchange(
                expected: writeFD, desired: -1, ordering: .acquiringAndReleasing)
            closed.withLock { isClosed in
                isClosed = true
                Glibc.close(readFD)
                Glibc.close(writeFD)
            }
            // Byte 0 is `stop()`: the server stopped for another reason.
            if byte != 0 { onSignal(Int32(byte)) }
        }
        thread.name = "http-signals"
        thread.start()
    }

    /// Stops watching (the server is shutting down by other means).
    func stop() {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            var zero: UInt8 = 0
            _ = write(writeFD, &zero, 1)
        }
    }

    private static func restoreDefaults(_ signals: [Int32]) {
        for number in signals { signal(number, SIG_DFL) }
    }
}
