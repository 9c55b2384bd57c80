import Blog
import CPD
import Foundation
import Groups
import Membership
import Messages
import PLNTestSupport
import Testing

@testable import Kernel

/// The Markdown editors: the preview route pln.js's Preview tab asks, and the Preview button
/// that works without JavaScript (the form again with the preview; nothing saved).
@Suite struct MarkdownEditorTests {
    @Test func thePreviewRouteRendersLikeThePublishedTextForSignedInMembersOnly() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        try network.services.member("Olu Ade", handle: "olu")
        try network.services.member("Ann Author", email: "ann@school.example")
        let ann = network.client()
        try ann.signIn("ann@school.example")
        let source = "We tried **retrieval**, thanks @olu. <script>alert(1)</script> [x](javascript:alert(1))"
        let answer = try ann.submit(MarkdownPreviewPages.path, from: "/blog/new", ["body": source])
        #expect(answer.status == 200)
        #expect(answer.header("X-Markdown-Preview") == "1")
        #expect(answer.header("Cache-Control") == "no-store")
        #expect(answer.text == HTML.markdown(source).text)
        #expect(answer.text.contains("<strong>retrieval</strong>"))
        #expect(answer.text.contains("href=\"/members/olu\""))
        #expect(answer.text.contains("&lt;script&gt;"))
        #expect(!answer.text.contains("javascript:") && !answer.text.contains("<html"))
        let empty = try ann.submit(MarkdownPreviewPages.path, from: "/blog/new", ["body": "  \n"])
        #expect(empty.text.contains("Nothing to preview yet."))

