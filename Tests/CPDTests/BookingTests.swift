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
        #expect(throws: DomainError.self) {
            try fixture.cpd.book(sessionID: session.id, memberID: organiser.id)
        }
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
}
