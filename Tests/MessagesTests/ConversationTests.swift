import Foundation
import Kernel
import Testing

@testable import Messages

/// Conversations: starting, replying, unread counts, the inbox, adding people later, leaving,
/// archiving, deleting for oneself, pages, read receipts.
@Suite struct ConversationTests {
    @Test func twoMembersExchangeMessagesAndUnreadCountsFollow() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let started = try f.messages.start(
            .init(to: ["@" + ben.handle], subject: "School visit", body: "Tuesday?"), by: ada)
        #expect(started.participants.map(\.memberID) == [ada.id, ben.id])
        #expect(try f.unread(ben) == 1)
        #expect(try f.unread(ada) == 0)
        try f.messages.send("Or Wednesday.", in: started.id, by: ada)
        #expect(try f.unread(ben) == 2)
        let inbox = try f.messages.inbox(of: ben.id).conversations
        #expect(inbox.map(\.id) == [started.id])
        #expect(inbox.first?.unread == 2)
        #expect(inbox.first?.latest?.body == "Or Wednesday.")
        #expect(inbox.first?.title(for: ben.id) == "School visit")
        try f.messages.markRead(started.id, by: ben.id)
        #expect(try f.unread(ben) == 0)
        try f.messages.send("Wednesday works.", in: started.id, by: ben)
        #expect(try f.unread(ada) == 1)
        #expect(try f.bodies(started.id, as: ada) == ["Tuesday?", "Or Wednesday.", "Wednesday works."])
    }

    @Test func theInboxPutsTheMostRecentlyActiveConversationFirstAndPages() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace", role: .moderator)  // moderators are not rate limited
        var ids: [Int64] = []
        for index in 0..<5 {
            let other = try f.member("Member \(index)")
            ids.append(try f.messages.start(.init(to: [other.handle], body: "Hello \(index)"), by: ada).id)
        }
        try f.messages.send("Back to the first", in: ids[0], by: ada)
        let first = try f.messages.inbox(of: ada.id, limit: 2)
        #expect(first.conversations.map(\.id) == [ids[0], ids[4]])
        let second = try f.messages.inbox(of: ada.id, before: first.next, limit: 2)
        #expect(second.conversations.map(\.id) == [ids[3], ids[2]])
        let third = try f.messages.inbox(of: ada.id, before: second.next, limit: 2)
        #expect(third.conversations.map(\.id) == [ids[1]])
        #expect(third.next == nil)
    }

    @Test func someoneAddedLaterSeesOnlyFromTheMomentTheyWereAdded() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Before Cara"), by: ada)
        let added = try f.messages.add([cara.handle], to: conversation.id, by: ben)
        #expect(added.map(\.id) == [cara.id])
        #expect(try f.bodies(conversation.id, as: cara).isEmpty)
        #expect(try f.unread(cara) == 0)
        try f.messages.send("Welcome, Cara", in: conversation.id, by: ada)
        #expect(try f.bodies(conversation.id, as: cara) == ["Welcome, Cara"])
        #expect(try f.unread(cara) == 1)
        let first = try #require(try f.messages.messages(in: conversation.id, reader: ada.id).messages.first)
        #expect(try f.messages.message(id: first.id, reader: cara.id) == nil)
        // Her export has only what she could see.
        let export = try f.services.database.read { try f.messages.export(memberID: cara.id, in: $0) }
        #expect(!export.jsonText(pretty: false).contains("Before Cara"))
    }

    @Test func aConversationHoldsAtMostTheConfiguredNumberOfMembers() throws {
        let f = try MessagesFixture(settings: ["messages": ["max_participants": .int(3)]])
        let ada = try f.member("Ada Lovelace")
        let others = try (0..<3).map { try f.member("Other \($0)") }
        #expect(throws: DomainError.self) {
            try f.messages.start(.init(to: others.map(\.handle), body: "Too many"), by: ada)
        }
        let conversation = try f.messages.start(
            .init(to: others.prefix(2).map(\.handle), body: "Fine"), by: ada)
        do {
            _ = try f.messages.add([others[2].handle], to: conversation.id, by: ada)
            Issue.record("a fourth member was added")
        } catch DomainError.invalid(let errors) {
            #expect(errors.first?.message == "A conversation can have at most 3 members, you included.")
        }
    }

    @Test func leavingRemovesTheConversationFromViewAndTheLastOneOutPurgesIt() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Hi"), by: ada)
        try f.messages.leave(conversation.id, by: ada.id)
        #expect(try f.messages.conversation(id: conversation.id, reader: ada.id) == nil)
        #expect(try f.messages.inbox(of: ada.id).conversations.isEmpty)
        #expect(try f.bodies(conversation.id, as: ben) == ["Hi"])
        // Nobody left to read a reply.
        #expect(throws: DomainError.self) { try f.messages.send("Anyone?", in: conversation.id, by: ben) }
        try f.messages.leave(conversation.id, by: ben.id)
        let rows = try f.services.database.read { db in
            (
                try db.scalar("SELECT COUNT(*) FROM messages_conversations", as: Int.self),
                try db.scalar("SELECT COUNT(*) FROM messages_messages", as: Int.self)
            )
        }
        #expect(rows.0 == 0 && rows.1 == 0)
    }

    @Test func deletingAMessageForMeLeavesItForTheOthers() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "One"), by: ada)
        let two = try f.messages.send("Two", in: conversation.id, by: ada)
        #expect(try f.unread(ben) == 2)
        try f.messages.dismiss(messageID: two.id, by: ben.id)
        #expect(try f.bodies(conversation.id, as: ben) == ["One"])
        #expect(try f.bodies(conversation.id, as: ada) == ["One", "Two"])
        #expect(try f.unread(ben) == 1)
    }

    @Test func archivingMovesAConversationOutOfTheInboxUntilANewMessage() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "One"), by: ada)
        try f.messages.setArchived(true, conversationID: conversation.id, by: ben.id)
        #expect(try f.messages.inbox(of: ben.id).conversations.isEmpty)
        #expect(try f.messages.inbox(of: ben.id, box: .archived).conversations.map(\.id) == [conversation.id])
        try f.messages.send("Two", in: conversation.id, by: ada)
        #expect(try f.messages.inbox(of: ben.id).conversations.map(\.id) == [conversation.id])
    }

    @Test func aLongConversationOpensOnItsNewestPage() throws {
        // Moderation holds a member's posts past 30 an hour unless told otherwise.
        let f = try MessagesFixture(settings: [
            "messages": ["messages_per_hour": .int(1000)], "moderation": ["posts_per_hour": .int(0)],
        ])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "1"), by: ada)
        for number in 2...75 {
            try f.messages.send("\(number)", in: conversation.id, by: number % 2 == 0 ? ben : ada)
        }
        let newest = try f.messages.messages(in: conversation.id, reader: ada.id)
        #expect(newest.messages.map(\.body) == (46...75).map(String.init))
        let earlier = try f.messages.messages(in: conversation.id, reader: ada.id, before: newest.earlier)
        #expect(earlier.messages.map(\.body) == (16...45).map(String.init))
        let first = try f.messages.messages(in: conversation.id, reader: ada.id, before: earlier.earlier)
        #expect(first.messages.map(\.body) == (1...15).map(String.init))
        #expect(first.earlier == nil)
    }

    @Test func anOutsiderGetsNotFoundForEverything() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let carl = try f.member("Carl Outsider")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Secret plan"), by: ada)
        let message = try #require(
            try f.messages.messages(in: conversation.id, reader: ada.id).messages.first)
        #expect(try f.messages.conversation(id: conversation.id, reader: carl.id) == nil)
        #expect(try f.messages.message(id: message.id, reader: carl.id) == nil)
        #expect(try f.messages.isVisible(messageID: message.id, to: carl.id) == false)
        #expect(try f.messages.conversationIDs(of: carl.id).isEmpty)
        #expect(try f.messages.inbox(of: carl.id).conversations.isEmpty)
        #expect(throws: DomainError.notFound) {
            try f.messages.messages(in: conversation.id, reader: carl.id)
        }
        #expect(throws: DomainError.notFound) {
            try f.messages.send("Let me in", in: conversation.id, by: carl)
        }
        #expect(throws: DomainError.notFound) {
            try f.messages.add([carl.handle], to: conversation.id, by: carl)
        }
        #expect(throws: DomainError.notFound) { try f.messages.dismiss(messageID: message.id, by: carl.id) }
        #expect(throws: DomainError.notFound) { try f.messages.leave(conversation.id, by: carl.id) }
        #expect(throws: DomainError.notFound) {
            try f.messages.setArchived(true, conversationID: conversation.id, by: carl.id)
        }
        #expect(throws: DomainError.notFound) { try f.messages.attachContext([], to: message.id, by: carl) }
        // Nothing about it reached the activity stream.
        let activities = try f.services.database.read { db in
            try db.scalar("SELECT COUNT(*) FROM activities WHERE module = 'messages'", as: Int.self)
        }
        #expect(activities == 0)
    }

    @Test func readReceiptsAreOffByDefault() throws {
        #expect(try MessagesFixture().messages.readReceipts == false)
        #expect(
            try MessagesFixture(settings: ["messages": ["read_receipts": .bool(true)]]).messages.readReceipts)
    }
}
