import Foundation
import Kernel
import PLNTestSupport
import Testing

@testable import Membership

/// A member's home is theirs: a greeting, a status composer that comes back home (and keeps
/// what was typed when it is refused), and what an unfinished profile still needs.
@Suite struct MemberHomeTests {
    @Test func theHomeGreetsTheMemberOffersTheComposerAndSaysWhatTheProfileNeeds() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Hana Okafor")
        let client = network.client()
        #expect(try client.signIn("hana-okafor").status == 303)
        let home = try client.get("/").main
        #expect(home.contains("Welcome back, Hana"))
        #expect(!home.contains("Welcome to"))
        #expect(home.contains("action=\"/statuses\""))
        #expect(home.contains("name=\"return\" value=\"home\""))
        #expect(home.contains("Complete your profile"))
        #expect(home.contains("Yours still needs a photo and a few words about you."))

        let visitor = try network.client().get("/").main
        #expect(visitor.contains("Welcome to"))
        #expect(!visitor.contains("action=\"/statuses\""))
    }

    @Test func aStatusPostedFromHomeComesBackHomeAndARefusedOneKeepsItsText() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Hana Okafor")
        let client = network.client()
        #expect(try client.signIn("hana-okafor").status == 303)
        let posted = try client.submit(
            "/statuses", from: "/", ["body": "Trying retrieval starters", "return": "home"])
        #expect(posted.status == 303)
        #expect(posted.location == "/")
        #expect(try client.get("/activity").text.contains("Trying retrieval starters"))

        let long = String(repeating: "Phonics matters. ", count: 40)
        let refused = try client.submit("/statuses", from: "/", ["body": long, "return": "home"])
        #expect(refused.status == 422)
        #expect(refused.text.contains("Phonics matters. Phonics matters."))
        #expect(refused.text.contains("name=\"return\" value=\"home\""))
        #expect(refused.text.contains("error-summary"))
    }

    @Test func aWholeProfileNeedsNothingMore() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Hana Okafor")
        let home = MemberHome(membership: network.membership)
        #expect(home.completeness(member, answers: [:]).description.contains("a photo"))
        var whole = member
        whole.hasAvatar = true
        whole.bio = "Year 2 teacher and phonics lead."
        var answers: [String: String] = [:]
        for question in network.membership.questions {
            answers[question.id] = question.options.first ?? "Hilltop"
        }
        #expect(home.completeness(whole, answers: answers).description.isEmpty)
    }
}
