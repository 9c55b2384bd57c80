import Foundation
import Groups
import Kernel
import Membership
import PLNTestSupport
import Testing

@Suite("Groups: discussions, follows, activity scopes")
struct DiscussionTests {
    @Test(
        "followers hear of replies through the outbox — never the replier, never a removed member, not after unfollowing"
    )
    func followNotifications() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let tia = try fixture.member("Tia")
        let uma = try fixture.member("Uma")
        let group = try fixture.group("Heads", .private, owner: owner)
        for person in [sam, tia, uma] { try fixture.add(person, to: group, by: owner) }
        let topic = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "Budgets", body: "Opening **post**")
        #expect(try fixture.groups.isFollowing(discussionID: topic.id, memberID: sam.id))
        try fixture.groups.follow(discussionID: topic.id, by: uma)
        let before = try fixture.outbox().count
        _ = try fixture.groups.reply(to: topic.id, by: tia, body: "First reply")
        var mail = try fixture.outbox().dropLast(before)
        // Sam started it, Uma follows; Tia replied (so follows now) and hears nothing of her own reply.
        #expect(Set(mail.map(\.to)) == Set(try [sam, uma].map { try fixture.email(of: $0) }))
        #expect(
            mail.allSatisfy {
                $0.subject == "Tia replied to “Budgets” in Heads" && $0.body.contains("First reply")
            })
        #expect(try fixture.groups.isFollowing(discussionID: topic.id, memberID: tia.id))

        try fixture.groups.remove(groupID: group.id, memberID: uma.id, by: owner)
        try fixture.groups.unfollow(discussionID: topic.id, by: sam)
        let count = try fixture.outbox().count
        _ = try fixture.groups.reply(to: topic.id, by: owner, body: "Second reply")
        mail = try fixture.outbox().dropLast(count)
        #expect(mail.map(\.to) == [try fixture.email(of: tia)])
        #expect(try fixture.groups.discussion(id: topic.id)?.replyCount == 2)
    }

    @Test("a discussion's activity line shows its first paragraph, cut at a word")
    func activityExcerptIsTheFirstParagraphCutAtAWord() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let group = try fixture.group("Heads", .public, owner: owner)
        let opening = String(repeating: "assessment ", count: 20) + "ends here."
        _ = try fixture.groups.startDiscussion(
            groupID: group.id, by: owner, title: "Budgets", body: opening + "\n\nA second paragraph.")
        let excerpt = try #require(try fixture.stream(for: owner).first { $0.verb == "started" }?.excerpt)
        #expect(excerpt.hasSuffix("assessment…"), "cut at a word, not inside one: \(excerpt)")
        #expect(excerpt.count <= 141)
        #expect(!excerpt.contains("second"))
    }

    @Test("a locked discussion takes no replies, from anyone; only chairs lock and pin")
    func lockedAndPinned() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Heads", .public, owner: owner)
        try fixture.groups.join(groupID: group.id, by: sam)
        let first = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "First", body: "One")
        fixture.network.clock.advance(by: 60)
        let second = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "Second", body: "Two")
        #expect(throws: DomainError.forbidden("Only the group's chairs can do that.")) {
            try fixture.groups.setLocked(discussionID: first.id, true, by: sam)
        }
        try fixture.groups.setLocked(discussionID: first.id, true, by: owner)
        #expect(throws: DomainError.conflict("This discussion is locked: no more replies.")) {
            _ = try fixture.groups.reply(to: first.id, by: owner, body: "Even the owner")
        }
        try fixture.groups.setLocked(discussionID: first.id, false, by: owner)
        _ = try fixture.groups.reply(to: first.id, by: sam, body: "Open again")

        let access = try fixture.groups.access(to: group, for: sam)
        fixture.network.clock.advance(by: 60)
        _ = try fixture.groups.reply(to: second.id, by: sam, body: "Bump")
        #expect(
            try fixture.groups.discussions(groupID: group.id, access: access).map(\.title) == [
                "Second", "First",
            ])
        try fixture.groups.setPinned(discussionID: first.id, true, by: owner)
        let pinnedFirst = try fixture.groups.discussions(groupID: group.id, access: access)
        #expect(pinnedFirst.map(\.title) == ["First", "Second"])
        let page1 = try fixture.groups.discussions(groupID: group.id, access: access, limit: 1)
        let page2 = try fixture.groups.discussions(
            groupID: group.id, access: access, limit: 1, before: page1.last.map(DiscussionCursor.init(after:))
        )
        #expect(page1.map(\.title) + page2.map(\.title) == ["First", "Second"])
        #expect(DiscussionCursor(DiscussionCursor(after: first).text) != nil)
        #expect(DiscussionCursor("2.x.1") == nil)
    }

    @Test("non-members cannot post; pending site members cannot post; input is validated")
    func posting() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let open = try fixture.group("Open", .public, owner: owner)
        #expect(throws: DomainError.forbidden("Join the group to take part in its discussions.")) {
            _ = try fixture.groups.startDiscussion(groupID: open.id, by: sam, title: "Hi", body: "There")
        }
        var pendingOwner = owner
        pendingOwner.isPending = true
        #expect(throws: DomainError.self) {
            _ = try fixture.groups.startDiscussion(
                groupID: open.id, by: pendingOwner, title: "Hi", body: "There")
        }
        do {
            _ = try fixture.groups.startDiscussion(
                groupID: open.id, by: owner, title: String(repeating: "x", count: 201), body: " ")
            Issue.record("expected validation errors")
        } catch DomainError.invalid(let errors) {
            #expect(errors.map(\.field) == ["title", "body"])
        }
    }

    @Test("private and hidden group activity is seen by members only; public group activity by everyone")
    func activityScopes() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let outsider = try fixture.member("Outsider")
        for visibility in GroupVisibility.allCases {
            let group = try fixture.group("G \(visibility.rawValue)", visibility, owner: owner)
            try fixture.add(sam, to: group, by: owner)
            let topic = try fixture.groups.startDiscussion(
                groupID: group.id, by: sam, title: "Topic \(visibility.rawValue)", body: "Body")
            _ = try fixture.groups.reply(to: topic.id, by: owner, body: "Reply \(visibility.rawValue)")
        }
        func seen(_ viewer: SignedInMember?) throws -> Set<String> {
            Set(
                try fixture.stream(for: viewer).filter { $0.module == "groups" }.map {
                    "\($0.verb) \($0.objectTitle ?? "")"
                })
        }
        let everything: Set<String> = Set(
            GroupVisibility.allCases.flatMap { v in
                [
                    "created G \(v.rawValue)", "joined G \(v.rawValue)", "started Topic \(v.rawValue)",
                    "replied Topic \(v.rawValue)",
                ]
            })
        let publicOnly = everything.filter { $0.hasSuffix("public") }
        #expect(try seen(sam) == everything)
        #expect(try seen(owner) == everything)
        #expect(try seen(outsider) == publicOnly)
        #expect(try seen(nil) == publicOnly)
        // Profile streams (actor filter) follow the same rule.
        let samProfile = try fixture.stream(for: outsider, filter: ActivityFilter(actorIDs: [sam.id]))
        let samGroupLines = samProfile.filter { $0.module == "groups" }
        #expect(samGroupLines.map(\.verb) == ["started", "joined"])
        #expect(samGroupLines.allSatisfy { ($0.objectTitle ?? "").hasSuffix("public") })
    }

    @Test("changing a group's visibility re-scopes its earlier activity")
    func rescoping() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let group = try fixture.group("Heads", .private, owner: owner)
        _ = try fixture.groups.startDiscussion(groupID: group.id, by: owner, title: "Plans", body: "Body")
        func anonymous() throws -> [String] {
            try fixture.stream(for: nil).filter { $0.module == "groups" }.map(\.verb)
        }
        #expect(try anonymous().isEmpty)
        var draft = GroupsService.Draft(name: "Heads", category: "Cluster", visibility: .public)
        _ = try fixture.groups.update(groupID: group.id, draft, by: owner)
        #expect(try anonymous() == ["started", "created"])
        draft.visibility = .hidden
        _ = try fixture.groups.update(groupID: group.id, draft, by: owner)
        #expect(try anonymous().isEmpty)
        #expect(try fixture.stream(for: owner, filter: ActivityFilter(groupID: group.id)).count == 2)
    }

    @Test("moderation hides a discussion from everyone but its author and moderators, stream included")
    func moderationHiding() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let moderator = try fixture.member("Mod", role: .moderator)
        let group = try fixture.group("Open", .public, owner: owner)
        try fixture.groups.join(groupID: group.id, by: sam)
        try fixture.groups.join(groupID: group.id, by: moderator)
        let topic = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "Rude", body: "Body")
        let kinds = fixture.network.kernel.context.reportableKinds.filter { $0.module == "groups" }
        #expect(kinds.map(\.kind) == ["group", "group_discussion", "group_reply"])
        let kind = try #require(kinds.first { $0.kind == "group_discussion" })
        try fixture.services.database.write { db in try kind.setHidden(topic.id, true, db) }
        let item = try fixture.services.database.read { db in try kind.lookup(topic.id, db) }
        #expect(item?.isHidden == true && item?.authorID == sam.id)
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: owner)
        }
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: nil)
        }
        _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: sam)
        _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: moderator)
        #expect(try fixture.stream(for: nil).contains { $0.verb == "started" } == false)

        // A hidden reply is gone for others, and from the count they see.
        let replyKind = try #require(kinds.last)
        let ownTopic = try fixture.groups.startDiscussion(
            groupID: group.id, by: owner, title: "Fine", body: "Body")
        let rude = try fixture.groups.reply(to: ownTopic.id, by: sam, body: "Rude reply")
        _ = try fixture.groups.reply(to: ownTopic.id, by: owner, body: "Polite reply")
        try fixture.services.database.write { db in try replyKind.setHidden(rude.id, true, db) }
        let ownerAccess = try fixture.groups.access(to: group, for: owner)
        #expect(
            try fixture.groups.replies(discussionID: ownTopic.id, access: ownerAccess).map(\.body) == [
                "Polite reply"
            ])
        #expect(
            try fixture.groups.replies(
                discussionID: ownTopic.id, access: fixture.groups.access(to: group, for: sam)
            ).count == 2)
        #expect(try fixture.groups.discussion(id: ownTopic.id)?.replyCount == 1)
        #expect(try fixture.stream(for: nil).contains { $0.excerpt == "Rude reply" } == false)

        try fixture.services.database.write { db in try kind.delete(topic.id, db) }
        #expect(try fixture.groups.discussion(id: topic.id) == nil)
        #expect(try fixture.stream(for: sam).contains { $0.objectTitle == "Rude" } == false)
    }

    @Test("a suspended member's topics and replies disappear for other members until reinstated")
    func suspendedAuthors() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Open", .public, owner: owner)
        try fixture.groups.join(groupID: group.id, by: sam)
        let topic = try fixture.groups.startDiscussion(
            groupID: group.id, by: sam, title: "Sam's topic", body: "B")
        let ownTopic = try fixture.groups.startDiscussion(
            groupID: group.id, by: owner, title: "Owner's topic", body: "B")
        _ = try fixture.groups.reply(to: ownTopic.id, by: sam, body: "Sam's reply")
        _ = try fixture.membership.suspend(memberID: sam.id, by: nil)
        let access = try fixture.groups.access(to: group, for: owner)
        #expect(
            try fixture.groups.discussions(groupID: group.id, access: access).map(\.title) == [
                "Owner's topic"
            ])
        #expect(try fixture.groups.replies(discussionID: ownTopic.id, access: access).isEmpty)
        #expect(throws: DomainError.notFound) {
            _ = try fixture.groups.visibleDiscussion(slug: group.slug, id: topic.id, for: owner)
        }
        _ = try fixture.membership.reinstate(memberID: sam.id)
        #expect(try fixture.groups.discussions(groupID: group.id, access: access).count == 2)
        #expect(try fixture.groups.replies(discussionID: ownTopic.id, access: access).count == 1)
    }

    @Test("deleting a group removes its discussions and every activity entry about it")
    func deletingGroup() throws {
        let fixture = try GroupsFixture()
        let owner = try fixture.member("Owner")
        let sam = try fixture.member("Sam")
        let group = try fixture.group("Open", .public, owner: owner)
        try fixture.groups.join(groupID: group.id, by: sam)
        let topic = try fixture.groups.startDiscussion(groupID: group.id, by: sam, title: "T", body: "B")
        _ = try fixture.groups.reply(to: topic.id, by: owner, body: "R")
        #expect(throws: DomainError.forbidden("Only the group's owner can delete the group.")) {
            try fixture.groups.delete(groupID: group.id, by: sam)
        }
        try fixture.groups.delete(groupID: group.id, by: owner)
        #expect(try fixture.groups.group(id: group.id) == nil)
        #expect(try fixture.groups.discussion(id: topic.id) == nil)
        #expect(try fixture.stream(for: owner).filter { $0.module == "groups" }.isEmpty)
    }

    @Test(
        "hot queries use indexes: scopes, discussion list, replies, directory",
        .notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func queryPlans() throws {
        let fixture = try GroupsFixture()
        let plans = try fixture.services.database.read { db -> [String] in
            let queries = [
                "SELECT group_id FROM groups_member WHERE member_id = 1 AND state = 'active' ORDER BY group_id",
                "SELECT id FROM groups_discussion d WHERE d.group_id = 1 ORDER BY d.pinned DESC, d.last_reply_at DESC, d.id DESC LIMIT 20",
                "SELECT id FROM groups_reply r WHERE r.discussion_id = 1 AND r.id > 0 ORDER BY r.id LIMIT 50",
                "SELECT id FROM groups_group g ORDER BY g.name COLLATE NOCASE, g.id LIMIT 24",
                // The group page's activity, through the stream's context index.
                """
                SELECT id FROM activities WHERE +scope_kind = 'public' AND +hidden = 0
                    AND context_kind = 'group' AND context_id = 1 AND id < 1000000 ORDER BY id DESC LIMIT 10
                """,
            ]
            return try queries.map { sql in
                try db.query("EXPLAIN QUERY PLAN " + sql) { try $0.value("detail") as String }.joined(
                    separator: "; ")
            }
        }
        for plan in plans {
            #expect(
                !plan.contains("SCAN") || plan.contains("USING INDEX")
                    || plan.contains("USING COVERING INDEX"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }
}
