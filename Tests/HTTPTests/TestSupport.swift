import Foundation
import Glibc
import Testing

@testable import HTTP

/// Parses one request from `raw`, fed in pieces of `chunkSize` bytes (everything at once by default).
func parseOne(
    _ raw: String, chunkSize: Int = .max, limits: HTTPParserLimits = HTTPParserLimits()
) -> Result<HTTPRequest, HTTPParseError>? {
    parseOne(Array(raw.utf8), chunkSize: chunkSize, limits: limits)
}

func parseOne(
    _ bytes: [UInt8], chunkSize: Int = .max, limits: HTTPParserLimits = HTTPParserLimits()
) -> Result<HTTPRequest, HTTPParseError>? {
    let parser = HTTPRequestParser(limits: limits)
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + max(1, min(chunkSize, bytes.count)))
        parser.append(Array(bytes[offset..<end]))
        offset = end
        do {
            while true {
                switch try parser.next() {
                case .needMoreData: break
                case .head: continue
                case .request(let request): return .success(request)
                }
                break
            }
        } catch {
            return .failure(error)
        }
    } while offset < bytes.count
    return nil
}

/// The status a raw request is rejected with, or nil when it parses (or is incomplete).
func rejection(_ raw: String) -> Int? {
    if case .failure(let error) = parseOne(raw) { return error.status.code }
    return nil
}

func rejection(_ bytes: [UInt8]) -> Int? {
    if case .failure(let error) = parseOne(bytes) { return error.status.code }
    return nil
}

/// A parsed response as read off the socket.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum ClientError: Error {
    case connectFailed(Int32)
    case closed
    case timedOut
    case malformed(String)
}

/// A minimal blocking HTTP/1.1 client over a raw socket, so tests control every byte.
final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            Glibc.close(fd)
            throw ClientError.connectFailed(code)
        }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads more bytes; false on EOF, error or timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw ClientError.timedOut }
        return false
    }

    /// Reads one response. `headRequest` means no body follows whatever Content-Length says.
    func readResponse(headRequest: Bool = false) throws -> RawResponse {
        while true {
            if let end = MultipartFormData.find([13, 10, 13, 10], in: buffer, from: 0) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let statusParts = lines[0].split(separator: " ", maxSplits: 2)
                guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1])
                else {
                    throw ClientError.malformed(lines[0])
                }
                var headers: [(String, String)] = []
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { throw ClientError.malformed(line) }
                    headers.append(
                        (
                            String(line[..<colon]),
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                        ))
                }
                let length =
                    headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
                let bodyLength = (headRequest || status < 200 || status == 204 || status == 304) ? 0 : length
                while buffer.count < end + 4 + bodyLength {
                    guard try fill() else { throw ClientError.closed }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + bodyLength)])
                buffer.removeFirst(end + 4 + bodyLength)
                return RawResponse(status: status, headers: headers, body: body)
            }
            guard try fill() else { throw ClientError.closed }
        }
    }

    /// True when the server closed the connection (EOF or reset) before `timeout`.
    func isClosedByServer() -> Bool {
        while true {
            do {
                if !(try fill()) { return true }
            } catch {
                return false
            }
        }
    }

    var pendingBytes: Int { buffer.count }
}

/// The base configuration for end-to-end tests: ephemeral port, two loops, a small pool.
func testConfiguration() -> ServerConfiguration {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
    configuration.eventLoopCount = 2
    configuration.workerCount = 4
    return configuration
}

/// Starts a server on an ephemeral port for one test; shuts it down at the end.
func withServer<T>(
    _ configuration: ServerConfiguration = testConfiguration(),
    responder: some HTTPResponder,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    let server = HTTPServer(configuration: configuration, responder: responder)
    try server.start()
    defer { server.shutdown(deadline: .seconds(2)) }
    return try body(server)
}

/// A small routing table used by the end-to-end tests.
func testRouter() -> RouterResponder {
    var router = Router<Route>()
    router.add("GET", "/plaintext", .inline { _ in .text("Hello, World!") })
    router.add(
        "GET", "/blog/:slug", .blocking { request in .text("post:\(request.routeParameters["slug"] ?? "")") })
    router.add(
        "POST", "/echo",
        .blocking { request in .bytes(request.body, contentType: "application/octet-stream") })
    router.add(
        "GET", "/slow",
        .blocking { _ in
            usleep(300_000)
            return .text("slow done")
        })
    router.add(
        "GET", "/sequence/:n",
        .blocking { request in
            // Earlier requests sleep longer, so out-of-order completion would show up as misordering.
            let n = Int(request.routeParameters["n"] ?? "") ?? 0
            usleep(UInt32(max(0, 5 - n)) * 20_000)
            return .text("n=\(n)")
        })
    router.add("GET", "/inline/:n", .inline { request in .text("i=\(request.routeParameters["n"] ?? "")") })
    return RouterResponder(router: router)
}
