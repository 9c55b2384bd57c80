import HTTP

/// A page handler: a named method of a module's page controller.
public typealias PageHandler = @Sendable (RequestContext) throws -> HTTPResponse

/// HTML page routes under one path prefix, each a named handler method of a controller (as
/// Hummingbird's `RouterGroup`): the module's `register` reads as its table of routes.
///
/// ```swift
/// let posts = PostPages(blog: blog)
/// web.pages("/blog") { pages in
///     pages.get("", use: posts.index)
///     pages.get("/posts/:id", use: posts.show)
///     pages.group("/posts/:id", access: .members) { post in
///         post.get("/edit", use: posts.edit)
///         post.post("/edit", use: posts.update)
///     }
/// }
/// ```
///
/// `access` set on a group applies to its routes unless a route names its own.
public struct PageGroup {
    public let prefix: String
    public let access: Access
    var routes: [WebRoute] = []

    init(prefix: String, access: Access) {
        self.prefix = prefix
        self.access = access
    }

    /// Routes under a longer prefix; they take `access` (or this group's).
    public mutating func group(_ path: String, access: Access? = nil, _ build: (inout PageGroup) -> Void) {
        var nested = PageGroup(prefix: prefix + path, access: access ?? self.access)
        build(&nested)
        routes += nested.routes
    }

    public mutating func get(_ path: String, access: Access? = nil, use handler: @escaping PageHandler) {
        on("GET", path, access: access, use: handler)
    }

    /// A form post; `bodyLimit` raises the server's default for uploads.
    public mutating func post(
        _ path: String, access: Access? = nil, bodyLimit: Int? = nil, use handler: @escaping PageHandler
    ) {
        on("POST", path, access: access, bodyLimit: bodyLimit, use: handler)
    }

    /// Any method, for the rare page answering one other than GET and POST.
    public mutating func on(
        _ method: String, _ path: String, access: Access? = nil, bodyLimit: Int? = nil,
        use handler: @escaping PageHandler
    ) {
        let pattern = prefix + path
        routes.append(
            WebRoute(
                method: method, pattern: pattern.isEmpty ? "/" : pattern, kind: .page,
                access: access ?? self.access, bodyLimit: bodyLimit, handler: handler))
    }
}

extension WebContributions {
    /// HTML pages under `prefix`, declared as named handlers (see ``PageGroup``).
    public mutating func pages(_ prefix: String, access: Access = .anyone, _ build: (inout PageGroup) -> Void)
    {
        var group = PageGroup(prefix: prefix, access: access)
        build(&group)
        for route in group.routes {
            page(route.method, route.pattern, access: route.access, bodyLimit: route.bodyLimit, route.handler)
        }
    }
}
