import Foundation
import HTTP
import Kernel
import Membership

/// Acting on a case or a member (warnings, suspensions, bans), a member's moderation page and
/// the audit log.
///
/// ```swift
/// ActionPages(moderation: moderation, queue: QueuePages(moderation: moderation)).register(&web)
/// ```
struct ActionPages: Sendable {
    let moderation: ModerationService
    /// The case page, shown again with the form's errors.
    let queue: QueuePages

    func register(_ web: inout WebContributions) {
        let actions = self
        web.pages("/moderation", access: .moderators) { pages in
            pages.post("/cases/:id/actions", use: actions.actOnCase)
            pages.get("/members/:handle", use: actions.member)
            pages.post("/members/:handle/actions", use: actions.actOnMember)
            pages.get("/audit", use: actions.audit)
        }
    }

    static func actionRequest(_ form: FormData) throws -> ActionRequest {
        guard let action = ModerationActionKind(rawValue: form["action"] ?? ""), action != .hold else {
            throw DomainError.invalid([FieldError(field: "action", message: "Choose an action.")])
        }
        return ActionRequest(
            action: action, reason: form["reason"] ?? "", hideContent: form["hide_content"] == "1")
    }

    func actOnCase(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        do {
            let request = try Self.actionRequest(form)
            let entry = try moderation.act(caseID: id, request, by: ModeratorRef(member: me))
            return ctx.redirect(
                to: "/moderation/cases/\(id)",
                flash: "Done: \(entry.action.label.lowercased()) — \(entry.targetTitle).")
        } catch DomainError.invalid(let errors) {
            return try queue.casePage(
                ctx, id: id, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        } catch DomainError.conflict(let message) {
            return ctx.redirect(to: "/moderation/cases/\(id)", flash: message, kind: .error)
        }
    }

    func member(_ ctx: RequestContext) throws -> HTTPResponse {
        try memberPage(ctx, handle: try ctx.parameter("handle"), form: nil)
    }

    func actOnMember(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let handle = try ctx.parameter("handle")
        guard let member = try moderation.membership?.member(handle: handle) else {
            throw DomainError.notFound
        }
        let form = try ctx.form()
        do {
            let request = try Self.actionRequest(form)
            let entry = try moderation.act(memberID: member.id, request, by: ModeratorRef(member: me))
            return ctx.redirect(
                to: "/moderation/members/\(member.handle)", flash: "Done: \(entry.action.label.lowercased())."
            )
        } catch DomainError.invalid(let errors) {
            return try memberPage(
                ctx, handle: handle, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        } catch DomainError.conflict(let message) {
            return ctx.redirect(to: "/moderation/members/\(member.handle)", flash: message, kind: .error)
        }
    }

    func memberPage(_ ctx: RequestContext, handle: String, form: FormKit?, status: HTTPStatus = .ok) throws
        -> HTTPResponse
    {
        guard let member = try moderation.membership?.member(handle: handle), member.status != .deleted else {
            throw DomainError.notFound
        }
        let banned = try moderation.isBanned(memberID: member.id)
        let warnings = try moderation.warnings(of: member.id)
        let history = try moderation.audit(limit: 100, memberID: member.id)
        var actions: [ModerationActionKind] = []
        if banned {
            actions = [.unban]
        } else if member.status == .suspended {
            actions = [.reinstate, .ban]
        } else {
            actions = [.warn, .suspend, .ban]
        }
        let kit = form ?? FormKit()
        let body: HTML = """
            <h1>Moderating \(member.name)</h1>
            <p class="meta"><a href="\(member.profilePath)">@\(member.handle)</a> · \(member.role.rawValue) · \(member.status.rawValue)\(banned ? HTML(" · <strong>banned</strong>") : HTML.empty) · \(warnings) warning\(warnings == 1 ? "" : "s")</p>
            \(kit.summary)
            <form method="post" action="/moderation/members/\(member.handle)/actions" class="card">\(ctx.csrfField)
            \(kit.select("action", label: "Action", options: actions.map { ($0.rawValue, $0.label) }, required: true))
            \(kit.textarea("reason", label: "Reason", hint: "The member is told the reason of a warning, suspension or ban.", rows: 3, maxLength: ModerationService.maximumReasonLength))
            \(kit.checkbox("hide_content", label: "When suspending or banning, also hide everything they posted"))
            <p><button type="submit">Do it</button></p></form>
            <section><h2>History</h2>\(history.isEmpty ? HTML("<p class=\"empty\">No moderation actions.</p>") : "<ul class=\"audit\">\(history.map { Self.auditLine(ctx, $0) })</ul>")</section>
            """
        return ctx.page(title: "Moderating \(member.name)", body: body, status: status, sidebar: false)
    }

    static func auditLine(_ ctx: RequestContext, _ entry: AuditEntry) -> HTML {
        let target: HTML =
            entry.caseID.map { "<a href=\"/moderation/cases/\($0)\">\(entry.targetTitle)</a>" }
            ?? "\(entry.targetTitle)"
        return """
            <li><p><strong>\(entry.actorName)</strong>: \(entry.action.label.lowercased()) — \(target) <span class="when">\(ctx.shell.time(entry.createdAt))</span></p>\(entry.reason.isEmpty ? HTML.empty : "<p>Why: \(entry.reason)</p>")\(entry.detail.isEmpty ? HTML.empty : "<p class=\"meta\">\(entry.detail)</p>")</li>
            """
    }

    func audit(_ ctx: RequestContext) throws -> HTTPResponse {
        let before = ctx.query("before").flatMap(Int64.init)
        let pageSize = 50
        let entries = try moderation.audit(limit: pageSize + 1, before: before)
        let shown = entries.prefix(pageSize)
        var body: HTML = """
            <h1>Audit log</h1><p><a href="/moderation">Back to the queue</a></p>
            \(shown.isEmpty ? HTML("<p class=\"empty\">No moderation actions yet.</p>") : "<ul class=\"audit\">\(shown.map { Self.auditLine(ctx, $0) })</ul>")
            """
        if entries.count > pageSize, let last = shown.last {
            body += Pager.next("/moderation/audit?before=\(last.id)", "Older entries")
        }
        return ctx.page(title: "Audit log", body: body, sidebar: false)
    }
}
