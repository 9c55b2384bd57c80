import Blog
import Foundation
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// Digests: once per member and period, in the network's morning, nothing when nothing is new.
@Suite struct NotificationDigestTests {
    /// Monday 30 November 2026, 06:30 in London (UTC in winter).
    static let mondayEarly = Date(timeIntervalSince1970: 1_796_020_200)

    @Test func theWeeklyDigestSendsOneMailHoldingTheGroupedNotificationOnceOnly() throws {
        let clock = FixedClock(Self.mondayEarly.addingTimeInterval(-2 * 86_400))
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]), clock: clock)
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Thomas Whitby").signedIn
        let post = try blog.createPost(.init(title: "Phonics in Year 1", body: "Body"), by: author)
        // Comments on the author's posts come in the digest only (not by mail at once).
        try services.notifications.update(memberID: author.id, channels: ["blog.comment": .digest])
        for name in ["Amira Khan", "Ben Ode"] {
            _ = try blog.addComment(to: post.id, body: "Thanks", by: try services.member(name).signedIn)
        }
        #expect(try services.outbox.list().allSatisfy { $0.memberID != author.id })
        // Before Monday's morning: not yet.
        clock.set(Self.mondayEarly)
        #expect(try services.notifications.sendDigests().sent.isEmpty)
        clock.advance(by: 3600)
        let dry = try services.notifications.sendDigests(dryRun: true)
        #expect(dry.sent.filter { $0.memberID == author.id }.map(\.period) == ["weekly:2026-11-30"])
        #expect(try services.outbox.list().allSatisfy { $0.memberID != author.id })
        // The job, run twice (a retry, a second server): one digest.
        // (The commenters get one too: the new post is in theirs.)
        let first = try services.notifications.sendDigests()
        #expect(first.sent.map(\.memberID).contains(author.id))
        let again = try services.notifications.sendDigests()
        #expect(again.sent.isEmpty)
        #expect(again.alreadySent == first.sent.count)
        let digests = try services.outbox.list().filter { $0.memberID == author.id }
        #expect(digests.count == 1)
        let digest = try #require(digests.first)
        #expect(digest.subject.hasPrefix("Your weekly digest from "))
        #expect(digest.body.contains("Ben Ode and Amira Khan commented on your post “Phonics in Year 1”"))
        #expect(digest.html != nil)
        #expect(digest.headers.contains { $0.name == "List-Unsubscribe" })
        // The primary key is what refuses a second row, whoever tries.
        #expect(throws: (any Error).self) {
            try services.database.write { db in
                try db.execute(
                    "INSERT INTO notification_digests (member_id, period_key, period_start, sent_at, item_count) VALUES (?, 'weekly:2026-11-30', 0, 0, 1)",
                    [author.id])
            }
        }
    }

    @Test func noDigestWhenNothingIsNewAndNoneForMembersWhoChoseNever() throws {
        let clock = FixedClock(Self.mondayEarly.addingTimeInterval(3 * 3600))
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]), clock: clock)
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let quiet = try services.member("Quiet One").signedIn
        try services.notifications.update(memberID: quiet.id, digest: .daily)
        #expect(try services.notifications.sendDigests().sent.isEmpty)
        let author = try services.member("Ann Author").signedIn
        try services.notifications.update(memberID: author.id, digest: .never)
        let post = try blog.createPost(.init(title: "Budgets", body: "Body"), by: author)
        _ = try blog.addComment(to: post.id, body: "Hello", by: quiet)
        // The quiet member's digest now holds the new post; the author chose none.
        #expect(try services.notifications.sendDigests().sent.map(\.memberID) == [quiet.id])
    }

    @Test func theDigestJobIsScheduledHourlyWhereMailCanGoOut() throws {
        var config = testConfig(enabling: ["membership"])
        config.sections["mail"]?["sendmail"] = .list([.string("/bin/true")])
        let kernel = try bootKernel(config)
        #expect(try kernel.services.jobs.list().contains { $0.name == Notifications.digestJob })
        let quiet = try bootKernel(testConfig(enabling: ["membership"]))
        #expect(try !quiet.services.jobs.list().contains { $0.name == Notifications.digestJob })
    }

    @Test func periodsFollowTheNetworksTimeZone() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership"]))
        let notifications = kernel.services.notifications
        #expect(notifications.period(.daily, at: Self.mondayEarly) == nil)
        #expect(
            notifications.period(.daily, at: Self.mondayEarly.addingTimeInterval(3600))?.key
                == "daily:2026-11-30")
        // Sunday evening belongs to the week that began the Monday before.
        #expect(
            notifications.period(.weekly, at: Self.mondayEarly.addingTimeInterval(-12 * 3600))?.key
                == "weekly:2026-11-23")
        #expect(notifications.period(.never, at: Self.mondayEarly) == nil)
    }
}
