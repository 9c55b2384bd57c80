import Foundation
import HTTP
import Kernel

/// Posting and deleting statuses from the profile page.
///
/// ```swift
/// StatusPages(membership: membership).register(&web)   // POST /statuses, /statuses/:id/delete
/// ```
struct StatusPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let statuses = self
        web.pages("") { pages in
            pages.post("/statuses", access: .members, use: statuses.post)
            pages.post("/statuses/:id/delete", access: .members, use: statuses.delete)
        }
    }

    func post(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
        let form = try ctx.form()
        let fromHome = form["return"] == "home"
        do {
            let status = try membership.postStatus(by: member, body: form["body"] ?? "")
            return ctx.redirect(
                to: fromHome ? "/" : "\(member.profilePath)#status-\(status.id)", flash: "Status posted.")
        } catch DomainError.invalid(let errors) {
            // The form again with what was typed and why it was refused.
            let kit = FormKit(form: form, errors: errors)
            let body: HTML = """
                <h1>Post a status</h1>
                \(kit.summary)
                <form method="post" action="/statuses" class="card status-form">\(ctx.csrfField)
                \(fromHome ? HTML("<input type=\"hidden\" name=\"return\" value=\"home\">") : HTML.empty)
                \(kit.textarea("body", label: "What are you working on?", rows: 3, maxLength: MembershipService.maximumStatusLength))
                <p><button type="submit">Post status</button> <a href="\(fromHome ? "/" : member.profilePath)">Cancel</a></p></form>
                """
            return ctx.page(title: "Post a status", body: body, status: HTTPStatus(code: 422), sidebar: false)
        }
    }

    func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let status = try membership.status(id: try ctx.idParameter("id")) else {
            throw DomainError.notFound
        }
        try membership.deleteStatus(id: status.id, by: me)
        let owner = try membership.member(id: status.memberID)
        return ctx.redirect(to: owner?.profilePath ?? "/", flash: "Status deleted.")
    }
}
