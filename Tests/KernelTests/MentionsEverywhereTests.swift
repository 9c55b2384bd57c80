import Blog
import Foundation
import Groups
import Membership
import Moderation
import PLNTestSupport
import Testing

@testable import Kernel

/// Mentions in blog posts, discussion openers and statuses notify the member mentioned, only
/// once the content is published and only if they may see it.
@Suite struct MentionsEverywhereTests {
    @Test func aPublishedPostNotifiesTheMemberItMentionsButADraftDoesNotUntilPublished() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]))
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Ann Author").signedIn
        let olu = try services.member("Olu Ade", handle: "olu").signedIn
        let draft = try blog.createPost(
            .init(title: "Phonics", body: "Thanks @olu for the idea", publish: false), by: author)
        #expect(try services.notifications.unreadCount(memberID: olu.id) == 0)
        _ = try blog.publish(postID: draft.id, by: author)
        let items = try services.notifications.list(memberID: olu.id).items
        #expect(items.map(\.sentence) == ["Ann Author mentioned you in the post “Phonics”"])
        #expect(items.first?.link == "/blog/posts/\(draft.id)")
        // The author mentioning themself, and unknown handles, notify nobody.
        _ = try blog.createPost(.init(title: "Me", body: "I am @ann-author and @nobody"), by: author)
        #expect(try services.notifications.unreadCount(memberID: author.id) == 0)
    }

    @Test func aDiscussionOpenerInAPrivateGroupNotifiesOnlyMembersItMentions() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "groups"]))
        let services = kernel.services
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair").signedIn
        let outsider = try services.member("Olu Outsider", handle: "olu").signedIn
        let secret = try groups.create(
            .init(name: "Heads", category: "Interest", visibility: .private), by: chair)
        _ = try groups.startDiscussion(groupID: secret.id, by: chair, title: "Budgets", body: "Ask @olu")
        #expect(try services.notifications.unreadCount(memberID: outsider.id) == 0)
        let open = try groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
        let talk = try groups.startDiscussion(
            groupID: open.id, by: chair, title: "Blending", body: "What does @olu think?")
        let items = try services.notifications.list(memberID: outsider.id).items
        #expect(items.map(\.sentence) == ["Chair mentioned you in “Blending” in Phonics"])
        #expect(items.first?.link == talk.path(in: open))
    }

    @Test func aStatusMentionNotifiesAndAHeldOneWaitsForTheModerator() throws {
        var config = testConfig(enabling: ["membership", "moderation"])
        config.sections["moderation"]?["premoderate_first_posts"] = .int(1)
        let kernel = try bootKernel(config)
        let services = kernel.services
        let membership = try #require(services.service(MembershipService.self))
        let moderation = try #require(services.service(ModerationService.self))
        let olive = try services.member("Olive", role: .moderator).signedIn
        let newcomer = try services.member("Nia New")
        let olu = try services.member("Olu Ade", handle: "olu").signedIn
        // A newcomer's first post is held: no mention until it is approved.
        _ = try membership.postStatus(by: newcomer, body: "Hello @olu!")
        #expect(try services.notifications.unreadCount(memberID: olu.id) == 0)
        for item in try moderation.awaitingApproval(authorID: newcomer.id, limit: 10) {
            _ = try moderation.act(
                caseID: item.id, ActionRequest(action: .approve),
                by: ModeratorRef(id: olive.id, name: olive.name, role: .moderator))
        }
        let items = try services.notifications.list(memberID: olu.id).items
        #expect(items.map(\.sentence) == ["Nia New mentioned you in a status"])
        #expect(items.first?.link.hasPrefix("/members/\(newcomer.handle)#status-") == true)
    }
}
