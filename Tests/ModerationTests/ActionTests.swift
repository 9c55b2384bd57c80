import Foundation
import Kernel
import Membership
import Storage
import Synchronization
import Testing

@testable import Moderation

@Suite struct ActionTests {
    @Test func aSuspendedMemberStillGetsTheSuspensionNoticeButNothingElse() throws {
        let s = try ReportedStatus()
        try s.f.services.database.write { db in
            try s.f.services.outbox.enqueue(
                Mail(to: s.bob.email, subject: "Alice wants to be friends", body: "…"), in: db)
        }
        _ = try s.act(.suspend, reason: "Abuse")
        let report = try s.f.services.outbox.deliverDue()
        #expect(report.withheld == 1)
        let withheld = try s.f.services.outbox.list(status: "withheld").filter { $0.to == s.bob.email }
        #expect(withheld.map(\.subject) == ["Alice wants to be friends"])
        let kept = try s.f.outbox(to: s.bob.email).filter { $0.status != "withheld" }
        #expect(kept.map(\.subject).contains { $0.contains("suspended") })
    }

    @Test func hidingShowsTheStatusOnlyToItsAuthorAndModeratorsAndTellsTheReporter() throws {
        let s = try ReportedStatus()
        let carol = try s.f.member("Carol")
        let entry = try s.act(.hide, reason: "Personal attack")
        #expect(entry.action == .hide)
        #expect(try s.f.isHidden(status: s.status.id))
        #expect(try s.f.visibleStatuses(of: s.bob, to: nil).isEmpty)
        #expect(try s.f.visibleStatuses(of: s.bob, to: carol).isEmpty)
        #expect(try s.f.visibleStatuses(of: s.bob, to: s.bob) == [s.status.id])
        #expect(try s.f.visibleStatuses(of: s.bob, to: s.moderator) == [s.status.id])
        #expect(!(try s.f.activityObjects(for: nil)).contains(s.status.id))
        #expect(!(try s.f.activityObjects(for: carol)).contains(s.status.id))
        #expect(try s.f.activityObjects(for: s.bob).contains(s.status.id))
        let report = try #require(s.myReport)
        #expect(report.status == "closed")
        #expect(report.outcome == "A moderator reviewed it and hid the content.")
        let mail = try s.f.outbox(to: s.alice.email)
        #expect(mail.count == 1)
        #expect(mail.first?.body.contains("hid the content") == true)
        #expect(try s.f.moderation.moderationCase(id: s.report.caseID)?.status == .resolved)
    }

    @Test func hidingAndDeletingTellListenersAfterCommitOnly() throws {
        let s = try ReportedStatus()
        let seen = Mutex<[ContentEvent.Action]>([])
        s.f.services.events.subscribe(ContentEvent.self, module: "test") { event in
            if event.kind == "status" && event.id == s.status.id { seen.withLock { $0.append(event.action) } }
        }
        s.f.moderation.failpoint.withLock { $0 = { _ in throw ModerationError.injected("any") } }
        #expect(throws: ModerationError.self) { try s.act(.hide) }
        #expect(seen.withLock { $0 }.isEmpty)
        s.f.moderation.failpoint.withLock { $0 = nil }
        _ = try s.act(.hide)
        _ = try s.act(.unhide)
        _ = try s.act(.delete)
        #expect(seen.withLock { $0 } == [.hidden, .restored, .deleted])
    }

    @Test func unhidingUndoesAHide() throws {
        let s = try ReportedStatus()
        _ = try s.act(.hide, reason: "Looked like an attack")
        _ = try s.act(.unhide, reason: "It was a quote")
        #expect(!(try s.f.isHidden(status: s.status.id)))
        #expect(try s.f.visibleStatuses(of: s.bob, to: nil) == [s.status.id])
        #expect(try s.f.moderation.audit().map(\.action) == [.unhide, .hide])
        #expect(throws: DomainError.conflict("It is not hidden.")) { try s.act(.unhide) }
    }

    @Test func dismissingClosesTheReportsAndTellsTheReporterNothingWasDone() throws {
        let s = try ReportedStatus()
        _ = try s.act(.dismiss, reason: "Robust but fair")
        #expect(!(try s.f.isHidden(status: s.status.id)))
        #expect(s.myReport?.outcome?.contains("No action was taken") == true)
        #expect(try s.f.outbox(to: s.alice.email).count == 1)
        #expect(throws: DomainError.self) { try s.act(.dismiss) }
    }

