import Foundation
import HTTP

/// The HTTP front of a booted kernel: routes from the kernel and every enabled module, the
/// shell, authentication, CSRF protection, security headers, and errors as pages or problem
/// details. Plug it into an ``HTTPServer`` as its responder.
///
/// ```swift
/// let web = WebApplication(kernel: kernel)
/// let server = HTTPServer(configuration: web.serverConfiguration(), responder: web)
/// try server.run()
/// ```
public final class WebApplication: HTTPResponder {
    public let kernel: Kernel
    public let shell: Shell
    private let router: Router<WebRoute>
    private let services: Services
    private let openAPIDocument: [UInt8]
    /// The deployment is served over TLS (its base_url is https): every response is then treated
    /// as secure, even when the proxy in front does not say so.
    private let servedOverTLS: Bool
    /// The request path, built once. Read it top to bottom: each step runs before the ones
    /// below it and sees their response on the way out.
    let pipeline: WebPipeline

    public init(kernel: Kernel) {
        self.kernel = kernel
        services = kernel.services
        shell = Shell(context: kernel.context)
        var router = Router<WebRoute>()
        for route in Self.kernelRoutes(kernel: kernel) + kernel.context.web.routes {
            router.add(route.method, route.pattern, route)
        }
        self.router = router
        openAPIDocument = Array(Self.openAPI(kernel: kernel).jsonText(pretty: true).utf8)
        servedOverTLS = kernel.services.baseURL.lowercased().hasPrefix(
            "https://")
        let csrf: CSRF
        do {
            csrf = CSRF(key: try CSRF.loadKey(from: kernel.services.database))
        } catch {
            // Forms still work on this server; other servers of the deployment reject its tokens.
            kernel.services.log.error(
                "cannot load the CSRF key; using one for this process", ["error": "\(error)"])
            csrf = CSRF(key: Array(RandomToken.hex().utf8))
        }
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(parsing: kernel.services.config.strings("server", "trusted_proxies"))
        } catch {
            // The config's validation refuses bad entries; trusting nobody is the safe reading.
            kernel.services.log.error("ignoring server.trusted_proxies", ["error": "\(error)"])
            proxies = TrustedProxies([])
        }
        // The request path, outermost first.
        pipeline = WebPipeline(
            [
                SecurityHeadersMiddleware(inlineStyles: [shell.themeStylesheet]),  // on every response, error pages and 401s too
                ForwardedHeadersMiddleware(proxies: proxies, servedOverTLS: servedOverTLS),  // client, scheme, host
                AuthenticationMiddleware(),  // bearer token or session → context.member
                CSRFCookieMiddleware(csrf: csrf),  // → context.csrfToken
                FlashMiddleware(),  // → context.flash
                ErrorMiddleware(),  // what the steps below throw → page, redirect or problem details
                AuthorizationMiddleware(),  // the route's access rule
                CSRFCheckMiddleware(),  // state-changing browser requests
            ],
            handler: { context in try context.route.handler(context) })
    }

    /// The engine's configuration from the deployment's `server` settings.
    public func serverConfiguration(host: String? = nil, port: Int? = nil) -> ServerConfiguration {
        let config = services.config
        var configuration = ServerConfiguration(
            host: host ?? config.string("server", "host"), port: port ?? config.int("server", "port"))
        configuration.maxConnections = config.int("server", "max_connections")
        configuration.workerCount = config.workerThreads
        // Pages cost 100-400 µs of a worker's time; loops with a short slice write them sooner
        // (uncached searches at 64 connections: p99 -0.9 ms; the cheapest page loses ~9% of its
        // 20,000 req/s. BENCHMARKS.md, stop 31).
        configuration.eventLoopSlice = .microseconds(100)
        configuration.limits.maxHeaderSectionSize = config.int("server", "max_header_bytes")
        let defaultLimit = config.int("server", "max_body_bytes")
        let router = self.router
        configuration.bodyLimit = { head in
            if case .found(let route, _) = router.match(method: head.method, path: head.rawPath),
                let limit = route.bodyLimit
            {
                return limit
            }
            return defaultLimit
        }
        return configuration
    }

    // MARK: Dispatch

    public func dispatch(_ request: HTTPRequest) -> HTTPDispatch {
        switch router.match(method: request.method, path: request.rawPath) {
        case .found(let route, let parameters):
            var request = request
            request.routeParameters = parameters
            if route.pattern == "/healthz" {
                return .respond(Self.secure(.text("ok\n"), api: false, tls: servedOverTLS))
            }
            let routed = request
            return .offload { [self] in handle(routed, route: route) }
        case .methodNotAllowed(let allowed):
            var response = Self.problem(
                .init(code: 405), "Method not allowed", "\(request.method) is not allowed here.")
            response.headers.add("Allow", allowed.joined(separator: ", "))
            return .respond(Self.secure(response, api: true, tls: servedOverTLS))
        case .notFound:
            if request.path.hasPrefix("/api/") {
                return .respond(
                    Self.secure(
                        Self.problem(.notFound, "Not found", "No such API resource."), api: true,
                        tls: servedOverTLS))
            }
            let notFound = WebRoute(method: request.method, pattern: "", kind: .page) { _ in
                throw DomainError.notFound
            }
            return .offload { [self] in handle(request, route: notFound) }
        }
    }

    /// Runs `request` through ``pipeline`` to its route's handler.
    func handle(_ request: HTTPRequest, route: WebRoute) -> HTTPResponse {
        let context = RequestContext(request: request, services: services, shell: shell, route: route)
        do {
            // One read transaction for the whole request (Storage's ReadScope): one WAL read lock
            // instead of one per section of the page, and one consistent state on the page.
            return try services.database.readScope { try pipeline.respond(to: context) }
        } catch {
            // ErrorMiddleware answers everything thrown below it; the steps above it do not throw.
            services.log.error("request path failed", ["path": request.path, "error": "\(error)"])
            return Self.secure(
                .text("Internal error\n", status: .internalServerError), api: false, tls: false)
        }
    }

    /// The address without its port: "127.0.0.1:5000" → "127.0.0.1", "[::1]:5000" → "::1".
    public static func host(of remote: String) -> String {
        if remote.hasPrefix("["), let end = remote.firstIndex(of: "]") {
            return String(remote[remote.index(after: remote.startIndex)..<end])
        }
        if let colon = remote.lastIndex(of: ":"), remote.filter({ $0 == ":" }).count == 1 {
            return String(remote[..<colon])
        }
        return remote
    }

    // MARK: Responses

    static func problem(_ status: HTTPStatus, _ title: String, _ detail: String) -> HTTPResponse {
        let body: JSONValue = [
            "type": "about:blank", "title": .string(title), "status": .int(Int64(status.code)),
            "detail": .string(detail),
        ]
        var response = HTTPResponse(status: status, body: Array(body.jsonText().utf8))
        response.headers.add("Content-Type", "application/problem+json")
        return response
    }

    static func problem(_ error: WebError) -> HTTPResponse {
        var body: [(String, JSONValue)] = [
            ("type", "about:blank"), ("title", .string(error.title)),
            ("status", .int(Int64(error.status.code))),
            ("detail", .string(error.detail)),
        ]
        if let fields = error.fieldErrors {
            body.append(
                (
                    "errors",
                    .array(fields.map { ["field": .string($0.field), "message": .string($0.message)] })
                ))
        }
        var response = HTTPResponse(status: error.status, body: Array(JSONValue.object(body).jsonText().utf8))
        response.headers.add("Content-Type", "application/problem+json")
        if error == .unauthorized { response.headers.add("WWW-Authenticate", "Bearer") }
        return response
    }

    static func secure(_ response: HTTPResponse, api: Bool, tls: Bool) -> HTTPResponse {
        SecurityHeadersMiddleware.secure(response, api: api, tls: tls)
    }
}
