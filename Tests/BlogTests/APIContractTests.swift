import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Blog

/// The blog API's JSON, byte for byte, and its input errors: what clients of the API rely on,
/// pinned so that a change of the types behind it shows here.
@Suite struct APIContractTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    static func network() throws -> (TestNetwork, TestClient) {
        let network = try TestNetwork(
            modules: [MembershipModule.self, BlogModule.self], clock: FixedClock(now))
        let membership = try #require(network.services.service(MembershipService.self))
        _ = try membership.join(
            .init(
                name: "Thomas <Whitby>", email: "thomas@school.example", password: "a long enough password",
                acceptsTerms: true), bypassSignupMode: true)
        let client = network.client()
        let session = try client.send(
            json: "POST", "/api/v1/sessions",
            ["login": "thomas@school.example", "password": "a long enough password"])
        client.bearer = (session.json as? [String: Any])?["token"] as? String
        return (network, client)
    }

    @Test func aPostCommentAndListAnswerTheirExactJSON() throws {
        let (network, thomas) = try Self.network()
        defer { network.stop() }
        let created = try thomas.send(
            json: "POST", "/api/v1/blog/posts",
            [
                "title": "Fractions & \"bar\" models", "body": "Try *this*.\n\nThen that.",
                "tags": "Maths, KS2",
            ])
        #expect(created.status == 201)
        let post =
            #"{"id":1,"title":"Fractions \u0026 \"bar\" models","excerpt":"Try this. Then that.","tags":["maths","ks2"],"#
            + #""status":"published","visibility":"public","author":{"id":1,"handle":"thomas-whitby","name":"Thomas \u003cWhitby\u003e"},"#
            + #""video":null,"featured":false,"featured_at":null,"views":0,"comments":0,"hidden":false,"#
            + #""created_at":"2026-09-21T14:13:20Z","published_at":"2026-09-21T14:13:20Z","edited_at":null,"#
            + #""url":"/blog/posts/1""#
        let body =
            #","body":"Try *this*.\n\nThen that.","body_html":"\u003cp\u003eTry \u003cem\u003ethis\u003c/em\u003e.\u003c/p\u003e\n\u003cp\u003eThen that.\u003c/p\u003e\n"}"#
        #expect(created.text == post + body)
        #expect(try thomas.get("/api/v1/blog/posts/1").text == post + body)
        #expect(try thomas.get("/api/v1/blog/posts").text == #"{"items":["# + post + #"}],"next":null}"#)

        let comment = try thomas.send(json: "POST", "/api/v1/blog/posts/1/comments", ["body": "Me & you"])
        let commentJSON =
            #"{"id":1,"post_id":1,"parent_id":null,"author":{"id":1,"handle":"thomas-whitby","name":"Thomas \u003cWhitby\u003e"},"#
            + #""body":"Me \u0026 you","body_html":"\u003cp\u003eMe \u0026amp; you\u003c/p\u003e\n","hidden":false,"#
            + #""created_at":"2026-09-21T14:13:20Z","edited_at":null}"#
        #expect(comment.text == commentJSON)
        #expect(
            try thomas.get("/api/v1/blog/posts/1/comments").text == #"{"items":["# + commentJSON
                + #"],"next":null}"#)
        #expect(try thomas.get("/api/v1/blog/drafts").text == #"{"items":[]}"#)
    }

    @Test func badInputIsAProblemNamingEachField() throws {
        let (network, thomas) = try Self.network()
        defer { network.stop() }
        func errors(_ response: TestClient.Response) -> [[String: String]] {
            ((response.json as? [String: Any])?["errors"] as? [[String: String]]) ?? []
        }
        let post = try thomas.send(
            json: "POST", "/api/v1/blog/posts",
            ["title": 5, "tags": [1], "status": "maybe", "visibility": "friends"])
        #expect(post.status == 422)
        #expect(post.header("Content-Type") == "application/problem+json")
        #expect(
            errors(post) == [
                ["field": "title", "message": "Must be a string."],
                ["field": "tags", "message": "Must be a list of tags (strings without commas)."],
            ])
        let status = try thomas.send(
            json: "POST", "/api/v1/blog/posts", ["title": "T", "body": "B", "status": "maybe"])
        #expect(errors(status) == [["field": "status", "message": "Must be \"draft\" or \"published\"."]])
        let visibility = try thomas.send(
            json: "POST", "/api/v1/blog/posts", ["title": "T", "body": "B", "visibility": "friends"])
        #expect(
            errors(visibility) == [
                ["field": "visibility", "message": "Choose who can read the post: everyone or members only."]
            ])
        let comment = try thomas.send(json: "POST", "/api/v1/blog/posts/1/comments", ["parent_id": "x"])
        #expect(
            errors(comment) == [
                ["field": "body", "message": "Enter your comment."],
                ["field": "parent_id", "message": "Must be a comment id."],
            ])
        #expect(try thomas.send(json: "POST", "/api/v1/blog/posts", [1, 2]).status == 400)
        let sort = try thomas.get("/api/v1/blog/posts?sort=oldest")
        #expect(sort.status == 422)
        #expect(errors(sort) == [["field": "sort", "message": "Use newest, views or featured."]])
        #expect(
            errors(try thomas.get("/api/v1/blog/posts?before=abc")) == [
                ["field": "before", "message": "Must be a post id."]
            ])
        #expect(try thomas.get("/api/v1/blog/posts?limit=100000").status == 200)
        #expect(try thomas.get("/api/v1/blog/posts/0").status == 404)
        #expect(try thomas.get("/api/v1/blog/posts/abc").status == 404)
    }
}
