import Foundation
import Membership
import Moderation
import PLNTestSupport
import Testing

@testable import Blog
@testable import Kernel

/// Editing what one wrote to add an @mention notifies the member newly mentioned: only members
/// not mentioned before, only once it is published, only if they may see it. Blog posts and
/// blog comments are what members can edit (discussions, replies and statuses cannot be edited).
@Suite struct MentionEditTests {
    final class Fixture: @unchecked Sendable {
        // @unchecked: used by one test at a time.
        let kernel: Kernel
        let blog: BlogService
        var services: Services { kernel.services }

        init(holdingFirstPosts: Bool = false) throws {
            var config = testConfig(enabling: ["membership", "blog", "moderation"])
            if holdingFirstPosts { config.sections["moderation"]?["premoderate_first_posts"] = .int(1) }
            kernel = try bootKernel(config)
            blog = kernel.services.service(BlogService.self)!
        }

        func mentions(of member: SignedInMember) throws -> [String] {
            try services.notifications.list(memberID: member.id).items.filter { $0.kind == "mention" }.map(
                \.sentence)
        }

        func mail(to member: SignedInMember) throws -> Int {
            try services.outbox.list(limit: 500).filter { $0.memberID == member.id }.count
        }
    }

    @Test func editingAPublishedPostNotifiesOnlyTheMembersItNewlyMentions() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let olu = try f.services.member("Olu Ade", handle: "olu").signedIn
        let bea = try f.services.member("Bea Bell", handle: "bea").signedIn
        let post = try f.blog.createPost(.init(title: "Phonics", body: "Thanks @olu"), by: author)
        #expect(try f.mentions(of: olu) == ["Ann Author mentioned you in the post “Phonics”"])
        _ = try f.services.notifications.markAllRead(memberID: olu.id)
        let mailBefore = try f.mail(to: olu)

        _ = try f.blog.updatePost(
            id: post.id, .init(title: "Phonics", body: "Thanks @olu and @BEA"), by: author)
        #expect(try f.mentions(of: bea) == ["Ann Author mentioned you in the post “Phonics”"])
        #expect(try f.services.notifications.list(memberID: bea.id).items.first?.link == post.path)
        #expect(try f.mail(to: bea) == 1)
        // Olu was mentioned before: no new notification, no new mail.
        #expect(try f.services.notifications.unreadCount(memberID: olu.id) == 0)
        #expect(try f.mail(to: olu) == mailBefore)

