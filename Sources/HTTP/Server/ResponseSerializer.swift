/// Turns an `HTTPResponse` into HTTP/1.1 bytes: status line, the application's headers, then the
/// framing headers the engine owns (Date, Content-Length, Connection).
enum ResponseSerializer {
    static let crlf: [UInt8] = [13, 10]
    /// Bodies up to this size are copied behind the head so one write sends both.
    static let coalesceLimit = 16 * 1024

    struct Output {
        var head: [UInt8]
        var body: [UInt8]?
        var bodyBytes: Int
        var closeRequested: Bool
    }

    static func serialize(
        _ response: HTTPResponse, isHead: Bool, keepAlive: Bool, requestVersion: HTTPVersion, date: [UInt8]
    ) -> Output {
        // Interim (1xx) responses and codes outside three digits cannot be framed as a final response.
        let status = (200...999).contains(response.status.code) ? response.status : .internalServerError
        var head: [UInt8] = []
        head.reserveCapacity(160 + response.body.count)
        head.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &head)
        head.append(32)
        for byte in status.reasonPhrase.utf8 where byte >= 0x20 && byte != 0x7F || byte == 9 {
            head.append(byte)
        }
        head.append(contentsOf: crlf)
        var applicationLength: String?
        var closeRequested = false
        for field in response.headers.fields {
            let name = field.name
            if name.equalsIgnoringASCIICase("content-length") {
                applicationLength = field.value
                continue
            }
            if name.equalsIgnoringASCIICase("connection") {
                if field.value.lowercased().contains("close") { closeRequested = true }
                continue
            }
            if name.equalsIgnoringASCIICase("transfer-encoding") || name.equalsIgnoringASCIICase("date") {
                continue
            }
            appendField(name, field.value, to: &head)
        }
        head.append(contentsOf: "Date: ".utf8)
        head.append(contentsOf: date)
        head.append(contentsOf: crlf)
        let sendsBody = status.allowsContent && !isHead
        if status.allowsContent {
            head.append(contentsOf: "Content-Length: ".utf8)
            if isHead && response.body.isEmpty, let applicationLength,
                !applicationLength.isEmpty, applicationLength.utf8.allSatisfy(HTTPSyntax.isDigit)
            {
                // A HEAD handler may state the length a GET would have without building the body.
                head.append(contentsOf: applicationLength.utf8)
            } else {
                appendDecimal(response.body.count, to: &head)
            }
            head.append(contentsOf: crlf)
        }
        if !keepAlive || closeRequested {
            head.append(contentsOf: "Connection: close\r\n".utf8)
        } else if requestVersion == .http1_0 {
            head.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        head.append(contentsOf: crlf)
        guard sendsBody, !response.body.isEmpty else {
            return Output(head: head, body: nil, bodyBytes: 0, closeRequested: closeRequested)
        }
        if response.body.count <= coalesceLimit {
            head.append(contentsOf: response.body)
            return Output(
                head: head, body: nil, bodyBytes: response.body.count, closeRequested: closeRequested)
        }
        return Output(
            head: head, body: response.body, bodyBytes: response.body.count, closeRequested: closeRequested)
    }

    /// Writes a field. A value holding CR, LF or NUL is refused: the field is left out whole.
    /// Dropping just those bytes would join what they separated (`/\r\n/evil.example/` became
    /// the network-path `//evil.example/` in a Location), so a partial value is worse than none.
    private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        guard name.utf8.contains(where: HTTPSyntax.isTokenByte) else { return }
        guard !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else { return }
        for byte in name.utf8 where HTTPSyntax.isTokenByte(byte) { out.append(byte) }
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(contentsOf: crlf)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(0 - value, to: &out)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
