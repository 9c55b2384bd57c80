import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Synchronization
import Testing

@testable import Moderation

/// Looks at a new note the moment its transaction commits, before any other module hears of it:
/// what an anonymous reader (or a crash) would find at that instant.
struct ProbeModule: FeatureModule {
    static let manifest = ModuleManifest(
        id: "probe", title: "Probe", summary: "Sees new content right after commit.",
        dependencies: ["membership"])
    static let seen = Mutex<[(hidden: Bool, screened: Bool)]>([])
    var migrations: [Migration] { [] }

    func bootstrap(_ context: ModuleContext) throws {
        let database = context.services.database
        context.on(ContentEvent.self) { event in
            guard event.action == .created, event.kind == "note" else { return }
            let state = try database.read { db in
                (
                    hidden: try db.scalar("SELECT hidden FROM notes WHERE id = ?", [event.id], as: Bool.self)
                        ?? false,
                    screened: try db.scalar(
                        "SELECT 1 FROM moderation_content WHERE kind = 'note' AND item_id = ?", [event.id],
                        as: Int.self)
                        != nil
                )
            }
            Self.seen.withLock { $0.append(state) }
        }
    }
}

@Suite(.serialized) struct ScreeningTests {
    // The probe is bootstrapped before moderation, so it hears of each note first.
    static let modules: [any FeatureModule.Type] = [
        MembershipModule.self, ProbeModule.self, ModerationModule.self, NotesModule.self,
    ]

    @Test func aPremoderatedItemIsHiddenAndRecordedWhenItsTransactionCommits() throws {
        ProbeModule.seen.withLock { $0.removeAll() }
        let f = try ModerationFixture(
            settings: ["premoderate_modules": .list([.string("notes")])], modules: Self.modules)
        let notes = try #require(f.services.service(NotesService.self))
        let bob = try f.member("Bob")
        for n in 1...5 { _ = try notes.post(by: bob.id, "Note \(n)") }
        let seen = ProbeModule.seen.withLock { $0 }
        #expect(seen.count == 5)
        #expect(seen.allSatisfy { $0.hidden && $0.screened })
        #expect(try f.moderation.awaitingApproval(authorID: bob.id).count == 5)
    }

    @Test func everyPublishedItemIsRecordedInItsOwnTransactionSoRateLimitsCountIt() throws {
        ProbeModule.seen.withLock { $0.removeAll() }
        let f = try ModerationFixture(settings: ["posts_per_hour": .int(3)], modules: Self.modules)
        let notes = try #require(f.services.service(NotesService.self))
        let bob = try f.member("Bob")
        let ids = try (1...4).map { try notes.post(by: bob.id, "Note \($0)") }
        let seen = ProbeModule.seen.withLock { $0 }
        #expect(seen.map(\.screened) == [true, true, true, true])
        #expect(seen.map(\.hidden) == [false, false, false, true])
        #expect(try notes.isHidden(ids[3]) == true)
    }

    @Test func aFailingGateRollsTheWholeWriteBack() throws {
        let f = try ModerationFixture(modules: Self.modules)
        let notes = try #require(f.services.service(NotesService.self))
        let bob = try f.member("Bob")
        // The gate fails inside the writer's transaction: no note, no record, no event.
        try f.services.database.write { db in try db.execute("DROP TABLE moderation_content") }
        #expect(throws: StorageError.self) { try notes.post(by: bob.id, "Lost?") }
        #expect(try f.count("SELECT COUNT(*) FROM notes") == 0)
    }
}
