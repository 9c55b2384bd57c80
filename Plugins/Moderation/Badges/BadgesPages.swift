import Foundation
import HTTP
import Kernel
import Membership

/// "Badges": what the network awards — the member roles (and who holds the staff ones) and,
/// when the CPD module is enabled, CPD certificates.
struct BadgesPages: Sendable {
    let moderation: ModerationService

    static let roles: [(role: MemberRole, title: String, meaning: String)] = [
        (.creator, "Creator", "Created the network; has every power an administrator has."),
        (
            .admin, "Administrator",
            "Runs the network: approves members, changes settings and roles, and moderates."
        ),
        (
            .moderator, "Moderator",
            "Reviews reports and keeps the network safe: hides, removes, warns and suspends."
        ),
        (
            .member, "Member",
            "Belongs to the network: keeps a profile, befriends colleagues, posts and joins in."
        ),
    ]

    func register(_ web: inout WebContributions) {
        let badges = self
        web.pages("") { pages in pages.get("/badges", use: badges.show) }
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let showNames = ctx.member != nil || (moderation.membership?.directoryIsPublic ?? false)
        let staff = try moderation.database.read { db in
            try ctx.services.identity?.people(withRoleAtLeast: .moderator, in: db).prefix(200) ?? []
        }
        let items = Self.roles.map { entry -> HTML in
            let holders = staff.filter { $0.role == entry.role }
            var who: HTML = ""
            if showNames && entry.role != .member && !holders.isEmpty {
                let links = holders.map { ctx.shell.memberLink(name: $0.name, handle: $0.handle) }
                who = "<p class=\"meta\">\(HTML.join(links, separator: ", "))</p>"
            }
            return "<li><h2>\(entry.title)</h2><p>\(entry.meaning)</p>\(who)</li>"
        }
        var body: HTML =
            "<h1>Badges</h1><p>What \(ctx.shell.networkName) awards its members.</p><ul class=\"badges\">\(items)</ul>"
        if ctx.services.config.enabledModules.contains("cpd") {
            body +=
                "<section><h2>CPD certificates</h2><p>Members receive a certificate for the CPD sessions they attend; they are listed with the member's CPD record.</p></section>"
        }
        body +=
            "<p>Questions about a badge or a moderator's decision? <a href=\"/report\">Report an Issue</a>.</p>"
        return ctx.page(title: "Badges", body: body)
    }
}
