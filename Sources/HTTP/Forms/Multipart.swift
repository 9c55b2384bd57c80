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

/// `multipart/form-data` decoding (RFC 7578 over RFC 2046 §5.1).
///
/// ```swift
/// let parts = try MultipartFormData.parse(body: request.body,
///                                         contentType: request.headers["Content-Type"] ?? "")
/// let avatar = parts.first { $0.name == "avatar" }   // .filename, .contentType, .body
/// ```
public enum MultipartFormData {
    /// The boundary parameter of a `multipart/form-data` Content-Type.
    public static func boundary(fromContentType contentType: String) throws(MultipartError) -> String {
        let parameters = HeaderParameters.parse(contentType)
        guard parameters.value.equalsIgnoringASCIICase("multipart/form-data") else {
            throw .notMultipartFormData(contentType: contentType)
        }
        guard let boundary = parameters.parameters["boundary"] else { throw .missingBoundary }
        // RFC 2046 §5.1.1: 1–70 characters from bchars, not ending in a space.
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy(allowed.contains),
            !boundary.hasSuffix(" ")
        else { throw .invalidBoundary(boundary) }
        return boundary
    }

    public static func parse(
        body: [UInt8], contentType: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> [MultipartPart] {
        try parse(body: body, boundary: boundary(fromContentType: contentType), limits: limits)
    }

    public static func parse(
        body: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> [MultipartPart] {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = [13, 10] + dashBoundary
        // The first boundary may open the body or follow a preamble line.
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let found = find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw .missingInitialBoundary
        }
        var parts: [MultipartPart] = []
        while true {
            // After a delimiter: "--" closes the body, otherwise optional padding then CRLF.
            if position + 1 < body.count, body[position] == 45, body[position + 1] == 45 { return parts }
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard position + 1 < body.count, body[position] == 13, body[position + 1] == 10 else {
                throw .unterminatedPart(part: parts.count)
            }
            position += 2
            if parts.count >= limits.maxParts { throw .tooManyParts(limit: limits.maxParts) }
            let index = parts.count
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: position - 2) else {
                throw .malformedPartHeaders(part: index, reason: "no blank line after the part headers")
            }
            let headerBytes = headerEnd + 2 - position
            if headerBytes > limits.maxPartHeaderSize {
                throw .headersTooLarge(part: index, limit: limits.maxPartHeaderSize)
            }
            let headers =
                headerBytes > 0
                ? try parseHeaders(Array(body[position..<(headerEnd + 2)]), part: index) : HTTPHeaders()
            let contentStart = headerEnd + 4
            guard let contentEnd = find(delimiter, in: body, from: contentStart) else {
                throw .unterminatedPart(part: index)
            }
            if contentEnd - contentStart > limits.maxPartSize {
                throw .partTooLarge(part: index, limit: limits.maxPartSize)
            }
            guard let disposition = headers["Content-Disposition"] else {
                throw .missingContentDisposition(part: index)
            }
            let parameters = HeaderParameters.parse(disposition)
            guard parameters.value.equalsIgnoringASCIICase("form-data"),
                let name = parameters.parameters["name"]
            else { throw .missingName(part: index) }
            parts.append(
                MultipartPart(
                    name: name, filename: parameters.parameters["filename"],
                    contentType: headers["Content-Type"],
                    headers: headers, body: Array(body[contentStart..<contentEnd])))
            position = contentEnd + delimiter.count
        }
    }

    private static func parseHeaders(_ bytes: [UInt8], part: Int) throws(MultipartError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        var start = 0
        while start < bytes.count {
            guard let end = find([13, 10], in: bytes, from: start) else {
                throw .malformedPartHeaders(part: part, reason: "a header line does not end with CRLF")
            }
            let line = bytes[start..<end]
            start = end + 2
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(HTTPSyntax.isTokenByte)
            else { throw .malformedPartHeaders(part: part, reason: "invalid header line") }
            let value = line[(colon + 1)...]
            guard value.allSatisfy({ $0 >= 0x20 || $0 == 9 }) else {
                throw .malformedPartHeaders(part: part, reason: "control character in a header value")
            }
            headers.add(
                String(decoding: line[line.startIndex..<colon], as: UTF8.self),
                String(decoding: value, as: UTF8.self).trimmingHTTPWhitespace())
        }
        return headers
    }

    /// First index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = max(start, 0)
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}

/// A header value with `;`-separated parameters (Content-Type, Content-Disposition), with
/// quoted-string values unescaped. Parameter names are lowercased.
///
/// ```swift
/// let p = HeaderParameters.parse(#"form-data; name="a;b"; filename="x.txt""#)
/// p.value                   // "form-data"
/// p.parameters["name"]      // "a;b"
/// ```
public struct HeaderParameters: Sendable, Equatable {
    public var value: String
    public var parameters: [String: String]

    public static func parse(_ header: String) -> HeaderParameters {
        var segments: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if inQuotes && character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                current.append(character)
            } else if character == ";" && !inQuotes {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        let value = segments.first.map { $0.trimmingHTTPWhitespace() } ?? ""
        var parameters: [String: String] = [:]
        for segment in segments.dropFirst() {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            let name = segment[..<equals].trimmingHTTPWhitespace().lowercased()
            var raw = segment[segment.index(after: equals)...].trimmingHTTPWhitespace()
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast())
                var unescaped = ""
                var pendingEscape = false
                for character in raw {
                    if pendingEscape {
                        unescaped.append(character)
                        pendingEscape = false
                    } else if character == "\\" {
                        pendingEscape = true
                    } else {
                        unescaped.append(character)
                    }
                }
                raw = unescaped
            }
            if !name.isEmpty && parameters[name] == nil { parameters[name] = raw }
        }
        return HeaderParameters(value: value, parameters: parameters)
    }
}
