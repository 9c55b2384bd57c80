import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Blog

@Suite struct FeatureAndModerationTests {
    @Test func administratorsFeatureAndTheActivityNamesTheAuthor() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let member = try fixture.member("Rita Reader")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let older = try fixture.post(by: author, title: "Older")
        fixture.clock.advance(by: 60)
        let newer = try fixture.post(by: author, title: "Newer")
        #expect(throws: DomainError.forbidden("Only administrators can feature posts.")) {
            try fixture.blog.setFeatured(true, postID: older.id, by: member)
        }
        let featured = try fixture.blog.setFeatured(true, postID: older.id, by: admin)
        #expect(featured.isFeatured)
        let entry = try #require(try fixture.activities().last)
        #expect(entry.verb == "featured")
        #expect(entry.actor == author.id)
        #expect(entry.objectID == older.id)
        // Featured posts lead: the featured list has only them.
        #expect(try fixture.blog.posts(.init(order: .featured), viewer: .anonymous, limit: 5).posts.map(\.id) == [older.id])
        #expect(try fixture.blog.posts(.init(), viewer: .anonymous, limit: 5).posts.map(\.id) == [newer.id, older.id])
        // The shell's line reads "<author> 's blog post was featured <title>".
        let group = try #require(try fixture.services.activity.latest(for: .anonymous, limit: 1).groups.first)
        #expect(fixture.kernel.context.phrase(for: group) == "'s blog post was featured")
        #expect(group.actors.first?.name == "Thomas Whitby")
        #expect(group.lead.objectTitle == "Older")
        #expect(group.lead.excerpt == "What worked for us this term.")
        // Featuring twice records nothing more; unfeaturing removes the line.
        try fixture.blog.setFeatured(true, postID: older.id, by: admin)
        #expect(try fixture.activities().filter { $0.verb == "featured" }.count == 1)
        try fixture.blog.setFeatured(false, postID: older.id, by: nil)
        #expect(try fixture.activities().filter { $0.verb == "featured" }.isEmpty)
        #expect(try fixture.blog.posts(.init(order: .featured), viewer: .anonymous, limit: 5).posts.isEmpty)
    }

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
            #expect(try fixture.blog.comments(on: post.id, viewer: viewer).threads.first?.comment.isHidden == true)
        }
        #expect(try fixture.activities().first { $0.verb == "commented" }?.hidden == true)
        let reportable = try #require(fixture.kernel.context.reportableKinds.first { $0.kind == "blog_comment" })
        let item = try fixture.services.database.read { try reportable.lookup(comment.id, $0) }
        #expect(item?.isHidden == true)
        #expect(item?.authorID == reader.id)
        #expect(item?.url == "/blog/posts/\(post.id)#comment-\(comment.id)")
        try fixture.services.database.write { try reportable.delete(comment.id, $0) }
        #expect(try fixture.blog.comment(id: comment.id, viewer: fixture.viewer(moderator)) == nil)
    }

    @Test func erasingAMemberDeletesTheirPostsAndKeepsTheirCommentsAsFormerMember() throws {
        let fixture = try BlogFixture()
        let leaver = try fixture.member("Lee Leaver")
        let stayer = try fixture.member("Stella Stayer")
        let leaversPost = try fixture.post(by: leaver, title: "Mine")
        let stayersPost = try fixture.post(by: stayer, title: "Theirs")
        _ = try fixture.blog.addComment(to: leaversPost.id, body: "On the leaver's post", by: stayer)
        let kept = try fixture.blog.addComment(to: stayersPost.id, body: "The leaver's comment", by: leaver)
        let export = try fixture.services.database.read { try fixture.blog.export(memberID: leaver.id, in: $0) }
        #expect(export["posts"]?.arrayValue?.count == 1)
        #expect(export["comments"]?.arrayValue?.count == 1)
        try fixture.membership.deleteAccount(memberID: leaver.id, hooks: fixture.membership.personalDataHooks())
        #expect(try fixture.blog.post(id: leaversPost.id, viewer: fixture.viewer(stayer)) == nil)
        let thread = try fixture.blog.comments(on: stayersPost.id, viewer: .anonymous).threads
        #expect(thread.map(\.comment.id) == [kept.id])
        #expect(thread.first?.comment.authorName == Member.formerMemberName)
    }

    @Test func videoAddressesAreParsedIntoPrivacyEnhancedEmbeds() throws {
        let all = VideoEmbed.Provider.allCases
        let cases: [(String, String)] = [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
            ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ]
        for (url, embed) in cases {
            #expect(try VideoEmbed.parse(url, allowed: all).embedURL == embed)
        }
        #expect(throws: VideoEmbed.ParseError.notAURL) { try VideoEmbed.parse("javascript:alert(1)", allowed: all) }
        #expect(throws: VideoEmbed.ParseError.self) { try VideoEmbed.parse("https://evil.example/watch?v=dQw4w9WgXcQ", allowed: all) }
        #expect(throws: VideoEmbed.ParseError.noVideoID(.youtube)) {
            try VideoEmbed.parse("https://www.youtube.com/watch?v=\"><script>", allowed: all)
        }
        #expect(throws: VideoEmbed.ParseError.providerNotAllowed(host: "vimeo.com", allowed: [.youtube])) {
            try VideoEmbed.parse("https://vimeo.com/76979871", allowed: [.youtube])
        }
    }

    @Test func aVideoPostRecordsPostedAVideoAndRespectsTheProviderSetting() throws {
        let fixture = try BlogFixture(settings: ["blog": ["video_providers": .list([.string("vimeo")])]])
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author, video: "https://vimeo.com/76979871")
        #expect(post.video == VideoEmbed(provider: .vimeo, videoID: "76979871"))
        #expect(try fixture.activities().last?.verb == "posted_video")
        do {
            try fixture.post(by: author, video: "https://youtu.be/dQw4w9WgXcQ")
            Issue.record("YouTube is not allowed by this deployment")
        } catch DomainError.invalid(let errors) {
            #expect(errors.first?.field == "video_url")
            #expect(errors.first?.message.contains("use a link to Vimeo") == true)
        }
    }
}
