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
