import Blog
import Foundation
import HTTP
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// The kernel's notifications service: grouping, visibility, preferences and notification mail.
@Suite struct NotificationServiceTests {
    final class Fixture: @unchecked Sendable {
        // @unchecked: used by one test at a time.
        let kernel: Kernel
        let blog: BlogService
        var services: Services { kernel.services }

        init() throws {
            kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]))
            blog = kernel.services.service(BlogService.self)!
        }

        func mail(to memberID: Int64) throws -> [OutboxMessage] {
            try services.outbox.list(limit: 500).filter { $0.memberID == memberID }
        }
    }

    @Test func twoCommentsOnOnePostGroupIntoOneNotificationNamingBoth() throws {
        let f = try Fixture()
        let author = try f.services.member("Thomas Whitby").signedIn
        let amira = try f.services.member("Amira Khan").signedIn
        let ben = try f.services.member("Ben Ode").signedIn
        let post = try f.blog.createPost(.init(title: "Phonics in Year 1", body: "What worked."), by: author)
        _ = try f.blog.addComment(to: post.id, body: "Lovely", by: ben)
        _ = try f.blog.addComment(to: post.id, body: "Same here", by: amira)
        _ = try f.blog.addComment(to: post.id, body: "And again", by: ben)
        let page = try f.services.notifications.list(memberID: author.id)
        #expect(page.items.count == 1)
        #expect(
            page.items.first?.sentence == "Ben Ode and Amira Khan commented on your post “Phonics in Year 1”")
        #expect(try f.services.notifications.unreadCount(memberID: author.id) == 1)
        // The commenters hear nothing of their own comments.
        #expect(try f.services.notifications.unreadCount(memberID: ben.id) == 0)
        // Read, then a new comment opens a new notification.
        #expect(try f.services.notifications.markAllRead(memberID: author.id) == 1)
        _ = try f.blog.addComment(to: post.id, body: "Late", by: amira)
        let after = try f.services.notifications.list(memberID: author.id)
        #expect(after.items.map(\.actorCount) == [1, 2])
        #expect(after.items.first?.isRead == false)
    }

    @Test func nothingIsStoredForHiddenContentOrForAMemberWhoMayNotSeeIt() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let reader = try f.services.member("Rita Reader").signedIn
        let post = try f.blog.createPost(.init(title: "Draft-ish", body: "Body"), by: author)
        let subject = ContentReference(module: "blog", kind: "blog_post", id: post.id)
        let notification = NewNotification(
            recipientID: reader.id, kind: "blog.comment", actor: NotificationActor(author), subject: subject,
            text: "mentioned you", link: post.path)
        let kind = try #require(f.kernel.context.reportableKinds.first { $0.kind == "blog_post" })
        try f.services.database.write { db in
            try kind.setHidden(post.id, true, db)
            #expect(
                try f.services.notifications.publish(notification, in: db) == .skipped(.contentNotPublished))
            try kind.setHidden(post.id, false, db)
            var private_ = notification
            private_.isVisible = { _, _ in false }
            #expect(try f.services.notifications.publish(private_, in: db) == .skipped(.notVisible))
            #expect(try f.services.notifications.publish(notification, in: db).isDelivered)
        }
        #expect(try f.services.notifications.unreadCount(memberID: reader.id) == 1)
    }

    @Test func preferencesTurnAKindOffOrToTheSiteOnlyAndMuteAGroup() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let reader = try f.services.member("Rita Reader").signedIn
        let post = try f.blog.createPost(.init(title: "Budgets", body: "Body"), by: author)
        try f.services.notifications.update(memberID: author.id, channels: ["blog.comment": .site])
        _ = try f.blog.addComment(to: post.id, body: "One", by: reader)
        #expect(try f.mail(to: author.id).isEmpty)
        #expect(try f.services.notifications.unreadCount(memberID: author.id) == 1)
        try f.services.notifications.update(memberID: author.id, channels: ["blog.comment": .off])
        try f.services.notifications.markAllRead(memberID: author.id)
        _ = try f.blog.addComment(to: post.id, body: "Two", by: reader)
        #expect(try f.services.notifications.unreadCount(memberID: author.id) == 0)
        // Muting a group silences notifications about its content; mentions-only lets mentions through.
        let group = NotificationGroup(id: 4, name: "Heads")
        try f.services.database.write { db in
            try f.services.notifications.setLevel(.mentions, group: group, memberID: reader.id, in: db)
            let inGroup = NewNotification(
                recipientID: reader.id, kind: "blog.comment", actor: NotificationActor(author), subject: nil,
                text: "posted", link: "/", group: group)
            #expect(try f.services.notifications.publish(inGroup, in: db) == .skipped(.groupMuted))
            var mention = inGroup
            mention.kind = NotificationKind.mention.id
            #expect(try f.services.notifications.publish(mention, in: db).isDelivered)
        }
        #expect(throws: DomainError.self) {
            try f.services.notifications.update(memberID: author.id, channels: ["no.such": .off])
        }
    }

    @Test func notificationMailIsMultipartWithOneClickUnsubscribeForItsKind() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author").signedIn
        let reader = try f.services.member("Rita Reader").signedIn
        let post = try f.blog.createPost(.init(title: "Budgets <b>", body: "Body"), by: author)
        _ = try f.blog.addComment(to: post.id, body: "One", by: reader)
        let mail = try #require(try f.mail(to: author.id).first)
        #expect(mail.subject == "Rita Reader commented on your post “Budgets <b>”")
        #expect(mail.html?.contains("Budgets &lt;b&gt;") == true)
        #expect(mail.html?.contains(f.services.config.networkName) == true)
        let unsubscribe = try #require(mail.headers.first { $0.name == "List-Unsubscribe" }?.value)
        #expect(mail.headers.contains(MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")))
        let text = MailMIME.message(mail, from: "pln@example.org")
        #expect(text.contains("Content-Type: multipart/alternative; boundary="))
        #expect(text.contains("List-Unsubscribe: <\(f.services.baseURL)/notifications/unsubscribe?member="))
        // The link's signature names this member and kind only.
        let query = try #require(unsubscribe.split(separator: "?").last.map(String.init)?.dropLast())
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            fields[parts[0]] = PercentDecoding.decode(parts[1])
        }
        let token = try #require(fields["token"])
        #expect(fields["kind"] == "blog.comment")
        #expect(
            try !f.services.notifications.verifyUnsubscribe(
                memberID: reader.id, kind: "blog.comment", token: token))
        #expect(
            try !f.services.notifications.verifyUnsubscribe(
                memberID: author.id, kind: "blog.reply", token: token))
        try f.services.notifications.unsubscribe(memberID: author.id, kind: "blog.comment", token: token)
        #expect(
            try f.services.notifications.settings(memberID: author.id).channels.first {
                $0.kind.id == "blog.comment"
            }?.channel == .off)
    }

    @Test func notificationMailGoesToTheAddressTheMemberHasWhenItIsSent() throws {
        let f = try Fixture()
        let author = try f.services.member("Ann Author")
        let reader = try f.services.member("Rita Reader").signedIn
        let post = try f.blog.createPost(.init(title: "Budgets", body: "Body"), by: author.signedIn)
        _ = try f.blog.addComment(to: post.id, body: "One", by: reader)
        let membership = try #require(f.services.service(MembershipService.self))
        try f.services.database.write { db in
            try db.execute(
                "UPDATE membership_members SET email = 'moved@example.org' WHERE id = ?", [author.id])
        }
        _ = membership
        try f.services.outbox.deliverDue()
        #expect(try f.mail(to: author.id).first?.to == "moved@example.org")
    }
}

/// The bell's count is on every signed-in page: it must read the unread index only.
@Suite struct NotificationCountPlanTests {
    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func theUnreadCountReadsOnlyThePartialIndex() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership"]))
        for sql in [Notifications.unreadCountSQL, Notifications.stateTagSQL] {
            let plan = try kernel.services.database.read { db in
                try db.query("EXPLAIN QUERY PLAN " + sql, [1]) { try $0.value("detail") as String }
            }
            // Covering: no notification row is read, only the index of the unread ones.
            #expect(
                plan == ["SEARCH notifications USING COVERING INDEX notifications_unread (recipient_id=?)"])
        }
    }
}
