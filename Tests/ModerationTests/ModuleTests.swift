import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// The module as a whole: the tables it owns, and a member's data when they leave.
@Suite struct ModuleTests {
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

    @Test func deletingAnAccountKeepsReportsButForgetsTheReporter() throws {
        let s = try ReportedStatus()
        let exported = try s.f.membership.exportAll(
            memberID: s.alice.id, hooks: s.f.membership.personalDataHooks())
        #expect(exported.jsonText().contains("\"category\":\"harassment\""))
        try s.f.membership.deleteAccount(memberID: s.alice.id, hooks: s.f.membership.personalDataHooks())
        let detail = try s.f.moderation.detail(caseID: s.report.caseID)
        #expect(detail.reports.count == 1)
        #expect(detail.reports.first?.reporterID == nil)
    }
}
