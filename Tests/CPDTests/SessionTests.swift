import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Offering, changing and cancelling sessions")
struct SessionTests {
    @Test("an offer with bad fields is refused with a message per field")
    func offerValidation() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        do {
            _ = try fixture.cpd.offer(
                SessionInput(
                    title: "", areas: ["Astrology"], starts: "next tuesday", timeZone: "Mars/Olympus",
                    durationMinutes: "0", onlineURL: "javascript:alert(1)", capacity: "0"),
                by: fixture.signedIn(organiser))
            Issue.record("expected a validation error")
        } catch DomainError.invalid(let errors) {
            let fields = Set(errors.map(\.field))
            #expect(
                fields.isSuperset(of: [
                    "title", "areas", "time_zone", "duration_minutes", "online_url", "capacity",
                ]))
        }
    }

    @Test("a session's zone is a tz database name: abbreviations and fixed offsets are refused")
    func sessionZonesAreTzDatabaseNames() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        // "BST" is Bangladesh to Foundation; "GMT+1" never changes for summer time.
        for zone in ["BST", "GMT+1", "europe/london"] {
            #expect(throws: DomainError.self, "\(zone)") {
                try fixture.cpd.offer(
                    SessionInput(
                        title: "Twilight", areas: ["Phonics"], starts: fixture.localStart(daysAhead: 3),
                        timeZone: zone,
                        venue: "Hall"),
                    by: fixture.signedIn(organiser))
            }
        }
    }

    @Test("a start is read in the session's zone and stored as the UTC instant")
    func timeZoneOfStart() throws {
        let fixture = try CPDFixture(clock: FixedClock(Date(timeIntervalSince1970: 1_780_000_000)))  // May 2026
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.cpd.offer(
            SessionInput(
                title: "Summer session", starts: "2026-07-01T16:00", durationMinutes: "60", venue: "Hall",
                capacity: "5"),
            by: fixture.signedIn(organiser))
        #expect(session.timeZone == "Europe/London")
        // 16:00 BST is 15:00 UTC.
        #expect(ICalendar.utc(session.startsAt) == "20260701T150000Z")
        let tokyo = try fixture.cpd.offer(
            SessionInput(
                title: "Tokyo session", starts: "2026-07-01T16:00", timeZone: "Asia/Tokyo",
                durationMinutes: "60",
                venue: "Hall", capacity: "5"),
            by: fixture.signedIn(organiser))
        #expect(ICalendar.utc(tokyo.startsAt) == "20260701T070000Z")
        #expect(CPDService.format(tokyo.startsAt, zone: tokyo.zone, style: .short).contains("16:00"))
    }

    @Test("changing a session raises SEQUENCE, mails a new time, and gives new places to those waiting")
    func updatingSession() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "Leadership circle", capacity: 1)
        let booked = try fixture.member("Booked Member")
        let waiting = try fixture.member("Waiting Member")
        let stranger = try fixture.member("Someone Else")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: booked.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: waiting.id)
        var input = SessionInput(
            title: "Leadership circle (moved)", areas: ["Leadership"],
            starts: fixture.localStart(daysAhead: 9, time: "17:30"),
            durationMinutes: "90", venue: "Riverside library", capacity: "0")
        #expect(throws: DomainError.self) {
            try fixture.cpd.updateSession(id: session.id, input, by: fixture.signedIn(organiser))
        }
        input.capacity = "2"
        #expect(throws: DomainError.self) {
            try fixture.cpd.updateSession(id: session.id, input, by: fixture.signedIn(stranger))
        }
        let updated = try fixture.cpd.updateSession(id: session.id, input, by: fixture.signedIn(organiser))
        #expect(updated.sequence == session.sequence + 1)
        #expect(updated.title == "Leadership circle (moved)")
        #expect(updated.capacity == 2)
        #expect(ICalendar.local(updated.startsAt, zone: updated.zone).hasSuffix("T173000"))
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: waiting.id)?.status == .booked)
        let mail = try fixture.outbox()
        #expect(
            mail.filter { $0.subject.contains("moved “Leadership circle (moved)”") }.map(\.to).sorted()
                == [booked.email, waiting.email].sorted())
        #expect(mail.contains { $0.to == waiting.email && $0.subject.contains("gave you a place") })
        // Fewer places than are taken is refused.
        input.capacity = "1"
        do {
            try fixture.cpd.updateSession(id: session.id, input, by: fixture.signedIn(organiser))
            Issue.record("expected a capacity error")
        } catch DomainError.invalid(let errors) {
            #expect(errors.map(\.field) == ["capacity"])
        }
    }

    @Test("cancelling a session tells everyone booked or waiting, and closes booking")
    func cancellingSessionNotifies() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "SEND: adaptive teaching", capacity: 1)
        let booked = try fixture.member("Booked Member")
        let waiting = try fixture.member("Waiting Member")
        let stranger = try fixture.member("Someone Else")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: booked.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: waiting.id)
        #expect(throws: DomainError.self) {
            try fixture.cpd.cancelSession(id: session.id, by: fixture.signedIn(stranger), reason: "")
        }
        let cancelled = try fixture.cpd.cancelSession(
            id: session.id, by: fixture.signedIn(organiser), reason: "The hall is flooded.")
        #expect(cancelled.isCancelled)
        #expect(cancelled.sequence == session.sequence + 1)
        let mail = try fixture.outbox()
        #expect(Set(mail.map(\.to)) == [booked.email, waiting.email])
        #expect(
            mail.allSatisfy {
                $0.body.contains("The hall is flooded.") && $0.subject.contains("SEND: adaptive teaching")
            })
        #expect(throws: DomainError.self) {
            try fixture.cpd.book(sessionID: session.id, memberID: stranger.id)
        }
    }
}

