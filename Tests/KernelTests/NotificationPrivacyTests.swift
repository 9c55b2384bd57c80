import Blog
import Foundation
import Groups
import Membership
import Moderation
import PLNTestSupport
import Testing

@testable import Kernel

/// Notifications never tell anyone about content they may not see, nor about held content.
@Suite struct NotificationPrivacyTests {
    @Test func aPrivateGroupsDiscussionNotifiesNobodyOutsideTheGroup() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "groups"]))
        let services = kernel.services
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair").signedIn
        let outsider = try services.member("Outsider").signedIn
        let group = try groups.create(
            .init(name: "Heads", category: "Interest", visibility: .private), by: chair)
        let discussion = try groups.startDiscussion(
            groupID: group.id, by: chair, title: "Budgets", body: "Secret")
        let about = NewNotification(
            recipientID: outsider.id, kind: NotificationKind.mention.id, actor: NotificationActor(chair),
            subject: ContentReference(module: "groups", kind: "group_discussion", id: discussion.id),
            text: "mentioned you in “Budgets”", link: "/groups",
            group: NotificationGroup(id: group.id, name: "Heads"))
        let outcome = try services.database.write { db in try services.notifications.publish(about, in: db) }
        #expect(outcome == .skipped(.notVisible))
        #expect(try services.notifications.unreadCount(memberID: outsider.id) == 0)
        #expect(try services.outbox.list().allSatisfy { $0.memberID != outsider.id })
    }

    @Test func aMentionInAPrivateGroupsDiscussionNotifiesNobodyOutsideItButInAPublicOneItDoes() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "groups"]))
        let services = kernel.services
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair").signedIn
        let outsider = try services.member("Olu Outsider", handle: "olu").signedIn
        let secret = try groups.create(
            .init(name: "Heads", category: "Interest", visibility: .private), by: chair)
        let hidden = try groups.startDiscussion(
            groupID: secret.id, by: chair, title: "Budgets", body: "Secret")
        _ = try groups.reply(to: hidden.id, by: chair, body: "What does @olu think?")
        #expect(try services.notifications.unreadCount(memberID: outsider.id) == 0)
        let open = try groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
        let talk = try groups.startDiscussion(groupID: open.id, by: chair, title: "Blending", body: "Ideas")
        _ = try groups.reply(to: talk.id, by: chair, body: "What does @olu think?")
        let page = try services.notifications.list(memberID: outsider.id)
        #expect(page.items.map(\.sentence) == ["Chair mentioned you in “Blending” in Phonics"])
    }

    @Test func aHeldCommentNotifiesNobodyUntilAModeratorApprovesIt() throws {
        let network = try TestNetwork(
            modules: allModules,
            settings: ["moderation": ["premoderate_modules": .list([.string("blog")])]])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let moderation = try #require(services.service(ModerationService.self))
        let olive = try services.member("Olive", role: .moderator).signedIn
        let ian = try services.member("Ian").signedIn
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: olive)
        _ = try blog.addComment(to: post.id, body: "Held", by: ian)
        #expect(try services.notifications.unreadCount(memberID: olive.id) == 0)
        #expect(try services.outbox.list().allSatisfy { $0.memberID != olive.id })
        let held = try moderation.awaitingApproval(authorID: ian.id, limit: 10)
        for item in held {
            _ = try moderation.act(
                caseID: item.id, ActionRequest(action: .approve),
                by: ModeratorRef(id: olive.id, name: olive.name, role: .moderator))
        }
        #expect(try services.notifications.unreadCount(memberID: olive.id) == 1)
        #expect(
            try services.notifications.list(memberID: olive.id).items.first?.sentence
                == "Ian commented on your post “Phonics”")
    }
}
