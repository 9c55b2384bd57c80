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

    @Test func reportLinksUseThePlainURLScheme() {
        #expect(ModerationLinks.reportPath(kind: "blog_post", id: 42) == "/report?kind=blog_post&id=42")
        #expect(
            ModerationLinks.reportLink(kind: "blog_post", id: 42).text
                == "<a class=\"report-link\" rel=\"nofollow\" href=\"/report?kind=blog_post&amp;id=42\">Report</a>"
        )
    }
}
