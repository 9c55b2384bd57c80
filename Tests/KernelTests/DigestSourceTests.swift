import Blog
import Foundation
import Groups
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// The blog's and groups' parts of the digest: new posts the member may read, and new
/// discussions in their groups (never a private group's to someone outside it, nothing from a
/// muted group).
@Suite struct DigestSourceTests {
    @Test func newPostsAndDiscussionsInMyGroupsOnlyWhatIMaySee() throws {
        let clock = FixedClock(NotificationDigestTests.mondayEarly.addingTimeInterval(-2 * 86_400))
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog", "groups"]), clock: clock)
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair Person").signedIn
        let insider = try services.member("Ina Side").signedIn
        let outsider = try services.member("Olu Outsider").signedIn
        let heads = try groups.create(
            .init(name: "Heads", category: "Interest", visibility: .private), by: chair)
        _ = try groups.join(groupID: heads.id, by: insider)
        try groups.approve(groupID: heads.id, memberID: insider.id, by: chair)
        let noisy = try groups.create(
            .init(name: "Noisy", category: "Interest", visibility: .public), by: chair)
        _ = try groups.join(groupID: noisy.id, by: insider)
        try services.database.write { db in
            try services.notifications.setLevel(
                .mute, group: NotificationGroup(id: noisy.id, name: noisy.name), memberID: insider.id, in: db)
        }
        _ = try groups.startDiscussion(groupID: heads.id, by: chair, title: "Secret budgets", body: "Hush")
        _ = try groups.startDiscussion(groupID: noisy.id, by: chair, title: "Muted chatter", body: "Blah")
        _ = try blog.createPost(.init(title: "Phonics in Year 1", body: "Body"), by: chair)
        _ = try blog.createPost(.init(title: "A draft", body: "Body", publish: false), by: chair)
        for member in [chair, insider, outsider] {
            _ = try services.notifications.markAllRead(memberID: member.id)
        }

        clock.set(NotificationDigestTests.mondayEarly.addingTimeInterval(3600))
        let report = try services.notifications.sendDigests()
        #expect(Set(report.sent.map(\.memberID)) == [insider.id, outsider.id])
        let mail = try services.outbox.list(limit: 100)
        let inside = try #require(mail.first { $0.memberID == insider.id && $0.subject.contains("digest") })
        #expect(inside.body.contains("“Phonics in Year 1” by Chair Person"))
        #expect(inside.body.contains("“Secret budgets” in Heads"))
        #expect(!inside.body.contains("Muted chatter"))
        #expect(!inside.body.contains("A draft"))
        let outside = try #require(mail.first { $0.memberID == outsider.id && $0.subject.contains("digest") })
        #expect(outside.body.contains("“Phonics in Year 1”"))
        #expect(!outside.body.contains("Secret budgets"))
    }
}
