import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Moderation

@Suite struct ReportingTests {
    @Test func aReportedStatusOpensACaseWithTheStatusTitleAndAuthor() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let status = try f.status(by: bob, "Buy cheap essays")
        let report = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: "spam", comment: "Advert")
        let found = try #require(try f.moderation.moderationCase(id: report.caseID))
        #expect(found.kind == "status")
        #expect(found.itemID == status.id)
        #expect(found.title == "Status by @bob")
        #expect(found.authorID == bob.id)
        #expect(found.status == .open)
        #expect(found.reportCount == 1)
    }

    @Test func aProfileCanBeReported() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let report = try f.moderation.fileReport(
            by: alice, kind: "profile", itemID: bob.id, category: "inappropriate",
            comment: "Offensive picture")
        let found = try #require(try f.moderation.moderationCase(id: report.caseID))
        #expect(found.kind == "profile")
        #expect(found.title == "Profile of Bob")
        #expect(found.authorID == bob.id)
    }

    @Test func aGeneralReportNeedsAComment() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        #expect(
            throws: DomainError.invalid([FieldError(field: "comment", message: "Enter what happened.")])
        ) {
            try f.moderation.fileReport(by: alice, kind: nil, itemID: nil, category: "other", comment: "  ")
        }
        let report = try f.moderation.fileReport(
            by: alice, kind: nil, itemID: nil, category: "other",
            comment: "Someone is pretending to be our head")
        #expect(report.kind == "general")
        #expect(report.title == "Report an Issue: Someone is pretending to be our head")
    }

    @Test func unknownCategoriesKindsAndItemsAreRefused() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let status = try f.status(by: bob, "Hello")
        #expect(throws: DomainError.self) {
            try f.moderation.fileReport(
                by: alice, kind: "status", itemID: status.id, category: "rude", comment: "")
        }
        #expect(throws: DomainError.notFound) {
            try f.moderation.fileReport(
                by: alice, kind: "spaceship", itemID: 1, category: "spam", comment: "")
        }
        #expect(throws: DomainError.notFound) {
            try f.moderation.fileReport(
                by: alice, kind: "status", itemID: 9999, category: "spam", comment: "")
        }
        #expect(throws: DomainError.self) {
            try f.moderation.fileReport(
                by: bob, kind: "status", itemID: status.id, category: "spam", comment: "my own")
        }
        #expect(try f.count("SELECT COUNT(*) FROM moderation_reports") == 0)
    }

    @Test func severalReportsOnOneItemGatherIntoOneCase() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let carol = try f.member("Carol")
        let bob = try f.member("Bob")
        let status = try f.status(by: bob, "Something nasty")
        let first = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: "harassment", comment: "")
        let second = try f.moderation.fileReport(
            by: carol, kind: "status", itemID: status.id, category: "spam", comment: "")
        #expect(first.caseID == second.caseID)
        #expect(try f.moderation.moderationCase(id: first.caseID)?.reportCount == 2)
        #expect(try f.moderation.queue().cases.count == 1)
        // The same member cannot pile on while the case is open.
        #expect(throws: DomainError.self) {
            try f.moderation.fileReport(
                by: alice, kind: "status", itemID: status.id, category: "spam", comment: "")
        }
        #expect(
            try f.moderation.categories(ofCases: [first.caseID])[first.caseID] == [.harassment: 1, .spam: 1])
    }

    @Test func aNewReportReopensAResolvedCase() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let carol = try f.member("Carol")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Borderline")
        let first = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: "spam", comment: "")
        try f.moderation.act(caseID: first.caseID, ActionRequest(action: .dismiss), by: moderator.moderator)
        #expect(try f.moderation.moderationCase(id: first.caseID)?.status == .resolved)
        let second = try f.moderation.fileReport(
            by: carol, kind: "status", itemID: status.id, category: "harassment", comment: "")
        #expect(second.caseID == first.caseID)
        let reopened = try #require(try f.moderation.moderationCase(id: first.caseID))
        #expect(reopened.status == .open)
        #expect(reopened.resolution == nil)
    }

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

    @Test func reportsPerMemberAreRateLimited() throws {
        let f = try ModerationFixture(settings: ["reports_per_hour": .int(2)])
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let statuses = try (0..<3).map { try f.status(by: bob, "Post \($0)") }
        _ = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: statuses[0].id, category: "spam", comment: "")
        _ = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: statuses[1].id, category: "spam", comment: "")
        #expect(throws: DomainError.self) {
            try f.moderation.fileReport(
                by: alice, kind: "status", itemID: statuses[2].id, category: "spam", comment: "")
        }
        #expect(try f.count("SELECT COUNT(*) FROM moderation_reports") == 2)
        f.network.clock.advance(by: 3601)
        _ = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: statuses[2].id, category: "spam", comment: "")
        #expect(try f.count("SELECT COUNT(*) FROM moderation_reports") == 3)
    }

    @Test func aHiddenItemCannotBeReportedBySomeoneWhoCannotSeeIt() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let carol = try f.member("Carol")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let status = try f.status(by: bob, "Hidden soon")
        let report = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: "spam", comment: "")
        try f.moderation.act(caseID: report.caseID, ActionRequest(action: .hide), by: moderator.moderator)
        #expect(throws: DomainError.notFound) {
            try f.moderation.fileReport(
                by: carol, kind: "status", itemID: status.id, category: "spam", comment: "")
        }
    }

    @Test func theQueueQueryUsesAnIndex() throws {
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

    @Test func theModuleOwnsEveryTableItsMigrationsCreate() throws {
        let f = try ModerationFixture()
        let tables = try f.services.database.read { db in
            try db.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'moderation%' ORDER BY name"
            ) {
                try $0.value("name") as String
            }
        }
        #expect(tables == ModerationModule().ownedTables.sorted())
    }

    @Test func reportLinksUseThePlainURLScheme() {
        #expect(ModerationLinks.reportPath(kind: "blog_post", id: 42) == "/report?kind=blog_post&id=42")
        #expect(
            ModerationLinks.reportLink(kind: "blog_post", id: 42).text
                == "<a class=\"report-link\" rel=\"nofollow\" href=\"/report?kind=blog_post&amp;id=42\">Report</a>"
        )
    }
}
