import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Blog

/// The JSON API under /api/v1/blog over real HTTP (the exact bytes are pinned in APIContractTests).
@Suite struct APITests {
    @Test func theJSONAPICoversPostsCommentsAndFeaturing() throws {
        let network = try EndToEndTests.network()
        defer { network.stop() }
        let membership = try #require(network.services.service(MembershipService.self))
        for (name, email, role) in [
            ("Thomas Whitby", "thomas@school.example", MemberRole.member),
            ("Ada Admin", "ada@school.example", .admin),
        ] {
            _ = try membership.join(
                .init(name: name, email: email, password: "a long enough password", acceptsTerms: true),
                role: role,
                bypassSignupMode: true)
        }
        func token(_ login: String) throws -> TestClient {
            let client = network.client()
            let response = try client.send(
                json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
            let object = response.json as? [String: Any]
            client.bearer = object?["token"] as? String
            return client
        }
        let thomas = try token("thomas@school.example")
        let ada = try token("ada@school.example")
        let anonymous = network.client()

        #expect(
            try anonymous.send(json: "POST", "/api/v1/blog/posts", ["title": "x", "body": "y"]).status == 401)
        let invalid = try thomas.send(
            json: "POST", "/api/v1/blog/posts", ["title": "", "body": "y", "tags": [1]])
        #expect(invalid.status == 422)
        #expect(invalid.header("Content-Type") == "application/problem+json")
        let created = try thomas.send(
            json: "POST", "/api/v1/blog/posts",
            [
                "title": "Via the API", "body": "Hello *API*", "tags": ["api", "testing"],
                "video_url": "https://youtu.be/dQw4w9WgXcQ",
            ])
        #expect(created.status == 201)
        let post = try #require(created.json as? [String: Any])
        let id = try #require(post["id"] as? Int)
        #expect(post["tags"] as? [String] == ["api", "testing"])
        #expect(
            (post["video"] as? [String: Any])?["embed_url"] as? String
                == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")

        let draft = try thomas.send(
            json: "POST", "/api/v1/blog/posts", ["title": "API draft", "body": "Later", "status": "draft"])
        #expect((draft.json as? [String: Any])?["status"] as? String == "draft")
        let drafts = try #require(try thomas.get("/api/v1/blog/drafts").json as? [String: Any])
        #expect((drafts["items"] as? [[String: Any]])?.map { $0["title"] as? String } == ["API draft"])
        #expect(try ada.get("/api/v1/blog/drafts").text.contains("API draft") == false)
        let list = try #require(try anonymous.get("/api/v1/blog/posts?tag=api").json as? [String: Any])
        #expect((list["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])

        let patched = try thomas.send(
            json: "PATCH", "/api/v1/blog/posts/\(id)", ["title": "Via the API, edited"])
        #expect(patched.status == 200)
        #expect((patched.json as? [String: Any])?["edited_at"] is String)
        #expect(try ada.send(json: "PATCH", "/api/v1/blog/posts/\(id)", ["title": "Hijack"]).status == 404)

        let comment = try ada.send(json: "POST", "/api/v1/blog/posts/\(id)/comments", ["body": "Great"])
        #expect(comment.status == 201)
        let commentID = try #require((comment.json as? [String: Any])?["id"] as? Int)
        let reply = try thomas.send(
            json: "POST", "/api/v1/blog/posts/\(id)/comments", ["body": "Thanks", "parent_id": commentID])
        #expect((reply.json as? [String: Any])?["parent_id"] as? Int == commentID)
        let comments = try #require(
            try anonymous.get("/api/v1/blog/posts/\(id)/comments").json as? [String: Any])
        #expect((comments["items"] as? [Any])?.count == 2)

        #expect(try thomas.send(json: "PUT", "/api/v1/blog/posts/\(id)/feature", nil).status == 403)
        let feature = try ada.send(json: "PUT", "/api/v1/blog/posts/\(id)/feature", nil)
        #expect(feature.status == 200)
        #expect((feature.json as? [String: Any])?["featured"] as? Bool == true)
        #expect(try ada.send(json: "DELETE", "/api/v1/blog/posts/\(id)/feature", nil).status == 200)

        #expect(try thomas.send(json: "DELETE", "/api/v1/blog/comments/\(commentID)", nil).status == 204)
        #expect(try thomas.send(json: "DELETE", "/api/v1/blog/posts/\(id)", nil).status == 204)
        #expect(try anonymous.get("/api/v1/blog/posts/\(id)").status == 404)

        let openAPI = try anonymous.get("/api/v1/openapi.json").text
        for operation in [
            "listBlogPosts", "createBlogPost", "getBlogPost", "updateBlogPost", "deleteBlogPost",
            "featureBlogPost", "listBlogComments", "createBlogComment", "deleteBlogComment",
        ] {
            #expect(openAPI.contains(operation), "\(operation)")
        }
    }
}
