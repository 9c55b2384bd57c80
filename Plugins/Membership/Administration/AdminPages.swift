import Foundation
import HTTP
import Kernel

/// The administrators' member pages: the list (and approval queue), one member, and the
/// actions on them (approve, suspend, reinstate, change role).
///
/// ```swift
/// AdminPages(membership: membership).register(&web)   // /admin/members…
/// ```
struct AdminPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let admin = self
        web.pages("/admin/members", access: .admins) { pages in
            pages.get("", use: admin.members)
            pages.get("/:handle", use: admin.member)
            pages.post("/:handle/:action", use: admin.act)
        }
    }

    func members(_ ctx: RequestContext) throws -> HTTPResponse {
        let status = Member.Status(rawValue: ctx.query("status") ?? "")
        let members = try membership.members(status: status, limit: 200)
        let rows = members.map { member -> HTML in
            var actions: HTML = "<a href=\"/admin/members/\(member.handle)\">Manage</a>"
            if member.status == .pending {
                actions +=
                    " <form method=\"post\" action=\"/admin/members/\(member.handle)/approve\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Approve</button></form>"
            }
            return
                "<tr><td><a href=\"\(member.profilePath)\">\(member.name)</a><br><span class=\"meta\">@\(member.handle) · \(member.email)</span></td><td>\(member.role.rawValue)</td><td>\(member.status.rawValue)</td><td>\(ctx.shell.time(member.createdAt))</td><td>\(actions)</td></tr>"
        }
        let tabs = [
            ("", "All"), ("pending", "Waiting for approval"), ("active", "Active"),
            ("suspended", "Suspended"),
        ].map { value, label -> HTML in
            "<a href=\"/admin/members\(value.isEmpty ? "" : "?status=\(value)")\"\((ctx.query("status") ?? "") == value ? HTML(" aria-current=\"page\"") : HTML.empty)>\(label)</a>"
        }
        let body: HTML = """
            <h1>Members</h1>
            <p class="tabs">\(HTML.join(tabs, separator: " · "))</p>
            <p><a href="/admin/invitations">Invitations</a></p>
            \(rows.isEmpty ? HTML("<p class=\"empty\">Nobody here.</p>") : "<table><thead><tr><th scope=\"col\">Member</th><th scope=\"col\">Role</th><th scope=\"col\">Status</th><th scope=\"col\">Joined</th><th scope=\"col\">Actions</th></tr></thead><tbody>\(rows)</tbody></table>")
            """
        return ctx.page(title: "Manage members", body: body, sidebar: false)
    }

    func member(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try membership.member(handle: try ctx.parameter("handle")),
            member.status != .deleted
        else { throw DomainError.notFound }
        func button(_ action: String, _ label: String, danger: Bool = false) -> HTML {
            "<form method=\"post\" action=\"/admin/members/\(member.handle)/\(action)\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\"\(danger ? HTML(" class=\"danger\"") : HTML.empty)>\(label)</button></form>"
        }
        var actions: [HTML] = []
        if member.status == .pending { actions.append(button("approve", "Approve")) }
        if member.status == .active || member.status == .pending {
            actions.append(button("suspend", "Suspend", danger: true))
        }
        if member.status == .suspended { actions.append(button("reinstate", "Reinstate")) }
        if member.role == .member {
            actions.append(button("promote?role=moderator", "Make moderator"))
            actions.append(button("promote?role=admin", "Make administrator"))
        }
        if member.role == .moderator {
            actions.append(button("promote?role=admin", "Make administrator"))
            actions.append(button("promote?role=member", "Make ordinary member"))
        }
        if member.role == .admin { actions.append(button("promote?role=member", "Make ordinary member")) }
        let body: HTML = """
            <h1>\(member.name)</h1>
            <p class="meta">@\(member.handle) · \(member.email) · role \(member.role.rawValue) · \(member.status.rawValue)</p>
            <div class="actions">\(HTML.join(actions, separator: " "))</div>
            <p><a href="/admin/members">Back to members</a></p>
            """
        return ctx.page(title: "Manage \(member.name)", body: body, sidebar: false)
    }

    func act(_ ctx: RequestContext) throws -> HTTPResponse {
        let actor = try ctx.requireMember()
        guard let member = try membership.member(handle: try ctx.parameter("handle")) else {
            throw DomainError.notFound
        }
        let message: String
        switch try ctx.parameter("action") {
        case "approve":
            _ = try membership.approve(memberID: member.id)
            message = "\(member.name) is now a member."
        case "suspend":
            _ = try membership.suspend(memberID: member.id, by: try membership.member(id: actor.id))
            message = "\(member.name) is suspended."
        case "reinstate":
            _ = try membership.reinstate(memberID: member.id)
            message = "\(member.name) is reinstated."
        case "promote":
            guard let role = MemberRole(rawValue: ctx.query("role") ?? "") else {
                throw WebError.badRequest("Unknown role.")
            }
            _ = try membership.setRole(memberID: member.id, to: role)
            message =
                "\(member.name) is now \(role == .admin ? "an administrator" : role == .moderator ? "a moderator" : "an ordinary member")."
        default: throw DomainError.notFound
        }
        return ctx.redirect(to: "/admin/members/\(member.handle)", flash: message)
    }
}
