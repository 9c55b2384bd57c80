import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// The HTML pages: the report form, "your reports", the queue, a case, a member's page and badges.
@Suite struct PagesTests {
    /// The case number from a queue page's first case link.
    static func firstCasePath(in page: String) -> String? {
        guard let range = page.range(of: "href=\"/moderation/cases/") else { return nil }
        let digits = page[range.upperBound...].prefix { $0.isNumber }
        return "/moderation/cases/\(digits)"
    }

    @Test func aReportedStatusIsHiddenByAModeratorAndTheReporterIsTold() throws {
        let f = try ModerationFixture()
        let network = f.network
        _ = try f.member("Mo", role: .moderator)
        let alice = network.client()
        let bob = network.client()
        let carol = network.client()
        let moderator = network.client()
        let anonymous = network.client()
        #expect(try alice.join(name: "Alice", email: "alice@example.org").status == 303)
        #expect(try bob.join(name: "Bob", email: "bob@example.org").status == 303)
        #expect(try carol.join(name: "Carol", email: "carol@example.org").status == 303)
        #expect(try moderator.signIn("mo").status == 303)

        let text = "You are all hopeless teachers"
        let posted = try bob.submit("/statuses", from: "/members/bob", ["body": text])
        let location = try #require(posted.location)
        let statusID = try #require(location.split(separator: "-").last.flatMap { Int64($0) })
        #expect(try carol.get("/activity").text.contains(text))

        // The footer link and the item's report form.
        #expect(try alice.get("/").text.contains("href=\"/report\">Report an Issue</a>"))
        let form = try alice.get("/report?kind=status&id=\(statusID)")
        #expect(form.status == 200)
        #expect(form.text.contains("Status by @bob"))
        let filed = try alice.submit(
            "/report", from: "/report?kind=status&id=\(statusID)",
            ["kind": "status", "id": String(statusID), "category": "harassment", "comment": "Insulting"])
        #expect(filed.status == 303)
        #expect(filed.location?.hasPrefix("/reports/mine") == true)
        #expect(try alice.get("/reports/mine").text.contains("Waiting for a moderator"))

        // A plain member cannot see the queue, by page or API.
        #expect(try alice.get("/moderation").status == 403)
        #expect(try alice.get("/api/v1/moderation/queue").status == 403)
        #expect(try anonymous.get("/moderation").status == 303)

        let queue = try moderator.get("/moderation")
        #expect(queue.status == 200)
        #expect(queue.text.contains("Status by @bob"))
        #expect(queue.text.contains("Harassment or abuse"))
        let casePath = try #require(Self.firstCasePath(in: queue.text))
        let casePage = try moderator.get(casePath)
        #expect(casePage.text.contains("Insulting"))
        let acted = try moderator.submit(
            "\(casePath)/actions", from: casePath,
            ["action": "hide", "reason": "Personal attack on colleagues"])
        #expect(acted.status == 303)

        let mine = try alice.get("/reports/mine").text
        #expect(mine.contains("A moderator reviewed it and hid the content."))
        let mail = try f.outbox(to: "alice@example.org")
        #expect(mail.contains { $0.body.contains("hid the content") })

        // Gone for everyone but the author and moderators, on every path.
        #expect(!(try anonymous.get("/activity").text.contains(text)))
        #expect(!(try anonymous.get("/api/v1/activity").text.contains(text)))
        #expect(!(try carol.get("/activity").text.contains(text)))
        #expect(!(try carol.get("/members/bob").text.contains(text)))
        #expect(!(try alice.get("/members/bob").text.contains(text)))
        #expect(try bob.get("/members/bob").text.contains(text))
        #expect(try moderator.get("/members/bob").text.contains(text))
        #expect(try moderator.get("/activity").text.contains(text))

        let audit = try moderator.get("/moderation/audit").text
        #expect(audit.contains("Personal attack on colleagues"))
        #expect(audit.contains("Status by @bob"))
    }

