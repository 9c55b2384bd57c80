/// A routing trie from method and path pattern to a handler of the application's choosing.
///
/// Patterns are split on `/`: a literal segment, a `:name` parameter (one segment) or a final
/// `*name` wildcard (the rest of the path, possibly empty). Literal segments win over
/// parameters, which win over wildcards; the search backtracks, so `/a/new` and `/a/:id` coexist.
/// Parameter names belong to each route, so `/blog/:slug` and `/blog/:id/edit` can coexist.
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
    fileprivate struct Entry {
        var handler: Handler
        /// Names of the route's parameters in path order (the wildcard's last).
        var names: [String]
    }

    fileprivate struct Node {
        var literals: [String: Int] = [:]
        var parameterNode: Int?
        var wildcard: [String: Entry] = [:]
        var handlers: [String: Entry] = [:]
    }

    fileprivate var nodes: [Node] = [Node()]

    public init() {}

    /// Registers `handler` for `method` (case-sensitive, as HTTP methods are) and `pattern`.
    /// A later registration for the same method and pattern replaces the earlier one.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        var current = 0
        var names: [String] = []
        let segments = Self.segments(of: pattern)
        for (index, segment) in segments.enumerated() {
            if segment.hasPrefix("*") && index == segments.count - 1 {
                names.append(String(segment.dropFirst()))
                nodes[current].wildcard[method] = Entry(handler: handler, names: names)
                return
            }
            if segment.hasPrefix(":") && segment.count > 1 {
                names.append(String(segment.dropFirst()))
                if let next = nodes[current].parameterNode {
                    current = next
                } else {
                    nodes.append(Node())
                    nodes[current].parameterNode = nodes.count - 1
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
        nodes[current].handlers[method] = Entry(handler: handler, names: names)
    }

    /// True when nothing has been registered.
    public var isEmpty: Bool { nodes.count == 1 && nodes[0].handlers.isEmpty && nodes[0].wildcard.isEmpty }

    /// Looks up `path` (the raw, percent-encoded path, without the query).
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        let rawSegments = Self.segments(of: path)
        var segments: [String] = []
        segments.reserveCapacity(rawSegments.count)
        for raw in rawSegments {
            guard let decoded = PercentDecoding.decode(raw) else { return .notFound }
            segments.append(decoded)
        }
        var values: [String] = []
        var allowed: Set<String> = []
        if let entry = search(
            node: 0, segments: segments, position: 0, method: method, values: &values, allowed: &allowed)
        {
            var parameters: [String: String] = [:]
            for (name, value) in zip(entry.names, values) { parameters[name] = value }
            return .found(entry.handler, parameters: parameters)
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    /// Depth-first in priority order (literal, parameter, wildcard); `values` holds the captured
    /// segments along the current branch and is restored on backtracking.
    private func search(
        node index: Int, segments: [String], position: Int, method: String, values: inout [String],
        allowed: inout Set<String>
    ) -> Entry? {
        let node = nodes[index]
        if position == segments.count {
            if let entry = Self.pick(node.handlers, method: method) { return entry }
            allowed.formUnion(node.handlers.keys)
        } else {
            let segment = segments[position]
            if let next = node.literals[segment],
                let entry = search(
                    node: next, segments: segments, position: position + 1, method: method, values: &values,
                    allowed: &allowed)
            {
                return entry
            }
            if let next = node.parameterNode, !segment.isEmpty {
                values.append(segment)
                if let entry = search(
                    node: next, segments: segments, position: position + 1, method: method, values: &values,
                    allowed: &allowed)
                {
                    return entry
                }
                values.removeLast()
            }
        }
        if !node.wildcard.isEmpty {
            if let entry = Self.pick(node.wildcard, method: method) {
                values.append(segments[position...].joined(separator: "/"))
                return entry
            }
            allowed.formUnion(node.wildcard.keys)
        }
        return nil
    }

    private static func pick(_ entries: [String: Entry], method: String) -> Entry? {
        if let entry = entries[method] { return entry }
        if method == "HEAD" { return entries["GET"] }
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
extension Router.Entry: Sendable where Handler: Sendable {}
