import Foundation
import PLNTestSupport
import Storage
import Synchronization
import Testing

@testable import Kernel

/// Several servers delivering the outbox at once (each server's `outbox.deliver` job, or
/// `pln admin outbox deliver` beside them): every message goes out once. Runs on SQLite and,
/// with `PLN_TEST_DATABASE_URL`, on PostgreSQL, where the claim skips rows another server holds.
@Suite struct OutboxClaimTests {
    /// A sendmail that keeps each message it is given in a file of its own.
    func recordingSendmail(folder: String) throws -> String {
        let path = folder + "/sendmail.sh"
        try FileManager.default.createDirectory(atPath: folder + "/sent", withIntermediateDirectories: true)
        try "#!/bin/sh\ncat > \"$(mktemp \(folder)/sent/mail.XXXXXXXX)\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func sentSubjects(folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder + "/sent").flatMap { name in
            try String(contentsOfFile: folder + "/sent/" + name, encoding: .utf8)
                .split(separator: "\r\n").filter { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) }
        }
    }

    @Test func serversDeliveringAtOnceSendEachMessageOnce() throws {
        let folder = temporaryFolder()
        var config = testConfig(folder: folder)
        config.sections["mail"]?["sendmail"] = .list([.string(try recordingSendmail(folder: folder))])
        let clock = FixedClock()
        let servers = [
            try bootKernel(config, clock: clock).services, try bootKernel(config, clock: clock).services,
        ]
        let subjects = (1...45).map { "Message \($0)" }
        try servers[0].database.write { db in
            for subject in subjects {
                try servers[0].outbox.enqueue(
                    Mail(to: "erin@example.org", subject: subject, body: "Hello"), in: db)
            }
        }
        let reports = Mutex<[Outbox.DeliveryReport]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            let report = try? servers[index % 2].outbox.deliverDue(limit: 100)
            reports.withLock { $0.append(report ?? Outbox.DeliveryReport(failed: -1)) }
        }
        let all = reports.withLock { $0 }
        #expect(all.allSatisfy { $0.failed == 0 })
        #expect(all.map(\.sent).reduce(0, +) == subjects.count)
        #expect(try sentSubjects(folder: folder).sorted() == subjects.sorted())
        #expect(try servers[1].outbox.list(limit: 100).allSatisfy { $0.status == "sent" })
        // Nothing is left to send: a later run finds no due message.
        #expect(try servers[1].outbox.deliverDue().sent == 0)
    }

    @Test func aMessageHeldByAServerThatDiedIsSentAfterTheLease() throws {
        let folder = temporaryFolder()
        var config = testConfig(folder: folder)
        config.sections["mail"]?["sendmail"] = .list([.string(try recordingSendmail(folder: folder))])
        let clock = FixedClock()
        let dead = try bootKernel(config, clock: clock).services
        let alive = try bootKernel(config, clock: clock).services
        try dead.database.write {
            try dead.outbox.enqueue(Mail(to: "erin@example.org", subject: "Held", body: "Hello"), in: $0)
        }
        // The first server claims the message and dies before sending it.
        #expect(try dead.outbox.claim(upTo: 20, now: clock.now).map(\.subject) == ["Held"])
        #expect(try alive.outbox.deliverDue().sent == 0)
        clock.advance(by: alive.outbox.claimLease + 1)
        #expect(try alive.outbox.deliverDue().sent == 1)
        #expect(try sentSubjects(folder: folder) == ["Held"])
    }
}
