import Foundation
import Glibc
import Testing

@testable import HTTP

/// SplitMix64: a tiny deterministic generator so every run (and every failure) is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fuzz {
    static let seeds: [String] = [
        "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "GET /blog/a%20b?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    ]
    static let interesting: [UInt8] = [0, 9, 10, 13, 32, 34, 44, 58, 59, 0x7F, 0x80, 0xA0, 0xFF, 48, 70, 120]

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] =
                    interesting.randomElement(using: &generator) ?? 0
            case 1:
                bytes.insert(
                    interesting.randomElement(using: &generator) ?? 0,
                    at: Int.random(in: 0...bytes.count, using: &generator))
            case 2 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: 0..<bytes.count, using: &generator))
            case 3 where !bytes.isEmpty:
                bytes = Array(bytes[0..<Int.random(in: 0..<bytes.count, using: &generator)])
            case 4 where bytes.count > 4:
                let start = Int.random(in: 0..<bytes.count - 2, using: &generator)
                let end = Int.random(in: start..<bytes.count, using: &generator)
                bytes.insert(
                    contentsOf: bytes[start...end], at: Int.random(in: 0...bytes.count, using: &generator))
            default:
                let random = UInt8.random(in: 0...255, using: &generator)
                if bytes.isEmpty {
                    bytes.append(random)
                } else {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = random
                }
            }
        }
        return bytes
    }

    static func randomInput(using generator: inout SeededGenerator) -> [UInt8] {
        if Int.random(in: 0..<5, using: &generator) == 0 {
            return (0..<Int.random(in: 0..<300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
        }
        let seed = seeds.randomElement(using: &generator) ?? seeds[0]
        return mutate(Array(seed.utf8), using: &generator)
    }
}

@Suite("Fuzzing")
struct FuzzTests {
    static let allowedErrorStatuses: Set<Int> = [400, 408, 413, 414, 417, 431, 501, 505]

    @Test("random and mutated requests fed to the parser in random pieces never crash or misreport")
    func parserFuzz() throws {
        var generator = SeededGenerator(seed: 0x504C_4E00)
        var outcomes = [String: Int]()
        for _ in 0..<20_000 {
            let input = Fuzz.randomInput(using: &generator)
            let parser = HTTPRequestParser()
            var offset = 0
            var outcome = "incomplete"
            feeding: while offset < input.count {
                let size = Int.random(in: 1...max(1, input.count - offset), using: &generator)
                parser.append(Array(input[offset..<offset + size]))
                offset += size
                do {
                    while true {
                        switch try parser.next() {
                        case .needMoreData: continue feeding
                        case .head: continue
                        case .request(let request):
                            outcome = "request"
                            #expect(!request.method.isEmpty)
                            #expect(request.path.utf8.contains(0) == false)
                        }
                    }
                } catch {
                    outcome = "error"
                    #expect(Self.allowedErrorStatuses.contains(error.status.code), "\(error)")
                    break feeding
                }
            }
            outcomes[outcome, default: 0] += 1
        }
        // The mutator must exercise both paths, or the test is not testing anything.
        #expect(outcomes["request", default: 0] > 1000)
        #expect(outcomes["error", default: 0] > 1000)
    }

    @Test("mutated requests over a real socket always get a well-formed response or a close")
    func socketFuzz() throws {
        try withServer(responder: testRouter()) { server in
            var generator = SeededGenerator(seed: 42)
            var answered = 0
            for _ in 0..<300 {
                let client = try RawClient(port: server.port, timeout: 3)
                client.send(Fuzz.randomInput(using: &generator))
                // Half-close so an incomplete request ends with EOF instead of waiting for a timeout.
                shutdown(client.fd, Int32(SHUT_WR))
                while true {
                    do {
                        let response = try client.readResponse()
                        #expect((100...599).contains(response.status))
                        answered += 1
                    } catch ClientError.closed {
                        break
                    } catch {
                        Issue.record("unexpected client error \(error)")
                        break
                    }
                }
            }
            #expect(answered > 100)
            let check = try RawClient(port: server.port)
            check.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try check.readResponse().text == "Hello, World!")
        }
    }
}
