import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Booking, waiting list and cut-off")
struct BookingTests {
    @Test("places are booked up to capacity, then members join the waiting list in order")
    func capacityThenWaitingList() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, capacity: 2)
        let people = try (1...4).map { try fixture.member("Person \($0)") }
        let bookings = try people.map { try fixture.cpd.book(sessionID: session.id, memberID: $0.id) }
        #expect(bookings.map(\.status) == [.booked, .booked, .waiting, .waiting])
        #expect(bookings[2].position == 1)
        #expect(bookings[3].position == 2)
        let taken = try fixture.cpd.placesTaken(sessionID: session.id)
        #expect(taken.booked == 2 && taken.waiting == 2)
    }

    @Test("booking twice is refused, and a facilitator cannot book their own session")
    func duplicatesRefused() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser)
        let member = try fixture.member("Amy Attendee")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: member.id)
        #expect(throws: DomainError.self) { try fixture.cpd.book(sessionID: session.id, memberID: member.id) }
        #expect(throws: DomainError.self) { try fixture.cpd.book(sessionID: session.id, memberID: organiser.id) }
    }

    @Test("a freed place goes to the first member waiting, who is told by mail")
    func promotionOnCancel() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "Maths mastery: bar models", capacity: 1)
        let first = try fixture.member("First Booker")
        let second = try fixture.member("Second Booker")
        let third = try fixture.member("Third Booker")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: first.id)
        fixture.clock.advance(by: 60)
        #expect(try fixture.cpd.book(sessionID: session.id, memberID: second.id).status == .waiting)
        fixture.clock.advance(by: 60)
        #expect(try fixture.cpd.book(sessionID: session.id, memberID: third.id).position == 2)
        let before = try fixture.outbox().count
        let result = try fixture.cpd.cancelBooking(sessionID: session.id, memberID: first.id)
        #expect(result.cancelled.status == .cancelled)
        #expect(result.promoted?.memberID == second.id)
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: second.id)?.status == .booked)
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: third.id)?.position == 1)
        let mail = try fixture.outbox()
        #expect(mail.count == before + 1)
        let told = try #require(mail.first)
        #expect(told.to == second.email)
        #expect(told.subject.contains("Maths mastery: bar models"))
        #expect(told.body.contains("https://pln.example.org/cpd/sessions/\(session.id)"))
    }

    @Test("leaving the waiting list promotes nobody and frees no place")
    func leavingWaitingList() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, capacity: 1)
        let booked = try fixture.member("Booked Member")
        let waiting = try fixture.member("Waiting Member")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: booked.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: waiting.id)
        let result = try fixture.cpd.cancelBooking(sessionID: session.id, memberID: waiting.id)
        #expect(result.promoted == nil)
        #expect(try fixture.cpd.placesTaken(sessionID: session.id).booked == 1)
        #expect(try fixture.outbox().isEmpty)
    }

    @Test("booking closes booking_cutoff_hours before the start")
    func cutOff() throws {
        let fixture = try CPDFixture(settings: ["cpd": ["booking_cutoff_hours": .int(48)]])
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, daysAhead: 3)
        let early = try fixture.member("Early Bird")
        let late = try fixture.member("Late Comer")
        #expect(try fixture.cpd.book(sessionID: session.id, memberID: early.id).status == .booked)
        // Move to one minute after the cut-off.
        fixture.clock.set(session.startsAt.addingTimeInterval(-48 * 3600 + 60))
        #expect(!fixture.cpd.isBookingOpen(session))
        #expect(throws: DomainError.self) { try fixture.cpd.book(sessionID: session.id, memberID: late.id) }
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: late.id) == nil)
    }

    @Test("many members booking the last place at the same moment: exactly one gets it")
    func concurrentLastPlace() async throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, capacity: 1)
        let members = try (1...12).map { try fixture.member("Racer \($0)") }
        let cpd = fixture.cpd
        let statuses = try await withThrowingTaskGroup(of: Booking.Status.self) { group in
            for member in members {
                group.addTask { try cpd.book(sessionID: session.id, memberID: member.id).status }
            }
            var all: [Booking.Status] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.filter { $0 == .booked }.count == 1)
        #expect(statuses.filter { $0 == .waiting }.count == 11)
        #expect(try cpd.placesTaken(sessionID: session.id) == (booked: 1, waiting: 11))
    }

    @Test("concurrent cancellations and bookings never overbook")
    func concurrentChurnNeverOverbooks() async throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, capacity: 3)
        let members = try (1...10).map { try fixture.member("Churner \($0)") }
        let cpd = fixture.cpd
        for member in members.prefix(3) { _ = try cpd.book(sessionID: session.id, memberID: member.id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in members.prefix(3) {
                group.addTask { _ = try cpd.cancelBooking(sessionID: session.id, memberID: member.id) }
            }
            for member in members.suffix(7) {
                group.addTask { _ = try cpd.book(sessionID: session.id, memberID: member.id) }
            }
            try await group.waitForAll()
        }
        let taken = try cpd.placesTaken(sessionID: session.id)
        #expect(taken.booked == 3)
        #expect(taken.waiting == 4)
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
        #expect(throws: DomainError.self) { try fixture.cpd.book(sessionID: session.id, memberID: stranger.id) }
    }

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
                        title: "Twilight", areas: ["Phonics"], starts: fixture.localStart(daysAhead: 3), timeZone: zone,
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
            mail.filter { $0.subject.hasPrefix("New time") }.map(\.to).sorted()
                == [booked.email, waiting.email].sorted())
        #expect(mail.contains { $0.to == waiting.email && $0.subject.hasPrefix("You have a place") })
        // Fewer places than are taken is refused.
        input.capacity = "1"
        do {
            try fixture.cpd.updateSession(id: session.id, input, by: fixture.signedIn(organiser))
            Issue.record("expected a capacity error")
        } catch DomainError.invalid(let errors) {
            #expect(errors.map(\.field) == ["capacity"])
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
