import CPD
import Foundation
import Groups
import Kernel
import Membership
import Moderation
import PLNTestSupport
import Testing

/// A module disabled in config contributes nothing at run time, and its data stays.
@Suite(.serialized) struct FeaturesPerDeploymentTests {
    @Test func disablingAModuleRemovesItsRoutesLinksCommandsAndActivityButKeepsItsRows() throws {
        let folder = TestNetwork.temporaryFolder()
        // 1. Membership enabled: join a member and post a status.
        do {
            let network = try TestNetwork(modules: [MembershipModule.self], folder: folder)
            defer { network.stop() }
            let client = network.client()
            #expect(try client.join(name: "Erin Example", email: "erin@example.org").status == 303)
            let profile = try client.get("/members/erin-example")
            #expect(profile.status == 200)
            #expect(
                try client.post(
                    "/statuses", form: ["_csrf": profile.csrf ?? "", "body": "Phonics workshop notes"]
                ).status == 303)
            #expect(try client.get("/").text.contains("href=\"/members\""))
            #expect(try network.get("/activity").contains("posted a status"))
            #expect(network.admin(["members", "list"]).code == 0)
        }
        // 2. Membership disabled: no routes, no links, no commands, no activity — rows intact.
        do {
            let network = try TestNetwork(modules: [MembershipModule.self], enabled: [], folder: folder)
            defer { network.stop() }
            let client = network.client()
            #expect(try client.get("/members/erin-example").status == 404)
            #expect(try client.get("/join").status == 404)
            #expect(
                try client.send(
                    json: "POST", "/api/v1/sessions",
                    ["login": "erin-example", "password": "a long enough password"]
                ).status == 404)
            let home = try client.get("/")
            #expect(home.status == 200)
            #expect(!home.text.contains("href=\"/members\""))
            #expect(!home.text.contains("href=\"/join\""))
            #expect(!(try network.get("/activity").contains("posted a status")))
            #expect(network.admin(["members", "list"]).code == 2)
            #expect(network.services.service(MembershipService.self) == nil)
            let rows = try network.services.database.read { db in
                (
                    try db.scalar("SELECT count(*) FROM membership_members", as: Int.self),
                    try db.scalar("SELECT count(*) FROM membership_statuses", as: Int.self),
                    try db.scalar("SELECT count(*) FROM activities WHERE module = 'membership'", as: Int.self)
                )
            }
            #expect(rows.0 == 1 && rows.1 == 1 && rows.2 == 2)
        }
        // 3. Enabled again: everything is back.
        do {
            let network = try TestNetwork(modules: [MembershipModule.self], folder: folder)
            defer { network.stop() }
            let client = network.client()
            let visitor = try client.get("/members/erin-example")  // profiles are for members by default
            #expect(visitor.status == 303)
            #expect(visitor.location?.hasPrefix("/sign-in") == true)
            #expect(try client.signIn("erin@example.org").status == 303)
            #expect(try client.get("/members/erin-example").text.contains("Phonics workshop notes"))
            #expect(try network.get("/activity").contains("posted a status"))
        }
    }
}

extension TestNetwork {
    /// The text of a page fetched by a fresh visitor.
    func get(_ path: String) throws -> String { try client().get(path).text }
}

/// Group chairs moderate their own group, in the network's audit log, and nowhere else.
@Suite struct ChairModerationTests {
    @Test func chairsModerateOnlyTheirGroupAndTheAuditLogRecordsIt() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let membership = network.services.service(MembershipService.self)!
        let groups = network.services.service(GroupsService.self)!
        func join(_ name: String) throws -> SignedInMember { try signedUpMember(name, membership) }
        let chair = try join("Chair")
        let other = try join("Otherchair")
        let poster = try join("Poster")
        let mine = try groups.create(
            .init(name: "Phonics network", category: "Interest", visibility: .public), by: chair)
        let theirs = try groups.create(
            .init(name: "Maths network", category: "Interest", visibility: .public), by: other)
        for group in [mine, theirs] { _ = try groups.join(groupID: group.id, by: poster) }
        let discussion = try groups.startDiscussion(
            groupID: mine.id, by: poster, title: "Spam here", body: "Buy things")
        let reply = try groups.reply(to: discussion.id, by: poster, body: "more spam")
        let elsewhere = try groups.startDiscussion(
            groupID: theirs.id, by: poster, title: "Fine post", body: "Useful")
        // Outside their group a chair is an ordinary member: refused, and nothing is logged.
        #expect(throws: DomainError.self) { try groups.deleteDiscussion(id: elsewhere.id, by: chair) }
        #expect(throws: DomainError.self) {
            try groups.remove(groupID: theirs.id, memberID: poster.id, by: chair)
        }
        try groups.deleteReply(id: reply.id, by: chair)
        try groups.remove(groupID: mine.id, memberID: poster.id, by: chair, ban: true)
        let moderation = network.services.service(ModerationService.self)!
        let audit = try moderation.audit(limit: 10)
        #expect(audit.map(\.action.rawValue) == ["group_ban", "delete"])
        #expect(audit.allSatisfy { $0.actorName == "Chair" })
        #expect(audit.last?.targetTitle.contains("Spam here") == true)
        #expect(try groups.discussion(id: elsewhere.id) != nil)
    }
}

