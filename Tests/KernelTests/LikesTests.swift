import Blog
import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Likes: one per member, an aggregated notification to the author, none on hidden content,
/// in the export and gone with the account.
@Suite struct LikesTests {
    @Test func likesAggregateIntoOneNotificationAndHiddenContentCannotBeLiked() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]))
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let membership = try #require(services.service(MembershipService.self))
        let author = try services.member("Ann Author").signedIn
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: author)
        let content = ContentReference(module: "blog", kind: "blog_post", id: post.id)
        let ben = try services.member("Ben Ode").signedIn
        let cai = try services.member("Cai Lee").signedIn
        try services.likes.like(content, by: ben)
        try services.likes.like(content, by: ben)  // again: still one
        let summary = try services.likes.like(content, by: cai)
        #expect(summary.count == 2)
        #expect(summary.likedByViewer)
        #expect(summary.latest.map(\.name) == ["Cai Lee", "Ben Ode"])
        let notifications = try services.notifications.list(memberID: author.id).items
        #expect(notifications.map(\.sentence) == ["Cai Lee and Ben Ode liked your blog post"])
        #expect(try services.likes.unlike(content, by: ben).count == 1)

        let export = try membership.exportAll(memberID: cai.id, hooks: membership.personalDataHooks())
        #expect(export["likes"]?.arrayValue?.count == 1)

        // Hidden content: neither liked nor shown.
        let kind = try #require(kernel.context.reportableKinds.first { $0.kind == "blog_post" })
        try services.database.write { db in try kind.setHidden(post.id, true, db) }
        #expect(throws: DomainError.notFound) { try services.likes.like(content, by: ben) }
        #expect(throws: DomainError.notFound) { try services.likes.summary(content, viewer: ben) }
        try services.database.write { db in try kind.setHidden(post.id, false, db) }

        try membership.deleteAccount(memberID: cai.id, hooks: membership.personalDataHooks())
        #expect(try services.likes.summary(content, viewer: nil).count == 0)
    }

    @Test func theLikeButtonAndAPIWorkOverHTTP() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Ann Author").signedIn
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: author)
        try services.member("Ben Ode", email: "ben@school.example")
        let ben = network.client()
        try ben.signIn("ben@school.example")
        let path = "/blog/posts/\(post.id)"
        let liked = try ben.submit(
            "/likes/blog/blog_post/\(post.id)", from: path, ["action": "like", "back": path])
        #expect(liked.status == 303)
        #expect(liked.location == path)
        let page = try ben.get(path).text
        #expect(page.contains("aria-pressed=\"true\""))
        #expect(page.contains("Liked by Ben Ode"))
        let api = try network.client().get("/api/v1/likes/blog/blog_post/\(post.id)")
        #expect(api.status == 200)
        #expect((api.json as? [String: Any])?["count"] as? Int == 1)
        #expect(try network.client().get("/api/v1/likes/blog/blog_post/999").status == 404)
    }
}
