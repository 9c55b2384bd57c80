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

    /// The query string decoded as `application/x-www-form-urlencoded` (lenient); items past the
    /// first 1,000 are dropped.
    public var queryItems: [FormItem] {
        queryFields.map(URLEncodedForm.item)
    }

    /// The query's first 1,000 non-empty `&`-separated fields, undecoded.
    private var queryFields: ArraySlice<Substring.UTF8View> {
        guard let query else { return [] }
        return Substring(query).utf8.split(
            separator: UInt8(ascii: "&"), maxSplits: 1000, omittingEmptySubsequences: true
        ).prefix(1000)
    }

    /// The first query value for `name`: the same as `queryItems.first { $0.name == name }?.value`
    /// (the first 1,000 fields), found on the query's UTF-8 bytes with only that value decoded
    /// (a search page asks for three values; decoding every field each time cost 35,000
    /// instructions a call).
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        // Beyond ASCII, in the query or the name, names compare as Strings do (canonically
        // equivalent: U+212A KELVIN SIGN is "K"), not byte for byte.
        if query.utf8.contains(where: { $0 >= 0x80 }) || name.utf8.contains(where: { $0 >= 0x80 }) {
            return queryItems.first { $0.name == name }?.value
        }
        for field in queryFields {
            let equals = field.firstIndex(of: UInt8(ascii: "="))
            let rawName = field[..<(equals ?? field.endIndex)]
            let matches =
                rawName.contains(UInt8(ascii: "%")) || rawName.contains(UInt8(ascii: "+"))
                ? PercentDecoding.decodeLeniently(Substring(rawName), plusAsSpace: true) == name
                : rawName.elementsEqual(name.utf8)
            guard matches else { continue }
            guard let equals else { return "" }
            return PercentDecoding.decodeLeniently(
                Substring(field[field.index(after: equals)...]), plusAsSpace: true)
        }
        return nil
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
