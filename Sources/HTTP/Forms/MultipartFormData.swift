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
