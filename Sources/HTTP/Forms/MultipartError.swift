/// Why a multipart body was rejected.
///
/// ```swift
/// do { _ = try request.multipartParts() } catch .tooManyParts(let limit) {
///     return .text("At most \(limit) fields", status: .contentTooLarge)
/// } catch { return .text("Malformed upload: \(error)", status: .badRequest) }
/// ```
public enum MultipartError: Error, Sendable, Equatable {
    case notMultipartFormData(contentType: String)
    case missingBoundary
    case invalidBoundary(String)
    case missingInitialBoundary
    case malformedPartHeaders(part: Int, reason: String)
    case missingContentDisposition(part: Int)
    case missingName(part: Int)
    case unterminatedPart(part: Int)
    case tooManyParts(limit: Int)
    case partTooLarge(part: Int, limit: Int)
    case headersTooLarge(part: Int, limit: Int)
}
