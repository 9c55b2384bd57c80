import Foundation
import PLNTestSupport
import Storage
import Synchronization
import Testing

@testable import Kernel

private struct SomethingHappened: DomainEvent {
    static let name = "test.something"
    var value: Int
}

@Suite struct EventBusTests {
    @Test func eventsAreDeliveredAfterCommitAndNeverForARollback() throws {
        let kernel = try bootKernel()
        let services = kernel.services
        let received = Mutex<[Int]>([])
        services.events.subscribe(SomethingHappened.self, module: "test") { event in
            // Delivery happens after commit: the row is visible to a reader.
            let count = try services.database.read {
                try $0.scalar("SELECT count(*) FROM kernel_state", as: Int.self)
            }
            received.withLock { $0.append(event.value * 100 + (count ?? -1)) }
        }
        try services.database.write { db in
            try db.execute("INSERT INTO kernel_state VALUES ('k', 'v')")
            try services.events.publish(SomethingHappened(value: 1), in: db)
            #expect(received.withLock { $0 }.isEmpty)  // not before commit
        }
        struct Boom: Error {}
        _ = try? services.database.write { db -> Void in
            try db.execute("INSERT INTO kernel_state VALUES ('k2', 'v')")
            try services.events.publish(SomethingHappened(value: 2), in: db)
            throw Boom()
        }
        #expect(received.withLock { $0 } == [101])
    }

    @Test func aFailingHandlerDoesNotStopOthers() throws {
        let bus = EventBus()
        let seen = Mutex(0)
        struct Broken: Error {}
        bus.subscribe(SomethingHappened.self, module: "a") { _ in throw Broken() }
        bus.subscribe(SomethingHappened.self, module: "b") { _ in seen.withLock { $0 += 1 } }
        bus.deliver(SomethingHappened(value: 0))
        #expect(seen.withLock { $0 } == 1)
    }
}

@Suite struct ActivityStreamTests {
    func record(
        _ services: Services, actor: Int64, name: String, verb: String = "joined",
        module: String = "membership",
        object: Int64? = nil, scope: ActivityScope = .public
    ) throws {
        try services.database.write { db in
            try services.activity.record(
                NewActivity(
                    module: module, actorID: actor, actorName: name, actorHandle: name.lowercased(),
                    verb: verb,
                    objectKind: object == nil ? nil : "thing", objectID: object,
                    objectTitle: object.map { "Thing \($0)" },
                    scope: scope), at: services.clock.now, in: db)
        }
    }

    @Test func consecutiveSameVerbEntriesAggregate() throws {
        let services = try bootKernel().services
        try record(services, actor: 1, name: "Old", verb: "posted", object: 9)
        for (index, name) in ["Erin", "Jessica J Lenhart", "Karen D Honeycutt"].enumerated() {
            try record(services, actor: Int64(index + 10), name: name)
        }
        for index in 0..<11 { try record(services, actor: Int64(100 + index), name: "M\(index)") }
        let page = try services.activity.latest(for: .anonymous, limit: 10)
        #expect(page.groups.count == 2)
        let joined = try #require(page.groups.first)
        #expect(joined.entryCount == 14)
        #expect(joined.actors.count == 14)
        #expect(joined.actors.first?.name == "M10")  // newest first
        #expect(page.groups[1].lead.verb == "posted")
        #expect(page.nextCursor == nil)
    }

    @Test func differentObjectsStayApart() throws {
        let services = try bootKernel().services
        try record(services, actor: 1, name: "A", verb: "published", module: "blog", object: 1)
        try record(services, actor: 2, name: "B", verb: "published", module: "blog", object: 2)
        try record(services, actor: 3, name: "C", verb: "published", module: "blog", object: 2)
        let page = try services.activity.latest(for: .anonymous, limit: 10)
        #expect(page.groups.map(\.entryCount) == [2, 1])
    }

