/// Dispatches requests through a `Router<Route>`: sets `routeParameters`, answers 404 and 405
/// (with `Allow`), and runs each route inline or on the pool as it declares. Middleware wraps
/// every route handler and runs where the route runs, so middleware used with inline routes
/// must not block.
///
/// ```swift
/// var router = Router<Route>()
/// router.add("GET", "/plaintext", .inline { _ in .text("Hello, World!") })
/// let responder = RouterResponder(router: router, middleware: [logging])
/// let server = HTTPServer(configuration: config, responder: responder)
/// ```
public struct RouterResponder: HTTPResponder {
    public let router: Router<Route>
    public let middleware: [Middleware]
    /// Answers unmatched paths; runs on the pool (it usually renders a page).
    public let notFound: HTTPHandler?
    /// Answers a known path with the wrong method, given the allowed methods; runs inline.
    /// The `Allow` header is always set by the responder.
    public let methodNotAllowed: (@Sendable (HTTPRequest, [String]) -> HTTPResponse)?
    private let wrappedNotFound: HTTPHandler?

    public init(
        router: Router<Route>, middleware: [Middleware] = [], notFound: HTTPHandler? = nil,
        methodNotAllowed: (@Sendable (HTTPRequest, [String]) -> HTTPResponse)? = nil
    ) {
        self.router = router
        self.middleware = middleware
        self.notFound = notFound
        self.methodNotAllowed = methodNotAllowed
        self.wrappedNotFound = notFound.map { middleware.wrap($0) }
    }

    public func dispatch(_ request: HTTPRequest) -> HTTPDispatch {
        switch router.match(method: request.method, path: request.rawPath) {
        case .found(let route, let parameters):
            var request = request
            request.routeParameters = parameters
            let handler = middleware.isEmpty ? route.handler : middleware.wrap(route.handler)
            switch route.execution {
            case .inline:
                return .respond(handler(request))
            case .blocking:
                let routed = request
                return .offload { handler(routed) }
            }
        case .methodNotAllowed(let allowed):
            var response =
                methodNotAllowed?(request, allowed)
                ?? HTTPResponse.text("Method Not Allowed\n", status: .methodNotAllowed)
            response.headers.replaceOrAdd("Allow", allowed.joined(separator: ", "))
            return .respond(response)
        case .notFound:
            if let wrappedNotFound { return .offload { wrappedNotFound(request) } }
            return .respond(.text("Not Found\n", status: .notFound))
        }
    }
}
