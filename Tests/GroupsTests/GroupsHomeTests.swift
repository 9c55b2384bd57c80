import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Groups

/// The groups' part of a member's home: new discussions in my groups only (never a hidden one,
/// never one of a group I am not in), and for chairs the requests that wait, counted in the
/// navigation and listed on the home and directory pages.
@Suite struct GroupsHomeTests {
    @Test func theHomeListsNewDiscussionsOfMyGroupsOnly() throws {
        let f = try GroupsFixture()
        let owner = try f.member("Olive Owner")
        let reader = try f.member("Rita Reader")
        let mine = try f.group("Phonics network", .private, owner: owner)
        let other = try f.group("Maths hub", .public, owner: owner)
        try f.add(reader, to: mine, by: owner)
        let shown = try f.groups.startDiscussion(
            groupID: mine.id, by: owner, title: "Blending in Year 1", body: "How?")
        let hidden = try f.groups.startDiscussion(
            groupID: mine.id, by: owner, title: "Removed topic", body: "x")
        _ = try f.groups.startDiscussion(
            groupID: other.id, by: owner, title: "Fractions walls", body: "Ideas?")
        try f.services.database.write { db in
            try GroupsService.setDiscussionHidden(id: hidden.id, true, services: f.services, in: db)
        }

        let recent = try f.groups.recentDiscussions(inGroupsOf: reader.id)
        #expect(recent.map(\.discussion.id) == [shown.id])
        #expect(recent.first?.groupSlug == mine.slug)

        let client = f.network.client()
        #expect(try client.signIn("rita-reader").status == 303)
        let home = try client.get("/").main
        #expect(home.contains("New in your groups"))
        #expect(home.contains("Blending in Year 1"))
        #expect(!home.contains("Removed topic"))
        #expect(!home.contains("Fractions walls"))
        // A visitor sees listed groups to look at, not anyone's discussions.
        let visitor = try f.network.client().get("/").main
        #expect(visitor.contains("All groups"))
        #expect(!visitor.contains("Blending in Year 1"))
    }

    @Test func chairsSeeTheRequestsThatWaitInTheirGroups() throws {
        let f = try GroupsFixture()
        let owner = try f.member("Olive Owner")
        let chair = try f.member("Cara Chair")
        let asker = try f.member("Ash Asker")
        let second = try f.member("Bea Second")
        let group = try f.group("SEND forum", .private, owner: owner)
        let plain = try f.member("Pat Plain")
        try f.add(chair, to: group, by: owner)
        try f.add(plain, to: group, by: owner)
        try f.groups.setRole(groupID: group.id, memberID: chair.id, to: .chair, by: owner)
        _ = try f.groups.request(groupID: group.id, by: asker, message: "Please")
        _ = try f.groups.request(groupID: group.id, by: second)
        #expect(try f.groups.waitingRequestCount(chairedBy: owner.id) == 2)
        #expect(try f.groups.waitingRequestCount(chairedBy: chair.id) == 2)
        #expect(try f.groups.waitingRequestCount(chairedBy: plain.id) == 0)
        #expect(try f.groups.waitingRequestCount(chairedBy: asker.id) == 0)

        let client = f.network.client()
        #expect(try client.signIn("olive-owner").status == 303)
        let page = try client.get("/groups").text
        #expect(page.contains("Groups <span class=\"nav-count\">2"))
        #expect(
            page.contains(
                "2 requests to join a group you chair: <a href=\"/groups/send-forum/members\">SEND forum</a> (2)"
            ))
        #expect(try client.get("/").text.contains("href=\"/groups/send-forum/members\""))
        let member = f.network.client()
        #expect(try member.signIn("pat-plain").status == 303)
        #expect(!(try member.get("/groups").text.contains("nav-count")))
    }
}
