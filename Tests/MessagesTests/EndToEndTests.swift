import Foundation
import Groups
import Kernel
import Membership
import Moderation
import PLNTestSupport
import Testing

@testable import Messages

/// Messages over real HTTP: two members exchange messages and watch the unread counts; a third
/// member finds nothing on any path; a blocked member is refused with a clear message; a
/// reported message reaches moderators without the rest of the conversation.
@Suite struct EndToEndTests {
    struct People {
        let network: TestNetwork
        let ada: TestClient
        let ben: TestClient
        let carl: TestClient
        let mo: TestClient
        let adaID: Int64
        let benHandle: String
    }

    static func people() throws -> People {
        let network = try TestNetwork(
            modules: [MembershipModule.self, GroupsModule.self, ModerationModule.self, MessagesModule.self],
            settings: ["network": ["base_url": .string("https://pln.example.org")]])
        func signedIn(_ name: String, _ email: String, role: MemberRole = .member) throws -> (
            TestClient, Member
        ) {
            let member = try network.services.member(name, email: email, role: role)
            let client = network.client()
            try client.signIn(email)
            return (client, member)
        }
        let (ada, adaMember) = try signedIn("Ada Lovelace", "ada@school.example")
        let (ben, benMember) = try signedIn("Ben Ames", "ben@school.example")
        let (carl, _) = try signedIn("Carl Outsider", "carl@school.example")
        let (mo, _) = try signedIn("Mo Moderator", "mo@school.example", role: .moderator)
        return People(
            network: network, ada: ada, ben: ben, carl: carl, mo: mo, adaID: adaMember.id,
            benHandle: benMember.handle)
    }

