import Foundation
import HTTP
import Kernel
import Membership

/// The review queue and a case's page (assign, private notes); the queue's notice on the home
/// page.
///
/// ```swift
/// QueuePages(moderation: moderation).register(&web)   // /moderation, /moderation/cases/12
/// ```
struct QueuePages: Sendable {
    let moderation: ModerationService

    func register(_ web: inout WebContributions) {
        let cases = self
        web.pages("/moderation", access: .moderators) { pages in
            pages.get("", use: cases.index)
            pages.get("/cases/:id", use: cases.show)
            pages.post("/cases/:id/assign", use: cases.assign)
            pages.post("/cases/:id/notes", use: cases.addNote)
        }
        web.home(HomeSection(order: 5, render: cases.homeNotice))
    }

    func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        var filter = QueueFilter()
        if let status = ctx.query("status"), QueueFilter.statuses.contains(status) { filter.status = status }
        if let category = ctx.query("category").flatMap(ReportCategory.init(rawValue:)) {
            filter.category = category
        }
        if let kind = ctx.query("kind"), !kind.isEmpty { filter.kind = kind }
        if ctx.query("assigned") == "me" { filter.assignedTo = me.id }
        let page = try moderation.queue(filter, limit: 25, after: ctx.query("after"))
        let categories = try moderation.categories(ofCases: page.cases.map(\.id))
        let kindTitles = Dictionary(
            moderation.kinds.map { ($0.kind, $0.title) }, uniquingKeysWith: { a, _ in a })
        let rows = page.cases.map { item -> HTML in
            let counts = categories[item.id] ?? [:]
            let labels = ReportCategory.allCases.compactMap { category -> HTML? in
                guard let count = counts[category] else { return nil }
                return
                    "<span class=\"badge\(category == .safeguarding ? " urgent" : "")\">\(category.label)\(count > 1 ? " ×\(count)" : "")</span>"
            }
            return """
                <tr\(item.isSafeguarding ? HTML(" class=\"urgent\"") : HTML.empty)><td data-label="Item"><a href="\(item.path)">\(item.title)</a>\(item.holdReason.map { "<br><small>\($0)</small>" } ?? HTML.empty)</td>\
                <td data-label="Kind">\(kindTitles[item.kind] ?? item.kind)</td><td data-label="Reported as">\(HTML.join(labels, separator: " "))</td>\
                <td data-label="Reports">\(item.reportCount)</td><td data-label="Status">\(item.status.label)\(item.resolution.map { " (\($0))" } ?? "")</td>\
                <td data-label="Assigned">\(item.assignedTo == me.id ? "you" : (item.assignedTo == nil ? "—" : "another moderator"))</td>\
                <td data-label="Last change">\(ctx.shell.time(item.updatedAt))</td></tr>
                """
        }
        let kit = FormKit(values: [
            "status": filter.status, "category": filter.category?.rawValue ?? "", "kind": filter.kind ?? "",
            "assigned": filter.assignedTo == nil ? "" : "me",
        ])
        var body: HTML = """
            <h1>Moderation queue</h1>
            <p><a href="/moderation/audit">Audit log</a></p>
            <form method="get" action="/moderation" class="card filters">
            \(kit.select("status", label: "Status", options: [("active", "Open and awaiting approval"), ("open", "Open"), ("awaiting_approval", "Awaiting approval"), ("resolved", "Resolved"), ("all", "All")], includeBlank: false))
            \(kit.select("category", label: "Category", options: ReportCategory.allCases.map { ($0.rawValue, $0.label) }))
            \(kit.select("kind", label: "Kind", options: moderation.kinds.map { ($0.kind, $0.title) } + [("general", "general report")]))
            \(kit.select("assigned", label: "Assigned", options: [("me", "To me")]))
            <p><button type="submit">Show</button></p></form>
            """
        if rows.isEmpty {
            body += "<p class=\"empty\">Nothing to review.</p>"
        } else {
            body += """
                <table class="queue stack"><thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">Reported as</th><th scope="col">Reports</th><th scope="col">Status</th><th scope="col">Assigned</th><th scope="col">Last change</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        }
        if let next = page.next {
            var query = "status=\(filter.status)&after=\(next)"
            if let category = filter.category { query += "&category=\(category.rawValue)" }
            if let kind = filter.kind { query += "&kind=\(PercentEncoding.query(kind))" }
            if filter.assignedTo != nil { query += "&assigned=me" }
            body += Pager.next("/moderation?\(query)", "More cases")
        }
        return ctx.page(title: "Moderation queue", body: body, sidebar: false)
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try casePage(ctx, id: try ctx.idParameter("id"), form: nil)
    }

    func assign(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        let toMe = try ctx.form()["to"] != "nobody"
        try moderation.assign(caseID: id, to: toMe ? me.id : nil)
        return ctx.redirect(to: "/moderation/cases/\(id)", flash: toMe ? "Assigned to you." : "Unassigned.")
    }

    func addNote(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        do {
            try moderation.addNote(caseID: id, body: form["note"] ?? "", by: ModeratorRef(member: me))
            return ctx.redirect(to: "/moderation/cases/\(id)#notes", flash: "Note added.")
        } catch DomainError.invalid(let errors) {
            return try casePage(
                ctx, id: id, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    /// For moderators, how many cases wait; for everyone, how many of their posts await approval.
    func homeNotice(_ ctx: RequestContext) throws -> HTML {
        guard let me = ctx.member else { return "" }
        var parts: [HTML] = []
        if me.isModerator {
            let page = try moderation.queue(QueueFilter(), limit: 100)
            if !page.cases.isEmpty {
                let urgent = page.cases.filter(\.isSafeguarding).count
                parts.append(
                    "<p><a href=\"/moderation\">Moderation queue: \(page.cases.count)\(page.next == nil ? "" : "+") waiting</a>\(urgent > 0 ? HTML(" — <strong>\(urgent) safeguarding</strong>") : HTML.empty)</p>"
                )
            }
        }
        let held = try moderation.awaitingApproval(authorID: me.id, limit: 50)
        if !held.isEmpty {
            parts.append(
                "<p>\(held.count) of your posts \(held.count == 1 ? "is" : "are") awaiting approval. <a href=\"/reports/mine#awaiting\">See which</a></p>"
            )
        }
        return parts.isEmpty ? "" : "<section class=\"card moderation-notice\">\(parts)</section>"
    }

    func casePage(_ ctx: RequestContext, id: Int64, form: FormKit?, status: HTTPStatus = .ok) throws
        -> HTTPResponse
    {
        let me = try ctx.requireMember()
        let detail = try moderation.detail(caseID: id)
        let found = detail.moderationCase
        let membership = moderation.membership
        var itemHTML: HTML
        if let item = detail.item {
            itemHTML = """
                <p><a href="\(url: item.url)">\(item.title)</a>\(item.isHidden ? HTML(" <span class=\"badge\">hidden</span>") : HTML.empty)</p>\(item.excerpt.isEmpty ? HTML.empty : "<blockquote class=\"excerpt\">\(item.excerpt)</blockquote>")
                """
        } else if found.kind == "general" {
            itemHTML = "<p>A general report, not about one item.</p>"
        } else {
            itemHTML = "<p>\(found.title) <span class=\"badge\">deleted</span></p>"
        }
        if let name = detail.authorName, let handle = detail.authorHandle {
            itemHTML += """
                <p>By <a href="/members/\(handle)">\(name)</a>\(detail.authorIsSuspended ? HTML(" · suspended") : HTML.empty)\(detail.isAuthorBanned ? HTML(" · banned") : HTML.empty) · <a href="/moderation/members/\(handle)">moderation history</a></p>
                """
        }
        if let reason = found.holdReason, found.status == .awaitingApproval {
            itemHTML += "<p class=\"flash flash-info\">Awaiting approval: \(reason)</p>"
        }
        var reportItems: [HTML] = []
        for report in detail.reports {
            let reporter = try report.reporterID.flatMap { try membership?.member(id: $0) }
            let who: HTML = reporter.map { "<a href=\"\($0.profilePath)\">\($0.name)</a>" } ?? "spam rules"
            reportItems.append(
                """
                <li><p><strong>\(report.category.label)</strong> from \(who), \(ctx.shell.time(report.createdAt)) · \(report.status)</p>\(report.comment.isEmpty ? HTML.empty : "<p class=\"comment\">\(report.comment)</p>")</li>
                """)
        }
        let noteItems = detail.notes.map { note -> HTML in
            "<li><p><strong>\(note.authorName)</strong>, \(ctx.shell.time(note.createdAt))</p><p>\(note.body)</p></li>"
        }
        let actionItems = detail.actions.map { entry in ActionPages.auditLine(ctx, entry) }
        let kit = form ?? FormKit()
        let assignment: HTML =
            found.assignedTo == me.id
            ? "<div class=\"assignment\">Assigned to you. <form method=\"post\" action=\"/moderation/cases/\(id)/assign\" class=\"inline\">\(ctx.csrfField)<input type=\"hidden\" name=\"to\" value=\"nobody\"><button type=\"submit\" class=\"link\">Unassign</button></form></div>"
            : "<div class=\"assignment\">\(detail.assigneeName.map { "Assigned to \($0). " } ?? "Nobody is assigned. ")<form method=\"post\" action=\"/moderation/cases/\(id)/assign\" class=\"inline\">\(ctx.csrfField)<input type=\"hidden\" name=\"to\" value=\"me\"><button type=\"submit\">Assign to me</button></form></div>"
        let options = availableActions(detail).map { ($0.rawValue, $0.label) }
        let body: HTML = """
            <h1>\(found.title)</h1>
            <p class="meta">\(detail.kindTitle) · \(found.status.label)\(found.resolution.map { " (\($0))" } ?? "") · \(found.reportCount) report\(found.reportCount == 1 ? "" : "s")\(found.isSafeguarding ? HTML(" · <strong>safeguarding concern</strong>") : HTML.empty)</p>
            <p><a href="/moderation">Back to the queue</a></p>
            \(kit.summary)
            <section class="card"><h2>The item</h2>\(itemHTML)</section>
            <section><h2>Reports</h2>\(reportItems.isEmpty ? HTML("<p class=\"empty\">No reports: it was held automatically.</p>") : "<ul class=\"reports\">\(reportItems)</ul>")</section>
            <section class="card"><h2>Act</h2>\(assignment)
            <form method="post" action="/moderation/cases/\(id)/actions">\(ctx.csrfField)
            \(kit.select("action", label: "Action", options: options, required: true))
            \(kit.textarea("reason", label: "Reason", hint: "Kept in the audit log; a warned, suspended or banned member is told it.", rows: 3, maxLength: ModerationService.maximumReasonLength))
            \(kit.checkbox("hide_content", label: "When suspending or banning, also hide everything they posted"))
            <p><button type="submit">Do it</button></p></form></section>
            <section id="notes"><h2>Private notes</h2><p class="hint">Only moderators see these.</p>\(noteItems.isEmpty ? HTML("<p class=\"empty\">No notes.</p>") : "<ul class=\"notes\">\(noteItems)</ul>")
            <form method="post" action="/moderation/cases/\(id)/notes" class="card">\(ctx.csrfField)\(kit.textarea("note", label: "Add a note", rows: 3, maxLength: ModerationService.maximumCommentLength))<p><button type="submit">Add note</button></p></form></section>
            <section><h2>What was done</h2>\(actionItems.isEmpty ? HTML("<p class=\"empty\">Nothing yet.</p>") : "<ul class=\"audit\">\(actionItems)</ul>")</section>
            """
        return ctx.page(title: found.title, body: body, status: status, sidebar: false)
    }

    func availableActions(_ detail: CaseDetail) -> [ModerationActionKind] {
        var actions: [ModerationActionKind] = []
        let found = detail.moderationCase
        if found.status == .awaitingApproval { actions.append(.approve) }
        if found.status != .resolved { actions.append(.dismiss) }
        if let item = detail.item {
            actions.append(item.isHidden ? .unhide : .hide)
            if found.status == .awaitingApproval && item.isHidden { actions.append(.hide) }
            actions.append(.delete)
        }
        if detail.authorName != nil {
            if detail.isAuthorBanned {
                actions.append(.unban)
            } else if detail.authorIsSuspended {
                actions += [.reinstate, .ban]
            } else {
                actions += [.warn, .suspend, .ban]
            }
        }
        var seen = Set<ModerationActionKind>()
        return actions.filter { seen.insert($0).inserted }
    }
}
