import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

@Suite struct APITests {
    @Test func theAPIAnswersWithProblemDetails() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Api User")
        let client = network.client()
        let bad = try client.send(
            json: "POST", "/api/v1/sessions", ["login": "api-user", "password": "wrong password!!"])
        #expect(bad.status == 401)
        #expect(bad.header("Content-Type") == "application/problem+json")
        #expect(try client.get("/api/v1/me").status == 401)
        let join = try client.send(
            json: "POST", "/api/v1/members",
            ["name": "", "email": "x", "password": "short", "accept_terms": false])
        #expect(join.status == 422)
        let problem = join.json as? [String: Any]
        #expect((problem?["errors"] as? [[String: Any]])?.count == 4)
        let garbage = try client.send(
            "POST", "/api/v1/members", headers: [("Content-Type", "application/json")],
            body: Array("{not json".utf8))
        #expect(garbage.status == 400)
        let signedIn = try client.send(
            json: "POST", "/api/v1/sessions", ["login": "api-user", "password": "a long enough password"])
        #expect(signedIn.status == 201)
        client.bearer = (signedIn.json as? [String: Any])?["token"] as? String
        #expect(
            try client.send(json: "POST", "/api/v1/statuses", ["body": String(repeating: "y", count: 501)])
                .status == 422)
        #expect(
            try client.send(json: "POST", "/api/v1/statuses", ["body": "Hello from the API"]).status == 201)
        #expect(
            try client.send(json: "PATCH", "/api/v1/members/api-user", ["bio": "Science lead"]).status == 200)
        #expect(try client.send("DELETE", "/api/v1/sessions", headers: [], body: []).status == 204)
        #expect(try client.get("/api/v1/me").status == 401)
    }

    @Test func theOpenAPIDocumentDescribesMembershipOperations() throws {
        let network = try network()
        defer { network.stop() }
        let document = try network.client().get("/api/v1/openapi.json")
        let json = try #require(document.json as? [String: Any])
        #expect(json["openapi"] as? String == "3.1.0")
        let paths = try #require(json["paths"] as? [String: Any])
        for path in [
            "/api/v1/sessions", "/api/v1/members", "/api/v1/members/{handle}", "/api/v1/me",
            "/api/v1/friendships", "/api/v1/statuses", "/api/v1/activity",
        ] {
            #expect(paths[path] != nil, "\(path) missing")
        }
    }
}
