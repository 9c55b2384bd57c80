import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Moderation

/// Navigation by role: administrators reach /admin from every page, moderators reach the queue
/// with its count, members see neither; the administrators' member list finds, filters and pages.
@Suite struct NavigationByRoleTests {
    static let adminLink = "<a href=\"/admin\""
    static let moderationLink = "<a href=\"/moderation\""

    @Test func eachRoleSeesItsOwnLinksAndTheQueueCountsWhatWaits() throws {
        let f = try ModerationFixture()
        let network = f.network
        _ = try f.member("Ada", role: .admin)
        _ = try f.member("Mo", role: .moderator)
        let bob = try f.member("Bob")
        let carol = try f.member("Carol")
        let admin = network.client()
        let moderator = network.client()
        let member = network.client()
        #expect(try admin.signIn("ada").status == 303)
        #expect(try moderator.signIn("mo").status == 303)
        #expect(try member.signIn("carol").status == 303)

        let adminHome = try admin.get("/").text
        #expect(adminHome.contains(Self.adminLink))
        #expect(adminHome.contains(Self.moderationLink))
        let moderatorHome = try moderator.get("/").text
        #expect(!moderatorHome.contains(Self.adminLink))
        #expect(moderatorHome.contains(Self.moderationLink))
        #expect(!moderatorHome.contains("nav-count"))
        let memberHome = try member.get("/").text
        #expect(!memberHome.contains(Self.adminLink))
        #expect(!memberHome.contains(Self.moderationLink))
        #expect(!(try network.client().get("/").text.contains(Self.moderationLink)))

        // Two reports of two statuses: two cases wait, and the moderator's link says so.
        let first = try f.status(by: bob, "First status")
        let second = try f.status(by: bob, "Second status")
        for status in [first, second] {
            _ = try f.moderation.fileReport(
                by: carol, kind: "status", itemID: status.id, category: "spam", comment: "")
        }
        #expect(try f.moderation.waitingCaseCount() == 2)
        #expect(
            try moderator.get("/activity").text.contains(
                "Moderation <span class=\"nav-count\">2<span class=\"visually-hidden\"> new</span></span>"))
        #expect(!(try member.get("/activity").text.contains("nav-count\">2")))
    }

    @Test func theAdministrationMenuAndItsPagesAnswerByRole() throws {
        let f = try ModerationFixture()
        let network = f.network
        _ = try f.member("Ada", role: .admin)
        _ = try f.member("Mo", role: .moderator)
        _ = try f.member("Carol")
        let admin = network.client()
        let moderator = network.client()
        let member = network.client()
        #expect(try admin.signIn("ada").status == 303)
        #expect(try moderator.signIn("mo").status == 303)
        #expect(try member.signIn("carol").status == 303)

        let menu = try admin.get("/admin")
        #expect(menu.status == 200)
        for path in [
            "/admin/members", "/admin/invitations", "/moderation", "/moderation/audit", "/admin/modules",
            "/admin/settings",
        ] {
            #expect(menu.text.contains("href=\"\(path)\""), "\(path) in the administrators' menu")
        }
        let moderatorMenu = try moderator.get("/admin")
        #expect(moderatorMenu.status == 200)
        #expect(moderatorMenu.text.contains("href=\"/moderation\""))
        #expect(!moderatorMenu.text.contains("href=\"/admin/members\""))
        #expect(!moderatorMenu.text.contains("href=\"/admin/settings\""))
        #expect(try moderator.get("/admin/settings").status == 403)
        #expect(try moderator.get("/admin/modules").status == 403)
        #expect(try moderator.get("/admin/style").status == 403)
        let style = try admin.get("/admin/style").main
        #expect(style.contains("<table class=\"stack\">"))
        #expect(style.contains("&lt;table class=&quot;stack&quot;&gt;"))
        #expect(try member.get("/admin").status == 403)
        let visitor = try network.client().get("/admin")
        #expect(visitor.status == 303)
        #expect(visitor.location?.hasPrefix("/sign-in?next=%2Fadmin") == true)

        let modules = try admin.get("/admin/modules").text
        #expect(modules.contains("<code>moderation</code>"))
        #expect(modules.contains("badge-ok\">On"))
        let settings = try admin.get("/admin/settings").text
        #expect(settings.contains("<code>time_zone</code>"))
        #expect(settings.contains("<code>&quot;Europe/London&quot;</code>"))
    }

    @Test func theMemberListFindsFiltersAndPages() throws {
        let f = try ModerationFixture()
        let network = f.network
        _ = try f.member("Ada", role: .admin)
        for index in 1...60 { _ = try f.member("Teacher \(index)") }
        _ = try f.member("Zed Moderator", role: .moderator)
        let admin = network.client()
        #expect(try admin.signIn("ada").status == 303)

        let first = try admin.get("/admin/members").text
        #expect(first.contains("62 members"))
        #expect(first.contains("Page 1 of 2"))
        #expect(first.contains("href=\"/admin/members?page=2\""))
        let second = try admin.get("/admin/members?page=2").text
        #expect(second.contains("Page 2 of 2"))
        #expect(second.contains("rel=\"prev\""))

        let found = try admin.get("/admin/members?q=zed").text
        #expect(found.contains("1 member match"))
        #expect(found.contains("Zed Moderator"))
        #expect(!found.contains("Teacher 1"))
        let moderators = try admin.get("/admin/members?role=moderator").text
        #expect(moderators.contains("1 member match"))
        let administrators = try admin.get("/admin/members?role=admin").text
        #expect(administrators.contains("Ada"))
        #expect(!administrators.contains("Zed"))
        // LIKE's wildcards are taken literally; what was typed stays in the box.
        let wildcard = try admin.get("/admin/members?q=%25").text
        #expect(wildcard.contains("0 members match"))
        #expect(wildcard.contains("value=\"%\""))
        let paged = try admin.get("/admin/members?q=teacher&page=2").text
        #expect(paged.contains("Page 2 of 2"))
        #expect(paged.contains("href=\"/admin/members?q=teacher\""))
    }
}
