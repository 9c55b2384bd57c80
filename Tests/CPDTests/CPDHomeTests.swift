import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import CPD

/// CPD on a member's home and in "My bookings": the next bookings, sessions in my expertise
/// areas, past and coming sessions apart, "Add to calendar" as one .ics only for those who may
/// see the session, and the sign-in prompt that says what signing in leads to.
@Suite("CPD on the home page and in My bookings", .serialized)
struct CPDHomeTests {
    static func offer(
        _ cpd: CPDService, by organiser: Member, title: String, daysAhead: Int, clock: FixedClock,
        areas: [String] = ["Phonics"], capacity: Int = 10, audienceGroup: Int64? = nil
    ) throws -> CPDSession {
        try cpd.offer(
            SessionInput(
                title: title, description: "About \(title).", areas: areas,
                starts: EndToEndTests.localStart(clock, daysAhead: daysAhead), timeZone: "",
                durationMinutes: "60",
                venue: "Hilltop Primary", capacity: String(capacity),
                audienceGroup: audienceGroup.map(String.init) ?? ""),
            by: organiser.signedIn)
    }

    @Test func theHomeShowsMyNextBookingsThenSessionsInMyAreas() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let cpd = try #require(network.services.service(CPDService.self))
        let organiser = try network.services.member("Olive Organiser")
        let me = try network.services.member("Mia Member")
        let booked = try Self.offer(
            cpd, by: organiser, title: "Booked phonics session", daysAhead: 3, clock: network.clock)
        _ = try Self.offer(
            cpd, by: organiser, title: "SEND surgery", daysAhead: 4, clock: network.clock, areas: ["SEND"])
        _ = try Self.offer(
            cpd, by: organiser, title: "Maths mastery lab", daysAhead: 5, clock: network.clock,
            areas: ["Maths mastery"])
        _ = try cpd.book(sessionID: booked.id, memberID: me.id)
        try cpd.setExpertise(memberID: me.id, ["SEND": "SENCO"])

        let client = network.client()
        #expect(try client.signIn(me.handle).status == 303)
        let home = try client.get("/").main
        #expect(home.contains("Your next CPD"))
        #expect(home.contains("Booked phonics session"))
        #expect(home.contains("In your expertise areas"))
        #expect(home.contains("SEND surgery"))
        #expect(!home.contains("Maths mastery lab"))
        let visitorHome = try network.client().get("/").main
        #expect(visitorHome.contains("Upcoming CPD"))
        #expect(visitorHome.contains("Welcome to"))
        #expect(!visitorHome.contains("Your next CPD"))
    }

    @Test func myBookingsKeepsPastAndComingApartAndOffersTheCalendarFile() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let cpd = try #require(network.services.service(CPDService.self))
        let organiser = try network.services.member("Olive Organiser")
        let me = try network.services.member("Mia Member")
        let past = try Self.offer(
            cpd, by: organiser, title: "Last term's course", daysAhead: 2, clock: network.clock)
        let coming = try Self.offer(
            cpd, by: organiser, title: "Next week's course", daysAhead: 9, clock: network.clock)
        _ = try cpd.book(sessionID: past.id, memberID: me.id)
        _ = try cpd.book(sessionID: coming.id, memberID: me.id)
        network.clock.set(past.endsAt.addingTimeInterval(3600))

        let client = network.client()
        #expect(try client.signIn(me.handle).status == 303)
        let page = try client.get("/cpd/bookings").text
        let comingPart = try #require(page.range(of: "<h2>Coming up</h2>").map { page[$0.upperBound...] })
        let pastIndex = try #require(comingPart.range(of: "<h2>Past</h2>"))
        let upcomingRows = String(comingPart[..<pastIndex.lowerBound])
        let pastRows = String(comingPart[pastIndex.upperBound...])
        #expect(
            upcomingRows.contains("Next week&#39;s course") || upcomingRows.contains("Next week’s course")
                || upcomingRows.contains("Next week's course"))
        #expect(upcomingRows.contains("Booked"))
        #expect(upcomingRows.contains("href=\"/cpd/sessions/\(coming.id)/calendar.ics\">Add to calendar"))
        #expect(pastRows.contains("course"))
        #expect(pastRows.contains("Register not marked yet"))
        #expect(!pastRows.contains("Add to calendar"))

        let file = try client.get("/cpd/sessions/\(coming.id)/calendar.ics")
        #expect(file.status == 200)
        #expect(file.header("Content-Type")?.hasPrefix("text/calendar") == true)
        #expect(file.text.contains("BEGIN:VEVENT"))
        #expect(file.text.contains("SUMMARY:Next week's course"))
    }

    @Test func aSessionForAGroupIsNoCalendarFileForOutsiders() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let cpd = try #require(network.services.service(CPDService.self))
        let organiser = try network.services.member("Olive Organiser", role: .admin)
        let open = try Self.offer(
            cpd, by: organiser, title: "Open to all", daysAhead: 3, clock: network.clock)
        let restricted = try cpd.services.database.write { db -> Int64 in
            try db.execute("UPDATE cpd_sessions SET audience_group_id = 999 WHERE id = ?", [open.id])
            return open.id
        }
        let outsider = try network.services.member("Otto Outsider")
        let client = network.client()
        #expect(try client.signIn(outsider.handle).status == 303)
        let answer = try client.get("/cpd/sessions/\(restricted)/calendar.ics")
        #expect(answer.status == 404)
        #expect(!answer.text.contains("BEGIN:VCALENDAR"))
        #expect(try network.client().get("/cpd/sessions/\(restricted)/calendar.ics").status == 404)
    }

    @Test func aVisitorIsAskedToSignInToJoinTheWaitingListOfAFullSession() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let cpd = try #require(network.services.service(CPDService.self))
        let organiser = try network.services.member("Olive Organiser")
        let full = try Self.offer(
            cpd, by: organiser, title: "Tiny workshop", daysAhead: 6, clock: network.clock, capacity: 1)
        let roomy = try Self.offer(
            cpd, by: organiser, title: "Big workshop", daysAhead: 6, clock: network.clock)
        _ = try cpd.book(sessionID: full.id, memberID: try network.services.member("First Booker").id)
        #expect(try network.client().get(full.path).text.contains("Sign in</a> to join the waiting list."))
        #expect(try network.client().get(roomy.path).text.contains("Sign in</a> to book a place."))
    }
}
