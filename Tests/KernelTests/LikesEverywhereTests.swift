import Blog
import Foundation
import Groups
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Likes on comments, statuses, discussions and replies: the button on each page, the
/// per-resource API, who liked it, one aggregated notification, and 404 for what the member
/// may not see or what is hidden.
@Suite struct LikesEverywhereTests {
    private func apiClient(_ network: TestNetwork, _ email: String) throws -> TestClient {
        let client = network.client()
        let session = try client.send(
            json: "POST", "/api/v1/sessions", ["login": email, "password": MemberFixture.password])
        client.bearer = (session.json as? [String: Any])?["token"] as? String
        return client
    }

    private func count(_ response: TestClient.Response) -> Int? {
        (response.json as? [String: Any])?["count"] as? Int
    }

    @Test func commentsAndStatusesAreLikedThroughTheirOwnRoutes() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let membership = try #require(services.service(MembershipService.self))
        let ann = try services.member("Ann Author", email: "ann@school.example")
        try services.member("Ben Ode", email: "ben@school.example")
        try services.member("Cai Lee", email: "cai@school.example")
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: ann.signedIn)
        let comment = try blog.addComment(to: post.id, body: "Mine", by: ann.signedIn)
        let status = try membership.postStatus(by: ann, body: "Planning week")
        let ben = try apiClient(network, "ben@school.example")
        let cai = try apiClient(network, "cai@school.example")
        #expect(count(try ben.send(json: "PUT", "/api/v1/blog/comments/\(comment.id)/like", nil)) == 1)
        #expect(count(try cai.send(json: "PUT", "/api/v1/blog/comments/\(comment.id)/like", nil)) == 2)
        #expect(count(try ben.send(json: "PUT", "/api/v1/statuses/\(status.id)/like", nil)) == 1)
        #expect(count(try ben.send(json: "PUT", "/api/v1/blog/posts/\(post.id)/like", nil)) == 1)
        #expect(count(try network.client().get("/api/v1/blog/comments/\(comment.id)/like")) == 2)
        #expect(count(try ben.send(json: "DELETE", "/api/v1/statuses/\(status.id)/like", nil)) == 0)
        #expect(try ben.send(json: "PUT", "/api/v1/blog/comments/999/like", nil).status == 404)

        // One notification per liked thing, the likers grouped.
        let sentences = try services.notifications.list(memberID: ann.id).items.map(\.sentence)
        #expect(sentences.contains("Cai Lee and Ben Ode liked your blog comment"))
        #expect(sentences.contains("Ben Ode liked your status"))

        // The page shows a button on the comment, and who liked it links to the full list.
        let page = try network.client().get("/blog/posts/\(post.id)").text
        #expect(page.contains("href=\"/likes/blog/blog_comment/\(comment.id)\""))
        let likers = try network.client().get("/likes/blog/blog_comment/\(comment.id)")
        #expect(likers.status == 200)
        #expect(likers.text.contains("Ben Ode") && likers.text.contains("Cai Lee"))

        // A hidden status cannot be liked, and its likes are not shown.
        let kind = try #require(network.kernel.context.reportableKinds.first { $0.kind == "status" })
        try services.database.write { db in try kind.setHidden(status.id, true, db) }
        #expect(try ben.send(json: "PUT", "/api/v1/statuses/\(status.id)/like", nil).status == 404)
        #expect(try network.client().get("/likes/membership/status/\(status.id)").status == 404)
    }

    @Test func discussionsAndRepliesInAPrivateGroupAreLikedOnlyByItsMembers() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        let services = network.services
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair Person", email: "chair@school.example")
        let insider = try services.member("Ina Side", email: "ina@school.example")
        try services.member("Olu Outsider", email: "olu@school.example")
        let group = try groups.create(
            .init(name: "Heads", category: "Interest", visibility: .private), by: chair.signedIn)
        _ = try groups.join(groupID: group.id, by: insider.signedIn)
        try groups.approve(groupID: group.id, memberID: insider.id, by: chair.signedIn)
        let talk = try groups.startDiscussion(
            groupID: group.id, by: chair.signedIn, title: "Budgets", body: "Ideas")
        let reply = try groups.reply(to: talk.id, by: chair.signedIn, body: "More")
        let base = "/api/v1/groups/\(group.slug)/discussions/\(talk.id)"
        let ina = try apiClient(network, "ina@school.example")
        let olu = try apiClient(network, "olu@school.example")
        #expect(count(try ina.send(json: "PUT", "\(base)/like", nil)) == 1)
        #expect(count(try ina.send(json: "PUT", "\(base)/replies/\(reply.id)/like", nil)) == 1)
        #expect(try olu.send(json: "PUT", "\(base)/replies/\(reply.id)/like", nil).status != 200)
        #expect(try olu.send(json: "PUT", "/api/v1/likes/groups/group_reply/\(reply.id)", nil).status == 404)
        // A reply named under another discussion is not found.
        #expect(try ina.send(json: "PUT", "\(base)/replies/\(reply.id + 99)/like", nil).status == 404)
        let sentences = try services.notifications.list(memberID: chair.id).items.map(\.sentence).filter {
            $0.contains("liked")
        }
        #expect(
            sentences.sorted() == [
                "Ina Side liked your group discussion", "Ina Side liked your group discussion reply",
            ])

        // The discussion page carries a like button for the topic and for the reply.
        let browser = network.client()
        try browser.signIn("ina@school.example")
        let page = try browser.get("/groups/\(group.slug)/discussions/\(talk.id)").text
        #expect(page.contains("action=\"/likes/groups/group_discussion/\(talk.id)\""))
        #expect(page.contains("action=\"/likes/groups/group_reply/\(reply.id)\""))
        #expect(page.contains("aria-pressed=\"true\""))
    }
}