    @Test func deletingRemovesTheItemAndTheAuditLogKeepsItsName() throws {
        let s = try ReportedStatus()
        _ = try s.act(.delete, reason: "Abusive")
        #expect(try s.f.membership.status(id: s.status.id) == nil)
        #expect(!(try s.f.activityObjects(for: s.moderator)).contains(s.status.id))
        let entry = try #require(try s.f.moderation.audit().first)
        #expect(entry.action == .delete)
        #expect(entry.targetTitle == "Status by @bob")
        #expect(entry.actorName == "Mo")
        #expect(entry.reason == "Abusive")
        let detail = try s.f.moderation.detail(caseID: s.report.caseID)
        #expect(detail.item == nil)
        #expect(detail.moderationCase.title == "Status by @bob")
        #expect(s.myReport?.title == "Status by @bob")
        #expect(throws: DomainError.self) { try s.act(.hide) }
    }

    @Test func warningMailsTheMemberAndIsRecorded() throws {
        let s = try ReportedStatus()
        #expect(throws: DomainError.self) { try s.act(.warn, reason: "") }
        _ = try s.act(.warn, reason: "Please keep it civil")
        let mail = try #require(try s.f.outbox(to: s.bob.email).first)
        #expect(mail.subject.contains("warning"))
        #expect(mail.body.contains("Please keep it civil"))
        #expect(try s.f.moderation.warnings(of: s.bob.id) == 1)
        #expect(s.myReport?.outcome == "A moderator reviewed it and warned the member responsible.")
        #expect(try s.f.member(s.bob.id)?.status == .active)
    }

    @Test func suspendingAndReinstatingAMember() throws {
        let s = try ReportedStatus()
        let other = try s.f.status(by: s.bob, "A harmless post")
        let entry = try s.act(.suspend, reason: "Repeated abuse", hideContent: true)
        #expect(entry.memberID == s.bob.id)
        #expect(try s.f.member(s.bob.id)?.status == .suspended)
        #expect(try s.f.visibleStatuses(of: s.bob, to: nil).isEmpty)
        #expect(try s.f.outbox(to: s.bob.email).contains { $0.subject.contains("suspended") })
        #expect(throws: DomainError.self) { try s.act(.suspend, reason: "again") }
        try s.f.moderation.act(
            memberID: s.bob.id, ActionRequest(action: .reinstate, reason: "Appeal upheld"),
            by: s.moderator.moderator)
        #expect(try s.f.member(s.bob.id)?.status == .active)
        #expect(try s.f.visibleStatuses(of: s.bob, to: nil).sorted() == [s.status.id, other.id].sorted())
    }

    @Test func reinstatingKeepsWhatAModeratorHidOnItsOwn() throws {
        let s = try ReportedStatus()
        let other = try s.f.status(by: s.bob, "A harmless post")
        _ = try s.act(.hide, reason: "Abuse")
        try s.f.moderation.act(
            memberID: s.bob.id, ActionRequest(action: .suspend, reason: "More abuse"),
            by: s.moderator.moderator)
        try s.f.moderation.act(
            memberID: s.bob.id, ActionRequest(action: .reinstate), by: s.moderator.moderator)
        #expect(try s.f.visibleStatuses(of: s.bob, to: nil) == [other.id])
        #expect(try s.f.isHidden(status: s.status.id))
    }

