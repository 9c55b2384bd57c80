import Foundation
import HTTP
import Kernel

/// The actions part of the moderation API: act on a case or a member (the action, its mail and
/// the reports it resolves commit together), and read the audit log. Routes are declared in
/// ``ModerationAPI``.
///
/// ```swift
/// let actions = ActionsController(moderation: moderation)
/// api.post("/cases/:id/actions", access: .moderators, summary: "Act.", operationID: "actOnCase", use: actions.actOnCase)
/// ```
struct ActionsController: Sendable {
    let moderation: ModerationService

    func actOnCase(_ ctx: RequestContext, _ id: Int64, _ input: ActionInput) throws -> Created<
        AuditEntryResponse
    > {
        let me = try ctx.requireMember()
        return Created(
            AuditEntryResponse(try moderation.act(caseID: id, input.request, by: ModeratorRef(member: me))))
    }

    func actOnMember(_ ctx: RequestContext, _ memberID: Int64, _ input: ActionInput) throws -> Created<
        AuditEntryResponse
    > {
        let me = try ctx.requireMember()
        return Created(
            AuditEntryResponse(
                try moderation.act(memberID: memberID, input.request, by: ModeratorRef(member: me))))
    }

    func audit(_ ctx: RequestContext, _ query: AuditQuery) throws -> Page<AuditEntryResponse> {
        var since: Date?
        if let text = query.since {
            guard let date = ModerationService.parseDate(text) else {
                throw DomainError.invalid([
                    FieldError(field: "since", message: "Give a date like 2026-03-01.")
                ])
            }
            since = date
        }
        let limit = AuditQuery.limit(query.limit, default: 50)
        let entries = try moderation.audit(
            limit: limit + 1, before: query.before, since: since, memberID: query.member)
        let page = Array(entries.prefix(limit))
        return Page(
            items: page.map(AuditEntryResponse.init), next: entries.count > limit ? page.last?.id : nil)
    }
}
