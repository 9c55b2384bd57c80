import Foundation
import Kernel
import PLNTestSupport
import Testing

@testable import Messages

/// "Download my data" and "Delete my account".
@Suite struct PersonalDataTests {
    @Test func theExportHoldsTheMembersOwnMessagesAndWhatWasSentToThemOnly() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let ours = try f.messages.start(.init(to: [ben.handle], subject: "Visit", body: "From Ada"), by: ada)
        try f.messages.send("From Ben", in: ours.id, by: ben)
        _ = try f.messages.start(.init(to: [cara.handle], body: "Ada and Cara only"), by: ada)
        _ = try f.messages.block(handle: cara.handle, by: ben)
        let export = try f.services.database.read { try f.messages.export(memberID: ben.id, in: $0) }
        let text = export.jsonText(pretty: false)
        #expect(text.contains("From Ada"))
        #expect(text.contains("From Ben"))
        #expect(text.contains("\"subject\":\"Visit\""))
        #expect(!text.contains("Ada and Cara only"))
        #expect(text.contains("\"blocked\":[\"@\(cara.handle)\"]"))
    }

    @Test func deletingAnAccountRemovesTheTextOfItsMessagesForEveryone() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Ada's words"), by: ada)
        try f.messages.send("Ben's words", in: conversation.id, by: ben)
        let alone = try f.messages.start(.init(to: [ben.handle], body: "Second"), by: ada)
        try f.messages.leave(alone.id, by: ben.id)
        try f.membership.deleteAccount(memberID: ada.id, hooks: f.kernel.context.personalDataHooks)
        let page = try f.messages.messages(in: conversation.id, reader: ben.id).messages
        #expect(page.map(\.isRemoved) == [true, false])
        #expect(page.map(\.body) == ["", "Ben's words"])
        let stored = try f.services.database.read { db in
            try db.query("SELECT body FROM messages_messages ORDER BY id") { try $0.value("body") as String }
        }
        #expect(!stored.contains("Ada's words"))
        // The conversation nobody is left in is gone; the other waits for Ben.
        let conversations = try f.services.database.read { db in
            try db.query("SELECT id FROM messages_conversations ORDER BY id") { try $0.value("id") as Int64 }
        }
        #expect(conversations == [conversation.id])
        try f.messages.leave(conversation.id, by: ben.id)
        #expect(try f.messages.stats().conversations == 0)
        #expect(try f.messages.stats().messages == 0)
    }
}
