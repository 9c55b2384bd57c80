import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// A module disabled, or disabled and purged: its moderation records neither show nor attach
/// themselves to anything new.
@Suite struct DisabledModuleTests {
    static let modules: [any FeatureModule.Type] = [
        MembershipModule.self, ModerationModule.self, NotesModule.self,
    ]

    /// Bob's note, reported by Alice, and Bob's second note held for approval (premoderated).
    struct Reported {
        var folder: String
        var caseID: Int64
        var heldCaseID: Int64
        var noteIDs: [Int64]
        var bobID: Int64
    }

    func reportedNotes() throws -> Reported {
        let f = try ModerationFixture(modules: Self.modules)
        defer { f.network.stop() }
        let notes = try #require(f.services.service(NotesService.self))
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        _ = try f.member("Mo", role: .moderator)
        let first = try notes.post(by: bob.id, "Lesson plans for sale")
        let report = try f.moderation.fileReport(
            by: alice, kind: "note", itemID: first, category: "spam", comment: "")
        let second = try notes.post(by: bob.id, "Cheap essays, again")
        let held = try f.moderation.fileReport(
            by: alice, kind: "note", itemID: second, category: "spam", comment: "")
        return Reported(
            folder: f.network.folder, caseID: report.caseID, heldCaseID: held.caseID,
            noteIDs: [first, second],
            bobID: bob.id)
    }

    func network(_ folder: String, notes enabled: Bool) throws -> TestNetwork {
        try TestNetwork(
            modules: Self.modules, enabled: ["membership", "moderation"] + (enabled ? ["notes"] : []),
            folder: folder)
    }

    @Test func theQueueOfADeploymentWithoutTheModuleShowsNoneOfItsCases() throws {
        let reported = try reportedNotes()
        let network = try network(reported.folder, notes: false)
        defer { network.stop() }
        let moderation = try #require(network.services.service(ModerationService.self))
        #expect(try moderation.queue(QueueFilter(status: "all")).cases.isEmpty)
        #expect(try moderation.moderationCase(id: reported.caseID) == nil)
        #expect(throws: DomainError.notFound) { try moderation.detail(caseID: reported.caseID) }
        #expect(throws: DomainError.notFound) { try moderation.assign(caseID: reported.caseID, to: nil) }
        let mo = network.client()
        try mo.signIn("mo")
        let queue = try mo.get("/moderation?status=all")
        #expect(queue.status == 200)
        #expect(!queue.text.contains("Lesson plans"))
        #expect(try mo.get("/moderation/cases/\(reported.caseID)").status == 404)
        // The rows stay: enabling the module again brings its cases back.
        network.stop()
        let again = try self.network(reported.folder, notes: true)
        defer { again.stop() }
        let back = try #require(again.services.service(ModerationService.self))
        #expect(try back.queue().cases.map(\.id).sorted() == [reported.caseID, reported.heldCaseID].sorted())
    }

    @Test func purgingAModuleRemovesItsModerationRecordsAndItsIdsAreNeverHandedOutAgain() throws {
        let reported = try reportedNotes()
        do {
            let disabled = try network(reported.folder, notes: false)
            defer { disabled.stop() }
            try Kernel.purge(
                moduleID: "notes", registry: ModuleRegistry(Self.modules), config: disabled.services.config,
                database: disabled.services.database)
        }
        let network = try network(reported.folder, notes: true)
        defer { network.stop() }
        let services = network.services
        let moderation = try #require(services.service(ModerationService.self))
        let notes = try #require(services.service(NotesService.self))
        func count(_ sql: String) throws -> Int {
            try services.database.read { try $0.scalar(sql, as: Int.self) ?? 0 }
        }
        #expect(try count("SELECT COUNT(*) FROM moderation_cases") == 0)
        #expect(try count("SELECT COUNT(*) FROM moderation_reports") == 0)
        #expect(try count("SELECT COUNT(*) FROM moderation_content") == 0)
        #expect(try count("SELECT COUNT(*) FROM moderation_actions WHERE case_id IS NOT NULL") == 0)

        let membership = try #require(services.service(MembershipService.self))
        let carol = try membership.join(
            .init(
                name: "Carol", email: "carol@school.example", password: "a long enough password",
                acceptsTerms: true),
            bypassSignupMode: true)
        let fresh = try notes.post(by: carol.id, "Phonics games")
        #expect(fresh > reported.noteIDs.max()!)
        #expect(try moderation.queue(QueueFilter(status: "all")).cases.isEmpty)
        // Suspending the old author "with their content hidden" touches nothing of Carol's.
        let mo = try #require(try membership.member(handle: "mo"))
        try moderation.act(
            memberID: reported.bobID, ActionRequest(action: .suspend, reason: "Spam", hideContent: true),
            by: ModeratorRef(
                member: SignedInMember(id: mo.id, handle: mo.handle, name: mo.name, role: mo.role)))
        #expect(try notes.isHidden(fresh) == false)
    }

    @Test func deletingTheNewestItemDoesNotHandItsIdToTheNextOne() throws {
        let f = try ModerationFixture(modules: Self.modules)
        let notes = try #require(f.services.service(NotesService.self))
        let alice = try f.member("Alice")
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let spam = try notes.post(by: bob.id, "Spam")
        let report = try f.moderation.fileReport(
            by: alice, kind: "note", itemID: spam, category: "spam", comment: "")
        try f.moderation.act(
            caseID: report.caseID, ActionRequest(action: .delete, reason: "Spam"), by: moderator.moderator)
        let next = try notes.post(by: alice.id, "A fine note")
        #expect(next != spam)
        // Reporting the new note opens a new case, not the old one with Bob's history.
        let carol = try f.member("Carol")
        let fresh = try f.moderation.fileReport(
            by: carol, kind: "note", itemID: next, category: "spam", comment: "")
        #expect(fresh.caseID != report.caseID)
    }
}
