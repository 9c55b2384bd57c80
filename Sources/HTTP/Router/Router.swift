/// A routing trie from method and path pattern to a handler of the application's choosing.
///
/// Patterns are split on `/`: a literal segment, a `:name` parameter (one segment) or a final
/// `*name` wildcard (the rest of the path, possibly empty). Literal segments win over
/// parameters, which win over wildcards; the search backtracks, so `/a/new` and `/a/:id` coexist.
/// HEAD falls back to GET. Matching is done on the raw path, each segment percent-decoded
/// separately, so an encoded `%2F` stays inside its segment. Build once, then share read-only.
///
/// ```swift
/// var router = Router<String>()
/// router.add("GET", "/blog/:slug", "show-post")
/// router.add("GET", "/static/*path", "assets")
/// router.match(method: "GET", path: "/blog/hello%20world")  // .found("show-post", ["slug": "hello world"])
/// ```
public struct Router<Handler> {
    fileprivate struct Node {
        var literals: [String: Int] = [:]
        var parameter: (name: String, node: Int)?
        var wildcard: (name: String, handlers: [String: Handler])?
        var handlers: [String: Handler] = [:]
    }

    fileprivate var nodes: [Node] = [Node()]

    public init() {}

    /// Registers `handler` for `method` (case-sensitive, as HTTP methods are) and `pattern`.
    /// A later registration for the same method and pattern replaces the earlier one.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        var current = 0
        let segments = Self.segments(of: pattern)
        for (index, segment) in segments.enumerated() {
            if segment.hasPrefix("*") && index == segments.count - 1 {
                let name = String(segment.dropFirst())
                var handlers = nodes[current].wildcard?.handlers ?? [:]
                handlers[method] = handler
                nodes[current].wildcard = (name, handlers)
                return
            }
            if segment.hasPrefix(":") && segment.count > 1 {
                let name = String(segment.dropFirst())
                if let existing = nodes[current].parameter {
                    // Parameters at the same position share a node; the latest name wins for
                    // all routes below it, so keep names consistent across routes.
                    nodes[current].parameter = (name, existing.node)
                    current = existing.node
                } else {
                    nodes.append(Node())
                    nodes[current].parameter = (name, nodes.count - 1)
                    current = nodes.count - 1
                }
                continue
            }
            if let next = nodes[current].literals[String(segment)] {
                current = next
            } else {
                nodes.append(Node())
                nodes[current].literals[String(segment)] = nodes.count - 1
                current = nodes.count - 1
            }
        }
        nodes[current].handlers[method] = handler
    }

    /// True when nothing has been registered.
    public var isEmpty: Bool { nodes.count == 1 && nodes[0].handlers.isEmpty && nodes[0].wildcard == nil }

    /// Looks up `path` (the raw, percent-encoded path, without the query).
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        let rawSegments = Self.segments(of: path)
        var segments: [String] = []
        segments.reserveCapacity(rawSegments.count)
        for raw in rawSegments {
            guard let decoded = PercentDecoding.decode(raw) else { return .notFound }
            segments.append(decoded)
        }
        var parameters: [String: String] = [:]
        var allowed: Set<String> = []
        if let handler = search(
            node: 0, segments: segments, index: 0, method: method, parameters: &parameters, allowed: &allowed)
        {
            return .found(handler, parameters: parameters)
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    private func search(
        node index: Int, segments: [String], index position: Int, method: String,
        parameters: inout [String: String], allowed: inout Set<String>
    ) -> Handler? {
        let node = nodes[index]
        if position == segments.count {
            if let handler = Self.pick(node.handlers, method: method) { return handler }
            allowed.formUnion(node.handlers.keys)
        } else {
            let segment = segments[position]
            if let next = node.literals[segment],
                let handler = search(
                    node: next, segments: segments, index: position + 1, method: method,
                    parameters: &parameters,
                    allowed: &allowed)
            {
                return handler
            }
            if let parameter = node.parameter, !segment.isEmpty {
                if let handler = search(
                    node: parameter.node, segments: segments, index: position + 1, method: method,
                    parameters: &parameters, allowed: &allowed)
                {
                    parameters[parameter.name] = segment
                    return handler
                }
            }
        }
        if let wildcard = node.wildcard {
            if let handler = Self.pick(wildcard.handlers, method: method) {
                parameters[wildcard.name] = segments[position...].joined(separator: "/")
                return handler
            }
            allowed.formUnion(wildcard.handlers.keys)
        }
        return nil
    }

    private static func pick(_ handlers: [String: Handler], method: String) -> Handler? {
        if let handler = handlers[method] { return handler }
        if method == "HEAD" { return handlers["GET"] }
        return nil
    }

    /// "/a/b" → ["a", "b"]; "/" → []; a trailing slash is significant: "/a/" → ["a", ""].
    static func segments(of path: some StringProtocol) -> [Substring] {
        var parts = String(path).split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        if parts.count == 1 && parts[0].isEmpty { return [] }
        return parts
    }
}

extension Router: Sendable where Handler: Sendable {}
extension Router.Node: Sendable where Handler: Sendable {}
