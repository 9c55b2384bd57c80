import Foundation
import Groups
import Kernel
import Membership
import Testing

@testable import Messages

/// Who may write to whom, and blocking.
@Suite struct PolicyTests {
    @Test func friendsOnlyRefusesStrangersWithAClearMessageButNotModerators() throws {
        let f = try MessagesFixture(settings: ["messages": ["who_can_write": .string("friends")]])
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let mo = try f.member("Mo Moderator", role: .moderator)
        #expect(
            throws: DomainError.forbidden(
                "On this network you can write only to your friends, and Ben Ames is not your friend yet.")
        ) { try f.messages.start(.init(to: [ben.handle], body: "Hi"), by: ada) }
        _ = try f.messages.start(.init(to: [ben.handle], body: "From a moderator"), by: mo)
        let adaMember = try #require(try f.membership.member(id: ada.id))
        let benMember = try #require(try f.membership.member(id: ben.id))
        _ = try f.membership.befriend(from: adaMember, to: ben.id)
        _ = try f.membership.befriend(from: benMember, to: ada.id)
        _ = try f.messages.start(.init(to: [ben.handle], body: "Hi, friend"), by: ada)
        #expect(try f.unread(ben) == 2)
    }

    @Test func sharedGroupRefusesMembersWithoutACommonGroup() throws {
        let f = try MessagesFixture(settings: ["messages": ["who_can_write": .string("shared_group")]])
        let groups = try #require(f.services.service(GroupsService.self))
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        #expect(throws: DomainError.self) {
            try f.messages.start(.init(to: [ben.handle], body: "Hi"), by: ada)
        }
        let group = try groups.create(
            .init(name: "Phonics network", category: "Interest", visibility: .public), by: ada)
        _ = try groups.join(groupID: group.id, by: ben)
        let conversation = try f.messages.start(.init(to: [ben.handle], body: "Hi, fellow member"), by: ada)
        #expect(try f.bodies(conversation.id, as: ben) == ["Hi, fellow member"])
    }

    @Test func aBlockedMemberCannotWriteToOrAddTheBlocker() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let pair = try f.messages.start(.init(to: [ben.handle], body: "Before the block"), by: ada)
        _ = try f.messages.block(handle: ada.handle, by: ben)
        #expect(throws: DomainError.forbidden("Ben Ames does not accept messages from you.")) {
            try f.messages.start(.init(to: [ben.handle], body: "Why?"), by: ada)
        }
        #expect(throws: DomainError.forbidden("Ben Ames does not accept messages from you.")) {
            try f.messages.send("Please", in: pair.id, by: ada)
        }
        let trio = try f.messages.start(.init(to: [cara.handle], body: "Cara only"), by: ada)
        #expect(throws: DomainError.forbidden("Ben Ames does not accept messages from you.")) {
            _ = try f.messages.add([ben.handle], to: trio.id, by: ada)
        }
        // Ben no longer sees what Ada wrote, past messages included.
        #expect(try f.bodies(pair.id, as: ben).isEmpty)
        #expect(try f.unread(ben) == 0)
        // Unblocking restores it.
        try f.messages.unblock(handle: ada.handle, by: ben)
        #expect(try f.bodies(pair.id, as: ben) == ["Before the block"])
    }

    @Test func inAGroupConversationTheBlockerStopsSeeingTheBlockedMember() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Dunn")
        let group = try f.messages.start(.init(to: [ben.handle, cara.handle], body: "Hello both"), by: ada)
        try f.messages.markRead(group.id, by: ben.id)
        _ = try f.messages.block(handle: ada.handle, by: ben)
        try f.messages.send("Still here", in: group.id, by: ada)
        #expect(try f.bodies(group.id, as: cara) == ["Hello both", "Still here"])
        #expect(try f.bodies(group.id, as: ben).isEmpty)
        #expect(try f.unread(ben) == 0)
        #expect(try f.unread(cara) == 2)
    }

    @Test func moderatorsCannotBeBlockedNorCanYourself() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let mo = try f.member("Mo Moderator", role: .moderator)
        #expect(throws: DomainError.self) { _ = try f.messages.block(handle: mo.handle, by: ada) }
        #expect(throws: DomainError.self) { _ = try f.messages.block(handle: ada.handle, by: ada) }
        #expect(throws: DomainError.self) { _ = try f.messages.block(handle: "nobody-here", by: ada) }
        #expect(try f.messages.blocked(by: ada.id).isEmpty)
    }

    @Test func unknownAndSuspendedRecipientsAreRefusedAndNothingIsWritten() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        do {
            _ = try f.messages.start(.init(to: ["nobody-here"], body: "Hi"), by: ada)
            Issue.record("started a conversation with nobody")
        } catch DomainError.invalid(let errors) {
            #expect(errors.map(\.message) == ["There is no member with the handle “nobody-here”."])
        }
        #expect(throws: DomainError.self) {
            _ = try f.messages.start(.init(to: [ada.handle], body: "Me"), by: ada)
        }
        #expect(throws: DomainError.self) { _ = try f.messages.start(.init(to: [], body: "Nobody"), by: ada) }
        #expect(try f.messages.stats().conversations == 0)
    }
}
