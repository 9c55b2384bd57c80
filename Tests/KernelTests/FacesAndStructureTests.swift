import Blog
import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Groups
@testable import Kernel

/// Faces on author lines, group images, lists that hold only list items, and the ways on from
/// a discussion page (issue 20), over real HTTP.
@Suite struct FacesAndStructureTests {
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)

    static func network() throws -> TestNetwork {
        try TestNetwork(modules: [MembershipModule.self, GroupsModule.self, BlogModule.self])
    }

    /// Every `<ul>` or `<ol>` child that is not an `<li>` (axe's `list` rule), as
    /// "<ol class="replies"> holds <article>".
    static func strayListChildren(in html: String) -> [String] {
        let voids: Set<String> = [
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
            "wbr",
        ]
        let tags = try! NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b([^>]*)>")
        let text = html as NSString
        var open: [(name: String, tag: String)] = []
        var stray: [String] = []
        for match in tags.matches(in: html, range: NSRange(location: 0, length: text.length)) {
            let closing = text.substring(with: match.range(at: 1)) == "/"
            let name = text.substring(with: match.range(at: 2)).lowercased()
            let tag = text.substring(with: match.range)
            if closing {
                if let index = open.lastIndex(where: { $0.name == name }) { open.removeSubrange(index...) }
                continue
            }
            if let parent = open.last, parent.name == "ul" || parent.name == "ol",
                !["li", "script", "template"].contains(name)
            {
                stray.append("\(parent.tag) holds \(tag)")
            }
            if !voids.contains(name) && !tag.hasSuffix("/>") { open.append((name, tag)) }
        }
        return stray
    }

    @Test func theCheckFindsAListHoldingSomethingElse() {
        #expect(Self.strayListChildren(in: "<ul><li>a</li><li><ol><li>b</li></ol></li></ul>").isEmpty)
        #expect(
            Self.strayListChildren(in: "<ol class=\"replies\"><article>x</article></ol>")
                == ["<ol class=\"replies\"> holds <article>"])
        #expect(
            Self.strayListChildren(in: "<ul><li>a<img src=x></li><div></div></ul>") == ["<ul> holds <div>"])
    }

    @Test func blogListsHoldListItemsAndEveryAuthorLineHasAFace() throws {
        let network = try Self.network()
        defer { network.stop() }
        let blog = try #require(network.services.service(BlogService.self))
        let membership = try #require(network.services.service(MembershipService.self))
        let erin = try network.services.member("Erin Author")
        let rita = try network.services.member("Rita Reader")
        try membership.setAvatar(memberID: erin.id, bytes: Self.png)
        let post = try blog.createPost(
            .init(
                title: "Time to plan", body: "Staff planned together.\n\n## What we tried\n\nPairs.",
                publish: true),
            by: erin.signedIn)
        _ = try blog.createPost(.init(title: "Second post", body: "More.", publish: true), by: rita.signedIn)
        let comment = try blog.addComment(to: post.id, body: "Thank you", by: rita.signedIn)
        _ = try blog.addComment(to: post.id, body: "A reply", parentID: comment.id, by: erin.signedIn)

        let index = try network.client().get("/blog").text
        #expect(Self.strayListChildren(in: index).isEmpty, "\(Self.strayListChildren(in: index))")
        #expect(index.contains("<ul class=\"post-list\"><li><article class=\"post-summary\""))
        #expect(
            index.contains("Staff planned together. What we tried. Pairs."), "the excerpt keeps its breaks")
        #expect(index.contains("<img class=\"avatar face\" src=\"/members/erin-author/avatar\" alt=\"\""))
        #expect(index.contains("<span class=\"avatar initials face size-24\" aria-hidden=\"true\">RR</span>"))

        let page = try network.client().get(post.path).text
        #expect(Self.strayListChildren(in: page).isEmpty, "\(Self.strayListChildren(in: page))")
        #expect(page.contains("<ol class=\"replies\"><li><article class=\"media comment\" id=\"comment-"))
        #expect(
            page.contains(
                "<article class=\"media comment\" id=\"comment-\(comment.id)\"><span class=\"avatar initials face size-32\" aria-hidden=\"true\">RR</span>"
            ))
        #expect(
            page.contains(
                "<div class=\"media byline\"><img class=\"avatar face\" src=\"/members/erin-author/avatar\""))
        let comments = try #require(page.range(of: "<section class=\"comments\""))
        let end = try #require(page.range(of: "</main>"))
        let section = page[comments.lowerBound..<end.lowerBound]
        #expect(
            section.components(separatedBy: "src=\"/members/erin-author/avatar\"").count - 1 == 1, "her reply"
        )
        #expect(
            section.components(separatedBy: ">RR</span>").count - 1 == 1, "Rita's comment, by her initials")
    }

    @Test func aDiscussionPageIsTitledByItsDiscussionAndOffersOutsidersTheWayIn() throws {
        let network = try Self.network()
        defer { network.stop() }
        let groups = try #require(network.services.service(GroupsService.self))
        let owner = try network.services.member("Olga Owner")
        let sam = try network.services.member("Sam Outsider")
        let group = try groups.create(
            .init(name: "Reading network", category: "Cluster", visibility: .public), by: owner.signedIn)
        let discussion = try groups.startDiscussion(
            groupID: group.id, by: owner.signedIn, title: "Book talk", body: "What are you reading?")
        _ = try groups.reply(to: discussion.id, by: owner.signedIn, body: "I start: Holes.")
        let path = discussion.path(in: group)

        let visitor = try network.client().get(path).text
        #expect(visitor.contains("<h1>Book talk</h1>"))
        #expect(!visitor.contains("<h1>Reading network</h1>"))
        #expect(
            visitor.contains(
                "<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><ol><li><a href=\"/groups\">Groups</a></li><li><a href=\"/groups/reading-network\">Reading network</a></li>"
            ))
        #expect(visitor.contains("Sign in to join</a>"))
        #expect(visitor.contains("next=\(path.replacingOccurrences(of: "/", with: "%2F"))"))
        #expect(Self.strayListChildren(in: visitor).isEmpty, "\(Self.strayListChildren(in: visitor))")
        #expect(visitor.contains("<li class=\"media reply card\" id=\"reply-"))
        #expect(
            visitor.contains("<span class=\"avatar initials face size-40\" aria-hidden=\"true\">OO</span>"))

        let client = network.client()
        #expect(try client.signIn(sam.handle).status == 303)
        let outsider = try client.get(path).text
        #expect(outsider.contains("Join the group to reply."))
        #expect(
            outsider.contains(
                "<input type=\"hidden\" name=\"next\" value=\"\(path)\"><button type=\"submit\">Join the group</button>"
            ))
        // A return address off the group is not followed; this one is.
        let elsewhere = try client.submit("\(group.path)/join", from: path, ["next": "//evil.example/"])
        #expect(elsewhere.location == group.path)
        _ = try client.submit("\(group.path)/leave", from: group.path)
        let joined = try client.submit("\(group.path)/join", from: path, ["next": path])
        #expect(joined.status == 303)
        #expect(joined.location == path)
        #expect(try client.get(path).text.contains("action=\"\(path)/replies\""))
    }

    @Test func aChairsImageShowsOnCardsAndTheGroupPageAndARefusedOneChangesNothing() throws {
        let network = try Self.network()
        defer { network.stop() }
        let groups = try #require(network.services.service(GroupsService.self))
        let owner = try network.services.member("Olga Owner")
        let group = try groups.create(
            .init(name: "Heads of maths", category: "Cluster", visibility: .public), by: owner.signedIn)

        let directory = try network.client().get("/groups").text
        let tone = GroupPage.placeholderTone(group.slug)
        #expect(
            directory.contains(
                "<span class=\"group-image placeholder tone-\(tone) size-64\" aria-hidden=\"true\">HO</span>")
        )
        #expect(GroupPage.placeholderTone(group.slug) == tone, "the same colour every time")

        let client = network.client()
        #expect(try client.signIn(owner.handle).status == 303)
        let edit = try client.get("\(group.path)/edit")
        let fields = [
            "_csrf": edit.csrf ?? "", "name": "Maths leaders", "category": "Cluster", "visibility": "public",
            "description": "Typed text",
        ]
        let refused = try client.post(
            "\(group.path)/edit", multipart: fields,
            files: [("image", "x.png", "image/png", Array("<svg onload=alert(1)>".utf8))])
        #expect(refused.status == 422)
        #expect(
            refused.text.contains(
                "<p class=\"field-error\" id=\"error-image\">Use a PNG, JPEG, GIF or WebP image.</p>"))
        #expect(refused.text.contains("aria-describedby=\"hint-image error-image\" aria-invalid=\"true\""))
        #expect(refused.text.contains("value=\"Maths leaders\"") && refused.text.contains("Typed text"))
        #expect(try groups.group(slug: group.slug)?.name == "Heads of maths", "nothing saved")

        let saved = try client.post(
            "\(group.path)/edit", multipart: fields, files: [("image", "logo.png", "image/png", Self.png)])
        #expect(saved.status == 303)
        #expect(try groups.group(slug: group.slug)?.name == "Maths leaders")
        let image = "<img class=\"group-image\" src=\"\(group.path)/image\" alt=\"\""
        #expect(try network.client().get("/groups").text.contains(image))
        #expect(try network.client().get(group.path).text.contains(image))
        #expect(try network.client().get("\(group.path)/image").header("Content-Type") == "image/png")
    }

    @Test func aProfileListsStatusesOnceAndTheRestOfWhatTheyDidUnderRecentActivity() throws {
        let network = try Self.network()
        defer { network.stop() }
        let membership = try #require(network.services.service(MembershipService.self))
        let blog = try #require(network.services.service(BlogService.self))
        let erin = try network.services.member("Erin Author")
        _ = try membership.postStatus(by: erin, body: "Marking mocks all weekend")
        _ = try blog.createPost(
            .init(title: "Mocks that help", body: "Short ones.", publish: true), by: erin.signedIn)
        let client = network.client()
        #expect(try client.signIn(erin.handle).status == 303)
        let page = try client.get("/members/\(erin.handle)").text
        let start = try #require(page.range(of: "<main"))
        let end = try #require(page.range(of: "</main>"))
        let profile = String(page[start.lowerBound..<end.lowerBound])  // not the sidebar
        #expect(profile.components(separatedBy: "Marking mocks all weekend").count - 1 == 1)
        let recent = try #require(profile.range(of: "<h2>Recent activity</h2>"))
        #expect(profile[recent.upperBound...].contains("Mocks that help"))
        #expect(profile.contains("<li class=\"media status\" id=\"status-"))
    }
}
