import Foundation
import Glibc

/// A small HTTP/1.1 client over a real socket for end-to-end tests: keeps cookies like a
/// browser, never follows redirects by itself, and can pull the CSRF token out of a page.
///
/// ```swift
/// let client = TestClient(port: server.port)
/// let page = try client.get("/join")
/// let response = try client.post("/join", form: ["_csrf": page.csrf ?? "", "name": "Erin"])
/// ```
public final class TestClient: @unchecked Sendable {
    // @unchecked: a client belongs to one test and is used from one task.
    public let port: Int
    public var cookies: [String: String] = [:]
    public var bearer: String?
    /// The newest confirmation link mailed to an address (a path such as `/join/confirm/…`), so
    /// `join` can finish a sign-up as a person would from their mailbox. Set by TestNetwork.
    public var mailbox: (@Sendable (_ address: String, _ linkPrefix: String) -> String?)?

    public init(port: Int) { self.port = port }

    public struct Response: CustomStringConvertible {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        public func headers(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
        public var location: String? { header("Location") }
        /// The value of the first `_csrf` hidden field on the page.
        public var csrf: String? {
            guard let range = text.range(of: "name=\"_csrf\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        public var json: Any? { try? JSONSerialization.jsonObject(with: Data(body)) }
        public var description: String { "HTTP \(status)\n\(text.prefix(2000))" }
    }

    public struct ClientError: Error, CustomStringConvertible { public var description: String }

    @discardableResult
    public func get(_ path: String, headers: [(String, String)] = []) throws -> Response {
        try send("GET", path, headers: headers, body: [])
    }

    @discardableResult
    public func post(_ path: String, form: [String: String], headers: [(String, String)] = []) throws
        -> Response
    {
        let body = form.map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
        return try send(
            "POST", path, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8))
    }

    /// Posts form fields in the given order (repeated names allowed).
    @discardableResult
    public func post(_ path: String, fields: [(String, String)], headers: [(String, String)] = []) throws
        -> Response
    {
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return try send(
            "POST", path, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8))
    }

    @discardableResult
    public func send(json method: String, _ path: String, _ object: Any?, headers: [(String, String)] = [])
        throws -> Response
    {
        let body = try object.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        return try send(
            method, path, headers: headers + [("Content-Type", "application/json")], body: Array(body))
    }

    /// A multipart/form-data POST with text fields and files.
    @discardableResult
    public func post(
        _ path: String, multipart fields: [String: String],
        files: [(name: String, filename: String, type: String, bytes: [UInt8])]
    ) throws -> Response {
        let boundary = "pln-test-boundary-7f3a"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try send(
            "POST", path, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body
        )
    }

    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    public func send(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8]) throws
        -> Response
    {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !cookies.isEmpty {
            request +=
                "Cookie: "
                + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                + "\r\n"
        }
        if let bearer { request += "Authorization: Bearer \(bearer)\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
            request += "Content-Length: \(body.count)\r\n"
        }
        request += "\r\n"
        let raw = try Self.exchange(port: port, bytes: Array(request.utf8) + body)
        let response = try Self.parse(raw)
        for value in response.headers("Set-Cookie") {
            let pair = value.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let cookieValue = String(pair[pair.index(after: equals)...])
            if value.lowercased().contains("max-age=0") || cookieValue.isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = cookieValue
            }
        }
        return response
    }

    /// Sends raw bytes and reads until the server closes.
    public static func exchange(port: Int, bytes: [UInt8], timeout: Double = 10) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw ClientError(description: "connect to \(port) failed: errno \(errno)")
        }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw ClientError(description: "send failed") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return received
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        guard let end = raw.firstRange(of: [13, 10, 13, 10]) else {
            throw ClientError(description: "no complete response head in \(raw.count) bytes")
        }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ClientError(description: "bad status line \(head[0])")
        }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (
                    String(line[..<colon]),
                    line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                ))
        }
        var body = Array(raw[end.upperBound...])
        if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }
        ), body.count > length {
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: body)
    }
}

extension TestClient.Response {
    /// The page's `<main>` element only (no header, navigation, sidebar or footer), for checks
    /// that something is not on the page itself.
    public var main: String {
        guard let start = text.range(of: "<main"),
            let end = text.range(of: "</main>", range: start.upperBound..<text.endIndex)
        else { return "" }
        return String(text[start.lowerBound..<end.upperBound])
    }
}
