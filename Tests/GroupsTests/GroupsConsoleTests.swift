import Foundation
import Groups
import Kernel
import Membership
import PLNTestSupport
import Testing

/// The `pln admin groups` commands, run against a network with groups made over the API.
@Suite("Groups at the console")
struct GroupsConsoleTests {
    @Test("the admin console lists, shows, transfers and deletes groups")
    func console() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self])
        defer { network.stop() }
        _ = try GroupsHTTPTests.signedIn(network, "Gil Owner")
        _ = try GroupsHTTPTests.signedIn(network, "Hal Next")
        let gil = try GroupsHTTPTests.apiToken(network, "gil-owner")
        #expect(
            try gil.send(
                json: "POST", "/api/v1/groups",
                ["name": "Hidden heads", "category": "Cluster", "visibility": "hidden"]
            ).status == 201)
        let list = network.admin(["groups", "list"])
        #expect(list.code == 0 && list.out.contains("hidden-heads") && list.out.contains("gil-owner"))
        let show = network.admin(["groups", "show", "hidden-heads", "--json"])
        #expect(show.code == 0 && show.out.contains("\"owner\": \"gil-owner\""))
        #expect(network.admin(["groups", "show", "nope"]).code == 1)
        let transfer = network.admin(["groups", "transfer", "hidden-heads", "hal-next"])
        #expect(transfer.code == 0, "\(transfer)")
        #expect(
            network.admin(["groups", "show", "hidden-heads", "--json"]).out.contains(
                "\"owner\": \"hal-next\""))
        #expect(network.admin(["groups", "delete", "hidden-heads"], answers: ["n"]).code == 1)
        #expect(network.admin(["groups", "delete", "hidden-heads", "--yes"]).code == 0)
        #expect(!network.admin(["groups", "list"]).out.contains("hidden-heads"))
    }
}
