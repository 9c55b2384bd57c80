import Foundation
import HTTP
import Kernel

/// Invitation links: administrators (and members, when the network lets them) create, list and
/// revoke links that let people join a network that is by invitation only.
///
/// ```swift
/// InvitationPages(membership: membership).register(&web)   // /invitations, /admin/invitations
/// ```
struct InvitationPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let invitations = self
        web.pages("") { pages in
            pages.get("/admin/invitations", access: .admins, use: invitations.list)
            pages.get("/invitations", access: .members, use: invitations.list)
            pages.post("/invitations", access: .members, use: invitations.create)
            pages.post("/invitations/:id/revoke", access: .members, use: invitations.revoke)
        }
    }

    func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try invitationsPage(ctx, FormKit(), .ok, nil)
    }

    func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard me.isAdmin || membership.membersCanInvite else {
            throw DomainError.forbidden("Only administrators can invite people to this network.")
        }
        let form = try ctx.form()
        do {
            guard let uses = Int(form["max_uses"] ?? ""), let days = Int(form["days"] ?? "") else {
                throw DomainError.invalid([
                    FieldError(field: "max_uses", message: "Enter whole numbers for uses and days.")
                ])
            }
            let invitation = try membership.createInvitation(
                by: me.id, note: form["note"] ?? "", maxUses: uses, validDays: days)
            return try invitationsPage(ctx, FormKit(), HTTPStatus(code: 201), invitation)
        } catch DomainError.invalid(let errors) {
            return try invitationsPage(ctx, FormKit(form: form, errors: errors), HTTPStatus(code: 422), nil)
        }
    }

    func revoke(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try membership.revokeInvitation(id: try ctx.idParameter("id"), by: try membership.member(id: me.id))
        return ctx.redirect(
            to: me.isAdmin ? "/admin/invitations" : "/invitations", flash: "Invitation revoked.")
    }

    func invitationsPage(
        _ ctx: RequestContext, _ form: FormKit, _ status: HTTPStatus, _ created: MembershipService.Invitation?
    ) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard me.isAdmin || membership.membersCanInvite else {
            throw DomainError.forbidden("Only administrators can invite people to this network.")
        }
        let invitations = try membership.invitations(createdBy: me.isAdmin ? nil : me.id)
        let base = ctx.services.baseURL
        let rows = invitations.map { invitation -> HTML in
            let link = "\(base)/join?invite=\(invitation.code)"
            let revoke: HTML =
                invitation.isUsable
                ? "<form method=\"post\" action=\"/invitations/\(invitation.id)/revoke\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Revoke</button></form>"
                : ""
            return
                "<tr><td><code>\(link)</code><br><span class=\"meta\">\(invitation.note)</span></td><td>\(invitation.uses) of \(invitation.maxUses)</td><td>\(ctx.shell.time(invitation.expiresAt))</td><td>\(invitation.isUsable ? "usable" : invitation.revokedAt != nil ? "revoked" : "used up or expired") \(revoke)</td></tr>"
        }
        let createdNote: HTML =
            created.map {
                "<div class=\"flash flash-success\" role=\"status\">Invitation created. Send this link: <code>\(base)/join?invite=\($0.code)</code></div>"
            } ?? ""
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
}
