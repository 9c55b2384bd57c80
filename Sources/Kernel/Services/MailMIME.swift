import Foundation

/// The RFC 5322 text of an outbox message: plain text, or `multipart/alternative` (plain text
/// then HTML, RFC 2046 §5.1.4: the last part is the preferred one) when it has an HTML body,
/// with its extra header fields.
///
/// ```swift
/// let text = MailMIME.message(message, from: "pln@example.org")   // piped to sendmail
/// ```
enum MailMIME {
    static func message(_ message: OutboxMessage, from: String) -> String {
        var head = """
            From: \(Outbox.headerSafe(from))\r
            To: \(Outbox.headerSafe(message.to))\r
            Subject: \(Outbox.headerSafe(message.subject))\r

            """
        for header in message.headers {
            head += "\(Outbox.headerSafe(header.name)): \(Outbox.headerSafe(header.value))\r\n"
        }
        head += "MIME-Version: 1.0\r\n"
        guard let html = message.html else {
            return head + """
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: 8bit\r
                \r
                \(crlf(message.body))\r

                """
        }
        let boundary = "pln-" + String(SHA256.hex(message.body + html).prefix(24))
        return head + """
            Content-Type: multipart/alternative; boundary="\(boundary)"\r
            \r
            --\(boundary)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(crlf(message.body))\r
            --\(boundary)\r
            Content-Type: text/html; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(crlf(html))\r
            --\(boundary)--\r

            """
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Header fields as stored in the outbox: one "Name: value" a line.
    static func encodeHeaders(_ headers: [MailHeader]) -> String {
        headers.map { "\(Outbox.headerSafe($0.name)): \(Outbox.headerSafe($0.value))" }.joined(
            separator: "\n")
    }

    static func decodeHeaders(_ text: String) -> [MailHeader] {
        text.split(separator: "\n").compactMap { line -> MailHeader? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return MailHeader(String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
        }
    }
}
