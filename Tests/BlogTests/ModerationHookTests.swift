import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Blog

/// The hooks moderation calls: hidden posts and comments are seen only by their author and moderators.
@Suite struct ModerationHookTests {
    @Test func hiddenPostsAreSeenOnlyByTheirAuthorAndModerators() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let moderator = try fixture.member("Mo Moderator", role: .moderator)
        let post = try fixture.post(by: author, title: "Reported")
        _ = try fixture.blog.addComment(to: post.id, body: "A comment naming the post", by: reader)
        try fixture.setHidden("blog_post", post.id, true)
        let other = try fixture.member("Olive Other")
        for viewer in [Viewer.anonymous, fixture.viewer(reader), fixture.viewer(other)] {
            #expect(try fixture.blog.post(id: post.id, viewer: viewer) == nil)
            #expect(try fixture.blog.posts(.init(), viewer: viewer, limit: 10).posts.isEmpty)
            #expect(try fixture.blog.posts(.init(tag: "literacy"), viewer: viewer, limit: 10).posts.isEmpty)
            #expect(throws: DomainError.notFound) { try fixture.blog.comments(on: post.id, viewer: viewer) }
        }
        // The stream hides the post's entries and those of comments on it (the kernel still
        // shows actors their own entries).
        for viewer in [Viewer.anonymous, fixture.viewer(other)] {
            let lines = try fixture.services.activity.latest(for: viewer, limit: 10).groups
            #expect(lines.allSatisfy { $0.lead.module != "blog" })
        }
        for viewer in [fixture.viewer(author), fixture.viewer(moderator)] {
            #expect(try fixture.blog.post(id: post.id, viewer: viewer)?.isHidden == true)
            #expect(try fixture.blog.posts(.init(), viewer: viewer, limit: 10).posts.count == 1)
        }
        let admin = try fixture.member("Ada Admin", role: .admin)
        #expect(throws: DomainError.self) { try fixture.blog.setFeatured(true, postID: post.id, by: admin) }
        try fixture.setHidden("blog_post", post.id, false)
        #expect(try fixture.blog.post(id: post.id, viewer: .anonymous) != nil)
        let lines = try fixture.services.activity.latest(for: .anonymous, limit: 10).groups
        #expect(lines.filter { $0.lead.module == "blog" }.count == 2)
    }

    @Test func hiddenCommentsAreSeenOnlyByTheirAuthorAndModerators() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let moderator = try fixture.member("Mo Moderator", role: .moderator)
        let post = try fixture.post(by: author)
        let comment = try fixture.blog.addComment(to: post.id, body: "Rude words", by: reader)
        try fixture.setHidden("blog_comment", comment.id, true)
        for viewer in [Viewer.anonymous, fixture.viewer(author)] {
            #expect(try fixture.blog.comments(on: post.id, viewer: viewer).threads.isEmpty)
            #expect(try fixture.blog.comment(id: comment.id, viewer: viewer) == nil)
        }
        #expect(try fixture.blog.post(id: post.id, viewer: .anonymous)?.commentCount == 0)
        for viewer in [fixture.viewer(reader), fixture.viewer(moderator)] {
            #expect(
                try fixture.blog.comments(on: post.id, viewer: viewer).threads.first?.comment.isHidden == true
            )
        }
        #expect(try fixture.activities().first { $0.verb == "commented" }?.hidden == true)
        let reportable = try #require(
            fixture.kernel.context.reportableKinds.first { $0.kind == "blog_comment" })
        let item = try fixture.services.database.read { try reportable.lookup(comment.id, $0) }
        #expect(item?.isHidden == true)
        #expect(item?.authorID == reader.id)
        #expect(item?.url == "/blog/posts/\(post.id)#comment-\(comment.id)")
        try fixture.services.database.write { try reportable.delete(comment.id, $0) }
        #expect(try fixture.blog.comment(id: comment.id, viewer: fixture.viewer(moderator)) == nil)
    }
}
