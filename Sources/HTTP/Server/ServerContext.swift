import Dispatch
import Synchronization

/// What every event loop shares: configuration, the responder, the worker pool and the
/// connection count that enforces the cap across loops (hence atomic).
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let pool: WorkerPool
    let connectionCount = Atomic<Int>(0)
    let loopsRunning = DispatchGroup()

    init(configuration: ServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.pool = WorkerPool(threadCount: configuration.workerCount)
    }
}
