import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Moderation

/// The moderation API's JSON, byte for byte, and its input errors: what clients of the API rely
/// on, pinned so that a change of the types behind it shows here.
@Suite struct APIContractTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z
    static let at = "2026-09-21T14:13:20Z"

    static func signIn(_ network: TestNetwork, _ login: String) throws -> TestClient {
        let client = network.client()
        let response = try client.send(
            json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
        client.bearer = try #require((response.json as? [String: Any])?["token"] as? String)
        return client
    }

    static func errors(_ response: TestClient.Response) -> [[String: String]] {
        ((response.json as? [String: Any])?["errors"] as? [[String: String]]) ?? []
    }

    @Test func aReportItsCaseNotesActionsAndAuditAnswerTheirExactJSON() throws {
        let f = try ModerationFixture(clock: FixedClock(Self.now))
        let network = f.network
        _ = try f.member("Alice")
        let bob = try f.member("Bob")
        let mo = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Buy <cheap> & \"fast\" pills")
        let alice = try Self.signIn(network, "alice")
        let moderator = try Self.signIn(network, "mo")
        let at = Self.at

        let filed = try alice.send(
            json: "POST", "/api/v1/reports",
            ["kind": "status", "id": status.id, "category": "spam", "comment": "Pills & <spam>"])
        #expect(filed.status == 201)
        let report =
            #"{"id":1,"case_id":1,"kind":"status","item_id":\#(status.id),"title":"Status by @bob","#
            + #""category":"spam","comment":"Pills \u0026 \u003cspam\u003e","status":"open","outcome":null,"#
            + #""created_at":"\#(at)","resolved_at":null"#
        #expect(filed.text == report + "}")

        let openCase =
            #"{"id":1,"kind":"status","item_id":\#(status.id),"module":"membership","title":"Status by @bob","#
            + #""url":"/members/bob#status-\#(status.id)","excerpt":"Buy \u003ccheap\u003e \u0026 \"fast\" pills","#
            + #""author_id":\#(bob.id),"status":"open","hold_reason":null,"safeguarding":false,"report_count":1,"#
            + #""assigned_to":null,"resolution":null,"created_at":"\#(at)","updated_at":"\#(at)","resolved_at":null}"#
        let queue = try moderator.get("/api/v1/moderation/queue?category=spam")
        #expect(queue.text == #"{"items":["# + openCase + #"],"next":null}"#)

        let item =
            #""item":{"title":"Status by @bob","url":"/members/bob#status-\#(status.id)","#
            + #""excerpt":"Buy \u003ccheap\u003e \u0026 \"fast\" pills","author_id":\#(bob.id),"hidden":false}"#
        let author = #""author":{"handle":"bob","name":"Bob","banned":false,"suspended":false}"#
        let reporterID = #","reporter_id":\#(try #require(try f.membership.member(handle: "alice")).id)}"#
        let detail = try moderator.get("/api/v1/moderation/cases/1")
        #expect(
            detail.text
                == #"{"case":"# + openCase + #","kind_title":"status","# + item + "," + author
                + #","reports":["# + report + reporterID + #"],"notes":[],"actions":[]}"#)

        let note = try moderator.send(
            json: "POST", "/api/v1/moderation/cases/1/notes", ["body": "Known <spammer>"])
        #expect(note.status == 201)
        #expect(
            note.text
                == #"{"id":1,"author_name":"Mo","body":"Known \u003cspammer\u003e","created_at":"\#(at)"}"#)

        let assigned = try moderator.send(json: "POST", "/api/v1/moderation/cases/1/assign", nil)
        #expect(assigned.status == 200)
        #expect(assigned.text.contains(#""assigned_to":\#(mo.id),"#))
        #expect(
            assigned.text.contains(
                #""notes":[{"id":1,"author_id":\#(mo.id),"author_name":"Mo","body":"Known \u003cspammer\u003e","created_at":"\#(at)"}]"#
            ))
        let unassigned = try moderator.send(
            json: "POST", "/api/v1/moderation/cases/1/assign", ["to": "nobody"])
        #expect(unassigned.text.contains(#""assigned_to":null,"#))

        let acted = try moderator.send(
            json: "POST", "/api/v1/moderation/cases/1/actions", ["action": "hide", "reason": "Spam & ads"])
        #expect(acted.status == 201)
        let hideEntry =
            #"{"id":1,"actor_id":\#(mo.id),"actor_name":"Mo","action":"hide","case_id":1,"target_kind":"status","#
            + #""target_id":\#(status.id),"target_title":"Status by @bob","member_id":\#(bob.id),"#
            + #""reason":"Spam \u0026 ads","detail":"resolved 1 report","created_at":"\#(at)"}"#
        #expect(acted.text == hideEntry)

        let byReport = try moderator.get("/api/v1/moderation/reports/1")
        #expect(byReport.status == 200)
        #expect(byReport.text.hasPrefix(#"{"case":{"id":1,"#))
        #expect(byReport.text.hasSuffix(#""actions":["# + hideEntry + "]}"))
        #expect(byReport.text.contains(#""hidden":true}"#))

        let warned = try moderator.send(
            json: "POST", "/api/v1/moderation/members/\(bob.id)/actions",
            ["action": "warn", "reason": "No <ads>"])
        #expect(warned.status == 201)
        let warnEntry =
            #"{"id":2,"actor_id":\#(mo.id),"actor_name":"Mo","action":"warn","case_id":null,"target_kind":"member","#
            + #""target_id":\#(bob.id),"target_title":"Bob (@bob)","member_id":\#(bob.id),"#
            + #""reason":"No \u003cads\u003e","detail":"","created_at":"\#(at)"}"#
        #expect(warned.text == warnEntry)

        let audit = try moderator.get("/api/v1/moderation/audit?limit=1")
        #expect(audit.text == #"{"items":["# + warnEntry + #"],"next":2}"#)
        let rest = try moderator.get("/api/v1/moderation/audit?before=2&since=2026-09-21")
        #expect(rest.text == #"{"items":["# + hideEntry + #"],"next":null}"#)

        let mine = try alice.get("/api/v1/reports")
        #expect(
            mine.text
                == #"{"items":[{"id":1,"case_id":1,"kind":"status","item_id":\#(status.id),"title":"Status by @bob","#
                + #""category":"spam","comment":"Pills \u0026 \u003cspam\u003e","status":"closed","#
                + #""outcome":"A moderator reviewed it and hid the content.","created_at":"\#(at)","#
                + #""resolved_at":"\#(at)"}],"next":null,"awaiting_approval":[]}"#)
    }

    @Test func heldContentIsListedToItsAuthorAndQueuedAwaitingApproval() throws {
        let f = try ModerationFixture(
            settings: ["premoderate_first_posts": .int(1)], clock: FixedClock(Self.now))
        let nina = try f.member("Nina")
        _ = try f.member("Mo", role: .moderator)
        let status = try f.status(by: nina, "My first post")
        let client = try Self.signIn(f.network, "nina")
        let moderator = try Self.signIn(f.network, "mo")
        #expect(
            try client.get("/api/v1/reports").text
                == #"{"items":[],"next":null,"awaiting_approval":[{"kind":"status","id":\#(status.id),"#
                + #""title":"Status by @nina","url":"/members/nina#status-\#(status.id)"}]}"#)
        let queue = try moderator.get("/api/v1/moderation/queue?status=awaiting_approval").text
        #expect(queue.hasPrefix(#"{"items":[{"id":1,"kind":"status","#))
        #expect(queue.contains(#""status":"awaiting_approval","hold_reason":"#))
        #expect(queue.hasSuffix(#"],"next":null}"#))
    }

    @Test func badInputIsAProblemNamingTheField() throws {
        let f = try ModerationFixture(clock: FixedClock(Self.now))
        _ = try f.member("Alice")
        let bob = try f.member("Bob")
        _ = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Hello")
        let alice = try Self.signIn(f.network, "alice")
        let moderator = try Self.signIn(f.network, "mo")

        let category = try alice.send(
            json: "POST", "/api/v1/reports", ["kind": "status", "id": status.id, "category": "nonsense"])
        #expect(category.status == 422)
        #expect(category.header("Content-Type") == "application/problem+json")
        #expect(
            Self.errors(category) == [
                ["field": "category", "message": "Choose what kind of problem this is."]
            ])
        #expect(
            try alice.send(
                json: "POST", "/api/v1/reports", ["kind": "status", "id": 999, "category": "spam"]
            )
            .status == 404)
        _ = try alice.send(
            json: "POST", "/api/v1/reports", ["kind": "status", "id": status.id, "category": "spam"])
        #expect(
            try alice.send(
                json: "POST", "/api/v1/reports", ["kind": "status", "id": status.id, "category": "spam"]
            )
            .status == 409)

        let names = "dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate, unban"
        for action in ["fly", "hold"] {
            let refused = try moderator.send(
                json: "POST", "/api/v1/moderation/cases/1/actions", ["action": action])
            #expect(refused.status == 422)
            #expect(Self.errors(refused) == [["field": "action", "message": "action is one of \(names)."]])
        }
        #expect(
            Self.errors(try moderator.get("/api/v1/moderation/queue?category=x")) == [
                ["field": "category", "message": "Unknown category \"x\"."]
            ])
        #expect(
            Self.errors(try moderator.get("/api/v1/moderation/audit?since=yesterday")) == [
                ["field": "since", "message": "Give a date like 2026-03-01."]
            ])
        #expect(try moderator.get("/api/v1/moderation/cases/99").status == 404)
        #expect(try moderator.get("/api/v1/moderation/reports/99").status == 404)
        #expect(try alice.get("/api/v1/moderation/cases/1").status == 403)
        #expect(try f.network.client().get("/api/v1/reports").status == 401)
        // Typed input: values that were once read as "absent" are now named in a 422.
        #expect(
            Self.errors(try alice.get("/api/v1/reports?before=abc")) == [
                ["field": "before", "message": "Must be a report id."]
            ])
        #expect(
            Self.errors(try moderator.get("/api/v1/moderation/audit?member=bob")) == [
                ["field": "member", "message": "Must be a member id."]
            ])
        #expect(
            Self.errors(
                try moderator.send(json: "POST", "/api/v1/moderation/cases/1/assign", ["to": "everyone"])
            ) == [["field": "to", "message": "Must be \"me\" or \"nobody\"."]])
        #expect(
            Self.errors(try moderator.send(json: "POST", "/api/v1/moderation/cases/1/notes", [:])) == [
                ["field": "body", "message": "Enter note."]
            ])
        #expect(
            Self.errors(try moderator.send(json: "POST", "/api/v1/moderation/cases/1/notes", ["body": " "]))
                == [
                    ["field": "body", "message": "Enter note."]
                ])
    }
}
