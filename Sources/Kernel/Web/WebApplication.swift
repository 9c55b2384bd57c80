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
    private let trustedProxies: Set<String>
    private let openAPIDocument: [UInt8]
    private let csrf: CSRF
    /// The deployment is served over TLS (its base_url is https): every response is then treated
    /// as secure, even when the proxy in front does not say so.
    private let servedOverTLS: Bool

    public init(kernel: Kernel) {
        self.kernel = kernel
        services = kernel.services
        shell = Shell(context: kernel.context)
        trustedProxies = Set(kernel.services.config.strings("server", "trusted_proxies"))
        var router = Router<WebRoute>()
        for route in Self.kernelRoutes(kernel: kernel) + kernel.context.web.routes {
            router.add(route.method, route.pattern, route)
        }
        self.router = router
        openAPIDocument = Array(Self.openAPI(kernel: kernel).jsonText(pretty: true).utf8)
        servedOverTLS = kernel.services.baseURL.lowercased().hasPrefix(
            "https://")
        do {
            csrf = CSRF(key: try CSRF.loadKey(from: kernel.services.database))
        } catch {
            // Forms still work on this server; other servers of the deployment reject its tokens.
            kernel.services.log.error(
                "cannot load the CSRF key; using one for this process", ["error": "\(error)"])
            csrf = CSRF(key: Array(RandomToken.hex().utf8))
        }
    }

    /// The engine's configuration from the deployment's `server` settings.
    public func serverConfiguration(host: String? = nil, port: Int? = nil) -> ServerConfiguration {
        let config = services.config
        var configuration = ServerConfiguration(
            host: host ?? config.string("server", "host"), port: port ?? config.int("server", "port"))
        configuration.maxConnections = config.int("server", "max_connections")
        configuration.workerCount = config.workerThreads
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

    func handle(_ incoming: HTTPRequest, route: WebRoute) -> HTTPResponse {
        var request = incoming
        applyForwardedHeaders(&request)
        if servedOverTLS { request.isSecure = true }
        let isAPI = route.kind == .api
        let authenticator = services.service(AuthenticatorBox.self)?.authenticator
        var member: SignedInMember?
        var viaBearer = false
        if let authorization = request.headers["Authorization"],
            authorization.lowercased().hasPrefix("bearer ")
        {
            let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            member = authenticator?.member(forBearerToken: token)
            viaBearer = true
            if member == nil {
                var response = Self.problem(
                    .init(code: 401), "Invalid token", "The bearer token is unknown, expired or revoked.")
                response.headers.add("WWW-Authenticate", "Bearer")
                return Self.secure(response, api: true, tls: request.isSecure)
            }
        } else {
            member = authenticator?.member(forSessionIn: request)
        }
        let cookies = request.cookies
        var setCookies: [SetCookie] = []
        let csrfToken: String
        if let sessionToken = member?.csrfToken {
            csrfToken = sessionToken
        } else if let cookieToken = cookies[CSRF.cookieName], csrf.isIssued(cookieToken) {
            csrfToken = cookieToken
        } else {
            csrfToken = csrf.issue()
            var cookie = SetCookie(name: CSRF.cookieName, value: csrfToken)
            cookie.secure = request.isSecure
            setCookies.append(cookie)
        }
        var flash: Flash?
        if let value = cookies[Flash.cookieName] {
            flash = Flash(cookieValue: value)
            setCookies.append(SetCookie.expired(name: Flash.cookieName))
        }
        let context = RequestContext(
            request: request, services: services, shell: shell, member: member, route: route,
            csrfToken: csrfToken,
            flash: flash)
        context.cookies = setCookies
        var response: HTTPResponse
        do {
            try authorize(route: route, member: member, context: context)
            if ["POST", "PUT", "PATCH", "DELETE"].contains(request.method), !viaBearer {
                try CSRF.verify(
                    request: request, context: context, expected: csrfToken, isAPI: isAPI,
                    hasSession: member != nil)
            }
            response = try route.handler(context)
        } catch let domain as DomainError {
            let error = WebError(domain)
            response = isAPI ? context.respond(Self.problem(error)) : shell.errorPage(error, context: context)
        } catch let error as WebError {
            if isAPI {
                response = context.respond(Self.problem(error))
            } else if error == .unauthorized, let signIn = shell.signInPath(next: request.target) {
                response = context.respond(.redirect(to: signIn))
            } else {
                response = shell.errorPage(error, context: context)
            }
        } catch {
            services.log.error("handler failed", ["path": request.path, "error": "\(error)"])
            if isAPI {
                response = context.respond(
                    Self.problem(
                        .internalServerError, "Internal error",
                        "Something went wrong on our side. It has been logged."))
            } else {
                response = context.page(
                    title: "Something went wrong",
                    body:
                        "<h1>Something went wrong</h1><p>Something went wrong on our side. It has been logged; please try again.</p>",
                    status: .internalServerError, sidebar: false)
            }
        }
        return Self.secure(response, api: isAPI, tls: request.isSecure)
    }

    private func authorize(route: WebRoute, member: SignedInMember?, context: RequestContext) throws {
        switch route.access {
        case .anyone: return
        case .members: if member == nil { throw WebError.unauthorized }
        case .moderators:
            guard let member else { throw WebError.unauthorized }
            if !member.isModerator { throw DomainError.forbidden("Only moderators can see this.") }
        case .admins:
            guard let member else { throw WebError.unauthorized }
            if !member.isAdmin { throw DomainError.forbidden("Only administrators can see this.") }
        }
    }

    /// X-Forwarded-For and X-Forwarded-Proto count only from configured trusted proxies.
    private func applyForwardedHeaders(_ request: inout HTTPRequest) {
        guard !trustedProxies.isEmpty, trustedProxies.contains(Self.host(of: request.remoteAddress)) else {
            return
        }
        if let proto = request.headers["X-Forwarded-Proto"]?.split(separator: ",").first {
            request.isSecure = proto.trimmingCharacters(in: .whitespaces).lowercased() == "https"
        }
        if let forwarded = request.headers["X-Forwarded-For"] {
            let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let client = hops.last(where: { !trustedProxies.contains($0) }) {
                request.remoteAddress = client
            }
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

    private static func isMarkedSecure(_ setCookie: String) -> Bool {
        setCookie.split(separator: ";").dropFirst().contains {
            $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure"
        }
    }

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
        + "frame-src https://www.youtube-nocookie.com https://player.vimeo.com; frame-ancestors 'none'; "
        + "form-action 'self'; base-uri 'none'; object-src 'none'"

    /// Security headers on every response. Over TLS (a trusted proxy said https, or the
    /// base_url is https) browsers are told to keep to https (HSTS, a year) and every cookie is
    /// marked Secure, whoever set it.
    static func secure(_ response: HTTPResponse, api: Bool, tls: Bool) -> HTTPResponse {
        var response = response
        if tls {
            response.headers.replaceOrAdd("Strict-Transport-Security", "max-age=31536000")
            let cookies = response.headers.values(for: "Set-Cookie")
            if cookies.contains(where: { !Self.isMarkedSecure($0) }) {
                response.headers.remove("Set-Cookie")
                for cookie in cookies {
                    response.headers.add(
                        "Set-Cookie", Self.isMarkedSecure(cookie) ? cookie : cookie + "; Secure")
                }
            }
        }
        response.headers.replaceOrAdd("X-Content-Type-Options", "nosniff")
        response.headers.replaceOrAdd("Referrer-Policy", "strict-origin-when-cross-origin")
        if !response.headers.contains("Content-Security-Policy") {
            response.headers.add(
                "Content-Security-Policy",
                api ? "default-src 'none'; frame-ancestors 'none'" : contentSecurityPolicy)
        }
        response.headers.replaceOrAdd("X-Frame-Options", "DENY")
        if !response.headers.contains("Cache-Control") {
            response.headers.add("Cache-Control", "no-store")
        }
        return response
    }
}
