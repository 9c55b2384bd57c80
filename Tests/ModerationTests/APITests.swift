import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// The moderation API end to end: members report, moderators review and act.
@Suite struct APITests {
    @Test func theAPIFilesReportsAndModeratorsActThroughIt() throws {
        let f = try ModerationFixture()
        let network = f.network
        _ = try f.member("Alice")
        let bob = try f.member("Bob")
        _ = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Spam spam spam")
        func token(_ login: String) throws -> String {
            let client = network.client()
            let response = try client.send(
                json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
            return try #require((response.json as? [String: Any])?["token"] as? String)
        }
        let alice = network.client()
        alice.bearer = try token("alice")
        let moderator = network.client()
        moderator.bearer = try token("mo")

        let bad = try alice.send(
            json: "POST", "/api/v1/reports", ["kind": "status", "id": status.id, "category": "nonsense"])
        #expect(bad.status == 422)
        let created = try alice.send(
            json: "POST", "/api/v1/reports", ["kind": "status", "id": status.id, "category": "spam"])
        #expect(created.status == 201)
        let caseID = try #require((created.json as? [String: Any])?["case_id"] as? Int)
        #expect(try alice.get("/api/v1/moderation/queue").status == 403)

        let queue = try moderator.get("/api/v1/moderation/queue?category=spam")
        let items = try #require((queue.json as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? Int } == [caseID])
        let detail = try moderator.get("/api/v1/moderation/cases/\(caseID)")
        #expect(((detail.json as? [String: Any])?["reports"] as? [Any])?.count == 1)
        #expect(
            try moderator.send(
                json: "POST", "/api/v1/moderation/cases/\(caseID)/notes", ["body": "Known spammer"]
            ).status == 201)
        #expect(
            try moderator.send(json: "POST", "/api/v1/moderation/cases/\(caseID)/actions", ["action": "fly"])
                .status == 422)
        let acted = try moderator.send(
            json: "POST", "/api/v1/moderation/cases/\(caseID)/actions",
            ["action": "delete", "reason": "Spam"])
        #expect(acted.status == 201)
        #expect(try f.membership.status(id: status.id) == nil)

        let mine = try alice.get("/api/v1/reports")
        let reports = try #require((mine.json as? [String: Any])?["items"] as? [[String: Any]])
        #expect(reports.first?["outcome"] as? String == "A moderator reviewed it and removed the content.")
        let audit = try moderator.get("/api/v1/moderation/audit")
        let entries = try #require((audit.json as? [String: Any])?["items"] as? [[String: Any]])
        #expect(entries.first?["target_title"] as? String == "Status by @bob")
        #expect(try moderator.get("/api/v1/moderation/audit?since=yesterday").status == 422)

        let suspend = try moderator.send(
            json: "POST", "/api/v1/moderation/members/\(bob.id)/actions",
            ["action": "suspend", "reason": "Spam account"])
        #expect(suspend.status == 201)
        #expect(try f.member(bob.id)?.status == .suspended)

        let openAPI = try network.client().get("/api/v1/openapi.json").text
        for path in [
            "/api/v1/reports", "/api/v1/moderation/queue", "/api/v1/moderation/cases/{id}/actions",
            "/api/v1/moderation/audit",
        ] {
            #expect(openAPI.contains("\"\(path)\""))
        }
    }
}
