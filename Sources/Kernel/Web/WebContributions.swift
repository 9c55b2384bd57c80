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
    /// False only for a route whose request carries its own authority (a signed link), e.g.
    /// the one-click unsubscribe that mail clients post without cookies or token.
    public var checksCSRF = true
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
    /// The schemas typed API operations derived from their types (see ``apiGroup(_:tag:_:)``).
    public private(set) var apiSchemas = APISchemaRegistry()

    public init() {}

    public mutating func page(
        _ method: String, _ pattern: String, access: Access = .anyone, bodyLimit: Int? = nil,
        _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) {
        routes.append(
            WebRoute(
                method: method, pattern: pattern, kind: .page, access: access, bodyLimit: bodyLimit,
                handler: handler))
    }

    /// A JSON API route; `operation` is its OpenAPI 3.1 Operation Object.
    public mutating func api(
        _ method: String, _ pattern: String, access: Access = .anyone, operation: JSONValue,
        _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) {
        routes.append(
            WebRoute(method: method, pattern: pattern, kind: .api, access: access, handler: handler))
        openAPIPaths.append((APIGroup.openAPIPath(pattern), method.lowercased(), operation))
    }

    /// Typed JSON API operations under `prefix`: named handlers whose Codable arguments and
    /// results give both the route and its OpenAPI operation (see ``APIGroup``).
    ///
    /// ```swift
    /// web.apiGroup("/api/v1/blog", tag: "blog") { api in
    ///     api.get("/posts/:id", summary: "One post.", operationID: "getBlogPost", use: posts.show)
    /// }
    /// ```
    public mutating func apiGroup(_ prefix: String, tag: String, _ build: (inout APIGroup) -> Void) {
        var group = APIGroup(prefix: prefix, tags: [tag], registry: apiSchemas)
        build(&group)
        for (name, _) in group.registry.components where openAPISchemas.contains(where: { $0.name == name }) {
            preconditionFailure("API schema \"\(name)\" is both derived from a type and written by hand")
        }
        apiSchemas = group.registry
        routes += group.routes
        openAPIPaths += group.operations
    }

    public mutating func schema(_ name: String, _ schema: JSONValue) {
        precondition(
            !apiSchemas.components.contains { $0.name == name },
            "API schema \"\(name)\" is both derived from a type and written by hand")
        openAPISchemas.append((name, schema))
    }

    public mutating func home(_ section: HomeSection) { homeSections.append(section) }
}
