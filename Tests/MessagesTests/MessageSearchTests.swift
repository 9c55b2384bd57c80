import Foundation
import Kernel
import Membership
import Moderation
import Testing

@testable import Messages

/// Messages in search: found by the participants who may read them and by nobody else, and
/// the answer follows every change of who may read them.
@Suite struct MessageSearchTests {
    func found(_ f: MessagesFixture, _ words: String, by member: SignedInMember) throws -> [Int64] {
        let results = try f.services.search.search(words, viewer: Viewer(member))
        return results.hits.filter { $0.kind == MessagesReportables.kind }.map(\.id)
    }

    @Test func onlyParticipantsFindAMessageAndCountsRevealNothing() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let admin = try f.member("Ann Admin", role: .admin)
        let conversation = try f.messages.start(
            .init(to: [ben.handle], subject: "Visit", body: "The quokka arrives Tuesday"), by: ada)
        let message = try #require(
            try f.messages.messages(in: conversation.id, reader: ada.id).messages.first)
        #expect(try found(f, "quokka", by: ada) == [message.id])
        #expect(try found(f, "quokka", by: ben) == [message.id])
        let hit = try #require(try f.services.search.search("quokka", viewer: Viewer(ben)).hits.first)
        #expect(hit.url == "/messages/m/\(message.id)")
        #expect(hit.title == "Ada Lovelace in “Visit”")
        #expect(try f.messages.location(ofMessage: message.id, reader: ben.id) == message.path)
        for outsider in [cara, admin] {
            let results = try f.services.search.search("quokka", viewer: Viewer(outsider))
            #expect(
                results.total == 0 && results.hits.isEmpty && results.counts.values.allSatisfy { $0 == 0 })
            #expect(results.suggestion == nil)
            #expect(try f.messages.location(ofMessage: message.id, reader: outsider.id) == nil)
        }
        #expect(try f.services.search.search("quokka", viewer: .anonymous).total == 0)
        // The subject labels the result but is not searched as the message's words.
        #expect(try found(f, "visit", by: ben).isEmpty)
    }

    @Test func aLateJoinerFindsOnlyWhatWasSaidAfterTheyWereAdded() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Earlier wombat talk"), by: ada)
        _ = try f.messages.add([cara.handle], to: conversation.id, by: ada)
        let later = try f.messages.send("Later wombat talk", in: conversation.id, by: ben)
        #expect(try found(f, "wombat", by: cara) == [later.id])
        #expect(try found(f, "wombat", by: ada).count == 2)
    }

    @Test func leavingDeletingForMeAndBlockingTakeResultsAway() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let conversation = try f.messages.start(
            .init(to: [ben.handle, cara.handle], body: "A numbat appeared"), by: ada)
        let first = try #require(try f.messages.messages(in: conversation.id, reader: ada.id).messages.first)
        let fromBen = try f.messages.send("Another numbat here", in: conversation.id, by: ben)

        try f.messages.dismiss(messageID: first.id, by: cara.id)
        #expect(try found(f, "numbat", by: cara) == [fromBen.id])
        #expect(Set(try found(f, "numbat", by: ben)) == [first.id, fromBen.id])

        _ = try f.messages.block(handle: ben.handle, by: ada)
        #expect(try found(f, "numbat", by: ada) == [first.id])
        try f.messages.unblock(handle: ben.handle, by: ada)
        #expect(Set(try found(f, "numbat", by: ada)) == [first.id, fromBen.id])

        try f.messages.leave(conversation.id, by: cara.id)
        #expect(try found(f, "numbat", by: cara).isEmpty)
        #expect(Set(try found(f, "numbat", by: ben)) == [first.id, fromBen.id])
    }

    @Test func heldHiddenSuspendedAndErasedFollowTheConversationPage() throws {
        let f = try MessagesFixture(settings: ["moderation": ["held_words": .list([.string("casino")])]])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let mo = try f.member("Mo Moderator", role: .moderator)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Platypus plans"), by: ada)
        let held = try f.messages.send("Platypus casino", in: conversation.id, by: ada)
        // Held: only its sender finds it; moderators do not search messages.
        #expect(try found(f, "casino", by: ada) == [held.id])
        #expect(try found(f, "casino", by: ben).isEmpty)
        #expect(try found(f, "casino", by: mo).isEmpty)
        try f.approveHeld(held.id, by: mo)
        #expect(try found(f, "casino", by: ben) == [held.id])
        #expect(try found(f, "casino", by: mo).isEmpty)

        // A suspended sender's messages leave the others' results, as they leave the page.
        _ = try f.membership.suspend(memberID: ada.id, by: nil)
        #expect(try found(f, "platypus", by: ben).isEmpty)
        _ = try f.membership.reinstate(memberID: ada.id)
        #expect(try found(f, "platypus", by: ben).count == 2)

        // Erased: the text leaves the index for everyone.
        try f.services.database.write { db in try f.messages.erase(memberID: ada.id, in: db) }
        #expect(try found(f, "platypus", by: ben).isEmpty)
    }
}
