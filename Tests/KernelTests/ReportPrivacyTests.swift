import Blog
import CPD
import Foundation
import Groups
import Membership
import Moderation
import PLNTestSupport
import Testing

@testable import Kernel

/// A member may report only what they may see: for anything else the report form and the API
/// answer exactly as for an id that never existed, and nothing about the item is recorded.
@Suite struct ReportPrivacyTests {
    /// A network where Olive keeps things Ian must not see: a hidden group with a discussion and
    /// a reply, a private group's discussion, a draft, and a session only for the hidden group.
    final class Secrets: @unchecked Sendable {
        // @unchecked: used by one test at a time.
        let network: TestNetwork
        let olive: SignedInMember
        let ian: SignedInMember
        var items: [(kind: String, id: Int64, title: String)] = []

        init() throws {
            network = try TestNetwork(modules: allModules)
            let services = network.services
            let membership = services.service(MembershipService.self)!
            let groups = services.service(GroupsService.self)!
            let blog = services.service(BlogService.self)!
            let cpd = services.service(CPDService.self)!
            func join(_ name: String) throws -> SignedInMember {
                let member = try membership.join(
                    .init(
                        name: name, email: "\(name.lowercased())@example.org",
                        password: "a long enough password",
                        acceptsTerms: true), bypassSignupMode: true)
                return SignedInMember(id: member.id, handle: member.handle, name: member.name, role: .member)
            }
            olive = try join("Olive")
            ian = try join("Ian")
            let hidden = try groups.create(
                .init(name: "Heads restructure", category: "Interest", visibility: .hidden), by: olive)
            let discussion = try groups.startDiscussion(
                groupID: hidden.id, by: olive, title: "Redundancies at Hilltop", body: "Confidential plans")
            let reply = try groups.reply(to: discussion.id, by: olive, body: "Governors meet on Friday")
            let privateGroup = try groups.create(
                .init(name: "Deputies circle", category: "Interest", visibility: .private), by: olive)
            let privateDiscussion = try groups.startDiscussion(
                groupID: privateGroup.id, by: olive, title: "Ofsted call tomorrow", body: "Keep it quiet")
            let draft = try blog.createPost(
                .init(title: "Unpublished worries", body: "Not ready to share", publish: false), by: olive)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            formatter.timeZone = TimeZone(identifier: "Europe/London")
            let session = try cpd.offer(
                SessionInput(
                    title: "Restructure briefing", description: "For heads only", areas: ["Leadership"],
                    starts: formatter.string(from: network.clock.now.addingTimeInterval(7 * 86_400)),
                    venue: "Hilltop Primary", audienceGroup: String(hidden.id)),
                by: olive)
            items = [
                ("group", hidden.id, "Heads restructure"),
                ("group_discussion", discussion.id, "Redundancies"),
                ("group_reply", reply.id, "Governors"), ("group_discussion", privateDiscussion.id, "Ofsted"),
                ("blog_post", draft.id, "Unpublished"), ("cpd_session", session.id, "Restructure briefing"),
            ]
        }

        deinit { network.stop() }

        func token(_ login: String) throws -> String {
            let response = try network.client().send(
                json: "POST", "/api/v1/sessions", ["login": login, "password": "a long enough password"])
            return try #require((response.json as? [String: Any])?["token"] as? String)
        }
    }

