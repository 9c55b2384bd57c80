import Foundation
import Groups
import Kernel
import Membership
import PLNTestSupport
import Testing

/// End-to-end over real HTTP: pages, forms with CSRF, the JSON API, the activity stream.
@Suite("Groups over HTTP")
struct GroupsHTTPTests {
    static func signedIn(_ network: TestNetwork, _ name: String) throws -> TestClient {
        let client = network.client()
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@school.example"
        let response = try client.join(name: name, email: email)
        #expect(response.status == 303, "joining as \(name): \(response)")
        return client
    }

    static func apiToken(_ network: TestNetwork, _ login: String) throws -> TestClient {
        let client = network.client()
        let response = try client.send(
            json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
        let token = (response.json as? [String: Any])?["token"] as? String
        guard let token else { throw GroupsFixture.FixtureError(description: "no token: \(response)") }
        client.bearer = token
        return client
    }

    @Test("private group journey: create, request, approve, discuss, reply — outsiders see none of it")
    func privateGroupJourney() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        let helen = try Self.signedIn(network, "Helen Head")
        let sam = try Self.signedIn(network, "Sam Teacher")
        let rita = try Self.signedIn(network, "Rita Reader")
        let otto = try Self.signedIn(network, "Otto Outsider")
        let anonymous = network.client()

        // Helen creates a private group through the form.
        let created = try helen.submit(
            "/groups/new", from: "/groups/new",
            [
                "name": "Heads strategy", "category": "Strategic group", "visibility": "private",
                "description": "Where the **heads** plan.",
            ])
        #expect(created.status == 303)
        #expect(created.location == "/groups/heads-strategy")

        // Sam asks to join; he is not in yet.
        let asked = try sam.submit("/groups/heads-strategy/join", from: "/groups/heads-strategy", ["message": "Year 6 lead"])
        #expect(asked.status == 303)
        #expect(try sam.get("/groups/heads-strategy").text.contains("waiting for the chairs"))
        #expect(try sam.get("/groups/heads-strategy/discussions").status == 403)

        // Sam, an ordinary member of the network, cannot approve himself.
        let selfApproval = try sam.submit("/groups/heads-strategy/members/sam-teacher/approve", from: "/groups/heads-strategy")
        #expect(selfApproval.status == 404 || selfApproval.status == 403)

        // Helen sees the request and approves it; she invites Rita, who accepts.
        let members = try helen.get("/groups/heads-strategy/members")
        #expect(members.text.contains("Requests to join") && members.text.contains("Year 6 lead"))
        let approved = try helen.submit("/groups/heads-strategy/members/sam-teacher/approve", from: "/groups/heads-strategy/members")
        #expect(approved.status == 303)
        let invited = try helen.submit(
            "/groups/heads-strategy/invite", from: "/groups/heads-strategy/members", ["handle": "rita-reader"])
        #expect(invited.status == 303, "\(invited)")
        let badInvite = try helen.submit(
            "/groups/heads-strategy/invite", from: "/groups/heads-strategy/members", ["handle": "nobody-here"])
        #expect(badInvite.status == 422)
        #expect(badInvite.text.contains("There is no member with that handle.") && badInvite.text.contains("nobody-here"))
        #expect(try rita.submit("/groups/heads-strategy/join", from: "/groups/heads-strategy").status == 303)

        // Sam starts a discussion; a blank one is refused with the typed title kept.
        let blank = try sam.submit(
            "/groups/heads-strategy/discussions/new", from: "/groups/heads-strategy/discussions/new",
            ["title": "Budget cuts", "body": "  "])
        #expect(blank.status == 422)
        #expect(blank.text.contains("value=\"Budget cuts\"") && blank.text.contains("Enter opening post."))
        let started = try sam.submit(
            "/groups/heads-strategy/discussions/new", from: "/groups/heads-strategy/discussions/new",
            ["title": "Budget cuts 2027", "body": "How do we *share* the cost?"])
        #expect(started.status == 303)
        let discussionPath = try #require(started.location)
        #expect(discussionPath.hasPrefix("/groups/heads-strategy/discussions/"))

        // Rita replies; Sam (who started it) is told by email, Rita is not.
        let before = try network.services.outbox.list(limit: 500).count
        let replied = try rita.submit(discussionPath + "/replies", from: discussionPath, ["body": "Pool the *supply* budget."])
        #expect(replied.status == 303)
        let mail = try network.services.outbox.list(limit: 500).dropLast(before)
        #expect(mail.map(\.to) == ["sam.teacher@school.example"])
        #expect(mail.first?.subject == "Rita Reader replied to “Budget cuts 2027” in Heads strategy")
        let page = try sam.get(discussionPath)
        #expect(page.status == 200)
        #expect(page.text.contains("<em>share</em>") && page.text.contains("<em>supply</em>"))

        // The group page shows its own activity to members.
        let groupPage = try helen.get("/groups/heads-strategy").text
        #expect(groupPage.contains("started a discussion") && groupPage.contains("replied to"))
        #expect(groupPage.contains("Sam Teacher") && groupPage.contains("Budget cuts 2027"))

        // Members see it all in the stream; outsiders and visitors see none of it.
        for client in [sam, rita, helen] {
            #expect(try client.get("/activity").text.contains("Budget cuts 2027"))
            #expect(try client.get("/api/v1/activity?limit=100").text.contains("Budget cuts 2027"))
        }
        for client in [otto, anonymous] {
            let activity = try client.get("/activity").text
            #expect(!activity.contains("Budget cuts 2027") && !activity.contains("Heads strategy"))
            let api = try client.get("/api/v1/activity?limit=100").text
            #expect(!api.contains("Budget cuts 2027") && !api.contains("Heads strategy"))
            #expect(!(try client.get(discussionPath).text.contains("How do we")))
            #expect(!(try client.get("/api/v1/groups/heads-strategy/discussions").text.contains("Budget cuts 2027")))
        }
        #expect(try otto.get(discussionPath).status == 403)
        #expect(try anonymous.get(discussionPath).status == 303)
        #expect(try otto.get("/api/v1/groups/heads-strategy/discussions").status == 403)
        #expect(try anonymous.get("/api/v1/groups/heads-strategy/discussions").status == 401)
        #expect(!(try otto.get("/members/sam-teacher").text.contains("Budget cuts 2027")))
        #expect(try helen.get("/members/sam-teacher").text.contains("Budget cuts 2027"))
        // Exports hold only what is the member's own.
        #expect(try sam.get("/account/export").text.contains("Budget cuts 2027"))
        #expect(!(try otto.get("/account/export").text.contains("Budget cuts 2027")))
        #expect(!(try rita.get("/account/export").text.contains("How do we")))
        // The group itself is listed: its about page is public, its content is not.
        let about = try otto.get("/groups/heads-strategy")
        #expect(about.status == 200 && about.text.contains("Ask to join") && !about.text.contains("Budget cuts"))

        // Removing Sam takes his access away at once.
        #expect(try helen.submit("/groups/heads-strategy/members/sam-teacher/remove", from: "/groups/heads-strategy/members").status == 303)
        #expect(try sam.get(discussionPath).status == 403)
        let samStream = try sam.get("/api/v1/activity?limit=100").text
        #expect(!samStream.contains("Pool the"))
    }

