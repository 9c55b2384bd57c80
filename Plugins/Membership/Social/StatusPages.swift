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
        do {
            let status = try membership.postStatus(by: member, body: form["body"] ?? "")
            return ctx.redirect(to: "\(member.profilePath)#status-\(status.id)", flash: "Status posted.")
        } catch DomainError.invalid(let errors) {
            return ctx.redirect(
                to: member.profilePath, flash: errors.first?.message ?? "Check your status.", kind: .error
            )
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
