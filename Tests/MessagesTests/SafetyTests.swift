import Foundation
import Kernel
import Moderation
import Testing

@testable import Messages

/// Reporting with chosen context, the audited moderator view, rate and link limits, keyword holds.
@Suite struct SafetyTests {
    @Test func aReportedMessageReachesModeratorsWithOnlyTheChosenContext() throws {
        let f = try MessagesFixture()
        let moderation = try #require(f.services.service(ModerationService.self))
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let mo = try f.member("Mo Moderator", role: .moderator)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Private one"), by: ada)
        let two = try f.messages.send("Context two", in: conversation.id, by: ben)
        let three = try f.messages.send("The nasty one", in: conversation.id, by: ada)
        _ = try f.messages.send("Later, unrelated", in: conversation.id, by: ada)

        let choices = try f.messages.contextChoices(for: three.id, reader: ben)
        #expect(choices.earlier.map(\.body) == ["Private one", "Context two"])
        try f.messages.attachContext([two.id], to: three.id, by: ben)
        let report = try moderation.fileReport(
            by: ben, kind: MessagesReportables.kind, itemID: three.id, category: "harassment", comment: "")
        let detail = try moderation.detail(caseID: report.caseID)
        #expect(detail.moderationCase.excerpt == "The nasty one")
        #expect(detail.moderationCase.url == "/messages/reported/\(three.id)")

        // Only moderators open it; the opening is audited.
        #expect(throws: DomainError.notFound) { try f.messages.openReported(messageID: three.id, by: ben) }
        let opened = try f.messages.openReported(messageID: three.id, by: mo)
        #expect(opened.message.body == "The nasty one")
        #expect(opened.attachments.map(\.reporterName) == ["Ben Ames"])
        #expect(opened.attachments.flatMap(\.messages).map(\.body) == ["Context two"])
        let audit = try moderation.audit(limit: 5)
        #expect(audit.first?.action == .viewPrivate)
        #expect(audit.first?.targetID == three.id)
        #expect(audit.first?.actorName == "Mo Moderator")
        // A message nobody reported stays closed to moderators.
        let unreported = try #require(
            try f.messages.messages(in: conversation.id, reader: ada.id).messages.first)
        #expect(throws: DomainError.notFound) {
            try f.messages.openReported(messageID: unreported.id, by: mo)
        }
    }

    @Test func contextMustBeEarlierMessagesTheReporterSees() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let other = try f.messages.start(.init(to: [cara.handle], body: "Not Ben's"), by: ada)
        let elsewhere = try #require(try f.messages.messages(in: other.id, reader: ada.id).messages.first)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Hello"), by: ada)
        let reported = try f.messages.send("Reported", in: conversation.id, by: ada)
        let after = try f.messages.send("After", in: conversation.id, by: ada)
        for stray in [elsewhere.id, after.id, reported.id] {
            #expect(throws: DomainError.self) {
                try f.messages.attachContext([stray], to: reported.id, by: ben)
            }
        }
        #expect(throws: DomainError.self) { try f.messages.attachContext([], to: reported.id, by: ada) }
    }

    @Test func anOutsiderCannotReportAMessage() throws {
        let f = try MessagesFixture()
        let moderation = try #require(f.services.service(ModerationService.self))
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let carl = try f.member("Carl Outsider")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Between us"), by: ada)
        let message = try #require(
            try f.messages.messages(in: conversation.id, reader: ben.id).messages.first)
        #expect(throws: DomainError.notFound) {
            _ = try moderation.fileReport(
                by: carl, kind: MessagesReportables.kind, itemID: message.id, category: "spam", comment: "")
        }
    }

    @Test func aMemberIsRateLimited() throws {
        let f = try MessagesFixture(settings: [
            "messages": ["messages_per_hour": .int(3), "conversations_per_hour": .int(2)]
        ])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "1"), by: ada)
        try f.messages.send("2", in: conversation.id, by: ada)
        _ = try f.messages.start(.init(to: [cara.handle], body: "3"), by: ada)
        #expect(
            throws: DomainError.rateLimited(
                "You have sent 3 messages in the last hour, the most this network allows. Please wait a while before sending more."
            )
        ) { try f.messages.send("4", in: conversation.id, by: ada) }
        #expect(throws: DomainError.self) {
            _ = try f.messages.start(.init(to: [cara.handle], body: "5"), by: ada)
        }
        f.clock.advance(by: 3601)
        try f.messages.send("Later", in: conversation.id, by: ada)
    }

    @Test func aNewMembersMessageWithTooManyLinksIsRefused() throws {
        let f = try MessagesFixture()
        let newcomer = try f.newMember("Nina New")
        let old = try f.member("Olly Old")
        let ben = try f.member("Ben Ames")
        let links = "See https://a.example and https://b.example"
        do {
            _ = try f.messages.start(.init(to: [ben.handle], body: links), by: newcomer)
            Issue.record("a new member's links went through")
        } catch DomainError.invalid(let errors) {
            #expect(
                errors.first?.message
                    == "For your first 7 days on the network a message may hold at most 1 link; this one has 2."
            )
        }
        _ = try f.messages.start(.init(to: [ben.handle], body: "See https://a.example"), by: newcomer)
        _ = try f.messages.start(.init(to: [ben.handle], body: links), by: old)
    }

    @Test func aHeldWordHoldsTheMessageUntilAModeratorApprovesIt() throws {
        let f = try MessagesFixture(settings: ["moderation": ["held_words": .list([.string("casino")])]])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let mo = try f.member("Mo Moderator", role: .moderator)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Hello"), by: ada)
        try f.messages.markRead(conversation.id, by: ben.id)
        let held = try f.messages.send("Visit my casino", in: conversation.id, by: ada)
        #expect(held.isHidden)
        #expect(try f.bodies(conversation.id, as: ben) == ["Hello"])
        #expect(try f.bodies(conversation.id, as: ada) == ["Hello", "Visit my casino"])
        #expect(try f.unread(ben) == 0)
        // The moderator may open a held message (audited) to decide.
        _ = try f.messages.openReported(messageID: held.id, by: mo)
        try f.approveHeld(held.id, by: mo)
        #expect(try f.bodies(conversation.id, as: ben) == ["Hello", "Visit my casino"])
        #expect(try f.unread(ben) == 1)
    }
}
