/// One part of a `multipart/form-data` body.
///
/// ```swift
/// for part in try request.multipartParts() where part.filename != nil {
///     store(part.body, named: part.filename ?? "upload", type: part.contentType ?? "application/octet-stream")
/// }
/// ```
public struct MultipartPart: Sendable, Equatable {
    /// The form field name (`name` parameter of Content-Disposition).
    public var name: String
    /// The original file name for file inputs, as sent (never trust it as a path).
    public var filename: String?
    /// The part's Content-Type; nil means text/plain per RFC 7578 §4.4.
    public var contentType: String?
    public var headers: HTTPHeaders
    public var body: [UInt8]

    /// The content as UTF-8 text (for ordinary fields).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