    @Test func theReportFormAnswersNotFoundForWhatTheMemberCannotSee() throws {
        let secrets = try Secrets()
        let ian = secrets.network.client()
        try ian.signIn("ian")
        _ = try ian.get("/")  // shows the sign-in flash, so the pages compared below have none
        let nothing = try ian.get("/report?kind=group_discussion&id=987654")
        #expect(nothing.status == 404)
        for item in secrets.items {
            let page = try ian.get("/report?kind=\(item.kind)&id=\(item.id)")
            #expect(page.status == 404, "\(item.kind) \(item.id)")
            #expect(!page.text.contains(item.title), "\(item.kind) \(item.id)")
            #expect(page.text == nothing.text, "\(item.kind) \(item.id) answers unlike a missing id")
            let posted = try ian.submit(
                "/report", from: "/report", ["kind": item.kind, "id": String(item.id), "category": "spam"])
            #expect(posted.status == 404, "\(item.kind) \(item.id)")
        }
        // The owner may see, and so report, her own group (not her own posts).
        let olive = secrets.network.client()
        try olive.signIn("olive")
        #expect(try olive.get("/report?kind=group&id=\(secrets.items[0].id)").status == 200)
        #expect(
            try secrets.network.services.database.read {
                try $0.scalar("SELECT COUNT(*) FROM moderation_reports", as: Int.self)
            } == 0)
    }

    @Test func theAPIRefusesReportsOnWhatTheMemberCannotSeeAndRecordsNothing() throws {
        let secrets = try Secrets()
        let ian = secrets.network.client()
        ian.bearer = try secrets.token("ian")
        let nothing = try ian.send(
            json: "POST", "/api/v1/reports", ["kind": "group_reply", "id": 987654, "category": "spam"])
        #expect(nothing.status == 404)
        for item in secrets.items {
            let response = try ian.send(
                json: "POST", "/api/v1/reports", ["kind": item.kind, "id": item.id, "category": "spam"])
            #expect(response.status == 404, "\(item.kind) \(item.id)")
            #expect(response.text == nothing.text, "\(item.kind) \(item.id) answers unlike a missing id")
        }
        let mine = try ian.get("/api/v1/reports")
        #expect(((mine.json as? [String: Any])?["items"] as? [Any])?.isEmpty == true)
        #expect(try ian.get("/reports/mine").text.contains("Redundancies") == false)
        let export = try ian.get("/account/export")
        for item in secrets.items { #expect(!export.text.contains(item.title)) }
    }

    @Test func groupsCanBeReportedAndHiddenByModerators() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let services = network.services
        let membership = services.service(MembershipService.self)!
        let groups = services.service(GroupsService.self)!
        let moderation = services.service(ModerationService.self)!
        func join(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
            let member = try membership.join(
                .init(
                    name: name, email: "\(name.lowercased())@example.org", password: "a long enough password",
                    acceptsTerms: true), role: role, bypassSignupMode: true)
            return SignedInMember(id: member.id, handle: member.handle, name: member.name, role: role)
        }
        let owner = try join("Owen")
        let reader = try join("Rita")
        let moderator = try join("Mo", role: .moderator)
        let group = try groups.create(
            .init(name: "Cheap essays club", category: "Interest", visibility: .public), by: owner)
        _ = try groups.join(groupID: group.id, by: reader)

        let page = network.client()
        try page.signIn("rita")
        #expect(try page.get(group.path).text.contains("/report?kind=group&amp;id=\(group.id)"))
        let api = network.client()
        api.bearer = try network.client().send(
            json: "POST", "/api/v1/sessions", ["login": "rita", "password": "a long enough password"]
        ).json.flatMap { ($0 as? [String: Any])?["token"] as? String }
        let filed = try api.send(
            json: "POST", "/api/v1/reports", ["kind": "group", "id": group.id, "category": "spam"])
        #expect(filed.status == 201)
        let caseID = try #require((filed.json as? [String: Any])?["case_id"] as? Int)
        #expect(try moderation.moderationCase(id: Int64(caseID))?.title == "Group “Cheap essays club”")

        _ = try moderation.act(
            caseID: Int64(caseID), ActionRequest(action: .hide, reason: "Selling essays"),
            by: ModeratorRef(member: moderator))
        #expect(try page.get(group.path).status == 404)
        #expect(try groups.directory(for: reader).contains { $0.id == group.id } == false)
        #expect(try groups.directory(for: owner).contains { $0.id == group.id })
        #expect(try groups.directory(for: moderator).contains { $0.id == group.id })
        _ = try moderation.act(
            caseID: Int64(caseID), ActionRequest(action: .unhide, reason: "Cleaned up"),
            by: ModeratorRef(member: moderator))
        #expect(try page.get(group.path).status == 200)
    }
}

/// Names and titles are single lines everywhere: no line breaks, NUL or right-to-left overrides
/// to forge a second line in a mail subject or reverse a name on a page.
@Suite struct SingleLineTitleTests {
    @Test func titlesOfGroupsPostsDiscussionsAndSessionsAreCleaned() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let services = network.services
        let membership = services.service(MembershipService.self)!
        let member = try membership.join(
            .init(
                name: "Olive", email: "olive@example.org", password: "a long enough password",
                acceptsTerms: true),
            bypassSignupMode: true)
        let olive = SignedInMember(id: member.id, handle: member.handle, name: member.name, role: .member)
        let nasty = "Line one\r\nBcc: all@example.org\u{0}\u{202E}txt.exe"
        let group = try services.service(GroupsService.self)!.create(
            .init(name: nasty, category: "Interest", visibility: .public), by: olive)
        let discussion = try services.service(GroupsService.self)!.startDiscussion(
            groupID: group.id, by: olive, title: nasty, body: "Body")
        let post = try services.service(BlogService.self)!.createPost(
            .init(title: nasty, body: "Body"), by: olive)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        let session = try services.service(CPDService.self)!.offer(
            SessionInput(
                title: nasty, areas: ["Leadership"],
                starts: formatter.string(from: network.clock.now.addingTimeInterval(3 * 86_400)), venue: nasty
            ),
            by: olive)
        for text in [group.name, discussion.title, post.title, session.title, session.venue] {
            #expect(text == "Line one Bcc: all@example.orgtxt.exe")
        }
    }
}
