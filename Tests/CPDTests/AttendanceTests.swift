import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Attendance register, credited hours and badges")
struct AttendanceTests {
    @Test("the register cannot be marked before the session starts, nor by someone not running it")
    func registerGuards() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser)
        let member = try fixture.member("Pat Present")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: member.id)
        #expect(throws: DomainError.conflict("The register opens when the session starts.")) {
            try fixture.cpd.markAttendance(
                sessionID: session.id, present: [member.id], by: fixture.signedIn(organiser))
        }
        fixture.clock.set(session.startsAt)
        #expect(throws: DomainError.self) {
            try fixture.cpd.markAttendance(
                sessionID: session.id, present: [member.id], by: fixture.signedIn(member))
        }
        let outsider = try fixture.member("Not Booked")
        #expect(throws: DomainError.self) {
            try fixture.cpd.markAttendance(
                sessionID: session.id, present: [outsider.id], by: fixture.signedIn(organiser))
        }
    }

    @Test("marking attendance adds the session to the attendee's record with its hours, once")
    func attendanceCreditsHours() throws {
        let fixture = try CPDFixture()
        let (organiser, session, present, absent) = try attendedSession(fixture)
        let register = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        #expect(register.first { $0.memberID == present.id }?.attended == true)
        #expect(register.first { $0.memberID == absent.id }?.attended == false)
        let record = try fixture.cpd.fullRecord(of: present.id)
        #expect(record.count == 1)
        #expect(record.first?.sessionID == session.id)
        #expect(record.first?.minutes == 90)
        #expect(record.first?.hours == 1.5)
        #expect(record.first?.title == "Early reading")
        #expect(try fixture.cpd.fullRecord(of: absent.id).isEmpty)
        // Marking again changes nothing.
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        #expect(try fixture.cpd.fullRecord(of: present.id).count == 1)
        #expect(try fixture.cpd.totalMinutes(of: present.id) == 90)
    }

    @Test("attendance yields a badge and activity scoped to members; correcting the register revokes them")
    func attendanceBadgeAndActivity() throws {
        let fixture = try CPDFixture()
        let (organiser, session, present, _) = try attendedSession(fixture)
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        let assertion = try #require(try fixture.cpd.assertion(sessionID: session.id, memberID: present.id))
        #expect(assertion.revokedAt == nil)
        #expect(assertion.identity == CPDService.hashedIdentity(email: present.email, salt: assertion.salt))
        let memberView = try fixture.services.activity.latest(for: Viewer(memberID: organiser.id), limit: 20)
        let verbs = memberView.groups.map(\.lead.verb)
        #expect(
            verbs.contains("attended") && verbs.contains("earned_certificate") && verbs.contains("offered"))
        let anonymousView = try fixture.services.activity.latest(for: .anonymous, limit: 20)
        #expect(!anonymousView.groups.contains { $0.lead.verb == "attended" })
        // The facilitator corrects the register: hours, badge and activity are taken back.
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [], by: fixture.signedIn(organiser))
        #expect(try fixture.cpd.fullRecord(of: present.id).isEmpty)
        #expect(try fixture.cpd.assertion(sessionID: session.id, memberID: present.id)?.revokedAt != nil)
        let after = try fixture.services.activity.latest(for: Viewer(memberID: organiser.id), limit: 20)
        #expect(!after.groups.contains { $0.lead.verb == "attended" })
    }
}
