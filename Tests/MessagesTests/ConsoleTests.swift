import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Messages

/// `pln admin messages`: counts only.
@Suite struct ConsoleTests {
    @Test func statsCountsWithoutContents() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, MessagesModule.self])
        defer { network.stop() }
        let messages = try #require(network.services.service(MessagesService.self))
        let ada = try network.services.member("Ada Lovelace").signedIn
        let ben = try network.services.member("Ben Ames").signedIn
        _ = try messages.start(
            .init(to: [ben.handle], subject: "Secret subject", body: "Secret body"), by: ada)
        let (code, out, _) = network.admin(["messages", "stats", "--json"])
        #expect(code == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Int])
        #expect(json["conversations"] == 1)
        #expect(json["messages"] == 1)
        #expect(json["participants"] == 2)
        let table = network.admin(["messages", "stats"]).out
        for secret in ["Secret", "Ada", "Ben", ada.handle] {
            #expect(!out.contains(secret) && !table.contains(secret))
        }
        // No other messages command exists.
        #expect(network.admin(["messages", "show", "1"]).code != 0)
    }
}
