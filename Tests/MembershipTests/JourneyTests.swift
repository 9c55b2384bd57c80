import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

/// The end-to-end journey of the issue: two members join, become friends, one posts a status,
/// and it is in Latest Activity.
@Suite struct MembershipJourneyTests {
    @Test func twoMembersJoinBefriendAndAStatusAppearsInLatestActivity() throws {
        let network = try network()
        defer { network.stop() }
        let karen = network.client()
        let jessica = network.client()
        #expect(
            try karen.join(name: "Karen D Honeycutt", email: "karen@hilltop.sch.uk").location
                == "/members/karen-d-honeycutt")
        #expect(try jessica.join(name: "Jessica J Lenhart", email: "jessica@riverside.sch.uk").status == 303)
        #expect(
            try jessica.submit("/members/karen-d-honeycutt/friend", from: "/members/karen-d-honeycutt").status
                == 303)
        let requests = try karen.get("/friends")
        #expect(requests.text.contains("Jessica J Lenhart"))
        #expect(
            try karen.post("/members/jessica-j-lenhart/friend", form: ["_csrf": requests.csrf ?? ""]).status
                == 303)
        #expect(try karen.get("/friends").text.contains("Your friends (1)"))
        #expect(
            try karen.submit(
                "/statuses", from: "/members/karen-d-honeycutt",
                ["body": "Reading recovery training at Hilltop on Friday https://example.org/rr"]
            ).status == 303)
        let activity = try jessica.get("/activity").text
        #expect(activity.contains("posted a status"))
        #expect(activity.contains("Reading recovery training at Hilltop on Friday"))
        #expect(activity.contains("is now friends with"))
        #expect(
            activity.contains(
                "Jessica J Lenhart</a> and <a href=\"/members/karen-d-honeycutt\">Karen D Honeycutt</a></span> joined"
            ))
        let friends = try jessica.get("/activity/friends").text
        #expect(friends.contains("Reading recovery training"))
        let home = try jessica.get("/").text
        #expect(home.contains("Latest Activity"))
        #expect(home.contains("posted a status"))
    }

    @Test("five members join in a row: one line names three and says how many more, the newest first")
    func manyJoinersFoldIntoOneLine() throws {
        let network = try TestNetwork(modules: [MembershipModule.self])
        defer { network.stop() }
        var last = network.client()
        for (index, name) in ["Ann Able", "Ben Baker", "Cal Cole", "Dee Dunn", "Eve Eton"].enumerated() {
            last = network.client()
            #expect(try last.join(name: name, email: "m\(index)@school.example").status == 303)
        }
        let activity = try last.get("/activity").text
        #expect(
            activity.contains(
                "<span class=\"who\"><a href=\"/members/eve-eton\">Eve Eton</a>, <a href=\"/members/dee-dunn\">Dee Dunn</a>, <a href=\"/members/cal-cole\">Cal Cole</a> and 2 more</span> joined"
            ))
        #expect(activity.components(separatedBy: " joined").count == 2)
    }
}