    @Test("visibility on every path: public, private, hidden × visitor, non-member, member, banned")
    func visibilityMatrix() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        _ = try Self.signedIn(network, "Olive Owner")
        let member = try Self.signedIn(network, "Mia Member")
        let banned = try Self.signedIn(network, "Ben Banned")
        let outsider = try Self.signedIn(network, "Nina Nonmember")
        let visitor = network.client()
        let ownerAPI = try Self.apiToken(network, "olive-owner")
        let memberAPI = try Self.apiToken(network, "mia-member")

        var discussionPaths: [GroupVisibility: String] = [:]
        for visibility in GroupVisibility.allCases {
            let slug = "g-\(visibility.rawValue)"
            let created = try ownerAPI.send(
                json: "POST", "/api/v1/groups",
                ["name": "G \(visibility.rawValue)", "slug": slug, "category": "Cluster", "visibility": visibility.rawValue])
            #expect(created.status == 201, "\(created)")
            for handle in ["mia-member", "ben-banned"] {
                let invite = try ownerAPI.send(json: "POST", "/api/v1/groups/\(slug)/invitations", ["handle": handle])
                #expect(invite.status == 201, "\(invite)")
            }
            let accepted = try memberAPI.send(json: "POST", "/api/v1/groups/\(slug)/invitations/mia-member", ["decision": "accept"])
            #expect(accepted.status == 200, "\(accepted)")
            let ben = try Self.apiToken(network, "ben-banned")
            #expect(try ben.send(json: "POST", "/api/v1/groups/\(slug)/members", nil).status == 201)
            let topic = try memberAPI.send(
                json: "POST", "/api/v1/groups/\(slug)/discussions", ["title": "Topic \(visibility.rawValue)", "body": "Secret body"])
            #expect(topic.status == 201, "\(topic)")
            let id = try #require((topic.json as? [String: Any])?["id"] as? Int)
            discussionPaths[visibility] = "/groups/\(slug)/discussions/\(id)"
            let ban = try ownerAPI.send("DELETE", "/api/v1/groups/\(slug)/members/ben-banned?ban=true", headers: [], body: [])
            #expect(ban.status == 204, "\(ban)")
        }

