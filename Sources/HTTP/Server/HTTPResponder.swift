/// A request handler: a plain function from request to response.
///
/// ```swift
/// let hello: HTTPHandler = { request in .text("Hello from \(request.path)") }
/// ```
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// Middleware is function wrapping: it receives the request and the next handler.
///
/// ```swift
/// let timing: Middleware = { request, next in
///     var response = next(request)
///     response.headers.add("X-Handled-By", "pln")
///     return response
/// }
/// ```
public typealias Middleware = @Sendable (HTTPRequest, HTTPHandler) -> HTTPResponse

extension Array where Element == Middleware {
    /// Wraps `handler` so the first middleware in the array runs first (outermost).
    public func wrap(_ handler: @escaping HTTPHandler) -> HTTPHandler {
        reversed().reduce(handler) { next, middleware in
            { request in middleware(request, next) }
        }
    }
}

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

/// Runs one handler for every request on the worker pool.
///
/// ```swift
/// let server = HTTPServer(configuration: config, responder: BlockingResponder { request in
///     .text("You asked for \(request.path)")
/// })
/// ```
public struct BlockingResponder: HTTPResponder {
    public let handler: HTTPHandler

    public init(_ handler: @escaping HTTPHandler) { self.handler = handler }

    public func dispatch(_ request: HTTPRequest) -> HTTPDispatch {
        let handler = handler
        return .offload { handler(request) }
    }
}