    static func count(_ page: TestClient.Response) -> Int? {
        guard let range = page.text.range(of: "<span class=\"nav-count\">") else { return nil }
        return Int(page.text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func twoMembersExchangeMessagesAndAnOutsiderSeesNothingOnAnyPath() throws {
        let p = try Self.people()
        defer { p.network.stop() }
        // Ada writes from Ben's profile.
        let profile = try p.ada.get("/members/\(p.benHandle)")
        #expect(profile.text.contains("href=\"/messages/new?to=\(p.benHandle)\">Message</a>"))
        let composer = try p.ada.get("/messages/new?to=\(p.benHandle)")
        #expect(composer.text.contains("value=\"\(p.benHandle)\""))
        let sent = try p.ada.submit(
            "/messages/new", from: "/messages/new",
            [
                "to": p.benHandle, "subject": "Safeguarding question",
                "body": "Can we talk about **pupil X**? <script>x()</script>",
            ])
        #expect(sent.status == 303)
        let path = try #require(sent.location)
        #expect(path.hasPrefix("/messages/"))
        let id = String(path.dropFirst("/messages/".count))

        // Ben sees one unread in the header and the inbox, reads it, and the count goes.
        #expect(Self.count(try p.ben.get("/")) == 1)
        let inbox = try p.ben.get("/messages")
        #expect(inbox.text.contains("Safeguarding question"))
        #expect(inbox.text.contains("1 new"))
        let opened = try p.ben.get(path)
        #expect(opened.status == 200)
        #expect(opened.text.contains("<strong>pupil X</strong>"))
        #expect(!opened.text.contains("<script>x()"))
        #expect(Self.count(try p.ben.get("/")) == nil)
        #expect(Self.count(try p.ada.get("/")) == nil)
        let reply = try p.ben.submit(path, from: path, ["body": "Yes, call me at break."])
        #expect(reply.status == 303)
        #expect(Self.count(try p.ada.get("/")) == 1)
        let api = try p.ben.get("/api/v1/conversations/\(id)/messages")
        #expect(api.status == 200)
        let items = try #require((api.json as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["body"] as? String }.last == "Yes, call me at break.")
        let messageID = try #require(items.first?["id"] as? Int)

        // Carl: every path by id answers like nothing exists, and nothing leaks.
        let secrets = ["Safeguarding question", "pupil X", "call me at break"]
        for target in [
            path, "\(path)?before=999999", "/messages/m/\(messageID)", "/messages/m/\(messageID)/report",
            "/api/v1/conversations/\(id)", "/api/v1/conversations/\(id)/messages",
        ] {
            let page = try p.carl.get(target)
            #expect(page.status == 404, "\(target): \(page.status)")
            for secret in secrets { #expect(!page.text.contains(secret), "\(target) shows \(secret)") }
        }
        let moderatorOnly = try p.carl.get("/messages/reported/\(messageID)")
        #expect(moderatorOnly.status == 403 || moderatorOnly.status == 404)
        for target in [
            "/messages", "/api/v1/conversations", "/activity", "/api/v1/activity", "/account/export", "/",
            "/members/\(p.benHandle)", "/search?q=pupil", "/search?q=break&kind=messages_message",
            "/api/v1/search?q=pupil", "/notifications", "/api/v1/notifications",
        ] {
            let page = try p.carl.get(target)
            for secret in secrets { #expect(!page.text.contains(secret), "\(target) shows \(secret)") }
        }
        let intrusion = try p.carl.submit(path, from: "/messages", ["body": "Let me in"])
        #expect(intrusion.status == 404)
        let dismissal = try p.carl.submit("/messages/m/\(messageID)/delete", from: "/messages", [:])
        #expect(dismissal.status == 404)
        #expect(try p.ben.get(path).text.contains("Yes, call me at break."))
        // Nor does the moderator, who is no participant.
        #expect(try p.mo.get(path).status == 404)
        // Mail names the sender, never the text.
        let mails = try p.network.services.outbox.list().filter {
            $0.subject.contains("sent you a private message")
        }
        #expect(!mails.isEmpty)
        for mail in mails {
            for secret in secrets { #expect(!mail.body.contains(secret) && !mail.subject.contains(secret)) }
        }
        #expect(!(try p.carl.get("/search?q=break").text.contains("/messages/m/")))
        // Ben finds it in search and has it in the bell, without its text.
        let found = try p.ben.get("/search?q=break")
        #expect(found.text.contains("/messages/m/"))
        #expect(found.text.contains("Safeguarding question"))
        #expect(try p.ben.get("/messages/m/\(messageID)").location == path + "#message-\(messageID)")
        let bell = try p.ben.get("/notifications")
        #expect(bell.text.contains("sent you a private message"))
        for secret in secrets { #expect(!bell.text.contains(secret)) }
        // Ada's and Ben's exports have it; Carl's does not.
        #expect(try p.ben.get("/account/export").text.contains("call me at break"))
    }

    @Test func aBlockedMemberIsRefusedWithAClearMessageAndKeepsWhatTheyTyped() throws {
        let p = try Self.people()
        defer { p.network.stop() }
        let sent = try p.ada.submit(
            "/messages/new", from: "/messages/new", ["to": p.benHandle, "body": "First"])
        let path = try #require(sent.location)
        let blocked = try p.ben.submit(
            "/messages/blocked", from: "/messages/blocked", ["handle": "ada-lovelace"])
        #expect(blocked.status == 303)
        #expect(try p.ben.get("/messages/blocked").text.contains("Ada Lovelace"))
        let refused = try p.ada.submit(path, from: path, ["body": "Why are you ignoring me?"])
        #expect(refused.status == 403)
        #expect(refused.text.contains("Ben Ames does not accept messages from you."))
        #expect(refused.text.contains("Why are you ignoring me?"))
        let again = try p.ada.submit(
            "/messages/new", from: "/messages/new", ["to": p.benHandle, "body": "Hello?"])
        #expect(again.status == 403)
        #expect(again.text.contains("Ben Ames does not accept messages from you."))
        #expect(try p.ben.get(path).text.contains("No messages you can see yet."))
    }

    @Test func aReportedMessageReachesTheQueueWithoutTheRestOfTheConversation() throws {
        let p = try Self.people()
        defer { p.network.stop() }
        let sent = try p.ada.submit(
            "/messages/new", from: "/messages/new", ["to": p.benHandle, "body": "Harmless opening"])
        let path = try #require(sent.location)
        _ = try p.ben.submit(path, from: path, ["body": "Context Ben chose"])
        _ = try p.ada.submit(path, from: path, ["body": "Something threatening"])
        let api = try p.ben.get(
            "\(path.replacingOccurrences(of: "/messages/", with: "/api/v1/conversations/"))/messages")
        let items = try #require((api.json as? [String: Any])?["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? Int }
        #expect(ids.count == 3)
        let (_, context, reported) = (ids[0], ids[1], ids[2])

        let choose = try p.ben.get("/messages/m/\(reported)/report")
        #expect(choose.text.contains("Harmless opening") && choose.text.contains("Context Ben chose"))
        let attached = try p.ben.post(
            "/messages/m/\(reported)/report",
            fields: [("_csrf", choose.csrf ?? ""), ("context", String(context))])
        #expect(attached.status == 303)
        #expect(attached.location == "/report?kind=messages_message&id=\(reported)")
        let filed = try p.ben.submit(
            "/report", from: try #require(attached.location),
            [
                "kind": "messages_message", "id": String(reported), "category": "harassment",
                "comment": "Frightening",
            ])
        #expect(filed.status == 303)

        let queue = try p.mo.get("/moderation")
        #expect(queue.text.contains("Private message from Ada Lovelace"))
        #expect(!queue.text.contains("Harmless opening"))
        let opened = try p.mo.get("/messages/reported/\(reported)")
        #expect(opened.status == 200)
        #expect(opened.text.contains("Something threatening"))
        #expect(opened.text.contains("Context Ben chose"))
        #expect(!opened.text.contains("Harmless opening"))
        let audit = try p.mo.get("/moderation/audit")
        #expect(audit.text.contains("opened a reported private message"))
        // A message nobody reported cannot be opened by a moderator.
        #expect(try p.mo.get("/messages/reported/\(ids[0])").status == 404)
    }

    @Test func messageNotificationSettingsOverTheAPIAndThePage() throws {
        let p = try Self.people()
        defer { p.network.stop() }
        let api = p.network.client()
        let session = try api.send(
            json: "POST", "/api/v1/sessions",
            ["login": "ben@school.example", "password": MemberFixture.password])
        api.bearer = (session.json as? [String: Any])?["token"] as? String
        #expect(try api.get("/api/v1/message-settings").text == #"{"channel":"email","text":"notify_only"}"#)
        let changed = try api.send(
            json: "PUT", "/api/v1/message-settings", ["channel": "digest", "text": "include_text"])
        #expect(changed.status == 200)
        #expect(changed.text == #"{"channel":"digest","text":"include_text"}"#)
        let wrong = try api.send(
            json: "PUT", "/api/v1/message-settings", ["channel": "loud", "text": "notify_only"])
        #expect(wrong.status == 422)
        #expect(
            try api.get("/api/v1/message-settings").text == #"{"channel":"digest","text":"include_text"}"#)
        // The page shows the choices and saves them; a forged value is refused beside its field.
        let page = try p.ben.get("/messages/settings")
        #expect(page.text.contains("<option value=\"digest\" selected>"))
        let saved = try p.ben.submit(
            "/messages/settings", from: "/messages/settings", ["channel": "off", "text": "notify_only"])
        #expect(saved.status == 303)
        #expect(try api.get("/api/v1/message-settings").text == #"{"channel":"off","text":"notify_only"}"#)
        let refused = try p.ben.submit(
            "/messages/settings", from: "/messages/settings", ["channel": "loud", "text": "notify_only"])
        #expect(refused.status == 422)
        #expect(refused.text.contains("Choose when you hear of new messages."))
        #expect(try p.network.client().get("/api/v1/message-settings").status == 401)
    }
}
