import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Groups
@testable import Kernel

/// Many recipients are notified by a job after the commit, not inside the posting request.
@Suite struct NotificationFanoutTests {
    /// A public group's discussion, started by its chair, that `count` members follow.
    final class Followed: @unchecked Sendable {
        // @unchecked: used by one test at a time.
        let kernel: Kernel
        let groups: GroupsService
        let chair: SignedInMember
        let group: Group
        let discussion: Discussion
        var followers: [SignedInMember] = []
        var services: Services { kernel.services }

        init(followers count: Int) throws {
            kernel = try bootKernel(testConfig(enabling: ["membership", "groups"]))
            groups = kernel.services.service(GroupsService.self)!
            chair = try kernel.services.member("Chair").signedIn
            group = try groups.create(
                .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
            discussion = try groups.startDiscussion(
                groupID: group.id, by: chair, title: "Blending", body: "Ideas")
            for index in 0..<count { followers.append(try member("Follower \(index)", following: true)) }
        }

        /// A new member of the group, following the discussion or not.
        func member(_ name: String, following: Bool) throws -> SignedInMember {
            let member = try services.member(name).signedIn
            _ = try groups.join(groupID: group.id, by: member)
            if following { try groups.follow(discussionID: discussion.id, by: member) }
            return member
        }
    }

    @Test func aReplyToADiscussionWithManyFollowersIsNotifiedByAJob() throws {
        let f = try Followed(followers: Notifications.inlineRecipientLimit + 5)
        let services = f.services
        _ = try f.groups.reply(to: f.discussion.id, by: f.chair, body: "Here is what we found.")
        // Nothing yet: the request only queued the job.
        #expect(try services.notifications.unreadCount(memberID: f.followers[0].id) == 0)
        #expect(try services.jobs.list().contains { $0.name == Notifications.fanoutJob })
        try services.jobs.runDue()
        for follower in f.followers {
            #expect(try services.notifications.unreadCount(memberID: follower.id) == 1)
        }
        #expect(
            try services.notifications.list(memberID: f.followers[3].id).items.first?.sentence
                == "Chair replied to “Blending” in Phonics")
        #expect(!(try services.jobs.list().contains { $0.name == Notifications.fanoutJob }))
    }

