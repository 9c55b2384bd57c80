import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

@Suite struct ConsoleCommandTests {
    @Test func theFirstAdministratorIsCreatedFromTheConsole() throws {
        let network = try network()
        defer { network.stop() }
        let created = network.admin([
            "members", "create", "--admin", "--name", "Head Teacher", "--email", "head@example.org",
            "--password", "a long enough password", "--json",
        ])
        #expect(created.code == 0, "\(created.err)")
        #expect(created.out.contains("\"role\": \"creator\""))
        let second = network.admin([
            "members", "create", "--admin", "--name", "Deputy", "--email", "deputy@example.org", "--password",
            "a long enough password",
        ])
        #expect(second.out.contains("admin"))
        #expect(
            network.admin([
                "members", "create", "--name", "Weak", "--email", "w@example.org", "--password",
                "password123",
            ]).code == 1)
        #expect(network.admin(["members", "suspend", "deputy"]).code == 0)
        #expect(network.admin(["members", "suspend", "nobody-here"]).code == 1)
        #expect(network.admin(["members", "reinstate", "deputy"]).code == 0)
        #expect(network.admin(["members", "promote", "deputy", "--role", "moderator"]).code == 0)
        #expect(network.admin(["members", "demote", "deputy"]).code == 0)
        #expect(network.admin(["members", "suspend", "head-teacher"]).code == 1)  // the creator
        let invite = network.admin(["invites", "create", "--uses", "3", "--json"])
        #expect(invite.code == 0)
        #expect(invite.out.contains("/join?invite="))
        #expect(network.admin(["invites", "list"]).out.contains("0/3"))
        #expect(network.admin(["members", "delete", "deputy"], answers: ["no"]).code == 1)
        #expect(network.admin(["members", "delete", "deputy", "--yes"]).code == 0)
        #expect(network.admin(["members", "list", "--status", "bogus"]).code == 2)
    }
}
