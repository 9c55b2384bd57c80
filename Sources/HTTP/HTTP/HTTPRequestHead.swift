/// The head of a request: everything before the body. Passed to
/// ``ServerConfiguration/bodyLimit`` so the application can choose a body limit per route
/// before any body byte is read.
///
/// ```swift
/// config.bodyLimit = { head in
///     head.path.hasPrefix("/uploads/") ? 20 << 20 : 1 << 20
/// }
/// ```
public struct HTTPRequestHead: Sendable {
    /// The method token exactly as sent (methods are case-sensitive, RFC 9110 §9.1).
    public var method: String
    /// The request-target exactly as sent (origin-form, absolute-form or `*`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The path, still percent-encoded (for absolute-form targets, the path part).
    public var rawPath: String
    /// The path, percent-decoded (validated by the parser: valid UTF-8, no NUL).
    public var path: String
    /// The query string without `?`, or nil when the target has none.
    public var query: String?

    public init(
        method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        let parts = RequestTarget.split(target)
        rawPath = parts.rawPath
        query = parts.query
        path = PercentDecoding.decode(parts.rawPath) ?? PercentDecoding.decodeLeniently(parts.rawPath)
    }

    init(
        method: String, target: String, version: HTTPVersion, headers: HTTPHeaders, rawPath: String,
        path: String, query: String?
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.rawPath = rawPath
        self.path = path
        self.query = query
    }
}

/// Splits a request-target into raw path and query.
enum RequestTarget {
    static func split(_ target: String) -> (rawPath: String, query: String?) {
        var rest = Substring(target)
        if rest.hasPrefix("http://") || rest.hasPrefix("https://") || rest.hasPrefix("HTTP://")
            || rest.hasPrefix("HTTPS://")
        {
            if let schemeEnd = rest.range(of: "://") {
                rest = rest[schemeEnd.upperBound...]
                if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                    rest = rest[slash...]
                } else {
                    rest = "/"
                }
                if rest.first == "?" { rest = Substring("/" + rest) }
            }
        }
        if let question = rest.firstIndex(of: "?") {
            return (String(rest[..<question]), String(rest[rest.index(after: question)...]))
        }
        return (String(rest), nil)
    }
}