    @Test func visibilityIsEnforcedForEveryViewer() throws {
        let services = try bootKernel().services
        try record(services, actor: 1, name: "Pub", verb: "v1", scope: .public)
        try record(services, actor: 2, name: "Mem", verb: "v2", scope: .members)
        try record(services, actor: 3, name: "Grp", verb: "v3", scope: .group(7))
        try record(services, actor: 4, name: "Priv", verb: "v4", scope: .private)
        func verbs(_ viewer: Viewer) throws -> Set<String> {
            Set(try services.activity.latest(for: viewer, limit: 50).groups.map(\.lead.verb))
        }
        #expect(try verbs(.anonymous) == ["v1"])
        #expect(try verbs(Viewer(memberID: 99)) == ["v1", "v2"])
        #expect(try verbs(Viewer(memberID: 99, groupIDs: [7])) == ["v1", "v2", "v3"])
        #expect(try verbs(Viewer(memberID: 99, groupIDs: [8])) == ["v1", "v2"])
        #expect(try verbs(Viewer(memberID: 4)) == ["v1", "v2", "v4"])
    }

    @Test func hiddenEntriesAreSeenOnlyByTheirActorAndModerators() throws {
        let services = try bootKernel().services
        try record(services, actor: 5, name: "Author", verb: "published", module: "blog", object: 42)
        try services.database.write {
            try services.activity.setHidden(true, objectKind: "thing", objectID: 42, in: $0)
        }
        #expect(try services.activity.latest(for: .anonymous).groups.isEmpty)
        #expect(try services.activity.latest(for: Viewer(memberID: 6)).groups.isEmpty)
        #expect(try services.activity.latest(for: Viewer(memberID: 5)).groups.count == 1)
        #expect(try services.activity.latest(for: Viewer(memberID: 6, isModerator: true)).groups.count == 1)
    }

    @Test func entriesOfDisabledModulesAreNotReturned() throws {
        let folder = temporaryFolder()
        let services = try bootKernel(testConfig(folder: folder)).services
        try record(services, actor: 1, name: "A", verb: "published", module: "blog", object: 1)
        try record(services, actor: 2, name: "B", verb: "joined")
        #expect(try services.activity.latest(for: .anonymous).groups.count == 2)
        let without = try bootKernel(testConfig(enabling: ["membership"], folder: folder)).services
        let page = try without.activity.latest(for: .anonymous)
        #expect(page.groups.map(\.lead.module) == ["membership"])
    }

    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func keysetPaginationWalksTheWholeStreamOnce() throws {
        let services = try bootKernel().services
        for index in 0..<45 {
            try record(
                services, actor: Int64(index), name: "N\(index)", verb: "v\(index % 2)", object: Int64(index))
        }
        var seen: [Int64] = []
        var cursor: Int64? = nil
        repeat {
            let page = try services.activity.latest(for: .anonymous, limit: 10, before: cursor)
            seen += page.groups.map(\.lead.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 45)
        #expect(seen == seen.sorted(by: >))
    }

    func plans(_ viewer: Viewer, _ filter: ActivityFilter, in services: Services) throws -> [[String]] {
        try ActivityStream.visibleQuery(viewer: viewer, modules: ["membership", "blog"], filter: filter).map {
            part in
            try services.database.read { db in
                try db.query("EXPLAIN QUERY PLAN " + part.sql, part.arguments + [Int64.max, 10]) {
                    try $0.value("detail") as String
                }
            }
        }
    }

    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func theUnfilteredStreamWalksNewestFirstWithoutSorting() throws {
        let services = try bootKernel().services
        // Anonymous viewers and members walk the partial index of visible entries (hidden ones
        // cost nothing); a member's own hidden entries come from theirs; moderators see all.
        let expected: [(Viewer, [String])] = [
            (.anonymous, ["activities_shown"]),
            (Viewer(memberID: 3, groupIDs: [1, 2]), ["activities_shown", "activities_hidden_actor"]),
            (Viewer(memberID: 4, isModerator: true), ["INTEGER PRIMARY KEY"]),
        ]
        for (viewer, indexes) in expected {
            let plans = try plans(viewer, .all, in: services)
            #expect(plans.count == indexes.count)
            for (plan, index) in zip(plans, indexes) {
                #expect(plan.contains { $0.hasPrefix("SEARCH activities") && $0.contains(index) }, "\(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
            }
        }
    }

    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func theFeedQueryUsesAnIndexNotATableScan() throws {
        let services = try bootKernel().services
        for viewer in [Viewer(memberID: 1, groupIDs: [1]), .anonymous] {
            for filter in [ActivityFilter(actorIDs: [1]), ActivityFilter(groupID: 1)] {
                let parts = try plans(viewer, filter, in: services)
                #expect(parts.count == 1)
                for plan in parts {
                    #expect(!plan.contains { $0.hasPrefix("SCAN activities") }, "\(plan)")
                    #expect(!plan.contains { $0.contains("activities_shown") }, "\(plan)")
                }
            }
        }
    }

    @Test func aRunOfHiddenEntriesIsSkippedAndAuthorsStillSeeTheirOwn() throws {
        let services = try bootKernel().services
        try services.database.write { db in
            for index in 0..<300 {
                let id = try services.activity.record(
                    NewActivity(
                        module: "membership", actorID: index < 10 ? 1 : 2, actorName: "A", actorHandle: "a",
                        verb: "posted", objectKind: "status", objectID: Int64(index), scope: .public),
                    at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index)), in: db)
                // The newest 250 are held by moderation: one spam wave by member 2.
                if index >= 50 { try db.execute("UPDATE activities SET hidden = 1 WHERE id = ?", [id]) }
            }
        }
        let anonymous = try services.activity.latest(for: .anonymous, limit: 100)
        #expect(anonymous.groups.map(\.lead.objectID) == (0..<50).reversed().map { Int64($0) })
        let spammer = try services.activity.latest(for: Viewer(memberID: 2), limit: 100)
        #expect(spammer.groups.count == 100)
        #expect(spammer.groups.first?.lead.objectID == 299)
        let ownProfile = try services.activity.latest(
            for: Viewer(memberID: 2), limit: 100, filter: ActivityFilter(actorIDs: [2]))
        #expect(ownProfile.groups.count == 100 && ownProfile.groups.first?.lead.objectID == 299)
        let othersProfile = try services.activity.latest(
            for: Viewer(memberID: 3), limit: 100, filter: ActivityFilter(actorIDs: [2]))
        #expect(othersProfile.groups.map(\.lead.objectID) == (10..<50).reversed().map { Int64($0) })
        let moderator = try services.activity.latest(for: Viewer(memberID: 9, isModerator: true), limit: 5)
        #expect(moderator.groups.first?.lead.objectID == 299)
        // Paging through a member's view, the merged parts give every entry once, newest first.
        var seen: [Int64] = []
        var cursor: Int64?
        repeat {
            let page = try services.activity.latest(for: Viewer(memberID: 2), limit: 7, before: cursor)
            seen += page.groups.compactMap(\.lead.objectID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == (0..<300).reversed().map { Int64($0) })
    }
}

