import Foundation
import Groups
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Many recipients are notified by a job after the commit, not inside the posting request.
@Suite struct NotificationFanoutTests {
    @Test func aReplyToADiscussionWithManyFollowersIsNotifiedByAJob() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "groups"]))
        let services = kernel.services
        let groups = try #require(services.service(GroupsService.self))
        let chair = try services.member("Chair").signedIn
        let group = try groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
        let discussion = try groups.startDiscussion(
            groupID: group.id, by: chair, title: "Blending", body: "Ideas")
        var followers: [SignedInMember] = []
        for index in 0..<(Notifications.inlineRecipientLimit + 5) {
            let member = try services.member("Follower \(index)").signedIn
            _ = try groups.join(groupID: group.id, by: member)
            try groups.follow(discussionID: discussion.id, by: member)
            followers.append(member)
        }
        _ = try groups.reply(to: discussion.id, by: chair, body: "Here is what we found.")
        // Nothing yet: the request only queued the job.
        #expect(try services.notifications.unreadCount(memberID: followers[0].id) == 0)
        #expect(try services.jobs.list().contains { $0.name == Notifications.fanoutJob })
        try services.jobs.runDue()
        for follower in followers {
            #expect(try services.notifications.unreadCount(memberID: follower.id) == 1)
        }
        #expect(
            try services.notifications.list(memberID: followers[3].id).items.first?.sentence
                == "Chair replied to “Blending” in Phonics")
        #expect(!(try services.jobs.list().contains { $0.name == Notifications.fanoutJob }))
    }
}
