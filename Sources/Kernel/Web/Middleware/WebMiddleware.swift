import HTTP

/// One step of the request path, with one responsibility. It sees the request's context on the
/// way in, may answer without calling `next`, and sees (and may change) the response on the way
/// out. ``WebApplication`` lists its steps once, at start-up, in a ``WebPipeline``.
///
/// ```swift
/// struct HandledBy: WebMiddleware {
///     func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
///         var response = try next(context)
///         response.headers.add("X-Handled-By", "pln")
///         return response
///     }
/// }
/// ```
public protocol WebMiddleware: Sendable {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse
}

/// What answers a request: the rest of the pipeline, and at its end the route's handler.
public typealias WebResponder = @Sendable (RequestContext) throws -> HTTPResponse

/// Middleware composed around a handler, once: the first in the list runs first (outermost).
/// The chain of closures is built here, so a request allocates nothing for the pipeline.
///
/// ```swift
/// let pipeline = WebPipeline([SecurityHeadersMiddleware(servedOverTLS: false)]) { context in
///     try context.route.handler(context)
/// }
/// let response = try pipeline.respond(to: context)
/// ```
public struct WebPipeline: Sendable {
    /// The steps, outermost first (what ``WebApplication`` documents as its request path).
    public let middleware: [any WebMiddleware]
    private let responder: WebResponder

    public init(_ middleware: [any WebMiddleware], handler: @escaping WebResponder) {
        self.middleware = middleware
        responder = middleware.reversed().reduce(handler) { next, step in
            { context in try step.respond(to: context, next: next) }
        }
    }

    public func respond(to context: RequestContext) throws -> HTTPResponse {
        try responder(context)
    }
}
