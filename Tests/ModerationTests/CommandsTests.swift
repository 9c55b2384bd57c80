import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// The console commands: `pln admin moderation …`, `reports …` and `audit`.
@Suite struct CommandsTests {
    @Test func theConsoleListsActsAndShowsTheAuditLog() throws {
        let s = try ReportedStatus()
        let network = s.f.network
        let queue = network.admin(["moderation", "queue", "--json"])
        #expect(queue.code == 0)
        #expect(queue.out.contains("Status by @bob"))
        let show = network.admin(["moderation", "show", String(s.report.caseID)])
        #expect(show.code == 0)
        #expect(show.out.contains("harassment"))
        #expect(network.admin(["moderation", "act", String(s.report.caseID), "explode"]).code == 2)
        let acted = network.admin(["moderation", "act", String(s.report.caseID), "hide", "--reason", "Abuse"])
        #expect(acted.code == 0)
        #expect(try s.f.isHidden(status: s.status.id))
        #expect(network.admin(["moderation", "member", "bob", "ban", "--reason", "Threats"]).code == 0)
        #expect(network.admin(["moderation", "member", "bob", "reinstate"]).code == 1)
        let audit = network.admin(["moderation", "audit", "--json"])
        #expect(audit.code == 0)
        #expect(
            audit.out.contains("\"actor_name\" : \"console\"")
                || audit.out.contains("\"actor_name\": \"console\""))
        #expect(network.admin(["moderation", "audit", "--since", "nonsense"]).code == 2)
        // The nouns the issue names work the same way.
        #expect(network.admin(["reports", "list", "--status", "all"]).out.contains("Status by @bob"))
        #expect(network.admin(["audit", "--since", "2000-01-01"]).out.contains("ban"))
        #expect(network.admin(["reports", "show", String(s.report.caseID)]).out.contains("[banned]"))
        let refused = network.admin(["reports", "resolve", String(s.report.caseID), "unhide"])
        #expect(refused.code == 1)
        #expect(refused.err.contains("suspended"))
        #expect(try s.f.isHidden(status: s.status.id))
    }
}
