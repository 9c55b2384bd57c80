import Blog
import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// /api/v1/notifications and /api/v1/notification-settings over real HTTP, with a bearer token.
@Suite struct NotificationAPITests {
    @Test func listMarkReadAndChangeSettingsThroughTheAPI() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        let services = network.services
        let blog = try #require(services.service(BlogService.self))
        let author = try services.member("Thomas Whitby", email: "thomas@school.example")
        let post = try blog.createPost(.init(title: "Phonics", body: "Body"), by: author.signedIn)
        _ = try blog.addComment(to: post.id, body: "Hi", by: try services.member("Amira Khan").signedIn)
        let client = network.client()
        let session = try client.send(
            json: "POST", "/api/v1/sessions",
            ["login": "thomas@school.example", "password": MemberFixture.password])
        client.bearer = (session.json as? [String: Any])?["token"] as? String

        let list = try client.get("/api/v1/notifications")
        #expect(list.status == 200)
        let object = try #require(list.json as? [String: Any])
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.first?["text"] as? String == "Amira Khan commented on your post “Phonics”")
        #expect(items.first?["read"] as? Bool == false)
        let id = try #require(items.first?["id"] as? Int)
        #expect(try client.send(json: "POST", "/api/v1/notifications/\(id)/read", nil).status == 204)
        #expect(try client.send(json: "POST", "/api/v1/notifications/\(id + 1000)/read", nil).status == 404)
        let count = try client.get("/api/v1/notifications/unread-count")
        #expect((count.json as? [String: Any])?["unread"] as? Int == 0)

        let changed = try client.send(
            json: "PUT", "/api/v1/notification-settings",
            ["digest": "daily", "channels": [["kind": "blog.comment", "channel": "off"]]])
        #expect(changed.status == 200)
        let settings = try services.notifications.settings(memberID: author.id)
        #expect(settings.digest == .daily)
        #expect(settings.channels.first { $0.kind.id == "blog.comment" }?.channel == .off)
        let refused = try client.send(
            json: "PUT", "/api/v1/notification-settings",
            ["channels": [["kind": "blog.comment", "channel": "fax"]]])
        #expect(refused.status == 422)
        let unknown = try client.send(
            json: "PUT", "/api/v1/notification-settings",
            ["channels": [["kind": "no.such", "channel": "off"]]])
        #expect(unknown.status == 422)
        #expect(try network.client().get("/api/v1/notifications").status == 401)
    }
}
