import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Moderation

/// Moderation works on every module's kinds, including modules bootstrapped after it.
@Suite struct OtherModulesTests {
    static let modules: [any FeatureModule.Type] = [
        MembershipModule.self, ModerationModule.self, NotesModule.self,
    ]

    func fixture(_ settings: [String: SettingValue] = [:]) throws -> (ModerationFixture, NotesService) {
        let f = try ModerationFixture(settings: settings, modules: Self.modules)
        let notes = try #require(f.services.service(NotesService.self))
        return (f, notes)
    }

    @Test func aKindRegisteredByALaterModuleCanBeReportedHiddenAndDeleted() throws {
        let (f, notes) = try fixture()
        #expect(f.moderation.kinds.map(\.kind).contains("note"))
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let note = try notes.post(by: bob.id, "Lesson plan for sale")
        let report = try f.moderation.fileReport(
            by: alice, kind: "note", itemID: note, category: "copyright", comment: "Not theirs")
        #expect(try f.moderation.moderationCase(id: report.caseID)?.title == "Lesson plan for sale")
        try f.moderation.act(caseID: report.caseID, ActionRequest(action: .hide), by: moderator.moderator)
        #expect(try notes.isHidden(note) == true)
        try f.moderation.act(
            caseID: report.caseID, ActionRequest(action: .delete, reason: "Copyright"),
            by: moderator.moderator)
        #expect(try notes.isHidden(note) == nil)
        #expect(try f.moderation.audit().first?.targetTitle == "Lesson plan for sale")
    }

    @Test func suspendingWithHiddenContentHidesEveryModulesItemsAndReinstatingShowsThem() throws {
        let (f, notes) = try fixture()
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let first = try notes.post(by: bob.id, "One")
        let second = try notes.post(by: bob.id, "Two")
        try f.moderation.act(
            memberID: bob.id, ActionRequest(action: .suspend, reason: "Spam"), by: moderator.moderator)
        #expect(try notes.isHidden(first) == false)
        try f.moderation.act(memberID: bob.id, ActionRequest(action: .reinstate), by: moderator.moderator)
        let entry = try f.moderation.act(
            memberID: bob.id, ActionRequest(action: .suspend, reason: "Spam", hideContent: true),
            by: moderator.moderator)
        #expect(entry.detail.contains("hid 2 items"))
        #expect(try notes.isHidden(first) == true)
        #expect(try notes.isHidden(second) == true)
        try f.moderation.act(memberID: bob.id, ActionRequest(action: .reinstate), by: moderator.moderator)
        #expect(try notes.isHidden(first) == false)
        #expect(try notes.isHidden(second) == false)
    }

    @Test func premoderatedModulesHoldOnlyTheirOwnPosts() throws {
        let (f, notes) = try fixture(["premoderate_modules": .list([.string("notes")])])
        let bob = try f.member("Bob")
        let note = try notes.post(by: bob.id, "Held")
        let status = try f.status(by: bob, "Not held")
        #expect(try notes.isHidden(note) == true)
        #expect(!(try f.isHidden(status: status.id)))
        #expect(try f.moderation.awaitingApproval(authorID: bob.id).map(\.kind) == ["note"])
    }
}
