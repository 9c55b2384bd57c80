import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Attendance, records, evaluation and follow-up")
struct AttendanceTests {
    /// A 90-minute session with two booked members, the clock moved to just after it ends.
    func attendedSession(_ fixture: CPDFixture) throws -> (organiser: Member, session: CPDSession, present: Member, absent: Member) {
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "Early reading", capacity: 5, duration: 90)
        let present = try fixture.member("Pat Present")
        let absent = try fixture.member("Abe Absent")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: present.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: absent.id)
        fixture.clock.set(session.endsAt.addingTimeInterval(60))
        return (organiser, session, present, absent)
    }

    @Test("the register cannot be marked before the session starts, nor by someone not running it")
    func registerGuards() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser)
        let member = try fixture.member("Pat Present")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: member.id)
        #expect(throws: DomainError.conflict("The register opens when the session starts.")) {
            try fixture.cpd.markAttendance(sessionID: session.id, present: [member.id], by: fixture.signedIn(organiser))
        }
        fixture.clock.set(session.startsAt)
        #expect(throws: DomainError.self) {
            try fixture.cpd.markAttendance(sessionID: session.id, present: [member.id], by: fixture.signedIn(member))
        }
        let outsider = try fixture.member("Not Booked")
        #expect(throws: DomainError.self) {
            try fixture.cpd.markAttendance(sessionID: session.id, present: [outsider.id], by: fixture.signedIn(organiser))
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
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        #expect(try fixture.cpd.fullRecord(of: present.id).count == 1)
        #expect(try fixture.cpd.totalMinutes(of: present.id) == 90)
    }

    @Test("attendance yields a badge and activity scoped to members; correcting the register revokes them")
    func attendanceBadgeAndActivity() throws {
        let fixture = try CPDFixture()
        let (organiser, session, present, _) = try attendedSession(fixture)
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        let assertion = try #require(try fixture.cpd.assertion(sessionID: session.id, memberID: present.id))
        #expect(assertion.revokedAt == nil)
        #expect(assertion.identity == CPDService.hashedIdentity(email: present.email, salt: assertion.salt))
        let memberView = try fixture.services.activity.latest(for: Viewer(memberID: organiser.id), limit: 20)
        let verbs = memberView.groups.map(\.lead.verb)
        #expect(verbs.contains("attended") && verbs.contains("earned_certificate") && verbs.contains("offered"))
        let anonymousView = try fixture.services.activity.latest(for: .anonymous, limit: 20)
        #expect(!anonymousView.groups.contains { $0.lead.verb == "attended" })
        // The facilitator corrects the register: hours, badge and activity are taken back.
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [], by: fixture.signedIn(organiser))
        #expect(try fixture.cpd.fullRecord(of: present.id).isEmpty)
        #expect(try fixture.cpd.assertion(sessionID: session.id, memberID: present.id)?.revokedAt != nil)
        let after = try fixture.services.activity.latest(for: Viewer(memberID: organiser.id), limit: 20)
        #expect(!after.groups.contains { $0.lead.verb == "attended" })
    }

    @Test("own record entries validate every field; evidence links must be http or https")
    func ownEntries() throws {
        let fixture = try CPDFixture()
        let member = try fixture.member("Rita Reader")
        let entry = try fixture.cpd.addEntry(
            memberID: member.id,
            RecordInput(
                title: "Read 'Making Every Lesson Count'", date: "2025-09-02", hours: "2.5", kind: "reading",
                pupilFocus: "indirect", standard: "TS4 Plan and teach well-structured lessons",
                evidenceURL: "https://example.org/notes", reflection: "Worked examples first."))
        #expect(entry.minutes == 150)
        #expect(entry.kind == .reading)
        #expect(entry.pupilFocus == .indirect)
        do {
            _ = try fixture.cpd.addEntry(
                memberID: member.id,
                RecordInput(
                    title: "", date: "02/09/2025", hours: "-1", kind: "nap", pupilFocus: "sideways",
                    evidenceURL: "javascript:alert(1)"))
            Issue.record("expected validation errors")
        } catch DomainError.invalid(let errors) {
            #expect(Set(errors.map(\.field)) == ["title", "date", "hours", "kind", "pupil_focus", "evidence_url"])
        }
        #expect(throws: DomainError.self) {
            _ = try fixture.cpd.addEntry(
                memberID: member.id,
                RecordInput(title: "x", date: "2025-09-02", hours: "1", evidenceURL: "ftp://example.org/file"))
        }
        let updated = try fixture.cpd.recordImpact(entryID: entry.id, memberID: member.id, impact: "Fewer errors in Year 4.")
        #expect(updated.impact == "Fewer errors in Year 4.")
        #expect(updated.impactAt != nil)
        let other = try fixture.member("Someone Else")
        #expect(throws: DomainError.notFound) {
            try fixture.cpd.recordImpact(entryID: entry.id, memberID: other.id, impact: "mine now")
        }
    }

    @Test("only attendees evaluate, after the session; facilitators see aggregates only")
    func evaluationAggregates() throws {
        let fixture = try CPDFixture()
        let (organiser, session, present, absent) = try attendedSession(fixture)
        let second = try fixture.member("Second Attendee")
        fixture.clock.set(session.startsAt.addingTimeInterval(-30 * 86_400 / 10))
        _ = try fixture.cpd.book(sessionID: session.id, memberID: second.id)
        fixture.clock.set(session.endsAt.addingTimeInterval(60))
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id, second.id], by: fixture.signedIn(organiser))
        #expect(throws: DomainError.self) {
            try fixture.cpd.evaluate(sessionID: session.id, memberID: absent.id, rating: 5, willChange: "")
        }
        #expect(throws: DomainError.self) {
            try fixture.cpd.evaluate(sessionID: session.id, memberID: present.id, rating: 9, willChange: "")
        }
        try fixture.cpd.evaluate(sessionID: session.id, memberID: present.id, rating: 4, willChange: "Use phoneme frames.")
        try fixture.cpd.evaluate(sessionID: session.id, memberID: second.id, rating: 5, willChange: "")
        try fixture.cpd.followUp(
            sessionID: session.id, memberID: present.id, reaction: 4, learning: 5, practice: 3, outcomes: 2,
            comment: "Reading ages up in my group.")
        #expect(throws: DomainError.self) {
            _ = try fixture.cpd.evaluationSummary(sessionID: session.id, by: fixture.signedIn(present))
        }
        let summary = try fixture.cpd.evaluationSummary(sessionID: session.id, by: fixture.signedIn(organiser))
        #expect(summary.responses == 2)
        #expect(summary.averageRating == 4.5)
        #expect(summary.distribution == [0, 0, 0, 1, 1])
        #expect(summary.changes == ["Use phoneme frames."])
        #expect(summary.followUps == 1)
        #expect(summary.averagePractice == 3)
        #expect(summary.averageOutcomes == 2)
        #expect(summary.impactComments == ["Reading ages up in my group."])
        // The follow-up's comment lands in the attendee's record as its impact.
        #expect(try fixture.cpd.fullRecord(of: present.id).first?.impact == "Reading ages up in my group.")
    }

    @Test("follow_up_weeks after the session a scheduled job asks each attendee about impact")
    func followUpJob() throws {
        let fixture = try CPDFixture(settings: ["cpd": ["follow_up_weeks": .int(3)]])
        let (organiser, session, present, absent) = try attendedSession(fixture)
        // Absent first, then corrected to present, then marked again: still one follow-up.
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [present.id, absent.id], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        #expect(try fixture.services.jobs.runDue().ran == 0)
        fixture.clock.set(session.endsAt.addingTimeInterval(3 * 7 * 86_400 - 3600))
        #expect(try fixture.services.jobs.runDue().ran == 0)
        fixture.clock.advance(by: 7200)
        // Two jobs are due (the absent member was briefly marked present); only the attendee is asked.
        #expect(try fixture.services.jobs.runDue().ran == 2)
        let mail = try fixture.outbox()
        #expect(mail.count == 1)
        #expect(mail.first?.to == present.email)
        #expect(mail.first?.body.contains("/cpd/sessions/\(session.id)/follow-up") == true)
        #expect(!mail.contains { $0.to == absent.email })
        #expect(try fixture.services.jobs.runDue().ran == 0)
    }

    @Test("record CSV quotes per RFC 4180 and neutralises formulas")
    func recordCSV() throws {
        let fixture = try CPDFixture()
        let member = try fixture.member("Csv Tester")
        _ = try fixture.cpd.addEntry(
            memberID: member.id,
            RecordInput(
                title: "=HYPERLINK(\"http://evil\",\"click\")", date: "2025-10-01", hours: "1", kind: "other",
                pupilFocus: "direct", standard: "TS1, TS2", reflection: "Line one\nLine \"two\""))
        let csv = try fixture.cpd.recordCSV(of: member.id)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(csv.hasSuffix("\r\n"))
        #expect(lines[0].hasPrefix("Date,Title,Hours,Kind"))
        #expect(lines[1].hasPrefix("2025-10-01,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",1,Other,direct,\"TS1, TS2\",,"))
        #expect(csv.contains("\"Line one\nLine \"\"two\"\"\""))
    }

    @Test("CSV cells: plain, quoted, and every formula prefix")
    func csvCells() {
        #expect(CSV.cell("plain") == "plain")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("two\r\nlines") == "\"two\r\nlines\"")
        for prefix in ["=", "+", "-", "@"] { #expect(CSV.cell(prefix + "1+1") == "'" + prefix + "1+1") }
        #expect(CSV.cell("@SUM(A1),x") == "\"'@SUM(A1),x\"")
        #expect(CSV.document([["a", "b"], ["c", "d"]]) == "a,b\r\nc,d\r\n")
    }
}