        struct Expectation {
            var page: Int
            var discussion: Int
            var apiGroup: Int
            var apiDiscussions: Int
            var seesActivity: Bool
            var listed: Bool
        }
        func expected(_ visibility: GroupVisibility, _ who: String) -> Expectation {
            switch (visibility, who) {
            case (.public, _): return Expectation(page: 200, discussion: 200, apiGroup: 200, apiDiscussions: 200, seesActivity: true, listed: true)
            case (_, "member"): return Expectation(page: 200, discussion: 200, apiGroup: 200, apiDiscussions: 200, seesActivity: true, listed: true)
            case (.private, "visitor"):
                return Expectation(page: 200, discussion: 303, apiGroup: 200, apiDiscussions: 401, seesActivity: false, listed: true)
            case (.private, _): return Expectation(page: 200, discussion: 403, apiGroup: 200, apiDiscussions: 403, seesActivity: false, listed: true)
            default: return Expectation(page: 404, discussion: 404, apiGroup: 404, apiDiscussions: 404, seesActivity: false, listed: false)
            }
        }
        let viewers: [(String, TestClient)] = [("visitor", visitor), ("outsider", outsider), ("member", member), ("banned", banned)]
        for (who, client) in viewers {
            let activityPage = try client.get("/activity").text
            let activityAPI = try client.get("/api/v1/activity?limit=100").text
            let directory = try client.get("/groups").text
            let directoryAPI = try client.get("/api/v1/groups?q=G").text
            for visibility in GroupVisibility.allCases {
                let slug = "g-\(visibility.rawValue)"
                let want = expected(visibility, who)
                let label = "\(who) × \(visibility.rawValue)"
                #expect(try client.get("/groups/\(slug)").status == want.page, "page \(label)")
                #expect(try client.get(discussionPaths[visibility] ?? "").status == want.discussion, "discussion \(label)")
                #expect(try client.get("/api/v1/groups/\(slug)").status == want.apiGroup, "api group \(label)")
                #expect(try client.get("/api/v1/groups/\(slug)/discussions").status == want.apiDiscussions, "api discussions \(label)")
                #expect(try client.get("/groups/\(slug)/members").status == want.discussion, "members \(label)")
                #expect(activityPage.contains("Topic \(visibility.rawValue)") == want.seesActivity, "activity page \(label)")
                #expect(activityAPI.contains("Topic \(visibility.rawValue)") == want.seesActivity, "activity api \(label)")
                // The card, not the sidebar: a banned member still sees their own past "joined" line.
                #expect(
                    directory.contains("<div class=\"media-body\"><h2><a href=\"/groups/\(slug)\">") == want.listed,
                    "directory \(label)")
                #expect(directoryAPI.contains("\"g-\(visibility.rawValue)\"") == want.listed, "directory api \(label)")
                // The member's profile stream follows the same rule.
                let profile = try client.get("/members/mia-member").text
                if who != "visitor" {
                    #expect(profile.contains("Topic \(visibility.rawValue)") == want.seesActivity, "profile \(label)")
                }
            }
        }
        // A banned member cannot ask again; the group page tells them why.
        let benAPI = try Self.apiToken(network, "ben-banned")
        #expect(try benAPI.send(json: "POST", "/api/v1/groups/g-private/requests", ["message": "again"]).status == 403)
        #expect(try banned.get("/groups/g-private").text.contains("The chairs have removed you"))
    }

    @Test("JSON API: requests, approval by chairs only, locked discussions, replies and follows")
    func api() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        for name in ["Cara Chair", "Dan Doer", "Eve Extra"] { _ = try Self.signedIn(network, name) }
        let cara = try Self.apiToken(network, "cara-chair")
        let dan = try Self.apiToken(network, "dan-doer")
        let eve = try Self.apiToken(network, "eve-extra")
        let bad = try cara.send(json: "POST", "/api/v1/groups", ["name": "", "category": "Nope", "visibility": "secret"])
        #expect(bad.status == 422)
        #expect(bad.header("Content-Type") == "application/problem+json")
        #expect(try cara.send(json: "POST", "/api/v1/groups", ["name": "Business managers", "category": "Business managers", "visibility": "private"]).status == 201)
        #expect(try dan.send(json: "POST", "/api/v1/groups/business-managers/requests", ["message": "I manage"]).status == 202)
        #expect(try eve.send(json: "POST", "/api/v1/groups/business-managers/requests", [:]).status == 202)
        // Dan is not a chair: he cannot see or decide requests.
        #expect(try dan.get("/api/v1/groups/business-managers/requests").status == 403)
        #expect(try dan.send(json: "POST", "/api/v1/groups/business-managers/requests/eve-extra", ["decision": "approve"]).status == 403)
        let requests = try cara.get("/api/v1/groups/business-managers/requests")
        #expect(requests.text.contains("I manage"))
        #expect(try cara.send(json: "POST", "/api/v1/groups/business-managers/requests/dan-doer", ["decision": "approve"]).status == 200)
        #expect(try cara.send(json: "POST", "/api/v1/groups/business-managers/requests/eve-extra", ["decision": "refuse"]).status == 200)
        let group = try dan.get("/api/v1/groups/business-managers")
        let membership = (group.json as? [String: Any])?["membership"] as? [String: Any]
        #expect(membership?["state"] as? String == "active" && membership?["role"] as? String == "member")

        let topic = try dan.send(json: "POST", "/api/v1/groups/business-managers/discussions", ["title": "Payroll", "body": "Which provider?"])
        let id = try #require((topic.json as? [String: Any])?["id"] as? Int)
        let base = "/api/v1/groups/business-managers/discussions/\(id)"
        #expect(try dan.send(json: "PATCH", base, ["locked": true]).status == 403)
        #expect(try cara.send(json: "PATCH", base, ["locked": true, "pinned": true]).status == 200)
        let locked = try cara.send(json: "POST", base + "/replies", ["body": "Too late"])
        #expect(locked.status == 409)
        #expect(try cara.send(json: "PATCH", base, ["locked": false]).status == 200)
        #expect(try cara.send(json: "POST", base + "/replies", ["body": ""]).status == 422)
        #expect(try cara.send(json: "POST", base + "/replies", ["body": "Use the council's"]).status == 201)
        let doomed = try dan.send(json: "POST", base + "/replies", ["body": "Oops, wrong thread"])
        let doomedID = try #require((doomed.json as? [String: Any])?["id"] as? Int)
        #expect(try eve.send("DELETE", base + "/replies/\(doomedID)", headers: [], body: []).status == 403)
        #expect(try dan.send("DELETE", base + "/replies/\(doomedID)", headers: [], body: []).status == 204)
        let replies = try eve.get(base + "/replies")
        #expect(replies.status == 403)
        let list = try dan.get(base + "/replies")
        #expect((list.json as? [String: Any]).flatMap { $0["items"] as? [[String: Any]] }?.first?["body"] as? String == "Use the council's")
        #expect(try dan.send(json: "PATCH", base, ["following": false]).status == 200)
        #expect(((try dan.get(base)).json as? [String: Any])?["following"] as? Bool == false)
        // The OpenAPI document describes every groups path.
        let openAPI = try dan.get("/api/v1/openapi.json").text
        for path in [
            "/api/v1/groups\"", "/api/v1/groups/{slug}\"", "/api/v1/groups/{slug}/members\"", "/api/v1/groups/{slug}/requests\"",
            "/api/v1/groups/{slug}/invitations\"", "/api/v1/groups/{slug}/discussions\"",
            "/api/v1/groups/{slug}/discussions/{id}/replies\"",
        ] {
            #expect(openAPI.contains(path), "OpenAPI lacks \(path)")
        }
    }

    @Test("pages refuse bad group forms with errors beside the fields and keep what was typed")
    func formErrors() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        let client = try Self.signedIn(network, "Fay Former")
        let response = try client.submit(
            "/groups/new", from: "/groups/new", ["name": "Kept name", "category": "Not a category", "visibility": "private"])
        #expect(response.status == 422)
        #expect(response.text.contains("value=\"Kept name\""))
        #expect(response.text.contains("id=\"error-category\""))
        let image = try client.post(
            "/groups/new",
            multipart: ["_csrf": try client.get("/groups/new").csrf ?? "", "name": "Pictured", "category": "Cluster", "visibility": "public"],
            files: [("image", "x.txt", "text/plain", Array("plain text".utf8))])
        #expect(image.status == 422)
        #expect(image.text.contains("Use a PNG, JPEG, GIF or WebP image."))

        // A note to the chairs that is too long comes back beside the field, kept.
        let created = try client.submit(
            "/groups/new", from: "/groups/new", ["name": "Closed", "category": "Cluster", "visibility": "private"])
        #expect(created.status == 303)
        let asker = try Self.signedIn(network, "Gus Asker")
        let note = "Please " + String(repeating: "let me in ", count: 60)
        let asked = try asker.submit("/groups/closed/join", from: "/groups/closed", ["message": note])
        #expect(asked.status == 422)
        #expect(asked.text.contains("id=\"error-message\"") && asked.text.contains("let me in let me in"))
        #expect(try asker.get("/groups/closed").text.contains("Ask to join"))
    }
}
