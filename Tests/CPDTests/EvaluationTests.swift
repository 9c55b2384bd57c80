import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Evaluation and the impact follow-up")
struct EvaluationTests {
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
        try fixture.cpd.evaluate(
            sessionID: session.id, memberID: present.id, rating: 4, willChange: "Use phoneme frames.")
        try fixture.cpd.evaluate(sessionID: session.id, memberID: second.id, rating: 5, willChange: "")
        try fixture.cpd.followUp(
            sessionID: session.id, memberID: present.id, reaction: 4, learning: 5, practice: 3, outcomes: 2,
            comment: "Reading ages up in my group.")
        #expect(throws: DomainError.self) {
            _ = try fixture.cpd.evaluationSummary(sessionID: session.id, by: fixture.signedIn(present))
        }
        let summary = try fixture.cpd.evaluationSummary(
            sessionID: session.id, by: fixture.signedIn(organiser))
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
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id, absent.id], by: fixture.signedIn(organiser))
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [present.id], by: fixture.signedIn(organiser))
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
}
