import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Blog

/// The blog's pages over real HTTP: writing, commenting, featuring, editing, moderation, drafts.
@Suite struct EndToEndTests {
    static let browser: [(String, String)] = [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")]

    static func network() throws -> TestNetwork {
        try TestNetwork(
            modules: [MembershipModule.self, BlogModule.self],
            settings: [
                "network": [
                    "name": .string("The Educator's PLN"), "base_url": .string("https://pln.example.org"),
                ]
            ])
    }

    static func admin(_ network: TestNetwork) throws -> TestClient {
        let membership = try #require(network.services.service(MembershipService.self))
        _ = try membership.join(
            .init(
                name: "Ada Admin", email: "ada@school.example", password: "a long enough password",
                acceptsTerms: true),
            role: .admin, bypassSignupMode: true)
        let client = network.client()
        try client.signIn("ada@school.example")
        return client
    }

    @Test func aMemberWritesAnotherCommentsAndAnAdminFeaturesOverHTTP() throws {
        let network = try Self.network()
        defer { network.stop() }
        let blog = try #require(network.services.service(BlogService.self))

        // Thomas joins and writes a post through the form.
        let author = network.client()
        try author.join(name: "Thomas Whitby", email: "thomas@school.example")
        let created = try author.submit(
            "/blog/new", from: "/blog/new",
            [
                "title": "Why teachers need a PLN", "body": "Connected educators **learn** together.",
                "tags": "pln, cpd",
                "visibility": "public", "action": "publish",
            ])
        #expect(created.status == 303)
        let path = try #require(created.location)
        #expect(path.hasPrefix("/blog/posts/"))

        // A visitor reads it: one view, and the invitation to join instead of a comment box.
        let visitor = network.client()
        let page = try visitor.get(path, headers: Self.browser)
        #expect(page.status == 200)
        #expect(page.text.contains("<strong>learn</strong>"))
        #expect(page.text.contains("Views: 1"))
        #expect(page.text.contains("You need to be a member of The Educator&#39;s PLN to add comments!"))
        #expect(
            page.text.contains(
                "<a class=\"button\" href=\"/join\">Join The Educator&#39;s PLN</a> or <a href=\"/sign-in?next=%2Fblog%2Fposts%2F\(path.dropFirst("/blog/posts/".count))\">sign in</a>."
            ))
        #expect(!page.text.contains("name=\"body\""))
        // The same visitor again within the hour: still one view.
        let again = try visitor.get(path, headers: Self.browser).text
        #expect(
            again.contains("Views: 1"),
            "\(again.components(separatedBy: "Views").dropFirst().first?.prefix(20) ?? "none")")
        // Prefetches and HEAD requests are not views.
        let otherBrowser = [("User-Agent", "Mozilla/5.0 (Macintosh) Safari/605.1.15")]
        _ = try network.client().get(path, headers: otherBrowser + [("Sec-Purpose", "prefetch")])
        _ = try network.client().send("HEAD", path, headers: otherBrowser, body: [])
        #expect(try visitor.get(path, headers: Self.browser).text.contains("Views: 1"))
        // A visitor's comment is refused (sent to sign in) and nothing is stored.
        let refused = try visitor.post("\(path)/comments", form: ["_csrf": page.csrf ?? "", "body": "Spam"])
        #expect(refused.status == 303)
        #expect(refused.location?.hasPrefix("/sign-in") == true)
        #expect(try visitor.get(path, headers: Self.browser).text.contains("No comments yet."))

        // Rita joins and comments; Thomas gets mail.
        let reader = network.client()
        try reader.join(name: "Rita Reader", email: "rita@school.example")
        #expect(try reader.get(path, headers: Self.browser).text.contains("Views: 2"))
        let commented = try reader.submit(
            "\(path)/comments", from: path, ["body": "Thank you <script>alert(1)</script>"])
        #expect(commented.status == 303)
        let withComment = try reader.get(path, headers: Self.browser).text
        #expect(withComment.contains("Thank you &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!withComment.contains("<script>alert(1)"))
        // The commenter's name links to their profile (the path Identity gives).
        #expect(withComment.contains("<p class=\"meta\"><a href=\"/members/rita-reader\">Rita Reader</a> · "))
        let mail = try network.services.outbox.list().filter {
            $0.to == "thomas@school.example" && !$0.subject.hasPrefix("Finish joining")
        }
        #expect(mail.map(\.subject) == ["Rita Reader commented on your post “Why teachers need a PLN”"])

        // The author's own views do not count.
        #expect(try author.get(path, headers: Self.browser).text.contains("Views: 2"))

        // An admin features it: it leads the blog and the home page, and the activity line reads right.
        let admin = try Self.admin(network)
        let featured = try admin.submit("\(path)/feature", from: path)
        #expect(featured.status == 303)
        let home = try visitor.get("/").text
        #expect(home.contains("Featured blog posts"))
        #expect(home.contains("Why teachers need a PLN"))
        let activity = try visitor.get("/activity").text
        #expect(activity.contains(">Thomas Whitby</a></span>&#39;s blog post was featured"))
        #expect(activity.contains("Connected educators learn together."))
        #expect(activity.contains("commented on"))
        #expect(activity.contains("published a blog post"))
        #expect(try visitor.get("/blog").text.contains("See More"))

