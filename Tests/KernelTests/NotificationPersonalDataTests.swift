import Blog
import Foundation
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// Notifications and their settings are in "Download my data" and go with the account; a purged
/// module's content leaves no notification behind.
@Suite struct NotificationPersonalDataTests {
    @Test func exportHoldsNotificationsAndSettingsAndDeletingTheAccountRemovesThem() throws {
        let kernel = try bootKernel(testConfig(enabling: ["membership", "blog"]))
        let services = kernel.services
        let membership = try #require(services.service(MembershipService.self))
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Ann Author").signedIn
        let commenter = try services.member("Cal Commenter").signedIn
        let post = try blog.createPost(.init(title: "Budgets", body: "Body"), by: author)
        _ = try blog.addComment(to: post.id, body: "Hi", by: commenter)
        try services.notifications.update(memberID: author.id, channels: ["blog.reply": .site], digest: .daily)
        let export = try membership.exportAll(memberID: author.id, hooks: membership.personalDataHooks())
        let part = try #require(export["notifications"])
        #expect(part["notifications"]?.arrayValue?.first?["text"]?.stringValue == "Cal Commenter commented on your post “Budgets”")
        #expect(part["settings"]?["digest"]?.stringValue == "daily")
        #expect(part["settings"]?["channels"]?.arrayValue?.count == 1)

        // The commenter leaves: the author's notification named only them, so it goes too.
        try membership.deleteAccount(memberID: commenter.id, hooks: membership.personalDataHooks())
        #expect(try services.notifications.unreadCount(memberID: author.id) == 0)
        try membership.deleteAccount(memberID: author.id, hooks: membership.personalDataHooks())
        let left = try services.database.read { db -> [Int] in
            var counts: [Int] = []
            for table in ["notifications", "notification_preferences", "notification_members"] {
                let column = table == "notifications" ? "recipient_id" : "member_id"
                counts.append(
                    try db.scalar("SELECT count(*) FROM \(table) WHERE \(column) = ?", [author.id], as: Int.self) ?? -1)
            }
            counts.append(
                try db.scalar(
                    "SELECT count(*) FROM outbox WHERE member_id = ? AND status = 'pending'", [author.id], as: Int.self)
                    ?? -1)
            return counts
        }
        #expect(left == [0, 0, 0, 0])
    }

    @Test func purgingAModuleForgetsNotificationsAboutItsContent() throws {
        let folder = temporaryFolder()
        let config = testConfig(enabling: ["membership", "blog"], folder: folder)
        let kernel = try bootKernel(config)
        let services = kernel.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Ann Author").signedIn
        let post = try blog.createPost(.init(title: "Budgets", body: "Body"), by: author)
        _ = try blog.addComment(to: post.id, body: "Hi", by: try services.member("Cal").signedIn)
        #expect(try services.notifications.unreadCount(memberID: author.id) == 1)
        try Kernel.purge(
            moduleID: "blog", registry: fullRegistry, config: testConfig(enabling: ["membership"], folder: folder),
            database: services.database)
        #expect(try services.notifications.unreadCount(memberID: author.id) == 0)
    }
}