    @Test func moderatorsAssignNoteAndActOnMembersThroughThePages() throws {
        let s = try ReportedStatus()
        let moderator = s.f.network.client()
        try moderator.signIn("mo")
        let casePath = "/moderation/cases/\(s.report.caseID)"
        #expect(try moderator.submit("\(casePath)/assign", from: casePath, ["to": "me"]).status == 303)
        #expect(try moderator.get(casePath).text.contains("Assigned to you."))
        #expect(try moderator.get("/moderation?assigned=me").text.contains("Status by @bob"))
        #expect(
            try moderator.submit("\(casePath)/notes", from: casePath, ["note": "Second report this month"])
                .status == 303)
        #expect(try moderator.get(casePath).text.contains("Second report this month"))
        let missingReason = try moderator.submit(
            "\(casePath)/actions", from: casePath, ["action": "warn", "reason": ""])
        #expect(missingReason.status == 422)
        #expect(missingReason.text.contains("Say why: the member is told the reason."))
        let memberPage = "/moderation/members/bob"
        #expect(try moderator.get(memberPage).status == 200)
        let suspended = try moderator.submit(
            "\(memberPage)/actions", from: memberPage,
            ["action": "suspend", "reason": "Cooling off", "hide_content": "1"])
        #expect(suspended.status == 303)
        #expect(try s.f.member(s.bob.id)?.status == .suspended)
        #expect(try moderator.get(memberPage).text.contains("Cooling off"))
        let alice = s.f.network.client()
        try alice.signIn("alice")
        #expect(try alice.get(casePath).status == 403)
        #expect(try alice.get(memberPage).status == 403)
        #expect(try alice.get("/moderation/audit").status == 403)
    }

    @Test func theBadgesPageNamesTheRolesAndShowsStaffOnlyToMembers() throws {
        let f = try ModerationFixture()
        _ = try f.member("Mo Derator", role: .moderator)
        let anonymous = f.network.client()
        let page = try anonymous.get("/badges")
        #expect(page.status == 200)
        #expect(page.text.contains("<h2>Moderator</h2>"))
        #expect(page.text.contains("href=\"/badges\">Badges</a>"))
        // The sidebar's Latest Activity may name anyone who joined publicly; the badge list must not.
        func main(_ text: String) -> Substring {
            guard let start = text.range(of: "<main"), let end = text.range(of: "</main>") else { return "" }
            return text[start.lowerBound..<end.upperBound]
        }
        #expect(!main(page.text).contains("Mo Derator"))
        let member = f.network.client()
        try member.join(name: "Alice", email: "alice@example.org")
        #expect(main(try member.get("/badges").text).contains("Mo Derator"))
    }

    @Test func theReportFormKeepsWhatWasTypedAndShowsErrorsBesideFields() throws {
        let f = try ModerationFixture()
        let alice = f.network.client()
        try alice.join(name: "Alice", email: "alice@example.org")
        let response = try alice.submit(
            "/report", from: "/report", ["category": "", "comment": "Something odd <b>here</b>"])
        #expect(response.status == 422)
        #expect(response.text.contains("Choose what kind of problem this is."))
        #expect(response.text.contains("Something odd &lt;b&gt;here&lt;/b&gt;"))
        #expect(try alice.get("/report?kind=nothing&id=1").status == 404)
    }

    @Test func awaitingApprovalIsShownToTheAuthor() throws {
        let f = try ModerationFixture(settings: ["premoderate_first_posts": .int(2)])
        let network = f.network
        let nina = network.client()
        try nina.join(name: "Nina", email: "nina@example.org")
        let text = "My first post here"
        try nina.submit("/statuses", from: "/members/nina", ["body": text])
        let mine = try nina.get("/reports/mine").text
        #expect(mine.contains("awaiting approval"))
        #expect(try nina.get("/").text.contains("awaiting approval"))
        let carol = network.client()
        try carol.join(name: "Carol", email: "carol@example.org")
        #expect(!(try carol.get("/members/nina").text.contains(text)))
        #expect(!(try carol.get("/activity").text.contains(text)))
    }
}
