import Foundation
import Kernel
import Membership
import Moderation
import Testing

@testable import Messages

/// New messages through the notifications service: one notification (and mail) per
/// conversation until it is read, no text unless the member asks for it, the member's channel,
/// and nothing for anyone who may not see the message.
@Suite struct NotificationTests {
    func mails(_ f: MessagesFixture, to member: SignedInMember) throws -> [OutboxMessage] {
        try f.services.outbox.list().filter {
            $0.memberID == member.id && $0.subject.contains("private message")
        }
    }

    @Test func aBurstMailsOnceWithoutTheTextAndTheBellLinksToTheConversation() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let conversation = try f.messages.start(
            .init(to: [ben.handle], subject: "Safeguarding", body: "The secret code is 1234"), by: ada)
        try f.messages.send("And another", in: conversation.id, by: ada)
        try f.messages.send("And a third", in: conversation.id, by: ada)
        var mails = try mails(f, to: ben)
        #expect(mails.count == 1)
        #expect(mails.first?.subject == "Ada Lovelace sent you a private message")
        #expect(mails.first?.body.contains("https://pln.example.org/messages/\(conversation.id)") == true)
        #expect(mails.first?.html?.contains("https://pln.example.org/messages/\(conversation.id)") == true)
        for mail in mails {
            for secret in ["1234", "another", "third", "Safeguarding"] {
                #expect(!mail.body.contains(secret) && !mail.subject.contains(secret))
                #expect(mail.html?.contains(secret) == false)
            }
            #expect(mail.headers.contains { $0.name == "List-Unsubscribe" })
        }
        let bell = try f.services.notifications.list(memberID: ben.id).items
        #expect(bell.count == 1)
        #expect(bell.first?.link == "/messages/\(conversation.id)")
        #expect(bell.first?.sentence == "Ada Lovelace sent you a private message")
        #expect(bell.first?.excerpt == "")
        #expect(try f.services.notifications.unreadCount(memberID: ada.id) == 0)
        // Read, then written to again: a new mail. Reading marks the bell's notification read.
        try f.messages.markRead(conversation.id, by: ben.id)
        #expect(try f.services.notifications.unreadCount(memberID: ben.id) == 0)
        try f.messages.send("After reading", in: conversation.id, by: ada)
        mails = try self.mails(f, to: ben)
        #expect(mails.count == 2)
        #expect(try self.mails(f, to: ada).isEmpty)
    }

    @Test func theMemberChoosesTheChannelAndWhetherTheTextIsIncluded() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        #expect(try f.messages.mailSettings(of: ben.id) == (.email, .notifyOnly))
        try f.messages.setMailSettings(channel: .email, text: .included, memberID: ben.id)
        try f.messages.setMailSettings(channel: .off, text: .notifyOnly, memberID: cara.id)
        #expect(try f.messages.mailSettings(of: ben.id) == (.email, .included))
        _ = try f.messages.start(.init(to: [ben.handle, cara.handle], body: "Tuesday at **ten**?"), by: ada)
        let mail = try #require(try mails(f, to: ben).first)
        #expect(mail.body.contains("Tuesday at ten?"))
        #expect(try f.services.notifications.list(memberID: ben.id).items.first?.excerpt == "Tuesday at ten?")
        // Off: nothing in the bell, no mail.
        #expect(try mails(f, to: cara).isEmpty)
        #expect(try f.services.notifications.unreadCount(memberID: cara.id) == 0)
        // The digest: in the bell now, no mail at once.
        try f.messages.setMailSettings(channel: .digest, text: .notifyOnly, memberID: cara.id)
        let other = try f.messages.start(.init(to: [cara.handle], body: "Digest me"), by: ada)
        #expect(try mails(f, to: cara).isEmpty)
        #expect(try f.services.notifications.list(memberID: cara.id).items.map(\.link) == [other.path])
        // Both choices go with "Download my data".
        let export = try f.services.database.read { db in try f.messages.export(memberID: ben.id, in: db) }
        #expect(export["notification_text"] == .string("include_text"))
    }

    @Test func nobodyWhoMayNotSeeTheMessageIsNotified() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace", role: .moderator)  // not rate limited
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let dan = try f.member("Dan Ellis")
        let eve = try f.member("Eve Fox")
        let outsider = try f.member("Olga Outsider")
        let conversation = try f.messages.start(
            .init(to: [ben.handle, cara.handle, dan.handle, eve.handle], body: "Hello all"), by: ada)
        for member in [ben, cara, dan, eve] { try f.messages.markRead(conversation.id, by: member.id) }
        try f.messages.leave(conversation.id, by: cara.id)
        _ = try f.messages.block(handle: eve.handle, by: dan)  // Dan blocks Eve
        _ = try f.membership.suspend(memberID: ben.id, by: nil)
        let before = try f.services.outbox.list().count
        try f.messages.send("From Eve", in: conversation.id, by: eve)
        // Ada (active) is notified; Ben is suspended, Cara left, Dan blocks Eve, Olga is no participant.
        #expect(try f.services.notifications.list(memberID: ada.id).items.count == 1)
        for member in [ben, cara, dan, outsider] {
            #expect(
                try f.services.notifications.list(memberID: member.id).items.allSatisfy {
                    $0.actors.first?.id != eve.id
                })
        }
        #expect(try f.services.outbox.list().count == before + 1)
        #expect(try mails(f, to: outsider).isEmpty)
    }

    @Test func aHeldMessageNotifiesNobodyUntilReleased() throws {
        let f = try MessagesFixture(settings: ["moderation": ["held_words": .list([.string("casino")])]])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let mo = try f.member("Mo Moderator", role: .moderator)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Hello"), by: ada)
        try f.messages.markRead(conversation.id, by: ben.id)
        _ = try f.services.notifications.markAllRead(memberID: ben.id)
        let held = try f.messages.send("Visit my casino", in: conversation.id, by: ada)
        #expect(try f.services.notifications.unreadCount(memberID: ben.id) == 0)
        #expect(try mails(f, to: ben).count == 1)
        try f.approveHeld(held.id, by: mo)
        #expect(try f.services.notifications.unreadCount(memberID: ben.id) == 1)
        #expect(try mails(f, to: ben).count == 2)
    }
}