@Suite struct OutboxTests {
    func sendmailScript(exitCode: Int, folder: String) throws -> String {
        let path = folder + "/sendmail.sh"
        try "#!/bin/sh\ncat >> \(folder)/sent.txt\necho oops >&2\nexit \(exitCode)\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func withoutACommandMessagesAreKeptAndListed() throws {
        let services = try bootKernel().services
        try services.database.write {
            try services.outbox.enqueue(Mail(to: "a@example.org", subject: "Hi", body: "Body"), in: $0)
        }
        let report = try services.outbox.deliverDue()
        #expect(report.kept == 1)
        #expect(try services.outbox.list().map(\.status) == ["pending"])
    }

    @Test func messagesAreWrittenOnlyWithTheChangeThatCausedThem() throws {
        let services = try bootKernel().services
        struct Boom: Error {}
        _ = try? services.database.write { db -> Void in
            try services.outbox.enqueue(Mail(to: "a@example.org", subject: "Hi", body: "Body"), in: db)
            throw Boom()
        }
        #expect(try services.outbox.list().isEmpty)
    }

    @Test func deliveryPipesToSendmailAndRetriesWithBackoff() throws {
        let folder = temporaryFolder()
        var config = testConfig(folder: folder)
        config.sections["mail"]?["sendmail"] = .list([
            .string(try sendmailScript(exitCode: 0, folder: folder)), .string("-t"),
        ])
        let clock = FixedClock()
        let services = try bootKernel(config, clock: clock).services
        try services.database.write {
            try services.outbox.enqueue(
                Mail(to: "erin@example.org", subject: "Line\r\nBcc: evil@x", body: "Hello"), in: $0)
        }
        #expect(try services.outbox.deliverDue().sent == 1)
        let sent = try String(contentsOfFile: folder + "/sent.txt", encoding: .utf8)
        #expect(sent.contains("To: erin@example.org"))
        #expect(sent.contains("Subject: Line  Bcc: evil@x"))  // no header injection
        #expect(!sent.contains("\nBcc:"))
        #expect(try services.outbox.list().map(\.status) == ["sent"])

        var failing = testConfig(folder: folder)
        failing.sections["mail"]?["sendmail"] = .list([
            .string(try sendmailScript(exitCode: 75, folder: folder))
        ])
        let failingServices = try bootKernel(failing, clock: clock).services
        try failingServices.database.write {
            try failingServices.outbox.enqueue(Mail(to: "b@example.org", subject: "S", body: "B"), in: $0)
        }
        #expect(try failingServices.outbox.deliverDue().failed == 1)
        #expect(try failingServices.outbox.deliverDue().failed == 0)  // not due yet: backoff
        clock.advance(by: 61)
        #expect(try failingServices.outbox.deliverDue().failed == 1)
        let message = try #require(try failingServices.outbox.list(status: "pending").first)
        #expect(message.attempts == 2)
        #expect(message.lastError?.contains("exited with 75") == true)
    }
}

