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

    @Test func theMentionLookupOffersAtMostEightActiveMembersToSignedInMembersOnly() throws {
        let network = try TestNetwork(modules: [MembershipModule.self])
        defer { network.stop() }
        let services = network.services
        let membership = try #require(services.service(MembershipService.self))
        try services.member("Asker", email: "asker@school.example")
        for index in 1...10 { try services.member("Amira Khan \(index)", handle: "amira\(index)") }
        let suspended = try services.member("Amelia Gone", handle: "amelia")
        _ = try membership.suspend(memberID: suspended.id, by: nil)
        try services.member("Zed Ami", handle: "zed")
        #expect(try network.client().get("/mentions/members?q=am").status != 200)
        let asker = network.client()
        try asker.signIn("asker@school.example")
        let response = try asker.get("/mentions/members?q=@am")
        #expect(response.status == 200)
        let people = try #require(response.json as? [[String: String]])
        #expect(people.count == 8)
        #expect(people.allSatisfy { $0["handle"]?.hasPrefix("amira") == true && $0["name"] != nil })
        let byWord = try #require(try asker.get("/mentions/members?q=ami").json as? [[String: String]])
        #expect(!byWord.contains { $0["handle"] == "amelia" })
        let zed = try #require(try asker.get("/mentions/members?q=zed").json as? [[String: String]])
        #expect(zed == [["handle": "zed", "name": "Zed Ami"]])
        #expect(try asker.get("/mentions/members?q=%25").json as? [[String: String]] == [])
    }
}