        // Without the form's token, and for a visitor: refused, and no fragment.
        let forged = try ann.post(MarkdownPreviewPages.path, form: ["body": "x"])
        #expect(forged.status == 403)
        #expect(forged.header("X-Markdown-Preview") == nil)
        let visitor = network.client()
        let page = try visitor.get("/sign-in")
        let anonymous = try visitor.post(
            MarkdownPreviewPages.path, form: ["body": "x", "_csrf": page.csrf ?? ""])
        #expect(anonymous.status != 200)
        #expect(anonymous.header("X-Markdown-Preview") == nil)
    }

    @Test func thePreviewRouteRefusesTooLongTextAndTooManyPreviewsAMinute() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        try network.services.member("Ann Author", email: "ann@school.example")
        let ann = network.client()
        try ann.signIn("ann@school.example")
        let csrf = try #require(try ann.get("/blog/new").csrf)
        let long = String(repeating: "a", count: MarkdownPreviewPages.maximumLength + 1)
        let tooLong = try ann.post(MarkdownPreviewPages.path, form: ["body": long, "_csrf": csrf])
        #expect(tooLong.status == 413)
        #expect(tooLong.header("X-Markdown-Preview") == "1")
        #expect(tooLong.text.contains("at most 100000 characters (it has 100001)"))
        var statuses: [Int] = []
        for _ in 1..<PreviewLimiter.perMinute {
            statuses.append(
                try ann.post(MarkdownPreviewPages.path, form: ["body": "*hi*", "_csrf": csrf]).status)
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        let refused = try ann.post(MarkdownPreviewPages.path, form: ["body": "*hi*", "_csrf": csrf])
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "60")
        #expect(refused.text.contains("Too many previews"))
        network.clock.advance(by: 61)
        #expect(try ann.post(MarkdownPreviewPages.path, form: ["body": "*hi*", "_csrf": csrf]).status == 200)
    }

    @Test func aBlogPostsPreviewButtonShowsTheFormAgainWithThePreviewAndSavesNothing() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let blog = try #require(network.services.service(BlogService.self))
        let author = try network.services.member("Ann Author", email: "ann@school.example")
        let ann = network.client()
        try ann.signIn("ann@school.example")
        let newPage = try ann.get("/blog/new")
        let new = newPage.main
        #expect(new.contains("data-markdown"))
        // The editors' rules come with the editor, and only there.
        #expect(newPage.text.contains("/assets/editor.css?v="))
        #expect(!(try ann.get("/blog").text.contains("/assets/editor.css")))
        #expect(new.contains("name=\"preview\" value=\"body\" formaction=\"/blog/new#preview-field-body\""))
        // The Preview button comes after Publish: Enter in the title still publishes.
        let publish = try #require(new.range(of: ">Publish</button>"))
        let preview = try #require(new.range(of: ">Preview</button>"))
        #expect(publish.lowerBound < preview.lowerBound)
        let answer = try ann.submit(
            "/blog/new", from: "/blog/new",
            [
                "title": "Retrieval", "body": "We tried **short daily retrieval**.", "action": "publish",
                "preview": "body",
            ])
        #expect(answer.status == 200)
        #expect(answer.main.contains("id=\"preview-field-body\""))
        #expect(answer.main.contains("<strong>short daily retrieval</strong>"))
        #expect(answer.main.contains(">We tried **short daily retrieval**.</textarea>"))
        #expect(answer.main.contains("value=\"Retrieval\""))
        #expect(try blog.posts(.init(), viewer: .anonymous, limit: 10).posts.isEmpty)
        #expect(try blog.drafts(of: author.id).isEmpty)
        // The same form without the Preview button publishes.
        let posted = try ann.submit(
            "/blog/new", from: "/blog/new",
            ["title": "Retrieval", "body": "We tried it.", "action": "publish"])
        #expect(posted.status == 303)
        #expect(try blog.posts(.init(), viewer: .anonymous, limit: 10).posts.count == 1)
    }

    @Test func aCommentReplysPreviewShowsUnderItsThreadAndPostsNothing() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Ann Author").signedIn
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: author)
        let first = try blog.addComment(to: post.id, body: "First", parentID: nil, by: author)
        try services.member("Ben Ode", email: "ben@school.example")
        let ben = network.client()
        try ben.signIn("ben@school.example")
        let answer = try ben.submit(
            "\(post.path)/comments", from: post.path,
            ["body": "Agreed, _really_.", "parent_id": "\(first.id)", "preview": "body"])
        #expect(answer.status == 200)
        #expect(answer.main.contains("id=\"preview-reply-\(first.id)\""))
        #expect(answer.main.contains("<em>really</em>"))
        #expect(answer.main.contains(">Agreed, _really_.</textarea>"))
        #expect(!answer.main.contains("id=\"preview-field-body\""))
        #expect(try blog.post(id: post.id, viewer: .anonymous)?.commentCount == 1)
    }

    @Test func discussionAndMessagePreviewsSaveNothing() throws {
        let network = try TestNetwork(modules: [
            MembershipModule.self, GroupsModule.self, MessagesModule.self,
        ])
        defer { network.stop() }
        let services = network.services
        let groups = try #require(services.service(GroupsService.self))
        try services.member("Olu Ade", handle: "olu")
        let chair = try services.member("Chair Person", email: "chair@school.example").signedIn
        let group = try groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
        let client = network.client()
        try client.signIn("chair@school.example")
        let start = try client.submit(
            "\(group.path)/discussions/new", from: "\(group.path)/discussions/new",
            ["title": "Blending", "body": "- one\n- two", "preview": "body"])
        #expect(start.status == 200)
        #expect(start.main.contains("<li>one</li>"))
        #expect(!(try client.get("\(group.path)/discussions").main.contains("Blending")))

        let message = try client.submit(
            "/messages/new", from: "/messages/new",
            ["to": "olu", "subject": "Visit", "body": "See you at **ten**", "preview": "body"])
        #expect(message.status == 200)
        #expect(message.main.contains("<strong>ten</strong>"))
        #expect(message.main.contains("value=\"olu\""))
        #expect(!(try client.get("/messages").main.contains("Visit")))
    }

    @Test func theBioTheGroupDescriptionAndTheSessionDescriptionHaveEditorsWhosePreviewSavesNothing() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self, CPDModule.self])
        defer { network.stop() }
        let services = network.services
        let groups = try #require(services.service(GroupsService.self))
        let cpd = try #require(services.service(CPDService.self))
        let membership = try #require(services.service(MembershipService.self))
        let chair = try services.member("Chair Person", email: "chair@school.example").signedIn
        let group = try groups.create(
            .init(name: "Phonics", description: "Old words", category: "Interest", visibility: .public),
            by: chair)
        let client = network.client()
        try client.signIn("chair@school.example")

        // The profile's bio.
        let profile = try client.get("/profile/edit").main
        #expect(profile.contains("id=\"field-bio\""))
        #expect(
            profile.contains("name=\"preview\" value=\"bio\" formaction=\"/profile/edit#preview-field-bio\""))
        let bio = try client.submit(
            "/profile/edit", from: "/profile/edit",
            [
                "name": "Chair Person", "handle": "chair-person", "bio": "I teach **phonics**.",
                "preview": "bio",
            ])
        #expect(bio.status == 200)
        #expect(bio.main.contains("id=\"preview-field-bio\""))
        #expect(bio.main.contains("<strong>phonics</strong>"))
        #expect(bio.main.contains(">I teach **phonics**.</textarea>"))
        #expect(try membership.member(id: chair.id)?.bio == "")

        // A group's description, on creating and on editing.
        let newGroup = try client.get("/groups/new").main
        #expect(
            newGroup.contains("value=\"description\" formaction=\"/groups/new#preview-field-description\""))
        let created = try client.submit(
            "/groups/new", from: "/groups/new",
            [
                "name": "Maths hub", "category": "Interest", "visibility": "public",
                "description": "We meet _monthly_.", "preview": "description",
            ])
        #expect(created.status == 200)
        #expect(created.main.contains("<em>monthly</em>"))
        #expect(created.main.contains("value=\"Maths hub\""))
        #expect(
            try groups.directory(for: chair, search: "Maths", category: nil, limit: 5, after: nil).isEmpty)
        let edited = try client.submit(
            "\(group.path)/edit", from: "\(group.path)/edit",
            [
                "name": "Phonics", "category": "Interest", "visibility": "public",
                "description": "New **words**", "preview": "description",
            ])
        #expect(edited.status == 200)
        #expect(edited.main.contains("<strong>words</strong>"))
        #expect(try groups.visibleGroup(slug: group.slug, for: chair).0.description == "Old words")

        // A CPD session's description, on offering and on changing it.
        let offer = try client.get("/cpd/sessions/new").main
        #expect(
            offer.contains("value=\"description\" formaction=\"/cpd/sessions#preview-field-description\""))
        let fields = [
            "title": "Blending", "description": "- segmenting\n- blending", "starts": "2030-01-10T15:45",
            "time_zone": "Europe/London", "duration_minutes": "60", "capacity": "20",
            "preview": "description",
        ]
        let offered = try client.submit("/cpd/sessions", from: "/cpd/sessions/new", fields)
        #expect(offered.status == 200)
        #expect(offered.main.contains("<li>segmenting</li>"))
        #expect(offered.main.contains("value=\"Blending\""))
        #expect(try cpd.sessionsRun(by: chair.id).isEmpty)
        let session = try cpd.offer(
            .init(
                title: "Blending", description: "Old text", starts: "2030-01-10T15:45",
                timeZone: "Europe/London", venue: "Hall"),
            by: chair)
        var change = fields
        change["description"] = "New **text**"
        let changed = try client.submit("\(session.path)/edit", from: "\(session.path)/edit", change)
        #expect(changed.status == 200)
        #expect(changed.main.contains("<strong>text</strong>"))
        #expect(try cpd.sessionsRun(by: chair.id).map(\.description) == ["Old text"])
    }

    /// Nobody previews a group they may not create (here only administrators create groups).
    @Test func aMemberWhoMayNotCreateGroupsCannotPreviewOne() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self, GroupsModule.self],
            settings: ["groups": ["who_can_create": .string("admins")]])
        defer { network.stop() }
        try network.services.member("Ann Author", email: "ann@school.example")
        let ann = network.client()
        try ann.signIn("ann@school.example")
        let csrf = try #require(try ann.get("/profile/edit").csrf)
        let refused = try ann.post(
            "/groups/new",
            form: ["_csrf": csrf, "name": "Sneaky", "description": "*x*", "preview": "description"])
        #expect(refused.status == 403)
        #expect(!refused.text.contains("<em>x</em>"))
    }
}
