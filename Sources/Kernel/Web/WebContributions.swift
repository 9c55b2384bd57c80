import HTTP

/// Who may reach a route. The shell checks it before the handler runs.
public enum Access: Sendable, Equatable {
    case anyone
    /// Signed-in members in good standing (not pending, not suspended).
    case members
    case moderators
    case admins
}

/// A route a module contributes.
///
/// ```swift
/// context.web.page("GET", "/blog/:slug") { ctx in ctx.page(title: "Post", body: "<p>…</p>") }
/// context.web.api("POST", "/api/v1/statuses", access: .members) { ctx in … }
/// ```
public struct WebRoute: Sendable {
    public enum Kind: Sendable { case page, api }
    public var method: String
    public var pattern: String
    public var kind: Kind
    public var access: Access
    /// Largest body this route accepts (nil: the server's default).
    public var bodyLimit: Int?
    public var handler: @Sendable (RequestContext) throws -> HTTPResponse

    public init(
        method: String, pattern: String, kind: Kind, access: Access = .anyone, bodyLimit: Int? = nil,
        handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) {
        self.method = method
        self.pattern = pattern
        self.kind = kind
        self.access = access
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}

/// A block a module adds to the home page, in order.
public struct HomeSection: Sendable {
    public var order: Int
    public var render: @Sendable (RequestContext) throws -> HTML
    public init(order: Int, render: @escaping @Sendable (RequestContext) throws -> HTML) {
        self.order = order
        self.render = render
    }
}

/// Routes, home sections and API description contributed by modules.
public struct WebContributions: Sendable {
    public private(set) var routes: [WebRoute] = []
    public private(set) var homeSections: [HomeSection] = []
    public private(set) var openAPIPaths: [(path: String, method: String, operation: JSONValue)] = []
    public private(set) var openAPISchemas: [(name: String, schema: JSONValue)] = []

    public init() {}

    public mutating func page(
        _ method: String, _ pattern: String, access: Access = .anyone, bodyLimit: Int? = nil,
        _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) {
        routes.append(WebRoute(method: method, pattern: pattern, kind: .page, access: access, bodyLimit: bodyLimit, handler: handler))
    }

    /// A JSON API route; `operation` is its OpenAPI 3.1 Operation Object.
    public mutating func api(
        _ method: String, _ pattern: String, access: Access = .anyone, operation: JSONValue,
        _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) {
        routes.append(WebRoute(method: method, pattern: pattern, kind: .api, access: access, handler: handler))
        let openAPIPath = pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
        openAPIPaths.append((openAPIPath, method.lowercased(), operation))
    }

    public mutating func schema(_ name: String, _ schema: JSONValue) { openAPISchemas.append((name, schema)) }

    public mutating func home(_ section: HomeSection) { homeSections.append(section) }
}
