import Foundation
import Kernel
import Membership
import Testing

@testable import Groups

@Suite("Groups: creating, joining, roles")
struct GroupRulesTests {
    @Test("the creator owns a new group, the slug comes from the name and repeats get a suffix")
    func creation() throws {
        let fixture = try GroupsFixture()
        let erin = try fixture.member("Erin")
        let group = try fixture.group("Year 6 Maths", .public, owner: erin)
        #expect(group.slug == "year-6-maths")
        #expect(group.ownerID == erin.id)
        #expect(group.memberCount == 1)
        #expect(try fixture.groups.membership(groupID: group.id, memberID: erin.id)?.role == .owner)
        let second = try fixture.group("Year 6 Maths", .public, owner: erin)
        #expect(second.slug == "year-6-maths-2")
    }

    @Test("the group page's preview lists the newest members first, read from an index")
    func newestMembers() throws {
        let fixture = try GroupsFixture()
        let erin = try fixture.member("Erin")
        let group = try fixture.group("Year 6 Maths", .public, owner: erin)
        var joined: [String] = []
        for name in ["Zed", "Amy", "Mo", "Bea"] {
            fixture.network.clock.advance(by: 60)
            try fixture.add(try fixture.member(name), to: group, by: erin)
            joined.append(name)
        }
        let newest = try fixture.groups.newestMembers(groupID: group.id, limit: 3)
        #expect(newest.map(\.name) == ["Bea", "Mo", "Amy"])
        let plan = try fixture.services.database.read { db in
            try db.query("EXPLAIN QUERY PLAN " + GroupsService.newestMembersSQL, [group.id, 3]) {
                try $0.value("detail") as String
            }
        }
        #expect(plan.contains { $0.contains("groups_member_newest") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test("bad input is refused field by field and nothing is written")
    func validation() throws {
        let fixture = try GroupsFixture()
        let erin = try fixture.member("Erin")
        do {
            _ = try fixture.groups.create(.init(name: " ", category: "Nonsense", visibility: nil), by: erin)
            Issue.record("expected a validation error")
        } catch DomainError.invalid(let errors) {
            #expect(Set(errors.map(\.field)) == ["name", "category", "visibility"])
        }
        #expect(throws: DomainError.self) {
            _ = try fixture.groups.create(
                .init(name: "Ok", slug: "Bad Slug!", category: "Cluster", visibility: .public), by: erin)
        }
        #expect(throws: DomainError.self) {
            _ = try fixture.groups.create(
                .init(name: "Ok", category: "Cluster", visibility: .public), by: erin,
                image: Array("not an image".utf8))
        }
        #expect(try fixture.groups.directory(for: erin).isEmpty)
    }

    @Test("with who_can_create = admins only administrators create groups; pending members never do")
    func whoCanCreate() throws {
        let fixture = try GroupsFixture(settings: ["groups": ["who_can_create": .string("admins")]])
        let erin = try fixture.member("Erin")
        let admin = try fixture.member("Ada Admin", role: .admin)
        #expect(throws: DomainError.forbidden("Only administrators can create groups on this network.")) {
            _ = try fixture.group("Heads", .private, owner: erin)
        }
        _ = try fixture.group("Heads", .private, owner: admin)
        var pending = admin
        pending.isPending = true
        #expect(!fixture.groups.canCreate(pending))
    }

    @Test("a PNG image is kept; a 3 MB image is refused")
    func image() throws {
        let fixture = try GroupsFixture()
        let erin = try fixture.member("Erin")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 32)
        let group = try fixture.groups.create(
            .init(name: "Pictured", category: "Cluster", visibility: .public), by: erin, image: png)
        #expect(group.hasImage)
        #expect(try fixture.groups.image(groupID: group.id)?.type == "image/png")
        #expect(throws: DomainError.self) {
            try fixture.groups.setImage(
                groupID: group.id, bytes: png + Array(repeating: 0, count: 3 * 1024 * 1024), by: erin)
        }
    }

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
        #expect(subjects.contains("You are now a member of Heads"))
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
        #expect(throws: DomainError.notFound) { _ = try fixture.groups.visibleGroup(slug: group.slug, for: tia) }
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

    @Test(
        "the directory hides hidden groups from non-members, searches names and filters by category, page by page"
    )
    func directory() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        _ = try fixture.group("Alpha cluster", .public, owner: owner, category: "Cluster")
        _ = try fixture.group("Beta heads", .private, owner: owner, category: "Strategic group")
        _ = try fixture.group("Gamma secret", .hidden, owner: owner, category: "Cluster")
        #expect(try fixture.groups.directory(for: nil).map(\.name) == ["Alpha cluster", "Beta heads"])
        #expect(try fixture.groups.directory(for: sam).map(\.name) == ["Alpha cluster", "Beta heads"])
        #expect(
            try fixture.groups.directory(for: owner).map(\.name) == [
                "Alpha cluster", "Beta heads", "Gamma secret",
            ])
        #expect(try fixture.groups.directory(for: sam, search: "secret").isEmpty)
        #expect(try fixture.groups.directory(for: owner, search: "SECRET").map(\.name) == ["Gamma secret"])
        #expect(
            try fixture.groups.directory(for: owner, category: "Cluster").map(\.name) == [
                "Alpha cluster", "Gamma secret",
            ])
        #expect(try fixture.groups.directory(for: owner, search: "%").isEmpty)
        let first = try fixture.groups.directory(for: owner, limit: 2)
        let rest = try fixture.groups.directory(for: owner, limit: 2, after: first.last)
        #expect(first.map(\.name) + rest.map(\.name) == ["Alpha cluster", "Beta heads", "Gamma secret"])
        // A hidden group's address is no cursor for outsiders: it cannot be probed that way.
        #expect(fixture.groups.directoryCursor(slug: "gamma-secret", for: sam) == nil)
        #expect(fixture.groups.directoryCursor(slug: "gamma-secret", for: owner)?.name == "Gamma secret")
    }

    @Test("My groups lists memberships, open requests and invitations, not bans")
    func myGroups() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let a = try fixture.group("A public", .public, owner: owner)
        let b = try fixture.group("B private", .private, owner: owner)
        let c = try fixture.group("C hidden", .hidden, owner: owner)
        let d = try fixture.group("D banned", .public, owner: owner)
        try fixture.groups.join(groupID: a.id, by: sam)
        try fixture.groups.request(groupID: b.id, by: sam)
        try fixture.groups.invite(groupID: c.id, memberID: sam.id, by: owner)
        try fixture.groups.ban(groupID: d.id, memberID: sam.id, by: owner)
        let mine = try fixture.groups.groups(of: sam.id)
        #expect(mine.map(\.group.name) == ["A public", "B private", "C hidden"])
        #expect(mine.map(\.membership.state) == [.active, .requested, .invited])
    }
}