        // An edit that keeps the same mentions notifies nobody again, even with new words.
        _ = try f.services.notifications.markAllRead(memberID: bea.id)
        _ = try f.blog.updatePost(
            id: post.id, .init(title: "Phonics, again", body: "Thanks @olu and @bea, truly"), by: author)
        #expect(try f.services.notifications.unreadCount(memberID: olu.id) == 0)
        #expect(try f.services.notifications.unreadCount(memberID: bea.id) == 0)
        // Taking a mention out and putting it back does not notify twice.
        _ = try f.blog.updatePost(id: post.id, .init(title: "Phonics", body: "Thanks @olu"), by: author)
        _ = try f.blog.updatePost(
            id: post.id, .init(title: "Phonics", body: "Thanks @olu and @bea"), by: author)
        #expect(try f.services.notifications.unreadCount(memberID: bea.id) == 0)
        #expect(try f.mail(to: bea) == 1)
        // Mentioning oneself or nobody known notifies nobody.
        _ = try f.blog.updatePost(
            id: post.id, .init(title: "Phonics", body: "Thanks @olu and @bea, says @ann-author to @nobody"),
            by: author)
        #expect(try f.services.notifications.unreadCount(memberID: author.id) == 0)
    }

    @Test func editingADraftOrAHiddenPostNotifiesNobody() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let olu = try f.services.member("Olu Ade", handle: "olu").signedIn
        let bea = try f.services.member("Bea Bell", handle: "bea").signedIn
        let draft = try f.blog.createPost(.init(title: "Plans", body: "Soon", publish: false), by: author)
        _ = try f.blog.updatePost(
            id: draft.id, .init(title: "Plans", body: "Soon, with @olu", publish: false), by: author)
        #expect(try f.mentions(of: olu).isEmpty)
        // Publishing it mentions them then, once.
        _ = try f.blog.publish(postID: draft.id, by: author)
        #expect(try f.mentions(of: olu) == ["Ann Author mentioned you in the post “Plans”"])

        // A post the moderators hid may be seen by nobody else: an edit mentions nobody.
        let hidden = try f.blog.createPost(.init(title: "Hidden", body: "Text"), by: author)
        try f.services.database.write { try f.blog.setPostHidden(true, postID: hidden.id, in: $0) }
        _ = try f.blog.updatePost(id: hidden.id, .init(title: "Hidden", body: "Text for @bea"), by: author)
        #expect(try f.mentions(of: bea).isEmpty)
        #expect(try f.mail(to: bea) == 0)
    }

    @Test func editingACommentNotifiesTheMembersItNewlyMentionsOnly() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let commenter = try f.services.member("Cal Commenter").signedIn
        let olu = try f.services.member("Olu Ade", handle: "olu").signedIn
        let bea = try f.services.member("Bea Bell", handle: "bea").signedIn
        let post = try f.blog.createPost(.init(title: "Phonics", body: "What worked."), by: author)
        let comment = try f.blog.addComment(to: post.id, body: "Ask @olu", by: commenter)
        #expect(try f.mentions(of: olu) == ["Cal Commenter mentioned you in a comment on “Phonics”"])
        _ = try f.services.notifications.markAllRead(memberID: olu.id)
        _ = try f.services.notifications.markAllRead(memberID: author.id)

        _ = try f.blog.updateComment(id: comment.id, body: "Ask @olu or @bea", by: commenter)
        let items = try f.services.notifications.list(memberID: bea.id).items
        #expect(items.map(\.sentence) == ["Cal Commenter mentioned you in a comment on “Phonics”"])
        #expect(items.first?.link == "\(post.path)#comment-\(comment.id)")
        #expect(try f.services.notifications.unreadCount(memberID: olu.id) == 0)
        // The edit is no new comment: the post's author hears nothing more.
        #expect(try f.services.notifications.unreadCount(memberID: author.id) == 0)

        _ = try f.services.notifications.markAllRead(memberID: bea.id)
        _ = try f.blog.updateComment(id: comment.id, body: "Ask @bea or @olu, they know", by: commenter)
        #expect(try f.services.notifications.unreadCount(memberID: olu.id) == 0)
        #expect(try f.services.notifications.unreadCount(memberID: bea.id) == 0)
    }

    @Test func editingAHeldCommentMentionsNobodyUntilTheModeratorApprovesIt() throws {
        let f = try Fixture(holdingFirstPosts: true)
        let moderation = try #require(f.services.service(ModerationService.self))
        let olive = try f.services.member("Olive", role: .moderator).signedIn
        let author = try f.services.member("Ann Author").signedIn
        let newcomer = try f.services.member("Nia New").signedIn
        let olu = try f.services.member("Olu Ade", handle: "olu").signedIn
        let bea = try f.services.member("Bea Bell", handle: "bea").signedIn
        // Approve the author's own first post so that it is published.
        let post = try f.blog.createPost(.init(title: "Phonics", body: "What worked."), by: author)
        for item in try moderation.awaitingApproval(authorID: author.id, limit: 10) {
            _ = try moderation.act(
                caseID: item.id, ActionRequest(action: .approve),
                by: ModeratorRef(id: olive.id, name: olive.name, role: .moderator))
        }
        let comment = try f.blog.addComment(to: post.id, body: "Hello", by: newcomer)
        _ = try f.blog.updateComment(id: comment.id, body: "Hello @olu", by: newcomer)
        #expect(try f.mentions(of: olu).isEmpty)
        #expect(try f.mail(to: olu) == 0)
        for item in try moderation.awaitingApproval(authorID: newcomer.id, limit: 10) {
            _ = try moderation.act(
                caseID: item.id, ActionRequest(action: .approve),
                by: ModeratorRef(id: olive.id, name: olive.name, role: .moderator))
        }
        #expect(try f.mentions(of: olu) == ["Nia New mentioned you in a comment on “Phonics”"])
        // Published now: a later edit adds only the new mention.
        _ = try f.blog.updateComment(id: comment.id, body: "Hello @olu and @bea", by: newcomer)
        #expect(try f.mentions(of: bea) == ["Nia New mentioned you in a comment on “Phonics”"])
        #expect(try f.mentions(of: olu).count == 1)
    }
}