@Suite struct JobSchedulerTests {
    @Test func dueJobsRunOnceAcrossTwoProcessesSharingTheDatabase() throws {
        let folder = temporaryFolder()
        let clock = FixedClock()
        let first = try bootKernel(testConfig(folder: folder), clock: clock).services
        let second = try bootKernel(testConfig(folder: folder), clock: clock).services
        let runs = Mutex<[String]>([])
        first.jobs.register("test.job") { payload in runs.withLock { $0.append("first:\(payload)") } }
        second.jobs.register("test.job") { payload in runs.withLock { $0.append("second:\(payload)") } }
        try first.database.write { db in
            for index in 0..<20 {
                try first.jobs.enqueue("test.job", payload: String(index), at: clock.now, in: db)
            }
        }
        let group = DispatchGroup()
        for services in [first, second] {
            DispatchQueue.global().async(group: group) { _ = try? services.jobs.runDue() }
        }
        group.wait()
        let payloads = runs.withLock { $0 }.map { $0.split(separator: ":")[1] }
        #expect(payloads.count == 20)
        #expect(Set(payloads).count == 20)
    }

    @Test func delayedJobsWaitAndSurviveARestart() throws {
        let folder = temporaryFolder()
        let clock = FixedClock()
        let before = try bootKernel(testConfig(folder: folder), clock: clock).services
        try before.database.write {
            try before.jobs.enqueue(
                "test.later", payload: "x", at: clock.now.addingTimeInterval(3600), in: $0)
        }
        let after = try bootKernel(testConfig(folder: folder), clock: clock).services
        let runs = Mutex(0)
        after.jobs.register("test.later") { _ in runs.withLock { $0 += 1 } }
        #expect(try after.jobs.runDue().ran == 0)
        clock.advance(by: 3601)
        #expect(try after.jobs.runDue().ran == 1)
        #expect(try after.jobs.runDue().ran == 0)
        #expect(runs.withLock { $0 } == 1)
    }

    @Test func periodicJobsRescheduleThemselvesAndFailuresRetry() throws {
        let clock = FixedClock()
        let services = try bootKernel(clock: clock).services
        let runs = Mutex(0)
        services.jobs.register("test.tick") { _ in runs.withLock { $0 += 1 } }
        try services.jobs.schedulePeriodic("test.tick", every: 60)
        try services.jobs.schedulePeriodic("test.tick", every: 60)  // idempotent
        #expect(try services.jobs.runDue().ran == 1)
        #expect(try services.jobs.runDue().ran == 0)
        clock.advance(by: 61)
        #expect(try services.jobs.runDue().ran == 1)

        struct Flaky: Error {}
        let attempts = Mutex(0)
        services.jobs.register("test.flaky") { _ in
            if attempts.withLock({
                $0 += 1
                return $0
            }) < 2 {
                throw Flaky()
            }
        }
        try services.database.write { try services.jobs.enqueue("test.flaky", at: clock.now, in: $0) }
        #expect(try services.jobs.runDue().failed == 1)
        clock.advance(by: 61)
        #expect(try services.jobs.runDue().failed == 0)
        #expect(attempts.withLock { $0 } == 2)
    }

    @Test func jobsOfDisabledModulesWaitUntouched() throws {
        let clock = FixedClock()
        let services = try bootKernel(clock: clock).services
        try services.database.write { try services.jobs.enqueue("blog.unregistered", at: clock.now, in: $0) }
        #expect(try services.jobs.runDue() == JobScheduler.RunReport(ran: 0, failed: 0))
        #expect(try services.jobs.list().map(\.status) == ["queued"])
    }
}
