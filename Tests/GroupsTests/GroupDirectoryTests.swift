import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Groups

@Suite("Groups: creating, finding and showing groups")
struct GroupDirectoryTests {
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

    @Test(
        "the group page's preview lists the newest members first, read from an index",
        .notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
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