        // The counts reach the database with the next flush.
        try blog.views.flush()
        let id = try #require(Int64(path.split(separator: "/").last ?? ""))
        #expect(try blog.post(id: id, viewer: .anonymous)?.storedViews == 2)
    }

    @Test func injectionAttemptsComeOutEscapedAndFormErrorsKeepWhatWasTyped() throws {
        let network = try Self.network()
        defer { network.stop() }
        let author = network.client()
        try author.join(name: "Eve Example", email: "eve@school.example")
        let title = "<script>alert('title')</script>"
        let refused = try author.submit(
            "/blog/new", from: "/blog/new",
            [
                "title": title, "body": "", "tags": "<b>bold</b>", "video_url": "https://evil.example/x",
                "action": "publish",
            ])
        #expect(refused.status == 422)
        #expect(refused.text.contains("value=\"&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;\""))
        #expect(refused.text.contains("Enter the post."))
        #expect(refused.text.contains("Tags use letters, digits and hyphens only"))
        #expect(refused.text.contains("cannot be embedded"))
        #expect(!refused.text.contains("<script>alert"))
        #expect(!refused.text.contains("<b>bold</b>"))
        let created = try author.submit(
            "/blog/new", from: "/blog/new",
            [
                "title": title, "body": "<script>alert('body')</script>\n\n[x](javascript:alert(1))",
                "tags": "safe",
                "action": "publish",
            ])
        let path = try #require(created.location)
        let page = try author.get(path).text
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("javascript:"))
        #expect(page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"))
        let list = try author.get("/blog").text
        #expect(!list.contains("<script>alert"))
    }

    @Test func theEditingAndModerationPagesWork() throws {
        let network = try Self.network()
        defer { network.stop() }
        let author = network.client()
        try author.join(name: "Thomas Whitby", email: "thomas@school.example")
        let created = try author.submit(
            "/blog/new", from: "/blog/new",
            [
                "title": "First title", "body": "Body", "tags": "maths", "visibility": "members",
                "action": "publish",
            ])
        let path = try #require(created.location)
        // Members-only: a visitor is not told it exists.
        #expect(try network.client().get(path).status == 404)

        let edit = try author.get("\(path)/edit")
        #expect(edit.text.contains("value=\"First title\""))
        #expect(edit.text.contains("<option value=\"members\" selected>"))
        let saved = try author.submit(
            "\(path)/edit", from: "\(path)/edit",
            [
                "title": "Second title", "body": "Body, revised", "tags": "maths, early years",
                "visibility": "public",
            ])
        #expect(saved.status == 303)
        let page = try author.get(path).text
        #expect(page.contains("Second title"))
        #expect(page.contains("class=\"edited\""))
        #expect(page.contains("href=\"/blog/tags/early-years\""))
        #expect(try network.client().get("/blog/tags/early-years").text.contains("Second title"))
        #expect(try network.client().get("/blog/members/thomas-whitby").text.contains("Second title"))
        let invalid = try author.submit(
            "\(path)/edit", from: "\(path)/edit", ["title": "", "body": "Still here"])
        #expect(invalid.status == 422)
        #expect(invalid.text.contains("Still here"))

        let reader = network.client()
        try reader.join(name: "Rita Reader", email: "rita@school.example")
        #expect(try reader.submit("\(path)/comments", from: path, ["body": "First!"]).status == 303)
        let emptyReply = try reader.submit("\(path)/comments", from: path, ["body": " ", "parent_id": "1"])
        #expect(emptyReply.status == 422)
        #expect(emptyReply.text.contains("Enter your comment."))
        #expect(emptyReply.text.contains("<details class=\"reply\" open>"))
        #expect(
            try reader.submit("\(path)/comments", from: path, ["body": "A reply", "parent_id": "1"]).status
                == 303)
        #expect(try reader.get("/blog/comments/1/edit").status == 200)
        #expect(try author.get("/blog/comments/1/edit").status == 404)
        #expect(
            try reader.submit(
                "/blog/comments/1/edit", from: "/blog/comments/1/edit", ["body": "First, edited"]
            ).status == 303)
        #expect(try reader.get(path).text.contains("First, edited"))
        // Another member cannot delete Rita's comment; the post's author can.
        let stranger = network.client()
        try stranger.join(name: "Sam Stranger", email: "sam@school.example")
        #expect(try stranger.submit("/blog/comments/1/delete", from: path).status == 403)
        #expect(try author.submit("/blog/comments/1/delete", from: path).status == 303)
        #expect(try reader.get(path).text.contains("No comments yet."))

        // Members cannot feature; the author deletes the post.
        #expect(try reader.submit("\(path)/feature", from: path).status == 403)
        #expect(try stranger.submit("\(path)/delete", from: path).status == 403)
        #expect(try author.submit("\(path)/delete", from: path).status == 303)
        #expect(try author.get(path).status == 404)
        #expect(try author.get("/blog/drafts").text.contains("No drafts."))
    }

    @Test func draftsStayPrivateOnEveryPath() throws {
        let network = try Self.network()
        defer { network.stop() }
        let author = network.client()
        try author.join(name: "Dana Drafter", email: "dana@school.example")
        let created = try author.submit(
            "/blog/new", from: "/blog/new",
            ["title": "Half-written idea", "body": "Not yet", "tags": "ideas", "action": "draft"])
        let path = try #require(created.location)
        #expect(try author.get(path).text.contains("This is a draft"))
        let other = network.client()
        try other.join(name: "Olive Other", email: "olive@school.example")
        for client in [network.client(), other] {
            #expect(try client.get(path).status == 404)
            #expect(
                try client.get("/api/v1/blog/posts/\(path.split(separator: "/").last ?? "")").status == 404)
            for list in [
                "/blog", "/blog/tags/ideas", "/blog/members/dana-drafter", "/blog/feed.atom", "/activity",
                "/api/v1/blog/posts", "/",
            ] {
                #expect(!(try client.get(list).text.contains("Half-written idea")), "\(list)")
            }
        }
        let published = try author.submit("\(path)/publish", from: path)
        #expect(published.status == 303)
        #expect(try other.get(path).status == 200)
        #expect(try network.client().get("/activity").text.contains("Half-written idea"))
    }
}
