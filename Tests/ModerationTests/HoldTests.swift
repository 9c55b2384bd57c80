import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Moderation

@Suite struct HoldTests {
    @Test func aNewMembersFirstPostsWaitForApprovalAndApprovalShowsThem() throws {
        let f = try ModerationFixture(settings: ["premoderate_first_posts": .int(1)])
        let newcomer = try f.member("Nina")
        let carol = try f.member("Carol")
        let moderator = try f.member("Mo", role: .moderator)
        let first = try f.status(by: newcomer, "Hello everyone")
        #expect(try f.isHidden(status: first.id))
        #expect(try f.visibleStatuses(of: newcomer, to: nil).isEmpty)
        #expect(try f.visibleStatuses(of: newcomer, to: carol).isEmpty)
        #expect(try f.visibleStatuses(of: newcomer, to: newcomer) == [first.id])
        #expect(!(try f.activityObjects(for: carol)).contains(first.id))
        let held = try f.moderation.awaitingApproval(authorID: newcomer.id)
        #expect(held.map(\.itemID) == [first.id])
        let queued = try #require(try f.moderation.queue().cases.first)
        #expect(queued.status == .awaitingApproval)
        #expect(queued.holdReason?.contains("first 1 posts") == true)
        #expect(try f.moderation.audit().first?.action == .hold)

        try f.moderation.act(caseID: queued.id, ActionRequest(action: .approve), by: moderator.moderator)
        #expect(!(try f.isHidden(status: first.id)))
        #expect(try f.visibleStatuses(of: newcomer, to: carol) == [first.id])
        #expect(try f.activityObjects(for: nil).contains(first.id))
        #expect(try f.moderation.awaitingApproval(authorID: newcomer.id).isEmpty)

        let second = try f.status(by: newcomer, "Second post goes straight out")
        #expect(!(try f.isHidden(status: second.id)))
    }

    @Test func membersWhoJoinedBeforeModerationWasEnabledAreNotTreatedAsNew() throws {
        let f = try ModerationFixture(settings: ["premoderate_first_posts": .int(3)])
        let veteran = try f.member("Vera")
        try f.services.database.write { db in
            try db.execute(
                "UPDATE membership_members SET created_at = ? WHERE id = ?",
                [f.network.clock.now.addingTimeInterval(-400 * 86_400), veteran.id])
        }
        let post = try f.status(by: veteran, "Back after the holidays")
        #expect(!(try f.isHidden(status: post.id)))
    }

    @Test func everyPostInAPremoderatedModuleWaits() throws {
        let f = try ModerationFixture(settings: ["premoderate_modules": .list([.string("membership")])])
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let posts = try (0..<3).map { try f.status(by: bob, "Post \($0)") }
        #expect(try posts.allSatisfy { try f.isHidden(status: $0.id) })
        #expect(try f.moderation.queue(QueueFilter(status: "awaiting_approval")).cases.count == 3)
        // Moderators' own posts are trusted.
        let own = try f.status(by: moderator, "Moderator post")
        #expect(!(try f.isHidden(status: own.id)))
    }

    @Test func rejectingAHeldPostKeepsItHiddenAndResolvesTheCase() throws {
        let f = try ModerationFixture(settings: ["premoderate_first_posts": .int(5)])
        let bob = try f.member("Bob")
        let moderator = try f.member("Mo", role: .moderator)
        let post = try f.status(by: bob, "Not for here")
        let held = try #require(try f.moderation.queue().cases.first)
        try f.moderation.act(
            caseID: held.id, ActionRequest(action: .hide, reason: "Off topic"), by: moderator.moderator)
        #expect(try f.isHidden(status: post.id))
        #expect(try f.moderation.moderationCase(id: held.id)?.status == .resolved)
        #expect(try f.moderation.awaitingApproval(authorID: bob.id).isEmpty)
    }

    @Test func manyLinksFromANewMemberAreHeldAsSpam() throws {
        let f = try ModerationFixture(settings: ["new_member_link_limit": .int(2)])
        let bob = try f.member("Bob")
        let fine = try f.status(by: bob, "See https://example.org and www.example.com")
        #expect(!(try f.isHidden(status: fine.id)))
        let spammy = try f.status(by: bob, "Deals https://a.example https://b.example http://c.example")
        #expect(try f.isHidden(status: spammy.id))
        let held = try #require(try f.moderation.queue(QueueFilter(category: .spam)).cases.first)
        #expect(held.itemID == spammy.id)
        #expect(held.holdReason?.contains("3 links") == true)
        // After the new-member period the same post goes out.
        f.network.clock.advance(by: 8 * 86_400)
        let later = try f.status(by: bob, "Deals https://a.example https://b.example http://c.example")
        #expect(!(try f.isHidden(status: later.id)))
    }

    @Test func heldWordsAndPatternsHoldAPost() throws {
        let f = try ModerationFixture(settings: [
            "held_words": .list([.string("casino"), .string("re:free\\s+money")])
        ])
        let bob = try f.member("Bob")
        #expect(try f.isHidden(status: try f.status(by: bob, "Best CASINO bonuses").id))
        #expect(try f.isHidden(status: try f.status(by: bob, "Get FREE   money now").id))
        #expect(!(try f.isHidden(status: try f.status(by: bob, "Free school meals data").id)))
        #expect(try f.moderation.queue(QueueFilter(status: "awaiting_approval")).cases.count == 2)
    }

    /// Screening reads the whole post, not the excerpt moderators see in the queue (the first
    /// paragraph, about 200 characters).
    @Test func aHeldWordOrLinksAnywhereInAPostHoldIt() throws {
        let f = try ModerationFixture(settings: ["held_words": .list([.string("casino")])])
        let bob = try f.member("Bob")
        let secondParagraph = try f.status(by: bob, "Hello everyone.\n\nBest casino bonuses")
        #expect(try f.isHidden(status: secondParagraph.id))
        let late = try f.status(
            by: bob, String(repeating: "A long and friendly status. ", count: 12) + "casino")
        #expect(try f.isHidden(status: late.id))
        let links = try f.status(
            by: bob, "Hello everyone.\n\nhttps://a.example https://b.example http://c.example")
        #expect(try f.isHidden(status: links.id), "three links from a new member, in a second paragraph")
        #expect(!(try f.isHidden(status: try f.status(by: bob, "Hello again.\n\nNothing to see.").id)))
    }

    @Test func postingFasterThanTheHourlyLimitHoldsTheExcess() throws {
        let f = try ModerationFixture(settings: ["posts_per_hour": .int(3)])
        let bob = try f.member("Bob")
        let posts = try (0..<5).map { try f.status(by: bob, "Post \($0)") }
        #expect(try posts.map { try f.isHidden(status: $0.id) } == [false, false, false, true, true])
    }

    @Test func deletedContentLeavesTheContentIndex() throws {
        let f = try ModerationFixture()
        let bob = try f.member("Bob")
        let post = try f.status(by: bob, "Short-lived")
        #expect(try f.count("SELECT COUNT(*) FROM moderation_content WHERE item_id = ?", [post.id]) == 1)
        try f.membership.deleteStatus(id: post.id, by: bob)
        #expect(try f.count("SELECT COUNT(*) FROM moderation_content WHERE item_id = ?", [post.id]) == 0)
    }

    @Test func linksAreCountedOncePerWord() {
        #expect(ModerationService.linkCount("https://www.example.org") == 1)
        #expect(ModerationService.linkCount("see (https://a.b) and <http://c.d> www.e.f") == 3)
        #expect(ModerationService.linkCount("no links here, just www") == 0)
    }
}
