/// One finished request, handed to ``ServerConfiguration/accessLog``.
///
/// ```swift
/// config.accessLog = { entry in
///     print(entry.line)  // 127.0.0.1:51234 "GET /blog/hello" 200 1.234ms
/// }
/// ```
public struct AccessLogEntry: Sendable {
    /// The method, or "-" when the request could not be parsed.
    public var method: String
    /// The raw (percent-encoded) path, or "-" when the request could not be parsed.
    public var path: String
    public var status: Int
    /// From the complete request to the response being queued for writing.
    public var duration: Duration
    public var remoteAddress: String
    /// Body bytes sent (0 for HEAD, 304 …).
    public var bodyBytes: Int

    /// A compact one-line rendering.
    public var line: String {
        let micros =
            duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let millis = Double(micros) / 1000
        return "\(remoteAddress) \"\(method) \(path)\" \(status) \(millis)ms"
    }
}