@Suite("Session lists read in batches")
struct SessionListTests {
    @Test("a list carries each session's areas, facilitators and places, as the session page does")
    func listMatchesSinglePages() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let helper = try fixture.member("Harry Helper")
        let areas = fixture.cpd.areas
        let sessions = try (0..<4).map { index in
            try fixture.cpd.offer(
                SessionInput(
                    title: "Session \(index)", description: "", areas: Array(areas.prefix(index)),
                    facilitators: index.isMultiple(of: 2) ? helper.handle : "",
                    starts: fixture.localStart(daysAhead: 3 + index),
                    durationMinutes: "60", venue: "Hall", capacity: "2"),
                by: fixture.signedIn(organiser))
        }
        let people = try (1...3).map { try fixture.member("Person \($0)") }
        for person in people { _ = try fixture.cpd.book(sessionID: sessions[1].id, memberID: person.id) }
        _ = try fixture.cpd.book(sessionID: sessions[3].id, memberID: people[0].id)

        let list = try fixture.cpd.sessions(viewer: .anonymous, limit: 10)
        #expect(list.map(\.id) == sessions.map(\.id))
        for session in list {
            let single = try #require(try fixture.cpd.session(id: session.id))
            #expect(session.areas == single.areas)
            #expect(session.facilitatorIDs == single.facilitatorIDs)
        }
        #expect(list[2].facilitatorIDs.sorted() == [organiser.id, helper.id].sorted())
        #expect(list[3].areas.count == 3)
        let taken = try fixture.cpd.placesTaken(sessionIDs: list.map(\.id))
        for session in list {
            let single = try fixture.cpd.placesTaken(sessionID: session.id)
            #expect(
                taken[session.id]?.booked == single.booked && taken[session.id]?.waiting == single.waiting)
        }
        #expect(taken[sessions[1].id]?.booked == 2 && taken[sessions[1].id]?.waiting == 1)
        #expect(taken[sessions[0].id]?.booked == 0)
    }
}
