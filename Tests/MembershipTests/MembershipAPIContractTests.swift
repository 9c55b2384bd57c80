import Foundation
import Kernel
import PLNTestSupport
import Testing

@testable import Membership

/// The membership API's JSON, byte for byte: what clients (and other modules' tests) rely on,
/// pinned so that a change of the types behind it shows here.
@Suite struct MembershipAPIContractTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z
    static let joined = #""joined_at":"2026-09-21T14:13:20Z""#

    static func network() throws -> TestNetwork {
        let network = try TestNetwork(
            modules: [MembershipModule.self],
            settings: [
                "membership": [
                    "profile_questions": .list([
                        .record([
                            "id": .string("school"), "label": .string("School"), "type": .string("text"),
                            "options": .list([]), "required": .bool(false),
                        ]),
                        .record([
                            "id": .string("phases"), "label": .string("Phases"), "type": .string("multiple"),
                            "options": .list([.string("Primary"), .string("Secondary")]),
                            "required": .bool(false),
                        ]),
                    ])
                ]
            ],
            clock: FixedClock(now))
        try network.services.member(
            "Ada <Lovelace>", email: "ada@school.example", handle: "ada", school: "Hill & Dale")
        try network.services.member("Bea \"B\" Day", email: "bea@school.example", handle: "bea")
        return network
    }

    static func signIn(_ network: TestNetwork, _ login: String) throws -> (TestClient, TestClient.Response) {
        let client = network.client()
        let session = try client.send(
            json: "POST", "/api/v1/sessions", ["login": login, "password": MemberFixture.password])
        client.bearer = try #require((session.json as? [String: Any])?["token"] as? String)
        return (client, session)
    }

    static let ada =
        #"{"id":1,"handle":"ada","name":"Ada \u003cLovelace\u003e","role":"member","status":"active","#
        + joined
        + #","url":"/members/ada""#
    static let bea =
        #"{"id":2,"handle":"bea","name":"Bea \"B\" Day","role":"member","status":"active","# + joined
        + #","url":"/members/bea""#

    @Test func membersSessionsAndProfilesAnswerTheirExactJSON() throws {
        let network = try Self.network()
        defer { network.stop() }
        let (ada, session) = try Self.signIn(network, "ada@school.example")
        #expect(session.status == 201)
        let token = try #require(ada.bearer)
        #expect(
            session.text == #"{"token":""# + token + #"","member":"# + Self.ada
                + #","email":"ada@school.example"}}"#)

        let me = try ada.get("/api/v1/me")
        #expect(me.header("Content-Type") == "application/json")
        #expect(
            me.text == Self.ada
                + #","email":"ada@school.example","bio":"","answers":{"school":"Hill \u0026 Dale"}}"#)
        #expect(try ada.get("/api/v1/members/bea").text == Self.bea + #","bio":"","answers":{}}"#)
        #expect(
            try ada.get("/api/v1/members/ada").text
                == Self.ada
                + #","email":"ada@school.example","bio":"","answers":{"school":"Hill \u0026 Dale"}}"#)
        #expect(
            try ada.get("/api/v1/members?sort=name").text == #"{"items":["# + Self.ada + "}," + Self.bea
                + #"}],"next":null}"#)
        #expect(
            try ada.get("/api/v1/members?sort=name&limit=1").text == #"{"items":["# + Self.ada
                + #"}],"next":"ada"}"#)
        #expect(
            try ada.get("/api/v1/members?sort=name&limit=1&after=ada").text
                == #"{"items":["# + Self.bea + #"}],"next":null}"#)

        let patched = try ada.send(
            json: "PATCH", "/api/v1/members/ada",
            ["bio": "Maths <lead>", "answers": ["phases": ["Primary", "Secondary"]]])
        #expect(patched.status == 200)
        #expect(
            patched.text
                == Self.ada
                + #","email":"ada@school.example","bio":"Maths \u003clead\u003e","answers":{"phases":"Primary\nSecondary","school":"Hill \u0026 Dale"}}"#
        )
        let renamed = try ada.send(json: "PATCH", "/api/v1/members/ada", ["name": "Ada L"])
        #expect(renamed.text.hasPrefix(#"{"id":1,"handle":"ada","name":"Ada L","#))
        #expect(renamed.text.contains(#""bio":"Maths \u003clead\u003e""#))
    }

    @Test func friendshipsAndStatusesAnswerTheirExactJSON() throws {
        let network = try Self.network()
        defer { network.stop() }
        let (ada, _) = try Self.signIn(network, "ada")
        let (bea, _) = try Self.signIn(network, "bea")

        let request = try ada.send(json: "POST", "/api/v1/friendships", ["handle": "bea"])
        #expect(request.status == 200)
        #expect(request.text == #"{"relationship":"request_sent"}"#)
        #expect(
            try ada.get("/api/v1/friendships").text
                == #"{"friends":[],"incoming":[],"outgoing":["# + Self.bea + "}]}")
        #expect(
            try bea.get("/api/v1/friendships").text
                == #"{"friends":[],"incoming":["# + Self.ada + "}],\"outgoing\":[]}")
        #expect(
            try bea.send(json: "POST", "/api/v1/friendships", ["handle": "ada"]).text
                == #"{"relationship":"friends"}"#)
        #expect(
            try ada.get("/api/v1/friendships").text
                == #"{"friends":["# + Self.bea + #"}],"incoming":[],"outgoing":[]}"#)

        let status = try ada.send(json: "POST", "/api/v1/statuses", ["body": "Fractions & <bar> models"])
        #expect(status.status == 201)
        let statusJSON =
            #"{"id":1,"member_id":1,"body":"Fractions \u0026 \u003cbar\u003e models","created_at":"2026-09-21T14:13:20Z"}"#
        #expect(status.text == statusJSON)
        #expect(
            try bea.get("/api/v1/statuses?member=ada").text == #"{"items":["# + statusJSON
                + #"],"next":null}"#)
        #expect(try bea.get("/api/v1/statuses?member=bea").text == #"{"items":[],"next":null}"#)

        let gone = try bea.send("DELETE", "/api/v1/friendships/ada", headers: [], body: [])
        #expect(gone.status == 204)
        #expect(gone.text == "")
        #expect(try ada.send("DELETE", "/api/v1/statuses/1", headers: [], body: []).status == 204)
        #expect(try ada.get("/api/v1/friendships").text == #"{"friends":[],"incoming":[],"outgoing":[]}"#)
    }

    @Test func joiningAnswersAcceptedWithTheSameWordsEitherWay() throws {
        let network = try Self.network()
        defer { network.stop() }
        let client = network.client()
        for email in ["new.person@school.example", "ada@school.example"] {
            let joined = try client.send(
                json: "POST", "/api/v1/members",
                [
                    "name": "New Person", "email": email, "password": MemberFixture.password,
                    "accept_terms": true, "answers": ["school": "Ridge", "phases": ["Primary"]],
                ])
            #expect(joined.status == 202)
            #expect(
                joined.text
                    == #"{"status":"check_mail","detail":"We have sent a message to that address. Open the link in it to finish joining; it works for a day."}"#
            )
        }
    }

    @Test func errorsAreProblemDetails() throws {
        let network = try Self.network()
        defer { network.stop() }
        let (ada, _) = try Self.signIn(network, "ada")
        let anonymous = network.client()
        #expect(try anonymous.get("/api/v1/me").status == 401)
        #expect(try anonymous.send(json: "POST", "/api/v1/statuses", ["body": "x"]).status == 401)
        #expect(try ada.get("/api/v1/members/nobody").status == 404)
        #expect(try ada.send(json: "PATCH", "/api/v1/members/bea", ["bio": "mine now"]).status == 403)
        #expect(try ada.send(json: "POST", "/api/v1/friendships", ["handle": "nobody"]).status == 404)
        #expect(try ada.send("DELETE", "/api/v1/friendships/nobody", headers: [], body: []).status == 404)
        #expect(try ada.send("DELETE", "/api/v1/statuses/99", headers: [], body: []).status == 404)
        #expect(try ada.get("/api/v1/statuses?member=nobody").status == 404)
        let wrong = try anonymous.send(
            json: "POST", "/api/v1/sessions", ["login": "ada", "password": "not the password"])
        #expect(wrong.status == 401)
        #expect(wrong.header("Content-Type") == "application/problem+json")
        let empty = try ada.send(json: "POST", "/api/v1/statuses", ["body": ""])
        #expect(empty.status == 422)
        #expect(
            (((empty.json as? [String: Any])?["errors"] as? [[String: String]]) ?? [])
                == [["field": "body", "message": "Write something first."]])
    }
    @Test func badInputIsAProblemNamingEachField() throws {
        let network = try Self.network()
        defer { network.stop() }
        let (ada, _) = try Self.signIn(network, "ada")
        func errors(_ response: TestClient.Response) -> [[String: String]] {
            ((response.json as? [String: Any])?["errors"] as? [[String: String]]) ?? []
        }
        let noCredentials = try network.client().send(json: "POST", "/api/v1/sessions", [String: String]())
        #expect(noCredentials.status == 422)
        #expect(
            errors(noCredentials) == [
                ["field": "login", "message": "login and password are required."],
                ["field": "password", "message": "login and password are required."],
            ])
        #expect(
            errors(try ada.get("/api/v1/members?sort=oldest")) == [
                ["field": "sort", "message": "Must be \"newest\" or \"name\"."]
            ])
        #expect(try ada.get("/api/v1/members?limit=100000").status == 200)
        #expect(
            errors(try ada.get("/api/v1/statuses")) == [["field": "member", "message": "Required."]])
        #expect(
            errors(try ada.send(json: "PATCH", "/api/v1/members/ada", ["answers": ["school": 5]])) == [
                ["field": "answers.school", "message": "Not valid here."]
            ])
        #expect(
            errors(try ada.send(json: "POST", "/api/v1/friendships", [String: String]())) == [
                ["field": "handle", "message": "handle is required."]
            ])
    }

    @Test func theDocumentDescribesTheProfileUpdateAndSignInNeeds() throws {
        let network = try Self.network()
        defer { network.stop() }
        let document = try #require(try network.client().get("/api/v1/openapi.json").json as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let update = try #require(paths["/api/v1/members/{handle}"]?["patch"])
        let body =
            (update["requestBody"] as? [String: Any])?["content"] as? [String: [String: [String: String]]]
        #expect(body?["application/json"]?["schema"]?["$ref"] == "#/components/schemas/MemberProfileUpdate")
        let responses = try #require(update["responses"] as? [String: Any])
        #expect(Set(responses.keys) == ["200", "400", "401", "403", "404", "422"])
        for (path, method) in [
            ("/api/v1/me", "get"), ("/api/v1/friendships", "get"), ("/api/v1/statuses", "post"),
            ("/api/v1/sessions", "delete"),
        ] {
            let operation = try #require(paths[path]?[method])
            #expect((operation["responses"] as? [String: Any])?["401"] != nil, "\(method) \(path)")
        }
    }
}
