import Foundation
import Groups
import Kernel
import Membership
import Testing

@Suite("Groups: personal data")
struct PersonalDataTests {
    @Test("the export holds the member's own memberships, topics and replies — not other members' posts")
    func export() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Heads", .hidden, owner: owner)
        try fixture.add(sam, to: group, by: owner)
        let topic = try fixture.groups.startDiscussion(groupID: group.id, by: owner, title: "Owner topic", body: "Owner body")
        _ = try fixture.groups.reply(to: topic.id, by: sam, body: "Sam reply")
        let export = try fixture.membership.exportAll(memberID: sam.id, hooks: fixture.membership.personalDataHooks())
        let text = export.jsonText()
        let groupsPart = try #require(export["groups"])
        #expect(groupsPart["memberships"]?.arrayValue?.count == 1)
        #expect(groupsPart["replies"]?.arrayValue?.first?["body"]?.stringValue == "Sam reply")
        #expect(groupsPart["discussions"]?.arrayValue?.isEmpty == true)
        #expect(!text.contains("Owner body"))
    }

    @Test("erasing a member keeps their posts as “former member”; their group passes to a chair, else the oldest member")
    func eraseWithSuccession() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let early = try fixture.member("Early")
        let chair = try fixture.member("Chair")
        let group = try fixture.group("Heads", .private, owner: owner)
        try fixture.add(early, to: group, by: owner)
        fixture.network.clock.advance(by: 60)
        try fixture.add(chair, to: group, by: owner)
        try fixture.groups.setRole(groupID: group.id, memberID: chair.id, to: .chair, by: owner)
        let topic = try fixture.groups.startDiscussion(groupID: group.id, by: owner, title: "Kept", body: "Still readable")
        _ = try fixture.groups.reply(to: topic.id, by: early, body: "Thanks")

        try fixture.membership.deleteAccount(memberID: owner.id, hooks: fixture.membership.personalDataHooks())
        var after = try #require(try fixture.groups.group(id: group.id))
        #expect(after.ownerID == chair.id)
        #expect(after.memberCount == 2)
        let kept = try #require(try fixture.groups.discussion(id: topic.id))
        #expect(kept.authorName == Member.formerMemberName && kept.body == "Still readable")
        #expect(try fixture.groups.membership(groupID: group.id, memberID: owner.id) == nil)

        // No chair left: the longest-standing member takes over.
        try fixture.membership.deleteAccount(memberID: chair.id, hooks: fixture.membership.personalDataHooks())
        after = try #require(try fixture.groups.group(id: group.id))
        #expect(after.ownerID == early.id)
        #expect(try fixture.groups.access(to: after, for: early).isOwner)

        // Nobody left: the group keeps no owner and administrators see it flagged.
        try fixture.membership.deleteAccount(memberID: early.id, hooks: fixture.membership.personalDataHooks())
        after = try #require(try fixture.groups.group(id: group.id))
        #expect(after.needsOwner && after.memberCount == 0)
        #expect(try fixture.groups.allGroups(needsOwner: true).map(\.id) == [group.id])
        let listed = fixture.network.admin(["groups", "list", "--needs-owner"])
        #expect(listed.out.contains("(needs owner)"))
        // An administrator hands it to someone at the console.
        let heir = try fixture.member("Heir")
        #expect(fixture.network.admin(["groups", "transfer", group.slug, heir.handle]).code == 0)
        let adopted = try #require(try fixture.groups.group(id: group.id))
        #expect(adopted.ownerID == heir.id && adopted.memberCount == 1)
        let reply = try #require(try fixture.groups.replies(discussionID: topic.id, access: fixture.groups.access(to: after, for: nil)).first)
        #expect(reply.authorName == Member.formerMemberName)
    }
}
