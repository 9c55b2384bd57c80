import Glibc

/// An incremental, strict HTTP/1.1 request parser (RFC 9112).
///
/// Bytes may arrive in any pieces; each byte is examined once (the line scanner remembers where it
/// stopped), so slowly-arriving headers cost linear time. Limits are checked as bytes arrive, so an
/// over-long line is rejected before it is complete.
///
/// ```swift
/// let parser = HTTPRequestParser()
/// parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
/// if case .request(let request) = try parser.next() { print(request.path) }  // "/"
/// ```
///
/// For a request with a body, `next()` first returns `.head`: the caller may then pick a body
/// limit with ``continueWithBody(limit:)`` (otherwise `limits.maxBodySize` applies) and send
/// `100 Continue`; later calls return `.request` once the body is complete.
public final class HTTPRequestParser {
    public enum Event {
        case needMoreData
        /// The head of a request that has a body; the body has not been read yet.
        case head(HTTPRequestHead)
        case request(HTTPRequest)
    }

    /// How the body of the current request is delimited (RFC 9112 §6.3).
    public enum Framing: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
    }

    private enum State {
        case requestLine
        case headers
        case awaitingBodyDecision
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    public let limits: HTTPParserLimits
    let buffer: ByteBuffer
    private var state = State.requestLine
    private var scanned = 0
    private var emptyLinesSkipped = 0

    private var method = ""
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var rawPath = ""
    private var path = ""
    private var query: String?
    /// The authority of an absolute-form target, which replaces Host (RFC 9112 §3.2.2).
    private var absoluteAuthority: String?
    private var fields: [HTTPHeaders.Field] = []
    private var headerBytes = 0
    private var trailerBytes = 0
    private var trailerCount = 0
    private var body: [UInt8] = []
    private var bodyLimit = 0
    private var currentHead: HTTPRequestHead?

    /// Framing of the request being parsed (valid after `.head` or `.request`).
    public private(set) var framing = Framing.none
    /// Whether the connection may stay open after this request (RFC 9112 §9.3).
    public private(set) var keepAlive = true
    /// Whether the request carried `Expect: 100-continue` (HTTP/1.1 only).
    public private(set) var expectsContinue = false

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
        buffer = ByteBuffer(capacity: 2048)
    }

    /// Adds received bytes.
    public func append(_ bytes: [UInt8]) { buffer.append(bytes) }

    /// True between messages with nothing buffered: the connection is idle.
    public var isIdle: Bool {
        if case .requestLine = state { return buffer.readableCount == 0 }
        return false
    }

    /// True while the body of a request is being read.
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Bytes received but not yet consumed (pipelined requests, early body bytes).
    public var bufferedByteCount: Int { buffer.readableCount }

    /// Chooses the body limit for the request whose head was just returned.
    public func continueWithBody(limit: Int) throws(HTTPParseError) {
        guard case .awaitingBodyDecision = state else { return }
        bodyLimit = limit
        switch framing {
        case .none:
            state = .fixedBody(remaining: 0)
        case .length(let length):
            if length > limit {
                throw HTTPParseError(
                    .contentTooLarge, .contentTooLarge,
                    "Content-Length \(length) exceeds the limit of \(limit) bytes")
            }
            body.reserveCapacity(length)
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
    }

    /// Parses as far as the buffered bytes allow.
    public func next() throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .requestLine:
                guard
                    let line = try nextLine(
                        limit: limits.maxRequestLineLength,
                        tooLong: HTTPParseError(
                            .requestLineTooLong, .uriTooLong,
                            "The request line exceeds \(limits.maxRequestLineLength) bytes"))
                else { return .needMoreData }
                if line.content.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    emptyLinesSkipped += 1
                    buffer.moveReader(by: line.total)
                    if emptyLinesSkipped > 4 {
                        throw .badRequest(
                            .malformedRequestLine, "Too many empty lines before the request line")
                    }
                    continue
                }
                try parseRequestLine(line.content)
                buffer.moveReader(by: line.total)
                state = .headers
            case .headers:
                let remaining = limits.maxHeaderSectionSize - headerBytes
                guard
                    let line = try nextLine(
                        limit: remaining,
                        tooLong: HTTPParseError(
                            .headerSectionTooLarge, .requestHeaderFieldsTooLarge,
                            "The header section exceeds \(limits.maxHeaderSectionSize) bytes"))
                else { return .needMoreData }
                headerBytes += line.total
                if line.content.isEmpty {
                    buffer.moveReader(by: line.total)
                    let head = try finishHead()
                    if framing == .none {
                        return .request(completeMessage(head: head))
                    }
                    currentHead = head
                    state = .awaitingBodyDecision
                    return .head(head)
                }
                if fields.count >= limits.maxHeaderCount {
                    throw HTTPParseError(
                        .tooManyHeaderFields, .requestHeaderFieldsTooLarge,
                        "More than \(limits.maxHeaderCount) header fields")
                }
                fields.append(try parseField(line.content))
                buffer.moveReader(by: line.total)
            case .awaitingBodyDecision:
                try continueWithBody(limit: limits.maxBodySize)
            case .fixedBody(let remaining):
                if remaining > 0 {
                    let available = buffer.readableCount
                    if available == 0 { return .needMoreData }
                    let count = min(available, remaining)
                    body.append(contentsOf: UnsafeBufferPointer(start: buffer.readablePointer, count: count))
                    buffer.moveReader(by: count)
                    if count < remaining {
                        state = .fixedBody(remaining: remaining - count)
                        return .needMoreData
                    }
                }
                return .request(completeMessage(head: currentHead))
            case .chunkSize:
                guard
                    let line = try nextLine(
                        limit: limits.maxChunkLineLength,
                        tooLong: .badRequest(
                            .invalidChunkExtension,
                            "A chunk-size line exceeds \(limits.maxChunkLineLength) bytes"))
                else { return .needMoreData }
                let size = try parseChunkSize(line.content)
                buffer.moveReader(by: line.total)
                if size == 0 {
                    state = .trailers
                } else {
                    if size > bodyLimit - body.count {
                        throw HTTPParseError(
                            .contentTooLarge, .contentTooLarge,
                            "The chunked body exceeds the limit of \(bodyLimit) bytes")
                    }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.readableCount
                if available == 0 { return .needMoreData }
                let count = min(available, remaining)
                body.append(contentsOf: UnsafeBufferPointer(start: buffer.readablePointer, count: count))
                buffer.moveReader(by: count)
                if count < remaining {
                    state = .chunkData(remaining: remaining - count)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                let bytes = buffer.readableBytes
                if bytes.count >= 1, bytes[0] != 13 {
                    throw .badRequest(.invalidChunkTerminator, "Chunk data is not followed by CRLF")
                }
                if bytes.count < 2 { return .needMoreData }
                if bytes[1] != 10 {
                    throw .badRequest(.invalidChunkTerminator, "Chunk data is not followed by CRLF")
                }
                buffer.moveReader(by: 2)
                state = .chunkSize
            case .trailers:
                let remaining = limits.maxHeaderSectionSize - trailerBytes
                guard
                    let line = try nextLine(
                        limit: remaining,
                        tooLong: HTTPParseError(
                            .headerSectionTooLarge, .requestHeaderFieldsTooLarge,
                            "The trailer section exceeds \(limits.maxHeaderSectionSize) bytes"))
                else { return .needMoreData }
                trailerBytes += line.total
                if line.content.isEmpty {
                    buffer.moveReader(by: line.total)
                    return .request(completeMessage(head: currentHead))
                }
                trailerCount += 1
                if trailerCount > limits.maxHeaderCount {
                    throw HTTPParseError(
                        .tooManyHeaderFields, .requestHeaderFieldsTooLarge,
                        "More than \(limits.maxHeaderCount) trailer fields")
                }
                // Trailers are validated, then dropped: none of them may change the request's meaning.
                _ = try parseField(line.content)
                buffer.moveReader(by: line.total)
            }
        }
    }

    // MARK: - Lines

    private struct Line {
        var content: UnsafeBufferPointer<UInt8>
        var total: Int
    }

    /// The next CRLF-terminated line, or nil when it is incomplete. A bare LF is an error: RFC 9112
    /// §2.2 lets us reject it, and accepting it is how `GET /\nHTTP/1.1` smuggling starts.
    private func nextLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Line? {
        let bytes = buffer.readableBytes
        guard let base = bytes.baseAddress else {
            scanned = 0
            return nil
        }
        if scanned < bytes.count, let found = memchr(base + scanned, 10, bytes.count - scanned) {
            let lfIndex = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            let total = lfIndex + 1
            if total > limit { throw tooLong }
            guard lfIndex > 0, bytes[lfIndex - 1] == 13 else {
                throw .badRequest(.bareLineFeed, "A line ends with LF without CR")
            }
            scanned = 0
            return Line(content: UnsafeBufferPointer(start: base, count: lfIndex - 1), total: total)
        }
        scanned = bytes.count
        if bytes.count >= limit { throw tooLong }
        return nil
    }

    // MARK: - Request line

    private func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: 32) else {
            throw .badRequest(.malformedRequestLine, "The request line has no spaces")
        }
        guard firstSpace > 0, line[0..<firstSpace].allSatisfy(HTTPSyntax.isTokenByte) else {
            throw .badRequest(.invalidMethod, "The method is not a token")
        }
        let targetStart = firstSpace + 1
        guard let secondSpace = line[targetStart...].firstIndex(of: 32), secondSpace > targetStart else {
            throw .badRequest(.malformedRequestLine, "The request line is not 'method SP target SP version'")
        }
        let targetBytes = line[targetStart..<secondSpace]
        for byte in targetBytes where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "#") {
            throw .badRequest(.invalidTarget, "The request-target contains an invalid byte")
        }
        let versionBytes = line[(secondSpace + 1)...]
        version = try parseVersion(versionBytes)
        method = String(decoding: line[0..<firstSpace], as: UTF8.self)
        target = String(decoding: targetBytes, as: UTF8.self)
        try classifyTarget()
    }

    private func parseVersion(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(HTTPParseError)
        -> HTTPVersion
    {
        let prefix: [UInt8] = Array("HTTP/".utf8)
        let start = bytes.startIndex
        guard bytes.count == 8, bytes.prefix(5).elementsEqual(prefix), bytes[start + 6] == UInt8(ascii: "."),
            HTTPSyntax.isDigit(bytes[start + 5]), HTTPSyntax.isDigit(bytes[start + 7])
        else {
            throw .badRequest(.malformedVersion, "The HTTP version is malformed")
        }
        let major = Int(bytes[start + 5] - 48)
        let minor = Int(bytes[start + 7] - 48)
        guard major == 1, minor <= 1 else {
            throw HTTPParseError(
                .unsupportedVersion, .httpVersionNotSupported, "HTTP/\(major).\(minor) is not supported")
        }
        return HTTPVersion(major: major, minor: minor)
    }

    private func classifyTarget() throws(HTTPParseError) {
        absoluteAuthority = nil
        if target.utf8.first == UInt8(ascii: "/") {
            // origin-form
        } else if target == "*" {
            guard method == "OPTIONS" else {
                throw .badRequest(.invalidTarget, "The asterisk-form is only allowed for OPTIONS")
            }
            rawPath = "*"
            path = "*"
            query = nil
            return
        } else if HTTPSyntax.hasHTTPScheme(target) {
            let afterScheme = target.utf8.drop { $0 != UInt8(ascii: ":") }.dropFirst(3)
            let authority = afterScheme.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
            guard HostSyntax.isValid(String(decoding: authority, as: UTF8.self)) else {
                throw .badRequest(
                    .invalidTarget, "The absolute-form target's authority is not a valid host and port")
            }
            absoluteAuthority = String(decoding: authority, as: UTF8.self)
        } else if method == "CONNECT" {
            throw HTTPParseError(.notImplemented, .notImplemented, "CONNECT is not supported")
        } else {
            throw .badRequest(.invalidTarget, "The request-target is not in origin-form or absolute-form")
        }
        let parts = RequestTarget.split(target)
        guard let decoded = PercentDecoding.decode(parts.rawPath) else {
            throw .badRequest(.invalidTarget, "The path has an invalid percent-encoding")
        }
        rawPath = parts.rawPath
        path = decoded
        query = parts.query
    }

    // MARK: - Fields

    private func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPHeaders.Field {
        let first = line[0]
        if first == 32 || first == 9 {
            throw .badRequest(.obsoleteLineFolding, "Obsolete line folding (or whitespace before a field)")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .badRequest(.invalidFieldName, "A header line has no colon")
        }
        guard colon > 0 else { throw .badRequest(.invalidFieldName, "A header field has an empty name") }
        let last = line[colon - 1]
        if last == 32 || last == 9 {
            throw .badRequest(.whitespaceBeforeColon, "Whitespace between a field name and the colon")
        }
        for byte in line[0..<colon] where !HTTPSyntax.isTokenByte(byte) {
            throw .badRequest(.invalidFieldName, "A field name contains a byte that is not a token character")
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9 { valueEnd -= 1 }
        for index in valueStart..<valueEnd {
            let byte = line[index]
            if byte < 0x20 && byte != 9 || byte == 0x7F {
                if byte == 13 { throw .badRequest(.bareCarriageReturn, "A field value contains a bare CR") }
                throw .badRequest(.invalidFieldValue, "A field value contains a control character")
            }
        }
        return HTTPHeaders.Field(
            name: String(decoding: line[0..<colon], as: UTF8.self),
            value: String(decoding: line[valueStart..<valueEnd], as: UTF8.self))
    }

    // MARK: - Head semantics

    private func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        var hostCount = 0
        var contentLengths: [String] = []
        var transferEncodings: [String] = []
        var connectionTokens: [String] = []
        var expectations: [String] = []
        for field in fields {
            let name = field.name
            if name.equalsIgnoringASCIICase("host") {
                hostCount += 1
                // RFC 9112 §3.2: a Host that is not `uri-host [":" port]` gets 400.
                guard HostSyntax.isValid(field.value, allowEmpty: true) else {
                    throw .badRequest(
                        .invalidHost,
                        "The Host field is not a valid host (name, IPv4 or [IPv6]) with an optional numeric port"
                    )
                }
            } else if name.equalsIgnoringASCIICase("content-length") {
                contentLengths.append(field.value)
            } else if name.equalsIgnoringASCIICase("transfer-encoding") {
                transferEncodings.append(field.value)
            } else if name.equalsIgnoringASCIICase("connection") {
                connectionTokens.append(field.value)
            } else if name.equalsIgnoringASCIICase("expect") {
                expectations.append(field.value)
            }
        }
        if version == .http1_1 {
            if hostCount == 0 {
                throw .badRequest(.missingHost, "An HTTP/1.1 request must have a Host field")
            }
        }
        if hostCount > 1 { throw .badRequest(.multipleHosts, "The request has more than one Host field") }

        framing = .none
        if !transferEncodings.isEmpty {
            if version == .http1_0 {
                throw .badRequest(.transferEncodingInHTTP10, "Transfer-Encoding in an HTTP/1.0 request")
            }
            if !contentLengths.isEmpty {
                throw .badRequest(
                    .contentLengthWithTransferEncoding,
                    "Both Content-Length and Transfer-Encoding are present")
            }
            let codings = transferEncodings.flatMap {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            .map { $0.trimmingHTTPWhitespace().lowercased() }
            let chunkedCount = codings.filter { $0 == "chunked" }.count
            if codings.last == "chunked" && codings.count == 1 {
                framing = .chunked
            } else if chunkedCount > 0 && codings.last != "chunked" || chunkedCount > 1 {
                throw .badRequest(.chunkedNotFinal, "chunked must be the final transfer coding, applied once")
            } else {
                throw HTTPParseError(
                    .unsupportedTransferEncoding, .notImplemented,
                    "Only the chunked transfer coding is supported")
            }
        } else if !contentLengths.isEmpty {
            framing = .length(try parseContentLength(contentLengths))
            if framing == .length(0) { framing = .none }
        }

        var close = false
        var keepAliveToken = false
        for value in connectionTokens {
            for token in value.split(separator: ",") {
                let token = token.trimmingHTTPWhitespace()
                if token.equalsIgnoringASCIICase("close") { close = true }
                if token.equalsIgnoringASCIICase("keep-alive") { keepAliveToken = true }
            }
        }
        keepAlive = !close && (version == .http1_1 || keepAliveToken)

        expectsContinue = false
        if version == .http1_1 && !expectations.isEmpty {
            // RFC 9110 §10.1.1: 100-continue is the only expectation defined; anything else is 417.
            let all = expectations.flatMap { $0.split(separator: ",") }.map { $0.trimmingHTTPWhitespace() }
            guard all.allSatisfy({ $0.equalsIgnoringASCIICase("100-continue") }) else {
                throw HTTPParseError(
                    .unsupportedExpectation, .expectationFailed, "Only Expect: 100-continue is supported")
            }
            expectsContinue = framing != .none
        }

        var headers = HTTPHeaders(fieldList: fields)
        if let absoluteAuthority {
            headers.replaceOrAdd("Host", absoluteAuthority)
            self.absoluteAuthority = nil
        }
        let head = HTTPRequestHead(
            method: method, target: target, version: version, headers: headers,
            rawPath: rawPath, path: path, query: query)
        fields = []
        return head
    }

    /// Digits only, overflow-guarded; a list of identical values is accepted (RFC 9110 §8.6).
    private func parseContentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        var result: Int?
        for value in values {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = element.trimmingHTTPWhitespace()
                guard !trimmed.isEmpty, trimmed.utf8.allSatisfy(HTTPSyntax.isDigit) else {
                    throw .badRequest(
                        .invalidContentLength, "Content-Length is not a non-negative decimal integer")
                }
                var length = 0
                for digit in trimmed.utf8 {
                    let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - 48))
                    if overflow1 || overflow2 {
                        throw HTTPParseError(
                            .contentTooLarge, .contentTooLarge, "Content-Length is too large")
                    }
                    length = sum
                }
                if let result, result != length {
                    throw .badRequest(.conflictingContentLength, "Content-Length values disagree")
                }
                result = length
            }
        }
        guard let result else {
            throw .badRequest(.invalidContentLength, "Content-Length is empty")
        }
        return result
    }

    // MARK: - Chunks

    private func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var index = 0
        var size = 0
        var significantDigits = 0
        while index < line.count, let digit = PercentDecoding.hexValue(line[index]) {
            if significantDigits > 0 || digit != 0 { significantDigits += 1 }
            if significantDigits > 15 {
                throw .badRequest(.chunkSizeOverflow, "The chunk size is too large")
            }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else { throw .badRequest(.invalidChunkSize, "The chunk size is not hexadecimal") }
        while index < line.count, line[index] == 32 || line[index] == 9 { index += 1 }
        if index < line.count {
            guard line[index] == UInt8(ascii: ";") else {
                throw .badRequest(.invalidChunkSize, "Unexpected bytes after the chunk size")
            }
            for byte in line[index...] where byte < 0x20 && byte != 9 || byte == 0x7F {
                throw .badRequest(.invalidChunkExtension, "A chunk extension contains a control character")
            }
        }
        return size
    }

    private func completeMessage(head: HTTPRequestHead?) -> HTTPRequest {
        let request = HTTPRequest(
            head: head ?? HTTPRequestHead(method: method, target: target), body: body)
        body = []
        currentHead = nil
        state = .requestLine
        headerBytes = 0
        trailerBytes = 0
        trailerCount = 0
        emptyLinesSkipped = 0
        return request
    }
}
