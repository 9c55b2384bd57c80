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

/// A complete request as handed to the application.
///
/// ```swift
/// let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
///     let name = request.queryItems.first { $0.name == "name" }?.value ?? "world"
///     return .text("Hello, \(name)! You asked for \(request.path)")
/// }
/// ```
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The body bytes, de-chunked; empty when the request had none.
    public var body: [UInt8]
    /// The peer's address as "ip:port" (the proxy's, when behind one).
    public var remoteAddress: String
    /// Left for the application: set it when a trusted proxy says the client used TLS.
    public var isSecure: Bool
    /// Parameters captured by the router (`:slug`, `*path`), percent-decoded.
    public var routeParameters: [String: String]

    public init(
        head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "", isSecure: Bool = false
    ) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.isSecure = isSecure
        self.routeParameters = [:]
    }

    /// Builds a request directly (tests, internal dispatch).
    public init(
        method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.init(
            head: HTTPRequestHead(method: method, target: target, version: version, headers: headers),
            body: body)
    }

    public var method: String { head.method }
    public var target: String { head.target }
    public var version: HTTPVersion { head.version }
    public var headers: HTTPHeaders { head.headers }
    public var path: String { head.path }
    public var rawPath: String { head.rawPath }
    public var query: String? { head.query }
    public var scheme: String { isSecure ? "https" : "http" }

    /// The query string decoded as `application/x-www-form-urlencoded` (lenient, at most 1,000 items).
    public var queryItems: [FormItem] {
        guard let query else { return [] }
        return (try? URLEncodedForm.decode(query, maxFields: 1000)) ?? []
    }

    /// The first query value for `name`.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Cookies from every Cookie header (first occurrence of a name wins).
    public var cookies: [String: String] { Cookies.parse(headers.values(for: "Cookie")) }

    /// The body decoded as `application/x-www-form-urlencoded`.
    public func urlEncodedForm(maxFields: Int = 1000) throws(FormError) -> FormData {
        try FormData(urlEncoded: body, maxFields: maxFields)
    }

    /// The body decoded as `multipart/form-data`, with the boundary from Content-Type.
    public func multipartParts(limits: MultipartLimits = MultipartLimits()) throws(MultipartError)
        -> [MultipartPart]
    {
        try MultipartFormData.parse(body: body, contentType: headers["Content-Type"] ?? "", limits: limits)
    }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
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
