import Foundation
import Kernel
import Membership
import Testing

@testable import Groups

@Suite("Groups: joining, requests, invitations, bans, roles")
struct GroupMembershipTests {
    @Test(
        "public groups: anyone joins at once; private: a request the chairs approve; hidden: invitation only")
    func joiningByVisibility() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let open = try fixture.group("Open", .public, owner: owner)
        let closed = try fixture.group("Closed", .private, owner: owner)
        let secret = try fixture.group("Secret", .hidden, owner: owner)

        #expect(try fixture.groups.join(groupID: open.id, by: sam) == .joined)
        #expect(try fixture.groups.membership(groupID: open.id, memberID: sam.id)?.state == .active)
        #expect(try fixture.groups.group(id: open.id)?.memberCount == 2)

        #expect(try fixture.groups.join(groupID: closed.id, by: sam, message: "Please") == .requested)
        #expect(try fixture.groups.access(to: closed, for: sam).canReadContent == false)
        #expect(try fixture.groups.access(to: closed, for: sam).hasRequested)

        #expect(throws: DomainError.notFound) { try fixture.groups.join(groupID: secret.id, by: sam) }
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleGroup(slug: secret.slug, for: sam)
        }

        // A request left waiting when the group turns public becomes a plain join.
        _ = try fixture.groups.update(
            groupID: closed.id, .init(name: "Closed", category: "Cluster", visibility: .public), by: owner)
        #expect(try fixture.groups.join(groupID: closed.id, by: sam) == .joined)
    }

    @Test("a site member still waiting for approval cannot join, ask or post")
    func pendingSiteMembers() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        var pending = try fixture.member("Pending")
        pending.isPending = true
        let open = try fixture.group("Open", .public, owner: owner)
        let closed = try fixture.group("Closed", .private, owner: owner)
        #expect(throws: DomainError.self) { try fixture.groups.join(groupID: open.id, by: pending) }
        #expect(throws: DomainError.self) { try fixture.groups.request(groupID: closed.id, by: pending) }
        #expect(try fixture.groups.access(to: open, for: pending).canJoinDirectly == false)
        #expect(try fixture.groups.membership(groupID: open.id, memberID: pending.id) == nil)
    }

    @Test("a chair approves a request; an ordinary member cannot; a refused member may ask again")
    func requests() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let member = try fixture.member("Mo")
        let sam = try fixture.member("Sam")
        let tia = try fixture.member("Tia")
        let group = try fixture.group("Heads", .private, owner: owner)
        try fixture.add(member, to: group, by: owner)
        try fixture.groups.request(groupID: group.id, by: sam)
        try fixture.groups.request(groupID: group.id, by: tia)
        #expect(throws: DomainError.forbidden("Only the group's chairs can do that.")) {
            try fixture.groups.approve(groupID: group.id, memberID: sam.id, by: member)
        }
        try fixture.groups.approve(groupID: group.id, memberID: sam.id, by: owner)
        #expect(try fixture.groups.access(to: group, for: sam).isMember)
        #expect(fixture.groups.groupIDs(of: sam.id) == [group.id])
        try fixture.groups.refuse(groupID: group.id, memberID: tia.id, by: owner)
        #expect(try fixture.groups.membership(groupID: group.id, memberID: tia.id) == nil)
        #expect(try fixture.groups.request(groupID: group.id, by: tia) == .requested)
        // Chairs heard of both requests, and Sam of the approval.
        let subjects = try fixture.outbox().map(\.subject)
        #expect(subjects.filter { $0.contains("asked to join Heads") }.count == 3)
        #expect(subjects.contains("Owner approved your request to join Heads"))
    }

    @Test("an invitation lets a member see a hidden group and join it; declining removes it")
    func invitations() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let tia = try fixture.member("Tia")
        let group = try fixture.group("Secret", .hidden, owner: owner)
        try fixture.groups.invite(groupID: group.id, memberID: sam.id, by: owner, message: "Join us")
        try fixture.groups.invite(groupID: group.id, memberID: tia.id, by: owner)
        let (_, access) = try fixture.groups.visibleGroup(slug: group.slug, for: sam)
        #expect(access.isInvited && !access.canReadContent)
        #expect(
            try fixture.outbox().contains {
                $0.subject == "Owner invited you to join Secret" && $0.body.contains("Join us")
            })
        #expect(try fixture.groups.join(groupID: group.id, by: sam) == .joined)
        #expect(try fixture.groups.access(to: group, for: sam).canReadContent)
        try fixture.groups.leave(groupID: group.id, by: tia)
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleGroup(slug: group.slug, for: tia)
        }
        try fixture.groups.invite(groupID: group.id, memberID: tia.id, by: owner)
        #expect(throws: DomainError.conflict("Tia has already been invited.")) {
            try fixture.groups.invite(groupID: group.id, memberID: tia.id, by: owner)
        }
        #expect(throws: DomainError.conflict("Sam is already a member.")) {
            try fixture.groups.invite(groupID: group.id, memberID: sam.id, by: owner)
        }
    }

    @Test("a banned member cannot ask or be invited until unbanned, and loses access at once")
    func bans() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Heads", .private, owner: owner)
        try fixture.add(sam, to: group, by: owner)
        #expect(fixture.groups.groupIDs(of: sam.id) == [group.id])
        try fixture.groups.ban(groupID: group.id, memberID: sam.id, by: owner)
        #expect(fixture.groups.groupIDs(of: sam.id).isEmpty)
        #expect(try fixture.groups.access(to: group, for: sam).canReadContent == false)
        #expect(throws: DomainError.forbidden("The group's chairs have removed you from this group.")) {
            try fixture.groups.request(groupID: group.id, by: sam)
        }
        #expect(
            throws: DomainError.conflict("Sam is banned from this group: lift the ban before inviting them.")
        ) {
            try fixture.groups.invite(groupID: group.id, memberID: sam.id, by: owner)
        }
        try fixture.groups.unban(groupID: group.id, memberID: sam.id, by: owner)
        #expect(try fixture.groups.request(groupID: group.id, by: sam) == .requested)
    }

    @Test("a removed member loses group scopes, content and follow mail at once")
    func removal() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Heads", .private, owner: owner)
        try fixture.add(sam, to: group, by: owner)
        let topic = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "Budgets", body: "Let us talk.")
        try fixture.groups.remove(groupID: group.id, memberID: sam.id, by: owner)
        #expect(fixture.groups.groupIDs(of: sam.id).isEmpty)
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: sam)
        }
        #expect(throws: DomainError.forbidden("Join the group to take part in its discussions.")) {
            _ = try fixture.groups.reply(to: topic.id, by: sam, body: "Still here?")
        }
        #expect(try fixture.groups.isFollowing(discussionID: topic.id, memberID: sam.id) == false)
        #expect(try fixture.groups.group(id: group.id)?.memberCount == 1)
    }

    @Test("chairs promote; only the owner demotes or removes chairs; nobody removes the owner")
    func roles() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let chair = try fixture.member("Chair")
        let other = try fixture.member("Other")
        let plain = try fixture.member("Plain")
        let group = try fixture.group("Heads", .public, owner: owner)
        for person in [chair, other, plain] { try fixture.groups.join(groupID: group.id, by: person) }
        #expect(throws: DomainError.forbidden("Only the group's chairs can do that.")) {
            try fixture.groups.setRole(groupID: group.id, memberID: other.id, to: .chair, by: plain)
        }
        try fixture.groups.setRole(groupID: group.id, memberID: chair.id, to: .chair, by: owner)
        try fixture.groups.setRole(groupID: group.id, memberID: other.id, to: .chair, by: chair)
        #expect(throws: DomainError.forbidden("Only the owner can make a chair an ordinary member.")) {
            try fixture.groups.setRole(groupID: group.id, memberID: other.id, to: .member, by: chair)
        }
        #expect(throws: DomainError.forbidden("Only the owner can remove a chair.")) {
            try fixture.groups.remove(groupID: group.id, memberID: other.id, by: chair)
        }
        #expect(throws: DomainError.forbidden("The owner cannot be removed.")) {
            try fixture.groups.remove(groupID: group.id, memberID: owner.id, by: chair)
        }
        try fixture.groups.remove(groupID: group.id, memberID: plain.id, by: chair)
        try fixture.groups.setRole(groupID: group.id, memberID: other.id, to: .member, by: owner)
        #expect(try fixture.groups.leaders(groupID: group.id).map(\.handle) == ["owner", "chair"])
    }

    @Test("the owner hands the group over and stays as a chair; an owner cannot just leave")
    func transfer() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let outsider = try fixture.member("Outsider")
        let group = try fixture.group("Heads", .private, owner: owner)
        try fixture.add(sam, to: group, by: owner)
        #expect(throws: DomainError.self) { try fixture.groups.leave(groupID: group.id, by: owner) }
        #expect(throws: DomainError.forbidden("Only the owner can transfer ownership.")) {
            try fixture.groups.transferOwnership(groupID: group.id, to: sam.id, by: sam)
        }
        #expect(throws: DomainError.conflict("Ownership can only pass to a member of the group.")) {
            try fixture.groups.transferOwnership(groupID: group.id, to: outsider.id, by: owner)
        }
        try fixture.groups.transferOwnership(groupID: group.id, to: sam.id, by: owner)
        #expect(try fixture.groups.group(id: group.id)?.ownerID == sam.id)
        #expect(try fixture.groups.membership(groupID: group.id, memberID: owner.id)?.role == .chair)
        try fixture.groups.leave(groupID: group.id, by: owner)
        // An administrator at the console may hand it to someone outside the group.
        try fixture.groups.transferOwnership(groupID: group.id, to: outsider.id, by: nil)
        #expect(try fixture.groups.access(to: group, for: outsider).isOwner)
        #expect(try fixture.groups.group(id: group.id)?.memberCount == 2)
    }
}
