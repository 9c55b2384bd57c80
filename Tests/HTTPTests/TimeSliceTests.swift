import Foundation
import Glibc
import Synchronization
import Testing

@testable import HTTP

/// Event loops ask Linux's EEVDF scheduler for a short time slice (custom slices exist since
/// Linux 6.12; older kernels take the call and ignore it).
@Suite("Time slices")
struct TimeSliceTests {
    /// The running kernel's major and minor version, from uname.
    static var kernel: (major: Int, minor: Int) {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return (parts.first ?? 0, parts.dropFirst().first ?? 0)
    }

    static var kernelHasCustomSlices: Bool { kernel.major > 6 || (kernel.major == 6 && kernel.minor >= 12) }

    /// Threads' slices as /proc reports them (`se.slice`), in nanoseconds.
    static func processSlices() -> [UInt64] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            guard let text = try? String(contentsOfFile: "/proc/self/task/\(task)/sched", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("se.slice") }),
                let value = line.split(separator: ":").last
            else { return nil }
            return UInt64(value.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("a thread gets the slice it asks for, and other threads keep theirs")
    func aThreadGetsItsSlice() throws {
        let before = TimeSlice.currentThreadSlice()
        let answer = Atomic<Int>(0)
        let thread = Thread {
            let honoured = TimeSlice.requestForCurrentThread(nanoseconds: 250_000)
            answer.store(honoured && TimeSlice.currentThreadSlice() == 250_000 ? 1 : 2, ordering: .relaxed)
        }
        thread.start()
        while answer.load(ordering: .relaxed) == 0 { Thread.sleep(forTimeInterval: 0.005) }
        if Self.kernelHasCustomSlices {
            #expect(answer.load(ordering: .relaxed) == 1, "Linux \(Self.kernel) should honour a custom slice")
        } else {
            #expect(answer.load(ordering: .relaxed) == 2)
        }
        #expect(TimeSlice.currentThreadSlice() == before)
    }

    @Test("each event loop runs with the configured slice")
    func eventLoopsRunWithTheirSlice() throws {
        try #require(Self.kernelHasCustomSlices, "Linux \(Self.kernel) has no custom slices")
        var configuration = testConfiguration()
        // A value no other test's server uses, so threads of servers running alongside are not counted.
        configuration.eventLoopSlice = .nanoseconds(137_000)
        try withServer(configuration, responder: testRouter()) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            #expect(Self.processSlices().filter { $0 == 137_000 }.count == configuration.eventLoopCount)
        }
    }
}
