import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// The review queue: its order, filters and paging, and what a case keeps (notes, assignment).
@Suite struct QueueTests {
    @Test func safeguardingConcernsComeFirstInTheQueue() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let carol = try f.member("Carol")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let older = try f.status(by: bob, "A worrying message")
        let newer = try f.status(by: bob, "An advert")
        let third = try f.status(by: bob, "Another advert")
        let safeguarding = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: older.id, category: "safeguarding", comment: "A pupil is named"
        )
        let spam = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: newer.id, category: "spam", comment: "")
        let later = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: third.id, category: "spam", comment: "")
        var order = try f.moderation.queue().cases.map(\.id)
        #expect(order == [safeguarding.caseID, later.caseID, spam.caseID])
        // A safeguarding report on a gathered case lifts the whole case.
        _ = try f.moderation.fileReport(
            by: carol, kind: "status", itemID: newer.id, category: "safeguarding", comment: "")
        order = try f.moderation.queue().cases.map(\.id)
        #expect(order == [spam.caseID, safeguarding.caseID, later.caseID])
        // Moderators are mailed about each safeguarding concern at once; other reports wait in the queue.
        let alerts = try f.outbox(to: moderator.email)
        #expect(alerts.count == 2)
        #expect(alerts.allSatisfy { $0.subject.hasPrefix("Safeguarding concern") })
        #expect(try f.outbox(to: bob.email).isEmpty)
    }

    @Test func theQueueFiltersByCategoryStatusKindAndAssignee() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Hello")
        let onStatus = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: "spam", comment: "")
        let onProfile = try f.moderation.fileReport(
            by: alice, kind: "profile", itemID: bob.id, category: "copyright", comment: "")
        #expect(try f.moderation.queue(QueueFilter(category: .spam)).cases.map(\.id) == [onStatus.caseID])
        #expect(try f.moderation.queue(QueueFilter(kind: "profile")).cases.map(\.id) == [onProfile.caseID])
        try f.moderation.assign(caseID: onProfile.caseID, to: moderator.id)
        #expect(
            try f.moderation.queue(QueueFilter(assignedTo: moderator.id)).cases.map(\.id) == [
                onProfile.caseID
            ])
        try f.moderation.act(
            caseID: onStatus.caseID, ActionRequest(action: .dismiss), by: moderator.moderator)
        #expect(try f.moderation.queue().cases.map(\.id) == [onProfile.caseID])
        #expect(try f.moderation.queue(QueueFilter(status: "resolved")).cases.map(\.id) == [onStatus.caseID])
        #expect(try f.moderation.queue(QueueFilter(status: "all")).cases.count == 2)
    }

    @Test func theQueuePagesWithAKeysetCursor() throws {
        let f = try ModerationFixture(settings: ["reports_per_hour": .int(100)])
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        var expected: [Int64] = []
        for index in 0..<7 {
            let status = try f.status(by: bob, "Post \(index)")
            let category = index == 3 ? "safeguarding" : "spam"
            expected.append(
                try f.moderation.fileReport(
                    by: alice, kind: "status", itemID: status.id, category: category, comment: ""
                ).caseID)
        }
        let safeguarding = expected.remove(at: 3)
        expected = [safeguarding] + expected.reversed()
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try f.moderation.queue(limit: 3, after: cursor)
            seen += page.cases.map(\.id)
            cursor = page.next
        } while cursor != nil
        #expect(seen == expected)
    }

    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func theQueueQueryUsesAnIndex() throws {
        let f = try ModerationFixture()
        let plan = try f.services.database.read { db in
            try db.query(
                """
                EXPLAIN QUERY PLAN SELECT c.* FROM moderation_cases c WHERE c.status = ? AND c.priority >= ?
                    AND (c.priority > ? OR c.id < ?) ORDER BY c.priority, c.id DESC LIMIT ?
                """,
                ["open", 1, 1, 500, 10]
            ) { try $0.value("detail") as String }
        }
        #expect(plan.contains { $0.contains("moderation_cases_queue") })
        #expect(!plan.contains { $0.contains("TEMP B-TREE") })
        let mine = try f.services.database.read { db in
            try db.query(
                "EXPLAIN QUERY PLAN SELECT * FROM moderation_reports WHERE reporter_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                [1, 100, 10]
            ) { try $0.value("detail") as String }
        }
        #expect(mine.contains { $0.contains("moderation_reports_reporter") })
    }

    @Test func notesAndAssignmentStayWithTheCase() throws {
        let s = try ReportedStatus()
        try s.f.moderation.assign(caseID: s.report.caseID, to: s.moderator.id)
        try s.f.moderation.addNote(
            caseID: s.report.caseID, body: "Checked their history: first offence", by: s.moderator.moderator)
        #expect(throws: DomainError.self) {
            try s.f.moderation.addNote(caseID: s.report.caseID, body: " ", by: s.moderator.moderator)
        }
        let detail = try s.f.moderation.detail(caseID: s.report.caseID)
        #expect(detail.moderationCase.assignedTo == s.moderator.id)
        #expect(detail.assigneeName == "Mo")
        #expect(detail.notes.map(\.body) == ["Checked their history: first offence"])
        #expect(detail.reports.count == 1)
        #expect(detail.item?.title == "Status by @bob")
    }
}