    @Test func theRequestQueuesOneJobNamingTheReplyAndTheJobChecksEachFollowerWhenItRuns() throws {
        let f = try Followed(followers: Notifications.inlineRecipientLimit + 10)
        let services = f.services
        let ben = try f.member("Ben Ode", following: false)
        let (left, muted, off, siteOnly) = (f.followers[0], f.followers[1], f.followers[2], f.followers[3])
        try services.database.write { db in
            try services.notifications.setLevel(
                .mute, group: NotificationGroup(id: f.group.id, name: f.group.name), memberID: muted.id,
                in: db)
            try services.notifications.setChannel(.off, kind: "groups.reply", memberID: off.id, in: db)
            try services.notifications.setChannel(.site, kind: "groups.reply", memberID: siteOnly.id, in: db)
        }
        _ = try f.groups.reply(to: f.discussion.id, by: f.chair, body: "Here is what we found.")
        // The request wrote one job naming the reply, not its followers.
        let payloads = try services.database.read { db in
            try db.query("SELECT payload FROM jobs WHERE name = ?", [Notifications.fanoutJob]) {
                try $0.value(column: 0) as String
            }
        }
        #expect(payloads.count == 1)
        #expect(payloads.first?.contains("recipients") == false)
        // Who follows is decided when the job runs: a member who left by then hears nothing.
        try f.groups.leave(groupID: f.group.id, by: left)
        try services.jobs.runDue()
        #expect(try services.notifications.unreadCount(memberID: left.id) == 0)
        #expect(try services.notifications.unreadCount(memberID: muted.id) == 0)
        #expect(try services.notifications.unreadCount(memberID: off.id) == 0)
        #expect(try services.notifications.unreadCount(memberID: siteOnly.id) == 1)
        let mail = try services.outbox.list(limit: 500)
        #expect(!mail.contains { [siteOnly.id, left.id, muted.id, off.id].contains($0.memberID ?? 0) })
        for follower in f.followers[4...] {
            #expect(try services.notifications.unreadCount(memberID: follower.id) == 1)
            let theirs = mail.filter { $0.memberID == follower.id }
            #expect(theirs.count == 1)
            #expect(theirs.first?.subject == "Chair replied to “Blending” in Phonics")
            #expect(theirs.first?.headers.contains { $0.name == "List-Unsubscribe" } == true)
        }
        // A second reply groups into each follower's unread notification (Ben follows by replying).
        _ = try f.groups.reply(to: f.discussion.id, by: ben, body: "We tried it too.")
        try services.jobs.runDue()
        for follower in f.followers[4...] {
            let items = try services.notifications.list(memberID: follower.id).items
            #expect(items.map(\.sentence) == ["Ben Ode and Chair replied to “Blending” in Phonics"])
        }
        // The chair follows as the starter and hears of Ben's reply, not of their own.
        #expect(
            try services.notifications.list(memberID: f.chair.id).items.filter { $0.kind == "groups.reply" }
                .map(
                    \.sentence) == ["Ben Ode replied to “Blending” in Phonics"])
    }

    @Test func aReplyHiddenBeforeTheJobRunsNotifiesNobody() throws {
        let f = try Followed(followers: Notifications.inlineRecipientLimit + 1)
        let services = f.services
        let reply = try f.groups.reply(to: f.discussion.id, by: f.chair, body: "Something regrettable.")
        try services.database.write { db in
            try GroupsService.setReplyHidden(id: reply.id, true, services: services, in: db)
        }
        try services.jobs.runDue()
        for follower in f.followers {
            #expect(try services.notifications.unreadCount(memberID: follower.id) == 0)
        }
        let followerIDs = Set(f.followers.map(\.id))
        #expect(!(try services.outbox.list(limit: 500).contains { followerIDs.contains($0.memberID ?? 0) }))
    }

    /// A fan-out job that fails after some batches are stored (a server killed, a database error)
    /// is retried; the retry carries on after the last stored recipient, so nobody is mailed twice.
    @Test func aRetriedFanOutCarriesOnAfterTheLastStoredBatch() throws {
        let f = try Followed(followers: Notifications.fanoutBatch * 2 + 10)
        let services = f.services
        let reply = try f.groups.reply(to: f.discussion.id, by: f.chair, body: "Here is what we found.")
        let payload = try #require(
            try services.database.read { db in
                try db.scalar(
                    "SELECT payload FROM jobs WHERE name = ?", [Notifications.fanoutJob], as: String.self)
            })
        #expect(payload.contains("\"id\""))
        // The same fan-out, failing when it makes its third batch's notification.
        let replies = try #require(services.notifications.catalog.fanout("groups.reply"))
        final class Calls: @unchecked Sendable {
            // @unchecked: the job runs on this test's thread.
            var count = 0
            var failAt: Int? = 3
        }
        let calls = Calls()
        services.notifications.registerFanout(
            "test.flaky",
            Fanout(
                recipients: { argument, limit, db in try replies.recipients!(argument, limit, db) },
                notification: { argument, db in
                    calls.count += 1
                    if calls.count == calls.failAt { throw DomainError.conflict("the database went away") }
                    return try replies.notification!(argument, db)
                }))
        let flaky = payload.replacingOccurrences(of: "\"groups.reply\"", with: "\"test.flaky\"")
        #expect(throws: DomainError.self) { try services.notifications.runFanout(flaky) }
        let mailed = { (id: Int64) in try services.outbox.list(limit: 1000).filter { $0.memberID == id }.count
        }
        // Recipients go in id order (the reply's author is not one of them): two batches stored.
        let stored = Set(f.followers.map(\.id).sorted().prefix(Notifications.fanoutBatch * 2))
        for follower in f.followers {
            #expect(try mailed(follower.id) == (stored.contains(follower.id) ? 1 : 0))
        }
        let progress = {
            try services.database.read { db in
                try db.query("SELECT last_recipient FROM notification_fanouts") {
                    try $0.value(column: 0) as Int64
                }
            }
        }
        #expect(try progress() == [stored.max() ?? 0])
        // The retry notifies the rest, once each, and marks the fan-out done.
        calls.failAt = nil
        try services.notifications.runFanout(flaky)
        for follower in f.followers {
            #expect(try mailed(follower.id) == 1)
            #expect(try services.notifications.unreadCount(memberID: follower.id) == 1)
            let items = try services.notifications.list(memberID: follower.id).items
            #expect(items.map(\.actorCount) == [1])
        }
        #expect(try progress() == [Notifications.fanoutDone])
        // Run once more (the job's own removal failed after its last batch): nobody hears twice.
        try services.notifications.runFanout(flaky)
        #expect(try f.followers.allSatisfy { try mailed($0.id) == 1 })
        // A finished fan-out's row is swept a day later.
        try services.database.write { db in
            try db.execute(
                "UPDATE notification_fanouts SET updated_at = ?",
                [services.clock.now.addingTimeInterval(-2 * 86_400)])
        }
        try services.notifications.runFanout(flaky)
        #expect(try progress().isEmpty)
        #expect(try f.followers.allSatisfy { try mailed($0.id) == 1 })
        _ = reply
    }

    @Test func storingABatchGroupsARecipientNamedTwiceIntoOneNotification() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership"]))
        let services = kernel.services
        let amira = try services.member("Amira Khan").signedIn
        let ben = try services.member("Ben Ode").signedIn
        let rita = try services.member("Rita Reader").signedIn
        let tom = try services.member("Tom Two").signedIn
        func made(to recipient: SignedInMember, by actor: SignedInMember) -> NewNotification {
            NewNotification(
                recipientID: recipient.id, kind: "mention", actor: NotificationActor(actor), subject: nil,
                text: "waved at you", link: "/")
        }
        let ids = try services.database.write { db in
            try services.notifications.store(
                [made(to: rita, by: amira), made(to: tom, by: amira), made(to: rita, by: ben)], in: db)
        }
        #expect(ids[0] == ids[2])
        #expect(ids[0] != ids[1])
        #expect(
            try services.notifications.list(memberID: rita.id).items.map(\.sentence)
                == ["Ben Ode and Amira Khan waved at you"])
        #expect(try services.notifications.list(memberID: tom.id).items.map(\.actorCount) == [1])
    }

    @Test func theJobRunnerThreadRunsAtALowerPriorityThanRequests() throws {
        #if os(Linux)
            final class Seen: @unchecked Sendable {
                // @unchecked: written by the thread before `done` is signalled, read after.
                var before: Int32 = 0
                var after: Int32?
                let done = DispatchSemaphore(value: 0)
            }
            let seen = Seen()
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            let mine = getpriority(which, 0)
            let thread = Thread {
                seen.before = getpriority(which, 0)
                seen.after = JobScheduler.lowerCurrentThreadPriority(by: 5)
                seen.done.signal()
            }
            thread.start()
            #expect(seen.done.wait(timeout: .now() + 10) == .success)
            #expect(seen.after == min(seen.before + 5, 19))
            // Only that thread: this one keeps its priority.
            #expect(getpriority(which, 0) == mine)
        #endif
    }
}
