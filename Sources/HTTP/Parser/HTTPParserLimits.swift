/// Size and count limits the parser enforces while bytes arrive.
///
/// ```swift
/// var limits = HTTPParserLimits()
/// limits.maxHeaderCount = 50
/// limits.maxBodySize = 4 << 20
/// ```
public struct HTTPParserLimits: Sendable {
    /// Longest request line (method, target, version, CRLF); longer → 414.
    public var maxRequestLineLength = 8192
    /// Largest header section after the request line; larger → 431.
    public var maxHeaderSectionSize = 16384
    /// Most header fields; more → 431.
    public var maxHeaderCount = 100
    /// Default body limit (overridable per request by `ServerConfiguration.bodyLimit`); larger → 413.
    public var maxBodySize = 1 << 20
    /// Longest chunk-size line including extensions; longer → 400.
    public var maxChunkLineLength = 1024

    public init() {}
}
