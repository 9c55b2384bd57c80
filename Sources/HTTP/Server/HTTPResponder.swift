/// A request handler: a plain function from request to response.
///
/// ```swift
/// let hello: HTTPHandler = { request in .text("Hello from \(request.path)") }
/// ```
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// What to do with a request, decided on the event loop.
///
/// ```swift
/// func dispatch(_ request: HTTPRequest) -> HTTPDispatch {
///     request.path == "/healthz" ? .respond(.text("ok")) : .offload { render(request) }
/// }
/// ```
public enum HTTPDispatch: Sendable {
    /// Already answered on the event loop (trivial, non-blocking work only).
    case respond(HTTPResponse)
    /// Run on the bounded worker pool (anything that may block: SQLite, hashing, files).
    case offload(@Sendable () -> HTTPResponse)
}

/// The server's single entry point into the application.
///
/// `dispatch` runs on an event-loop thread and must not block: it either answers at once or
/// hands back work for the worker pool. ``RouterResponder`` implements it from a routing table;
/// ``BlockingResponder`` sends everything to the pool.
///
/// ```swift
/// struct Hello: HTTPResponder {
///     func dispatch(_ request: HTTPRequest) -> HTTPDispatch { .respond(.text("Hello")) }
/// }
/// ```
public protocol HTTPResponder: Sendable {
    func dispatch(_ request: HTTPRequest) -> HTTPDispatch
}
