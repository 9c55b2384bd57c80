import Blog
import Foundation
import HTTP
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Notifications over real HTTP: the bell, the page, the count's 304, and the mailed
/// unsubscribe link working without signing in.
@Suite struct NotificationEndToEndTests {
    static let browser: [(String, String)] = [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")]

    @Test func twoCommentsShowAsOneGroupedNotificationAndTheMailedLinkUnsubscribesWithoutSignIn() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let thomas = try services.member("Thomas Whitby", email: "thomas@school.example")
        let post = try blog.createPost(
            .init(title: "Phonics in Year 1", body: "What worked."), by: thomas.signedIn)
        let path = "/blog/posts/\(post.id)"
        for name in ["Amira Khan", "Ben Ode"] {
            let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@school.example"
            try services.member(name, email: email)
            let client = network.client()
            try client.signIn(email)
            #expect(try client.submit("\(path)/comments", from: path, ["body": "Thank you"]).status == 303)
        }
        let author = network.client()
        try author.signIn("thomas@school.example")
        let home = try author.get("/", headers: Self.browser).text
        #expect(home.contains("data-unread=\"1\""))
        #expect(home.contains("1 unread notification"))
        #expect(home.contains("aria-live=\"polite\" data-bell-live"))
        let page = try author.get("/notifications", headers: Self.browser).text
        #expect(
            page.contains(
                "<strong>Ben Ode and Amira Khan</strong> commented on your post “Phonics in Year 1”"))

        // The count: JSON, then 304 with its ETag until something changes.
        let count = try author.get("/notifications/count")
        #expect(count.text == "{\"unread\":1}")
        let etag = try #require(count.header("ETag"))
        #expect(try author.get("/notifications/count", headers: [("If-None-Match", etag)]).status == 304)

        // Opening the notification marks it read and goes to the comment.
        let id = try #require(try services.notifications.list(memberID: thomas.id).items.first?.id)
        let opened = try author.get("/notifications/\(id)")
        #expect(opened.status == 303)
        #expect(opened.location?.hasPrefix(path + "#comment-") == true)
        #expect(try author.get("/notifications/count", headers: [("If-None-Match", etag)]).status == 200)
        // Another member cannot open it.
        let other = network.client()
        try other.signIn("amira.khan@school.example")
        #expect(try other.get("/notifications/\(id)").status == 404)

        // The mailed link, by a client that never signed in: the page, then the one-click POST.
        let mail = try #require(try services.outbox.list().first { $0.memberID == thomas.id })
        let link = try #require(mail.headers.first { $0.name == "List-Unsubscribe" }?.value)
        let target = String(link.dropFirst(services.baseURL.count + 1).dropLast())
        let stranger = network.client()
        let confirm = try stranger.get(target, headers: Self.browser)
        #expect(confirm.status == 200)
        #expect(confirm.text.contains("Comments on my blog posts"))
        let done = try stranger.send(
            "POST", target, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("List-Unsubscribe=One-Click".utf8))
        #expect(done.status == 200)
        // A forged token does nothing.
        let forged = target.replacingOccurrences(of: "token=", with: "token=0")
        #expect(try stranger.send("POST", forged, headers: [], body: []).status == 404)
        // That kind is off now: a third comment neither mails nor notifies.
        let before = try services.outbox.list().count
        _ = try blog.addComment(to: post.id, body: "Late", by: try services.member("Cai").signedIn)
        #expect(try services.outbox.list().count == before)
        #expect(try services.notifications.unreadCount(memberID: thomas.id) == 0)
    }

    @Test func theSettingsPageSavesChoicesAndRefusesUnknownValues() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let ann = try network.services.member("Ann Author", email: "ann@school.example")
        let client = network.client()
        try client.signIn("ann@school.example")
        let page = try client.get("/notifications/settings", headers: Self.browser)
        #expect(page.text.contains("<label for=\"f-channel-blog-comment\">Comments on my blog posts</label>"))
        let saved = try client.submit(
            "/notifications/settings", from: "/notifications/settings",
            ["channel.blog.comment": "digest", "digest": "daily"])
        #expect(saved.status == 303)
        let settings = try network.services.notifications.settings(memberID: ann.id)
        #expect(settings.digest == .daily)
        #expect(settings.channels.first { $0.kind.id == "blog.comment" }?.channel == .digest)
        let refused = try client.submit(
            "/notifications/settings", from: "/notifications/settings",
            ["channel.blog.comment": "carrier-pigeon"])
        #expect(refused.status == 422)
        // Visitors are sent to sign in.
        #expect(try network.client().get("/notifications").status == 303)
    }
}
