import Foundation
import HTTP
import Kernel

/// The administrators' pages: the approval queue, member management, invitations.
struct AdminPages {
    let membership: MembershipService

    func register(_ web: inout WebContributions) {
        let membership = self.membership

        web.page("GET", "/admin/members", access: .admins) { ctx in
            let status = Member.Status(rawValue: ctx.query("status") ?? "")
            let members = try membership.members(status: status, limit: 200)
            let rows = members.map { member -> HTML in
                var actions: HTML = "<a href=\"/admin/members/\(member.handle)\">Manage</a>"
                if member.status == .pending {
                    actions += " <form method=\"post\" action=\"/admin/members/\(member.handle)/approve\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Approve</button></form>"
                }
                return "<tr><td><a href=\"\(member.profilePath)\">\(member.name)</a><br><span class=\"meta\">@\(member.handle) · \(member.email)</span></td><td>\(member.role.rawValue)</td><td>\(member.status.rawValue)</td><td>\(ctx.shell.time(member.createdAt))</td><td>\(actions)</td></tr>"
            }
            let tabs = [("", "All"), ("pending", "Waiting for approval"), ("active", "Active"), ("suspended", "Suspended")].map { value, label -> HTML in
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

        web.page("GET", "/admin/members/:handle", access: .admins) { ctx in
            guard let member = try membership.member(handle: try ctx.parameter("handle")), member.status != .deleted else { throw DomainError.notFound }
            func button(_ action: String, _ label: String, danger: Bool = false) -> HTML {
                "<form method=\"post\" action=\"/admin/members/\(member.handle)/\(action)\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\"\(danger ? HTML(" class=\"danger\"") : HTML.empty)>\(label)</button></form>"
            }
            var actions: [HTML] = []
            if member.status == .pending { actions.append(button("approve", "Approve")) }
            if member.status == .active || member.status == .pending { actions.append(button("suspend", "Suspend", danger: true)) }
            if member.status == .suspended { actions.append(button("reinstate", "Reinstate")) }
            if member.role == .member { actions.append(button("promote?role=moderator", "Make moderator")) ; actions.append(button("promote?role=admin", "Make administrator")) }
            if member.role == .moderator { actions.append(button("promote?role=admin", "Make administrator")); actions.append(button("promote?role=member", "Make ordinary member")) }
            if member.role == .admin { actions.append(button("promote?role=member", "Make ordinary member")) }
            let body: HTML = """
                <h1>\(member.name)</h1>
                <p class="meta">@\(member.handle) · \(member.email) · role \(member.role.rawValue) · \(member.status.rawValue)</p>
                <div class="actions">\(HTML.join(actions, separator: " "))</div>
                <p><a href="/admin/members">Back to members</a></p>
                """
            return ctx.page(title: "Manage \(member.name)", body: body, sidebar: false)
        }

        web.page("POST", "/admin/members/:handle/:action", access: .admins) { ctx in
            let actor = try ctx.requireMember()
            guard let member = try membership.member(handle: try ctx.parameter("handle")) else { throw DomainError.notFound }
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
                guard let role = MemberRole(rawValue: ctx.query("role") ?? "") else { throw WebError.badRequest("Unknown role.") }
                _ = try membership.setRole(memberID: member.id, to: role)
                message = "\(member.name) is now \(role == .admin ? "an administrator" : role == .moderator ? "a moderator" : "an ordinary member")."
            default: throw DomainError.notFound
            }
            return ctx.redirect(to: "/admin/members/\(member.handle)", flash: message)
        }

        let invitationsPage: @Sendable (RequestContext, FormKit, HTTPStatus, MembershipService.Invitation?) throws -> HTTPResponse = { ctx, form, status, created in
            let me = try ctx.requireMember()
            guard me.isAdmin || membership.membersCanInvite else { throw DomainError.forbidden("Only administrators can invite people to this network.") }
            let invitations = try membership.invitations(createdBy: me.isAdmin ? nil : me.id)
            let base = ctx.services.baseURL
            let rows = invitations.map { invitation -> HTML in
                let link = "\(base)/join?invite=\(invitation.code)"
                let revoke: HTML = invitation.isUsable ? "<form method=\"post\" action=\"/invitations/\(invitation.id)/revoke\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Revoke</button></form>" : ""
                return "<tr><td><code>\(link)</code><br><span class=\"meta\">\(invitation.note)</span></td><td>\(invitation.uses) of \(invitation.maxUses)</td><td>\(ctx.shell.time(invitation.expiresAt))</td><td>\(invitation.isUsable ? "usable" : invitation.revokedAt != nil ? "revoked" : "used up or expired") \(revoke)</td></tr>"
            }
            let createdNote: HTML = created.map { "<div class=\"flash flash-success\" role=\"status\">Invitation created. Send this link: <code>\(base)/join?invite=\($0.code)</code></div>" } ?? ""
            let body: HTML = """
                <h1>Invitations</h1>
                \(createdNote)
                \(form.summary)
                <form method="post" action="/invitations" class="card">\(ctx.csrfField)
                \(form.input("note", label: "Note (who is it for?)", maxLength: 200))
                \(form.input("max_uses", label: "How many people can use it", type: "number", value: "1"))
                \(form.input("days", label: "Valid for (days)", type: "number", value: "14"))
                <p><button type="submit">Create invitation link</button></p></form>
                \(rows.isEmpty ? HTML.empty : "<table><thead><tr><th scope=\"col\">Link</th><th scope=\"col\">Used</th><th scope=\"col\">Expires</th><th scope=\"col\">State</th></tr></thead><tbody>\(rows)</tbody></table>")
                """
            return ctx.page(title: "Invitations", body: body, status: status, sidebar: false)
        }
        web.page("GET", "/admin/invitations", access: .admins) { ctx in try invitationsPage(ctx, FormKit(), .ok, nil) }
        web.page("GET", "/invitations", access: .members) { ctx in try invitationsPage(ctx, FormKit(), .ok, nil) }
        web.page("POST", "/invitations", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            guard me.isAdmin || membership.membersCanInvite else { throw DomainError.forbidden("Only administrators can invite people to this network.") }
            let form = try ctx.form()
            do {
                guard let uses = Int(form["max_uses"] ?? ""), let days = Int(form["days"] ?? "") else {
                    throw DomainError.invalid([FieldError(field: "max_uses", message: "Enter whole numbers for uses and days.")])
                }
                let invitation = try membership.createInvitation(by: me.id, note: form["note"] ?? "", maxUses: uses, validDays: days)
                return try invitationsPage(ctx, FormKit(), HTTPStatus(code: 201), invitation)
            } catch DomainError.invalid(let errors) {
                return try invitationsPage(ctx, FormKit(form: form, errors: errors), HTTPStatus(code: 422), nil)
            }
        }
        web.page("POST", "/invitations/:id/revoke", access: .members) { ctx in
            let me = try ctx.requireMember()
            try membership.revokeInvitation(id: try ctx.idParameter("id"), by: try membership.member(id: me.id))
            return ctx.redirect(to: me.isAdmin ? "/admin/invitations" : "/invitations", flash: "Invitation revoked.")
        }
    }
}
