/// Why a request was rejected by the parser, with the status the server answers.
///
/// Every parse error closes the connection after the response: once a message is rejected the
/// server cannot be sure where the next one starts.
///
/// ```swift
/// do { _ = try parser.next() } catch {
///     print(error.status.code, error.kind, error.detail)  // 400 .invalidContentLength "…"
/// }
/// ```
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case requestLineTooLong
        case headerSectionTooLarge
        case tooManyHeaderFields
        case contentTooLarge
        case malformedRequestLine
        case invalidMethod
        case invalidTarget
        case malformedVersion
        case unsupportedVersion
        case bareLineFeed
        case bareCarriageReturn
        case obsoleteLineFolding
        case whitespaceBeforeColon
        case invalidFieldName
        case invalidFieldValue
        case missingHost
        case multipleHosts
        case invalidHost
        case invalidContentLength
        case conflictingContentLength
        case contentLengthWithTransferEncoding
        case transferEncodingInHTTP10
        case unsupportedTransferEncoding
        case chunkedNotFinal
        case invalidChunkSize
        case chunkSizeOverflow
        case invalidChunkExtension
        case invalidChunkTerminator
        case unsupportedExpectation
        case notImplemented
        case requestTimeout
    }

    public var kind: Kind
    public var status: HTTPStatus
    public var detail: String

    public init(_ kind: Kind, _ status: HTTPStatus, _ detail: String) {
        self.kind = kind
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(status.code) \(kind.rawValue): \(detail)" }

    static func badRequest(_ kind: Kind, _ detail: String) -> HTTPParseError {
        HTTPParseError(kind, .badRequest, detail)
    }
}
