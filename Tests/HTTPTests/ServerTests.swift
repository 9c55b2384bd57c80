import Foundation
import Glibc
import Synchronization
import Testing

@testable import HTTP

@Suite("Server end to end")
struct ServerTests {
    @Test("keep-alive: several requests share one connection")
    func keepAlive() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            for index in 0..<3 {
                client.send("GET /blog/post-\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "post:post-\(index)")
                #expect(response.header("Connection") == nil)
                let date = try #require(response.header("Date").flatMap(HTTPDate.parse))
                #expect(abs(date - Int(Date().timeIntervalSince1970)) <= 2, "Date is an IMF-fixdate of now")
            }
        }
    }

    @Test("pipelining: requests sent in one write are answered in order, blocking and inline mixed")
    func pipelining() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            var batch = ""
            for index in 0..<5 {
                batch += "GET /sequence/\(index) HTTP/1.1\r\nHost: t\r\n\r\n"
                batch += "GET /inline/\(index) HTTP/1.1\r\nHost: t\r\n\r\n"
            }
            client.send(batch)
            for index in 0..<5 {
                #expect(try client.readResponse().text == "n=\(index)")
                #expect(try client.readResponse().text == "i=\(index)")
            }
        }
    }

    @Test("HEAD gets GET's headers and Content-Length but no body")
    func head() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send(
                "HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try client.readResponse(headRequest: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "13")
            #expect(head.body.isEmpty)
            // If the HEAD response had leaked a body, this would not parse as a status line.
            let get = try client.readResponse()
            #expect(get.text == "Hello, World!")
        }
    }

    @Test("405 lists the allowed methods, including HEAD for GET routes")
    func methodNotAllowed() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("DELETE /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
        }
    }

    @Test("a POST body reaches a blocking handler; a chunked one is de-chunked")
    func bodies() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            #expect(try client.readResponse().text == "hello")
            client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
            )
            #expect(try client.readResponse().text == "abcde")
        }
    }

    @Test("HTTP/1.0 without keep-alive gets Connection: close and the connection closes")
    func http10Closes() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /plaintext HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
            let keep = try RawClient(port: server.port)
            keep.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().header("Connection") == "keep-alive")
            keep.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().status == 200)
        }
    }

    @Test("limits over the wire: 414, 431, 413, each followed by a close")
    func limits() throws {
        try withServer(responder: testRouter()) { server in
            let long = try RawClient(port: server.port)
            long.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try long.readResponse().status == 414)
            #expect(long.isClosedByServer())

            let headers = try RawClient(port: server.port)
            headers.send(
                "GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "b", count: 17000) + "\r\n\r\n")
            #expect(try headers.readResponse().status == 431)
            #expect(headers.isClosedByServer())

            let body = try RawClient(port: server.port)
            body.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n")
            body.send([UInt8](repeating: 65, count: 100_000))
            let response = try body.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(body.isClosedByServer())
        }
    }

    @Test("the application can raise the body limit per request before the body is read")
    func perRequestBodyLimit() throws {
        var config = testConfiguration()
        config.limits.maxBodySize = 10
        config.bodyLimit = { head in head.path == "/echo" && head.query == "big" ? 100 : 10 }
        try withServer(config, responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            let payload = String(repeating: "x", count: 50)
            client.send("POST /echo?big HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n\(payload)")
            #expect(try client.readResponse().text == payload)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n\(payload)")
            #expect(try client.readResponse().status == 413)
        }
    }

    @Test("a malformed request gets 400 and the connection is closed")
    func malformedCloses() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /\nHTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 400)
            #expect(client.isClosedByServer())
            let smuggle = try RawClient(port: server.port)
            smuggle.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            #expect(try smuggle.readResponse().status == 400)
            #expect(smuggle.isClosedByServer())
        }
    }

    @Test("an invalid, missing or repeated Host gets 400 over the wire and the connection is closed")
    func badHostOverTheWire() throws {
        try withServer(responder: testRouter()) { server in
            for head in [
                "Host: localhos%t\r\n", "Host: localhos:t\r\n", "Host: [::1\r\n", "",
                "Host: a\r\nHost: a\r\n",
            ] {
                let client = try RawClient(port: server.port)
                client.send("GET /plaintext HTTP/1.1\r\n\(head)\r\n")
                #expect(try client.readResponse().status == 400, "\(head)")
                #expect(client.isClosedByServer(), "\(head)")
            }
            let valid = try RawClient(port: server.port)
            valid.send("GET /plaintext HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")
            #expect(try valid.readResponse().status == 200)
        }
    }

    @Test("100-continue: the interim response comes before the body is sent")
    func expectContinue() throws {
        try withServer(responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            client.send("ping")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "ping")

            let refused = try RawClient(port: server.port)
            refused.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n")
            #expect(try refused.readResponse().status == 413)

            let other = try RawClient(port: server.port)
            other.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\nContent-Length: 4\r\n\r\nping")
            #expect(try other.readResponse().status == 417)
        }
    }

    @Test("timeouts: slow header section → 408, slow body → 408, idle keep-alive → silent close")
    func timeouts() throws {
        var config = testConfiguration()
        config.headerTimeout = .milliseconds(200)
        config.bodyTimeout = .milliseconds(200)
        config.idleTimeout = .milliseconds(200)
        try withServer(config, responder: testRouter()) { server in
            let slowHead = try RawClient(port: server.port)
            slowHead.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n")
            #expect(try slowHead.readResponse().status == 408)
            #expect(slowHead.isClosedByServer())

            let slowBody = try RawClient(port: server.port)
            slowBody.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab")
            #expect(try slowBody.readResponse().status == 408)
            #expect(slowBody.isClosedByServer())

            let idle = try RawClient(port: server.port)
            idle.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try idle.readResponse().status == 200)
            let start = ContinuousClock.now
            #expect(idle.isClosedByServer())
            #expect(idle.pendingBytes == 0)
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test("the connection cap answers 503 and closes")
    func connectionCap() throws {
        var config = testConfiguration()
        config.maxConnections = 2
        try withServer(config, responder: testRouter()) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            for client in [first, second] {
                client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            let third = try RawClient(port: server.port)
            third.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try third.readResponse()
            #expect(response.status == 503)
            #expect(third.isClosedByServer())
            #expect(server.connectionCount == 2)
        }
    }

    @Test("graceful shutdown: the in-flight request completes, idle connections close, new ones are refused")
    func gracefulShutdown() throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.workerCount = 2
        let server = HTTPServer(configuration: configuration, responder: testRouter())
        try server.start()
        let port = server.port
        let busy = try RawClient(port: port)
        let idle = try RawClient(port: port)
        idle.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(50_000)
        let done = Atomic<Bool>(false)
        let thread = Thread {
            server.shutdown(deadline: .seconds(5))
            done.store(true, ordering: .releasing)
        }
        thread.start()
        var refused = false
        let refusalDeadline = ContinuousClock.now + .seconds(2)
        while !refused && ContinuousClock.now < refusalDeadline {
            refused = (try? RawClient(port: port)) == nil
            if !refused { usleep(10_000) }
        }
        #expect(refused, "new connections must be refused")
        #expect(idle.isClosedByServer())
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slow done")
        #expect(response.header("Connection") == "close")
        #expect(busy.isClosedByServer())
        let deadline = ContinuousClock.now + .seconds(5)
        while !done.load(ordering: .acquiring) && ContinuousClock.now < deadline { usleep(10_000) }
        let finished = done.load(ordering: .acquiring)
        #expect(finished)
    }

    @Test("the access log hook sees method, path, status and remote address")
    func accessLog() throws {
        let entries = Mutex<[AccessLogEntry]>([])
        var config = testConfiguration()
        config.accessLog = { entry in entries.withLock { $0.append(entry) } }
        try withServer(config, responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /blog/x?y=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try client.readResponse()
            _ = try client.readResponse()
        }
        let logged = entries.withLock { $0 }
        #expect(logged.count == 2)
        #expect(logged.first?.method == "GET")
        #expect(logged.first?.path == "/blog/x")
        #expect(logged.first?.status == 200)
        #expect(logged.last?.status == 404)
        #expect(logged.first?.remoteAddress.hasPrefix("127.0.0.1:") == true)
    }

    @Test("a large response body is written completely (partial writes resumed on EPOLLOUT)")
    func largeResponse() throws {
        var router = Router<Route>()
        let big = (0..<3_000_000).map { UInt8($0 % 251) }
        router.add("GET", "/big", .blocking { _ in .bytes(big, contentType: "application/octet-stream") })
        try withServer(responder: RouterResponder(router: router)) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\nGET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().body == big)
            #expect(try client.readResponse().body == big)
        }
    }

    @Test("engine errors can be rendered by the application, e.g. as problem details")
    func customErrorResponse() throws {
        var config = testConfiguration()
        config.errorResponse = { status, detail in .problem(ProblemDetails(status: status, detail: detail)) }
        try withServer(config, responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: +1\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.header("Connection") == "close")
            #expect(response.text.contains("\"status\":400"))
        }
    }

    @Test("a multipart upload and a urlencoded form reach a blocking handler intact")
    func formsOverTheWire() throws {
        var router = Router<Route>()
        router.add(
            "POST", "/upload",
            .blocking { request in
                do {
                    let parts = try request.multipartParts()
                    return .text(
                        parts.map { "\($0.name)=\($0.filename ?? "-"):\($0.body.count)" }.joined(
                            separator: ","))
                } catch {
                    return .text("\(error)", status: .badRequest)
                }
            })
        router.add(
            "POST", "/form",
            .blocking { request in
                let form = (try? request.urlEncodedForm()) ?? FormData([])
                return .text("\(form["title"] ?? "")|\(form.values("tag").joined(separator: "+"))")
            })
        try withServer(responder: RouterResponder(router: router)) { server in
            let client = try RawClient(port: server.port)
            let file = (0..<100_000).map { UInt8($0 % 256) }
            var body = Array(
                "--b0undary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHi\r\n".utf8)
            body += Array(
                "--b0undary\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            body += file + Array("\r\n--b0undary--\r\n".utf8)
            client.send(
                "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: \(body.count)\r\n\r\n"
            )
            client.send(body)
            #expect(try client.readResponse().text == "title=-:2,photo=p.bin:100000")
            let form = "title=Hello+there&tag=a&tag=b%2Bc"
            client.send(
                "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n\r\n\(form)"
            )
            #expect(try client.readResponse().text == "Hello there|a+b+c")
        }
    }
}
