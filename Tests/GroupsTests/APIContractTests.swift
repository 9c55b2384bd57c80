import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Groups

/// The groups API's JSON, byte for byte, and its input errors: what clients of the API rely on,
/// pinned so that a change of the types behind it shows here.
@Suite struct GroupsAPIContractTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    /// A network with Cara <Chair>, Dan Doer and Eve Extra, each with an API token.
    static func network() throws -> (TestNetwork, cara: TestClient, dan: TestClient, eve: TestClient) {
        let network = try TestNetwork(
            modules: [MembershipModule.self, GroupsModule.self], clock: FixedClock(now))
        let membership = try #require(network.services.service(MembershipService.self))
        var clients: [TestClient] = []
        for (name, login) in [("Cara <Chair>", "cara"), ("Dan Doer", "dan"), ("Eve Extra", "eve")] {
            _ = try membership.join(
                .init(
                    name: name, email: "\(login)@school.example", password: "a long enough password",
                    acceptsTerms: true), bypassSignupMode: true)
            let client = network.client()
            let session = try client.send(
                json: "POST", "/api/v1/sessions",
                ["login": "\(login)@school.example", "password": "a long enough password"])
            client.bearer = (session.json as? [String: Any])?["token"] as? String
            clients.append(client)
        }
        return (network, clients[0], clients[1], clients[2])
    }

    static func expect(
        _ response: TestClient.Response, _ status: Int, _ json: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect(response.text == json, sourceLocation: sourceLocation)
    }

    // The fields every group answer starts with, and a few rows, as the API has always written them.
    static let heads =
        ##"{"id":1,"slug":"heads-deputies","name":"Heads \u0026 \"deputies\"","description":"Plan *here*.","##
        + ##""category":"Cluster","visibility":"private","member_count":1,"image_url":null,"##
        + ##""url":"/groups/heads-deputies","created_at":"2026-09-21T14:13:20Z","##
        + ##""last_activity_at":"2026-09-21T14:13:20Z""##
    static let maths =
        ##"{"id":2,"slug":"open-maths","name":"Open maths","description":"","category":"Interest","##
        + ##""visibility":"public","member_count":1,"image_url":null,"url":"/groups/open-maths","##
        + ##""created_at":"2026-09-21T14:13:20Z","last_activity_at":"2026-09-21T14:13:20Z""##
    static let owner = ##","membership":{"state":"active","role":"owner"}}"##
    static let caraRow =
        ##"{"handle":"cara-chair","name":"Cara \u003cChair\u003e","role":"owner","state":"active","##
        + ##""since":"2026-09-21T14:13:20Z","url":"/members/cara-chair","message":""}"##
    static func danRow(role: String = "member", state: String) -> String {
        ##"{"handle":"dan-doer","name":"Dan Doer","role":""## + role + ##"","state":""## + state
            + ##"","since":"2026-09-21T14:13:20Z","url":"/members/dan-doer","message":"Me \u0026 you"}"##
    }
    static let eveRow =
        ##"{"handle":"eve-extra","name":"Eve Extra","role":"member","state":"invited","##
        + ##""since":"2026-09-21T14:13:20Z","url":"/members/eve-extra","message":"Join"}"##
    static func topic(pinned: Bool) -> String {
        ##"{"id":1,"group":"heads-deputies","title":"Budget \u003ccuts\u003e","body":"How do we *share*?","##
            + ##""author":{"handle":"dan-doer","name":"Dan Doer"},"pinned":\##(pinned),"locked":false,"##
            + ##""hidden":false,"reply_count":0,"created_at":"2026-09-21T14:13:20Z","##
            + ##""last_reply_at":"2026-09-21T14:13:20Z","url":"/groups/heads-deputies/discussions/1""##
    }
    static let reply =
        ##"{"id":1,"discussion_id":1,"body":"Pool it","author":{"handle":"eve-extra","name":"Eve Extra"},"##
        + ##""hidden":false,"created_at":"2026-09-21T14:13:20Z","##
        + ##""url":"/groups/heads-deputies/discussions/1#reply-1"}"##

    @Test func groupsAndTheDirectoryAnswerTheirExactJSON() throws {
        let (network, cara, dan, _) = try Self.network()
        defer { network.stop() }
        let visitor = network.client()
        Self.expect(
            try cara.send(
                json: "POST", "/api/v1/groups",
                [
                    "name": "Heads & \"deputies\"", "category": "Cluster", "visibility": "private",
                    "description": "Plan *here*.",
                ]), 201, Self.heads + Self.owner)
        let leaders = ##","leaders":["## + Self.caraRow + "]}"
        Self.expect(
            try cara.get("/api/v1/groups/heads-deputies"), 200,
            Self.heads + ##","membership":{"state":"active","role":"owner"}"## + leaders)
        // A visitor gets no `membership`; a member of the network who is not in the group gets nulls.
        Self.expect(try visitor.get("/api/v1/groups/heads-deputies"), 200, Self.heads + leaders)
        Self.expect(
            try dan.get("/api/v1/groups/heads-deputies"), 200,
            Self.heads + ##","membership":{"state":null,"role":null}"## + leaders)
        Self.expect(
            try cara.send(
                json: "POST", "/api/v1/groups",
                ["name": "Open maths", "slug": "open-maths", "category": "Interest", "visibility": "public"]),
            201, Self.maths + Self.owner)
        Self.expect(
            try visitor.get("/api/v1/groups"), 200,
            ##"{"items":["## + Self.heads + "}," + Self.maths + ##"}],"next":null}"##)
        Self.expect(
            try dan.get("/api/v1/groups?limit=1"), 200,
            ##"{"items":["## + Self.heads + ##"}],"next":"heads-deputies"}"##)
        Self.expect(
            try cara.get("/api/v1/groups?mine=true"), 200,
            ##"{"items":["## + Self.heads + Self.owner + "," + Self.maths + Self.owner + ##"],"next":null}"##)
    }

    @Test func membershipRequestsAndInvitationsAnswerTheirExactJSON() throws {
        let (network, cara, dan, eve) = try Self.network()
        defer { network.stop() }
        _ = try cara.send(
            json: "POST", "/api/v1/groups",
            ["name": "Heads & \"deputies\"", "category": "Cluster", "visibility": "private"])
        _ = try cara.send(
            json: "POST", "/api/v1/groups",
            ["name": "Open maths", "category": "Interest", "visibility": "public"])
        let base = "/api/v1/groups/heads-deputies"
        let asked = try dan.send(json: "POST", base + "/requests", ["message": "Me & you"])
        #expect(asked.status == 202 && asked.text == ##"{"state":"requested"}"##)
        Self.expect(
            try cara.get(base + "/requests"), 200, ##"{"items":["## + Self.danRow(state: "requested") + "]}")
        Self.expect(
            try cara.send(json: "POST", base + "/requests/dan-doer", ["decision": "approve"]), 200,
            ##"{"handle":"dan-doer","decision":"approve"}"##)
        Self.expect(
            try dan.get(base + "/members"), 200,
            ##"{"items":["## + Self.caraRow + "," + Self.danRow(state: "active") + ##"],"next":null}"##)
        Self.expect(
            try dan.get(base + "/members?limit=1"), 200,
            ##"{"items":["## + Self.caraRow + ##"],"next":"cara-chair"}"##)
        Self.expect(
            try cara.send(json: "PATCH", base + "/members/dan-doer", ["role": "chair"]), 200,
            Self.danRow(role: "chair", state: "active"))
        Self.expect(
            try cara.send(json: "POST", base + "/invitations", ["handle": "eve-extra", "message": "Join"]),
            201,
            Self.eveRow)
        Self.expect(try cara.get(base + "/invitations"), 200, ##"{"items":["## + Self.eveRow + "]}")
        Self.expect(try eve.get(base + "/invitations"), 200, ##"{"items":["## + Self.eveRow + "]}")
        Self.expect(
            try eve.send(json: "POST", base + "/invitations/eve-extra", ["decision": "accept"]), 200,
            ##"{"state":"active"}"##)
        let joined = try eve.send(json: "POST", "/api/v1/groups/open-maths/members", nil)
        #expect(joined.status == 201 && joined.text == ##"{"state":"active"}"##)
        // A ban, then lifting it: the answer names the member and no state.
        #expect(
            try cara.send("DELETE", base + "/members/eve-extra?ban=1", headers: [], body: []).status == 204)
        Self.expect(
            try cara.send(json: "PATCH", base + "/members/eve-extra", ["banned": false]), 200,
            ##"{"handle":"eve-extra","state":null}"##)
    }

    @Test func discussionsAndRepliesAnswerTheirExactJSON() throws {
        let (network, cara, dan, eve) = try Self.network()
        defer { network.stop() }
        _ = try cara.send(
            json: "POST", "/api/v1/groups",
            ["name": "Heads & \"deputies\"", "category": "Cluster", "visibility": "private"])
        let base = "/api/v1/groups/heads-deputies"
        for (client, handle) in [(dan, "dan-doer"), (eve, "eve-extra")] {
            _ = try cara.send(json: "POST", base + "/invitations", ["handle": handle])
            _ = try client.send(json: "POST", base + "/invitations/\(handle)", ["decision": "accept"])
        }
        Self.expect(
            try dan.send(
                json: "POST", base + "/discussions", ["title": "Budget <cuts>", "body": "How do we *share*?"]),
            201, Self.topic(pinned: false) + "}")
        // `following` only on one discussion's own address, for members of the group.
        Self.expect(
            try dan.get(base + "/discussions/1"), 200, Self.topic(pinned: false) + ##","following":true}"##)
        Self.expect(
            try eve.get(base + "/discussions/1"), 200, Self.topic(pinned: false) + ##","following":false}"##)
        Self.expect(
            try cara.send(json: "PATCH", base + "/discussions/1", ["pinned": true]), 200,
            Self.topic(pinned: true) + "}")
        Self.expect(
            try eve.get(base + "/discussions"), 200,
            ##"{"items":["## + Self.topic(pinned: true) + ##"}],"next":null}"##)
        Self.expect(
            try eve.send(json: "POST", base + "/discussions/1/replies", ["body": "Pool it"]), 201, Self.reply)
        Self.expect(
            try cara.get(base + "/discussions/1/replies"), 200,
            ##"{"items":["## + Self.reply + ##"],"next":null}"##)
    }

    @Test func badInputAndRefusalsAreProblems() throws {
        let (network, cara, dan, _) = try Self.network()
        defer { network.stop() }
        func problem(_ response: TestClient.Response, _ status: Int, _ json: String, line: Int = #line) {
            #expect(response.status == status, "line \(line)")
            #expect(response.header("Content-Type") == "application/problem+json", "line \(line)")
            #expect(response.text == json, "line \(line)")
        }
        _ = try cara.send(
            json: "POST", "/api/v1/groups", ["name": "Heads", "category": "Cluster", "visibility": "private"])
        problem(
            try cara.send(
                json: "POST", "/api/v1/groups", ["name": "", "category": "Nope", "visibility": "secret"]),
            422,
            ##"{"type":"about:blank","title":"Please check what you entered","status":422,"##
                + ##""detail":"visibility: visibility is public, private or hidden.","##
                + ##""errors":[{"field":"visibility","message":"visibility is public, private or hidden."}]}"##
        )
        problem(
            try cara.send(
                json: "POST", "/api/v1/groups", ["name": "X", "category": "Nope", "visibility": "public"]),
            422,
            ##"{"type":"about:blank","title":"Please check what you entered","status":422,"##
                + ##""detail":"category: Choose one of the categories.","##
                + ##""errors":[{"field":"category","message":"Choose one of the categories."}]}"##)
        problem(
            try cara.send(json: "POST", "/api/v1/groups/heads/requests/dan-doer", ["decision": "maybe"]), 422,
            ##"{"type":"about:blank","title":"Please check what you entered","status":422,"##
                + ##""detail":"decision: decision is approve or refuse.","##
                + ##""errors":[{"field":"decision","message":"decision is approve or refuse."}]}"##)
        problem(
            try cara.send(json: "PATCH", "/api/v1/groups/heads/members/dan-doer", ["role": "king"]), 422,
            ##"{"type":"about:blank","title":"Please check what you entered","status":422,"##
                + ##""detail":"role: role is member, chair or owner.","##
                + ##""errors":[{"field":"role","message":"role is member, chair or owner."}]}"##)
        problem(
            try cara.send(json: "POST", "/api/v1/groups/heads/invitations", ["handle": "nobody"]), 422,
            ##"{"type":"about:blank","title":"Please check what you entered","status":422,"##
                + ##""detail":"handle: There is no member with that handle.","##
                + ##""errors":[{"field":"handle","message":"There is no member with that handle."}]}"##)
        problem(
            try dan.send(json: "POST", "/api/v1/groups/heads/invitations/dan-doer", ["decision": "accept"]),
            409,
            ##"{"type":"about:blank","title":"Conflict","status":409,"detail":"You have no invitation to this group."}"##
        )
        problem(
            try network.client().get("/api/v1/groups/heads/discussions"), 401,
            ##"{"type":"about:blank","title":"Please sign in","status":401,"detail":"You need to sign in to do that."}"##
        )
        problem(
            try network.client().get("/api/v1/groups/nope"), 404,
            ##"{"type":"about:blank","title":"Page not found","status":404,"##
                + ##""detail":"There is nothing here. It may have been moved or deleted, or you may not be allowed to see it."}"##
        )
    }

    @Test func typedInputIsCheckedBeforeTheHandlerRuns() throws {
        let (network, cara, dan, _) = try Self.network()
        defer { network.stop() }
        func errors(_ response: TestClient.Response) -> [[String: String]] {
            ((response.json as? [String: Any])?["errors"] as? [[String: String]]) ?? []
        }
        _ = try cara.send(
            json: "POST", "/api/v1/groups", ["name": "Heads", "category": "Cluster", "visibility": "public"])
        let limit = try dan.get("/api/v1/groups?limit=many")
        #expect(
            limit.status == 422
                && errors(limit) == [["field": "limit", "message": "Must be a whole number."]])
        #expect(try dan.get("/api/v1/groups?limit=100000").status == 200)
        let state = try dan.get("/api/v1/groups/heads/members?state=gone")
        #expect(state.status == 422 && errors(state).first?["field"] == "state")
        let after = try dan.get("/api/v1/groups/heads/discussions/1/replies?after=x")
        #expect(after.status == 422 || after.status == 404)
        let name = try cara.send(json: "POST", "/api/v1/groups", ["name": 5, "category": "Cluster"])
        #expect(name.status == 422 && errors(name) == [["field": "name", "message": "Must be a string."]])
        #expect(try cara.send(json: "POST", "/api/v1/groups", [1, 2]).status == 400)
        #expect(try dan.get("/api/v1/groups/heads/discussions/0").status == 404)
        #expect(try dan.get("/api/v1/groups/heads/discussions/abc").status == 404)
        // A join may come without a body, or with a note.
        let joined = try dan.send(json: "POST", "/api/v1/groups/heads/members", nil)
        #expect(joined.status == 201 && joined.text == ##"{"state":"active"}"##)
        // The document lists the operation's body, its answer and its errors.
        let document = try #require(try dan.get("/api/v1/openapi.json").json as? [String: Any])
        let paths = document["paths"] as? [String: [String: [String: Any]]]
        let join = try #require(paths?["/api/v1/groups/{slug}/members"]?["post"])
        #expect(join["operationId"] as? String == "joinGroup")
        #expect(join["requestBody"] != nil)
        #expect(
            Set(((join["responses"] as? [String: Any]) ?? [:]).keys)
                == ["201", "400", "401", "403", "404", "409", "422"])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        for name in [
            "Group", "GroupMembership", "GroupDiscussion", "GroupReply", "GroupJoinInput",
            "GroupDiscussionPage",
        ] {
            #expect(schemas?[name] != nil, "no schema \(name)")
        }
    }
}