@Suite struct ConsoleMemberActionsTests {
    @Test func consoleSuspendBanAndReinstateAreModerationActionsInTheAuditLog() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let membership = network.services.service(MembershipService.self)!
        let member = try membership.join(
            .init(
                name: "Bea Banned", email: "bea@example.org", password: "a long enough password",
                acceptsTerms: true), bypassSignupMode: true)
        #expect(network.admin(["members", "ban", "bea-banned", "--reason", "repeated harassment"]).code == 0)
        #expect(try membership.member(id: member.id)?.status == .suspended)
        let refused = network.admin(["members", "reinstate", "bea-banned"])
        #expect(refused.code == 1)  // a ban is lifted only by unban
        #expect(network.admin(["members", "unban", "bea-banned"]).code == 0)
        #expect(try membership.member(id: member.id)?.status == .active)
        let audit = try network.services.service(ModerationService.self)!.audit(limit: 10)
        #expect(audit.map(\.action.rawValue) == ["unban", "ban"])
        #expect(audit.allSatisfy { $0.actorName == "console" })
        #expect(audit.last?.reason == "repeated harassment")
    }
}

@Suite struct LeaderReportTests {
    @Test func groupChairsSeeCPDReportsForTheirGroupsMembersOnly() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let membership = network.services.service(MembershipService.self)!
        let groups = network.services.service(GroupsService.self)!
        let cpd = network.services.service(CPDService.self)!
        func join(_ name: String) throws -> SignedInMember { try signedUpMember(name, membership) }
        let chair = try join("Chair")
        let colleague = try join("Colleague")
        let outsider = try join("Outsider")
        let cluster = try groups.create(
            .init(name: "North cluster", category: "Cluster", visibility: .private), by: chair)
        _ = try groups.join(groupID: cluster.id, by: colleague)
        try groups.approve(groupID: cluster.id, memberID: colleague.id, by: chair)
        let today = FormatterCache.formatter(pattern: "yyyy-MM-dd", zone: TimeZone(identifier: "UTC")!)
            .string(from: network.clock.now)
        for member in [chair, colleague, outsider] {
            _ = try cpd.addEntry(memberID: member.id, .init(title: "Reading", date: today, hours: "2"))
        }
        func report(_ login: String) throws -> (Int, Int) {
            let client = network.client()
            let session = try client.send(
                json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
            client.bearer = (session.json as? [String: Any])?["token"] as? String
            let response = try client.get("/api/v1/cpd/reports?from=2000-01-01&to=2100-01-01")
            let schools = ((response.json as? [String: Any])?["schools"] as? [[String: Any]]) ?? []
            return (response.status, schools.reduce(0) { $0 + (($1["entries"] as? Int) ?? 0) })
        }
        #expect(try report("chair") == (200, 2))  // the chair and the colleague, not the outsider
        #expect(try report("outsider").0 == 403)
        _ = try membership.setRole(memberID: outsider.id, to: .admin)
        #expect(try report("outsider") == (200, 3))
    }
}

/// A member who joined (bypassing the signup mode), as a signed-in member.
private func signedUpMember(_ name: String, _ membership: MembershipService) throws -> SignedInMember {
    let member = try membership.join(
        .init(
            name: name, email: "\(name.lowercased())@example.org", password: "a long enough password",
            acceptsTerms: true), bypassSignupMode: true)
    return SignedInMember(id: member.id, handle: member.handle, name: member.name, role: .member)
}
