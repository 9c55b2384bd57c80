/// Limits on a multipart body (the whole body is already capped by the server's body limit).
///
/// ```swift
/// var limits = MultipartLimits()
/// limits.maxParts = 10
/// let parts = try request.multipartParts(limits: limits)
/// ```
public struct MultipartLimits: Sendable {
    public var maxParts = 100
    public var maxPartSize = 10 << 20
    public var maxPartHeaderSize = 8192

    public init() {}
}
