/// A route's handler plus where it runs.
///
/// ```swift
/// router.add("GET", "/healthz", .inline { _ in .text("ok") })          // on the event loop
/// router.add("GET", "/blog/:slug", .blocking { request in           // on the worker pool
///     .html(renderPost(slug: request.routeParameters["slug"] ?? ""))
/// })
/// ```
public struct Route: Sendable {
    public enum Execution: Sendable {
        /// Runs on the event loop: only for handlers that never block (no I/O, no locks held long).
        case inline
        /// Runs on the worker pool.
        case blocking
    }

    public var execution: Execution
    public var handler: HTTPHandler

    public init(_ execution: Execution, _ handler: @escaping HTTPHandler) {
        self.execution = execution
        self.handler = handler
    }

    public static func inline(_ handler: @escaping HTTPHandler) -> Route { Route(.inline, handler) }
    public static func blocking(_ handler: @escaping HTTPHandler) -> Route { Route(.blocking, handler) }
}
