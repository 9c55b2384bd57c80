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
        let text = String((ctx.query("q") ?? "").prefix(100))
        let statusValue = ctx.query("status") ?? ""
        let roleValue = ctx.query("role") ?? ""
        let filter = MemberListFilter(
            text: text, status: Member.Status(rawValue: statusValue), role: MemberRole(rawValue: roleValue))
        let page = try membership.members(
            matching: filter, page: ctx.query("page").flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? 1)
        let rows = page.members.map { member -> HTML in
            var actions: HTML =
                "<a href=\"/admin/members/\(member.handle)\">Manage<span class=\"visually-hidden\"> \(member.name)</span></a>"
            if member.status == .pending {
                actions +=
                    " <form method=\"post\" action=\"/admin/members/\(member.handle)/approve\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Approve<span class=\"visually-hidden\"> \(member.name)</span></button></form>"
            }
            return """
                <tr><td data-label="Member"><a href="\(member.profilePath)">\(member.name)</a><br><span class="meta">@\(member.handle) · \(member.email)</span></td>\
                <td data-label="Role">\(Self.roleName(member.role))</td><td data-label="Status">\(Self.statusName(member.status))</td>\
                <td data-label="Joined">\(ctx.shell.time(member.createdAt))</td><td data-label="Actions">\(actions)</td></tr>
                """
        }
        func option(_ value: String, _ label: String, selected: String) -> HTML {
            "<option value=\"\(value)\"\(value == selected ? HTML(" selected") : HTML.empty)>\(label)</option>"
        }
        let statuses = [
            ("", "Any status"), ("pending", "Waiting for approval"), ("active", "Active"),
            ("suspended", "Suspended"), ("deleted", "Deleted"),
        ]
        let roles = [
            ("", "Any role"), ("member", "Members"), ("moderator", "Moderators"), ("admin", "Administrators"),
        ]
        let form: HTML = """
            <form method="get" action="/admin/members" class="filters" role="search" aria-label="Find members">
            <div class="field"><label for="q">Name, handle or address</label><input id="q" name="q" type="search" value="\(text)"></div>
            <div class="field"><label for="status">Status</label><select id="status" name="status">\(statuses.map { option($0.0, $0.1, selected: statusValue) })</select></div>
            <div class="field"><label for="role">Role</label><select id="role" name="role">\(roles.map { option($0.0, $0.1, selected: roleValue) })</select></div>
            <div class="field"><button type="submit">Find</button></div>
            </form>
            """
        var query: [(String, String)] = []
        if !text.isEmpty { query.append(("q", text)) }
        if !statusValue.isEmpty { query.append(("status", statusValue)) }
        if !roleValue.isEmpty { query.append(("role", roleValue)) }
        func pageLink(_ number: Int) -> String {
            let items = query + (number > 1 ? [("page", String(number))] : [])
            return "/admin/members"
                + (items.isEmpty
                    ? ""
                    : "?" + items.map { "\($0.0)=\(PercentDecoding.encode($0.1))" }.joined(separator: "&"))
        }
        var pager: HTML = ""
        if page.pageCount > 1 {
            var links: [HTML] = []
            if page.page > 1 {
                links.append("<a rel=\"prev\" href=\"\(pageLink(page.page - 1))\">Previous</a>")
            }
            links.append("<span>Page \(page.page) of \(page.pageCount)</span>")
            if page.page < page.pageCount {
                links.append("<a rel=\"next\" href=\"\(pageLink(page.page + 1))\">Next</a>")
            }
            pager = "<nav class=\"pager\" aria-label=\"Pages\">\(HTML.join(links, separator: " "))</nav>"
        }
        let summary =
            "\(page.total) \(page.total == 1 ? "member" : "members")\(filter == MemberListFilter() ? "" : " match")"
        let table: HTML =
            page.members.isEmpty
            ? "<p class=\"empty\">Nobody matches. <a href=\"/admin/members\">Show everyone</a></p>"
            : """
            <table class="stack"><caption class="visually-hidden">Members</caption><thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Status</th>\
            <th scope="col">Joined</th><th scope="col">Actions</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let body: HTML = """
            <h1>Members</h1>
            <p><a href="/admin">Administration</a> · <a href="/admin/invitations">Invitations</a></p>
            \(form)
            <p class="meta" role="status">\(summary)</p>
            \(table)
            \(pager)
            """
        return ctx.page(title: "Manage members", body: body, sidebar: false)
    }

    static func roleName(_ role: MemberRole) -> String {
        switch role {
        case .member: return "Member"
        case .moderator: return "Moderator"
        case .admin: return "Administrator"
        case .creator: return "Creator"
        }
    }

    static func statusName(_ status: Member.Status) -> String {
        switch status {
        case .pending: return "Waiting for approval"
        case .active: return "Active"
        case .suspended: return "Suspended"
        case .deleted: return "Deleted"
        }
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
