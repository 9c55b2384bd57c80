/// The result of looking a request up in a ``Router``.
///
/// ```swift
/// switch router.match(method: "GET", path: "/blog/hello") {
/// case .found(let handler, let parameters): …  // parameters["slug"] == "hello"
/// case .methodNotAllowed(let allowed): …       // 405 with Allow: allowed.joined(", ")
/// case .notFound: …
/// }
/// ```
public enum RouteMatch<Handler> {
    case found(Handler, parameters: [String: String])
    case notFound
    /// The path exists for other methods; `allowed` is sorted and includes HEAD when GET exists.
    case methodNotAllowed(allowed: [String])
}

extension RouteMatch: Sendable where Handler: Sendable {}
