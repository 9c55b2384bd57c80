import Dispatch
import Foundation

/// A fixed set of threads running blocking work, fed from a FIFO queue.
///
/// Fixed on purpose: a blocked handler must not make the pool grow without bound, and requests
/// beyond the pool's size wait in the queue instead of stalling the event loops.
final class WorkerPool: Sendable {
    private struct Queue {
        var jobs: [(@Sendable () -> Void)?] = []
        var head = 0
        var stopping = false
    }

    // Jobs are appended by event loops and taken by workers: shared state, hence the lock.
    private let queue = PlainLock(Queue())
    private let available = DispatchSemaphore(value: 0)
    let threadCount: Int

    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        for index in 0..<self.threadCount {
            let thread = Thread { [self] in self.run() }
            thread.name = "http-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        queue.withLock { queue in queue.jobs.append(job) }
        available.signal()
    }

    /// Lets every worker finish its current job and exit.
    func stop() {
        queue.withLock { $0.stopping = true }
        for _ in 0..<threadCount { available.signal() }
    }

    private func run() {
        while true {
            available.wait()
            let job: (@Sendable () -> Void)? = queue.withLock { queue in
                if queue.head < queue.jobs.count {
                    let job = queue.jobs[queue.head]
                    queue.jobs[queue.head] = nil
                    queue.head += 1
                    if queue.head > 64 && queue.head * 2 > queue.jobs.count {
                        queue.jobs.removeFirst(queue.head)
                        queue.head = 0
                    }
                    return job
                }
                return nil
            }
            if let job {
                job()
            } else if queue.withLock({ $0.stopping }) {
                return
            }
        }
    }
}