    @Test func aBannedMemberIsReinstatedOnlyByLiftingTheBan() throws {
        let s = try ReportedStatus()
        _ = try s.act(.ban, reason: "Threats")
        #expect(try s.f.member(s.bob.id)?.status == .suspended)
        #expect(try s.f.moderation.isBanned(memberID: s.bob.id))
        #expect(throws: DomainError.self) {
            try s.f.moderation.act(
                memberID: s.bob.id, ActionRequest(action: .reinstate), by: s.moderator.moderator)
        }
        #expect(try s.f.member(s.bob.id)?.status == .suspended)
        try s.f.moderation.act(
            memberID: s.bob.id, ActionRequest(action: .unban, reason: "Mistaken identity"),
            by: s.moderator.moderator)
        #expect(!(try s.f.moderation.isBanned(memberID: s.bob.id)))
        #expect(try s.f.member(s.bob.id)?.status == .active)
        #expect(try s.f.moderation.audit(memberID: s.bob.id).map(\.action) == [.unban, .ban])
    }

    @Test func hidingAProfileSuspendsItsMemberAndABanKeepsItHidden() throws {
        let f = try ModerationFixture()
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let report = try f.moderation.fileReport(
            by: alice, kind: "profile", itemID: bob.id, category: "inappropriate", comment: "")
        try f.moderation.act(caseID: report.caseID, ActionRequest(action: .hide), by: moderator.moderator)
        #expect(try f.member(bob.id)?.status == .suspended)
        try f.moderation.act(
            caseID: report.caseID, ActionRequest(action: .ban, reason: "Fake account"),
            by: moderator.moderator)
        #expect(throws: DomainError.self) {
            try f.moderation.act(
                caseID: report.caseID, ActionRequest(action: .unhide), by: moderator.moderator)
        }
        #expect(try f.member(bob.id)?.status == .suspended)
    }

    @Test func aSuspendedMembersItemCannotBeShownAgainBehindTheSuspension() throws {
        let s = try ReportedStatus()
        _ = try s.act(.hide, reason: "Abuse")
        try s.f.moderation.act(
            memberID: s.bob.id, ActionRequest(action: .suspend, reason: "Abuse"), by: s.moderator.moderator)
        #expect(throws: DomainError.self) { try s.act(.unhide) }
        #expect(try s.f.isHidden(status: s.status.id))
    }

    @Test func aBanHoldsWhenMembershipReinstatesTheMemberAnotherWay() throws {
        let s = try ReportedStatus()
        _ = try s.act(.ban, reason: "Threats")
        _ = try s.f.membership.reinstate(memberID: s.bob.id)
        #expect(try s.f.member(s.bob.id)?.status == .suspended)
        let entry = try #require(try s.f.moderation.audit().first)
        #expect(entry.actorName == "PLN (automatic)")
        #expect(entry.action == .suspend)
    }

    @Test func moderatorsCannotActOnThemselvesOrOnHigherRoles() throws {
        let s = try ReportedStatus()
        let admin = try s.f.member("Ada", role: .admin)
        #expect(throws: DomainError.self) {
            try s.f.moderation.act(
                memberID: s.moderator.id, ActionRequest(action: .warn, reason: "x"), by: s.moderator.moderator
            )
        }
        #expect(throws: DomainError.self) {
            try s.f.moderation.act(
                memberID: admin.id, ActionRequest(action: .suspend, reason: "x"), by: s.moderator.moderator)
        }
        #expect(throws: DomainError.forbidden("Only moderators can do that.")) {
            try s.f.moderation.act(
                caseID: s.report.caseID, ActionRequest(action: .hide), by: ModeratorRef(member: s.alice))
        }
        #expect(try s.f.member(admin.id)?.status == .active)
        #expect(try s.f.moderation.audit().isEmpty)
    }

    @Test(arguments: ["after-target", "after-resolve"])
    func aFailureInTheMiddleOfAnActionLeavesNothingHalfDone(step: String) throws {
        let s = try ReportedStatus()
        let mailBefore = try s.f.services.outbox.list().count
        s.f.moderation.failpoint.withLock { hook in
            hook = { reached in if reached == step { throw ModerationError.injected(reached) } }
        }
        for (action, reason) in [
            (ModerationActionKind.hide, ""), (.warn, "Be kind"), (.ban, "Threats"), (.delete, ""),
        ] {
            #expect(throws: ModerationError.injected(step)) {
                try s.act(action, reason: reason, hideContent: true)
            }
        }
        #expect(!(try s.f.isHidden(status: s.status.id)))
        #expect(try s.f.membership.status(id: s.status.id) != nil)
        #expect(try s.f.member(s.bob.id)?.status == .active)
        #expect(!(try s.f.moderation.isBanned(memberID: s.bob.id)))
        #expect(try s.f.moderation.warnings(of: s.bob.id) == 0)
        #expect(try s.f.moderation.audit().isEmpty)
        #expect(s.myReport?.status == "open")
        #expect(try s.f.moderation.moderationCase(id: s.report.caseID)?.status == .open)
        #expect(try s.f.services.outbox.list().count == mailBefore)
        s.f.moderation.failpoint.withLock { $0 = nil }
        _ = try s.act(.hide)
        #expect(try s.f.isHidden(status: s.status.id))
    }
}
