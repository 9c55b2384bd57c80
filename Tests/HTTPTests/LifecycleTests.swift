import Foundation
import Glibc
import Synchronization
import Testing

@testable import HTTP

/// Counts calls to the fake `accept4` below; a C function pointer cannot capture, hence a global.
private let failingAcceptCalls = Atomic<Int>(0)

private func failingAccept(
    _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?,
    _ flags: Int32
) -> Int32 {
    failingAcceptCalls.add(1, ordering: .relaxed)
    errno = EMFILE
    return -1
}

@Suite("Server lifecycle")
struct LifecycleTests {
    @Test("a second server cannot silently share a port that is in use")
    func portInUse() throws {
        try withServer(responder: testRouter()) { server in
            let second = HTTPServer(
                configuration: ServerConfiguration(host: "127.0.0.1", port: server.port),
                responder: testRouter())
            #expect(
                throws: HTTPServerError.bindFailed(host: "127.0.0.1", port: server.port, errno: EADDRINUSE)
            ) {
                try second.start()
            }
        }
    }

    @Test("a client that stops reading is dropped after the write timeout")
    func writeTimeout() throws {
        var router = Router<Route>()
        let huge = [UInt8](repeating: 120, count: 32 << 20)
        router.add("GET", "/huge", .blocking { _ in .bytes(huge, contentType: "application/octet-stream") })
        var config = testConfiguration()
        config.writeTimeout = .milliseconds(300)
        try withServer(config, responder: RouterResponder(router: router)) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /huge HTTP/1.1\r\nHost: t\r\n\r\n")
            let deadline = ContinuousClock.now + .seconds(5)
            // Accepted first (the response is queued and stalls), then dropped once the timeout passes.
            #expect(client.pendingBytes == 0)
            while server.connectionCount == 0 && ContinuousClock.now < deadline { usleep(5_000) }
            let opened = ContinuousClock.now
            while server.connectionCount > 0 && ContinuousClock.now < deadline { usleep(20_000) }
            #expect(server.connectionCount == 0)
            #expect(ContinuousClock.now - opened >= .milliseconds(100))
        }
    }

    @Test("with handleSignals, a shutdown signal stops the server gracefully")
    func shutdownSignal() throws {
        // SIGUSR2 rather than SIGTERM: every test target may share this process, and nothing else
        // listens for SIGUSR2, so the signal can only reach this server's handler.
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.handleSignals = true
        configuration.shutdownSignals = [SIGUSR2]
        configuration.shutdownGracePeriod = .seconds(2)
        let server = HTTPServer(configuration: configuration, responder: testRouter())
        try server.start()
        defer { server.shutdown(deadline: .seconds(1)) }
        // Raising the signal without our handler installed would terminate the test process.
        try #require(server.ownsSignalHandling, "another server in this process owns signal handling")
        let port = server.port
        let client = try RawClient(port: port)
        client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let stopped = Atomic<Bool>(false)
        Thread {
            server.waitUntilStopped()
            stopped.store(true, ordering: .releasing)
        }.start()
        kill(getpid(), SIGUSR2)
        let deadline = ContinuousClock.now + .seconds(5)
        while !stopped.load(ordering: .acquiring) && ContinuousClock.now < deadline { usleep(10_000) }
        let didStop = stopped.load(ordering: .acquiring)
        #expect(didStop)
        #expect(client.isClosedByServer())
        #expect((try? RawClient(port: port)) == nil)
    }

    @Test("EMFILE on accept pauses accepting instead of spinning on the readable listener")
    func emfileDoesNotSpin() throws {
        let real = try #require(SystemCalls.shared)
        let failing = SystemCalls(
            epollCreate1: real.epollCreate1, epollCtl: real.epollCtl, epollWait: real.epollWait,
            eventFD: real.eventFD, accept4: failingAccept)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, responder: testRouter(), system: failing)
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)) }
        // The connection completes in the kernel's backlog, so the listener stays readable.
        let client = try RawClient(port: server.port)
        client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(100_000)
        let before = failingAcceptCalls.load(ordering: .relaxed)
        usleep(500_000)
        let calls = failingAcceptCalls.load(ordering: .relaxed) - before
        #expect(before >= 1, "accept was attempted")
        #expect(calls >= 1, "accepting resumes after the pause")
        #expect(calls <= 20, "a spinning loop would retry thousands of times")
    }
}
