import Foundation
import HTTP
import Kernel
import Membership

/// The HTML pages: the Report form, "my reports", the queue, a case, a member's moderation
/// page and the audit log.
struct ModerationPages {
    let moderation: ModerationService

    func register(_ web: inout WebContributions) {
        let pages = self

        web.page("GET", "/report", access: .members) { ctx in try pages.reportPage(ctx, form: nil) }
        web.page("POST", "/report", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let form = try ctx.form()
            let kind = (form["kind"] ?? "").trimmingCharacters(in: .whitespaces)
            let itemID = form["id"].flatMap { Int64($0) }
            do {
                let report = try pages.moderation.fileReport(
                    by: me, kind: kind.isEmpty ? nil : kind, itemID: itemID, category: form["category"] ?? "",
                    comment: form["comment"] ?? "")
                return ctx.redirect(
                    to: "/reports/mine#report-\(report.id)",
                    flash: "Thank you. Your report was sent to the moderators; you will hear what they decide.")
            } catch DomainError.invalid(let errors) {
                return try pages.reportPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }

        web.page("GET", "/reports/mine", access: .members) { ctx in try pages.myReports(ctx) }

        web.page("GET", "/moderation", access: .moderators) { ctx in try pages.queue(ctx) }
        web.page("GET", "/moderation/cases/:id", access: .moderators) { ctx in
            try pages.casePage(ctx, id: try ctx.idParameter("id"), form: nil)
        }
        web.page("POST", "/moderation/cases/:id/assign", access: .moderators) { ctx in
            let me = try ctx.requireMember()
            let id = try ctx.idParameter("id")
            let toMe = try ctx.form()["to"] != "nobody"
            try pages.moderation.assign(caseID: id, to: toMe ? me.id : nil)
            return ctx.redirect(to: "/moderation/cases/\(id)", flash: toMe ? "Assigned to you." : "Unassigned.")
        }
        web.page("POST", "/moderation/cases/:id/notes", access: .moderators) { ctx in
            let me = try ctx.requireMember()
            let id = try ctx.idParameter("id")
            let form = try ctx.form()
            do {
                try pages.moderation.addNote(caseID: id, body: form["note"] ?? "", by: ModeratorRef(member: me))
                return ctx.redirect(to: "/moderation/cases/\(id)#notes", flash: "Note added.")
            } catch DomainError.invalid(let errors) {
                return try pages.casePage(ctx, id: id, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }
        web.page("POST", "/moderation/cases/:id/actions", access: .moderators) { ctx in
            let me = try ctx.requireMember()
            let id = try ctx.idParameter("id")
            let form = try ctx.form()
            do {
                let request = try Self.actionRequest(form)
                let entry = try pages.moderation.act(caseID: id, request, by: ModeratorRef(member: me))
                return ctx.redirect(
                    to: "/moderation/cases/\(id)", flash: "Done: \(entry.action.label.lowercased()) — \(entry.targetTitle).")
            } catch DomainError.invalid(let errors) {
                return try pages.casePage(ctx, id: id, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            } catch DomainError.conflict(let message) {
                return ctx.redirect(to: "/moderation/cases/\(id)", flash: message, kind: .error)
            }
        }
        web.page("GET", "/moderation/members/:handle", access: .moderators) { ctx in
            try pages.memberPage(ctx, handle: try ctx.parameter("handle"), form: nil)
        }
        web.page("POST", "/moderation/members/:handle/actions", access: .moderators) { ctx in
            let me = try ctx.requireMember()
            let handle = try ctx.parameter("handle")
            guard let member = try pages.moderation.membership?.member(handle: handle) else { throw DomainError.notFound }
            let form = try ctx.form()
            do {
                let request = try Self.actionRequest(form)
                let entry = try pages.moderation.act(memberID: member.id, request, by: ModeratorRef(member: me))
                return ctx.redirect(to: "/moderation/members/\(member.handle)", flash: "Done: \(entry.action.label.lowercased()).")
            } catch DomainError.invalid(let errors) {
                return try pages.memberPage(ctx, handle: handle, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            } catch DomainError.conflict(let message) {
                return ctx.redirect(to: "/moderation/members/\(member.handle)", flash: message, kind: .error)
            }
        }
        web.page("GET", "/moderation/audit", access: .moderators) { ctx in try pages.auditPage(ctx) }

        web.home(
            HomeSection(order: 5) { ctx in
                guard let me = ctx.member else { return "" }
                var parts: [HTML] = []
                if me.isModerator {
                    let page = try pages.moderation.queue(QueueFilter(), limit: 100)
                    if !page.cases.isEmpty {
                        let urgent = page.cases.filter(\.isSafeguarding).count
                        parts.append(
                            "<p><a href=\"/moderation\">Moderation queue: \(page.cases.count)\(page.next == nil ? "" : "+") waiting</a>\(urgent > 0 ? HTML(" — <strong>\(urgent) safeguarding</strong>") : HTML.empty)</p>"
                        )
                    }
                }
                let held = try pages.moderation.awaitingApproval(authorID: me.id, limit: 50)
                if !held.isEmpty {
                    parts.append(
                        "<p>\(held.count) of your posts \(held.count == 1 ? "is" : "are") awaiting approval. <a href=\"/reports/mine#awaiting\">See which</a></p>"
                    )
                }
                return parts.isEmpty ? "" : "<section class=\"card moderation-notice\">\(parts)</section>"
            })
    }

    static func actionRequest(_ form: FormData) throws -> ActionRequest {
        guard let action = ModerationActionKind(rawValue: form["action"] ?? ""), action != .hold else {
            throw DomainError.invalid([FieldError(field: "action", message: "Choose an action.")])
        }
        return ActionRequest(action: action, reason: form["reason"] ?? "", hideContent: form["hide_content"] == "1")
    }

    // MARK: Reporting

    func reportPage(_ ctx: RequestContext, form: FormKit?, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let kitValues = form?.values ?? [:]
        let kindName = (kitValues["kind"] ?? ctx.query("kind") ?? "").trimmingCharacters(in: .whitespaces)
        let itemID = (kitValues["id"] ?? ctx.query("id")).flatMap { Int64($0) }
        var about: HTML = ""
        var hidden: HTML = ""
        var title = "Report an Issue"
        if !kindName.isEmpty {
            guard let kind = moderation.kind(kindName), let itemID, itemID > 0 else { throw DomainError.notFound }
            guard let item = try moderation.database.read({ try moderation.visibleItem(kind, id: itemID, to: me, in: $0) })
            else { throw DomainError.notFound }
            title = "Report this \(kind.title)"
            about = """
                <section class="card reported-item"><h2>You are reporting</h2><p><a href="\(url: item.url)">\(item.title)</a></p>\(item.excerpt.isEmpty ? HTML.empty : "<blockquote class=\"excerpt\">\(item.excerpt)</blockquote>")</section>
                """
            hidden = "<input type=\"hidden\" name=\"kind\" value=\"\(kind.kind)\"><input type=\"hidden\" name=\"id\" value=\"\(itemID)\">"
        }
        let kit = form ?? FormKit()
        let body: HTML = """
            <h1>\(title)</h1>
            <p>Tell the moderators what is wrong. They see who reported, the item and your comment; the person you report does not see who you are.</p>
            \(kit.summary)\(about)
            <form method="post" action="/report" class="card">\(ctx.csrfField)\(hidden)
            \(kit.select("category", label: "What kind of problem is it?", options: ReportCategory.allCases.map { ($0.rawValue, $0.label) }, required: true, hint: "Choose “Safeguarding concern” if a child or adult may be at risk: moderators see those first."))
            \(kit.textarea("comment", label: "What happened?", hint: kindName.isEmpty ? "Required. Say what, where and when." : "Optional, but it helps the moderators decide.", rows: 5, maxLength: ModerationService.maximumCommentLength))
            <p><button type="submit">Send report</button></p>
            </form>
            <p><a href="/reports/mine">Your reports</a></p>
            """
        return ctx.page(title: title, body: body, status: status)
    }

    func myReports(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let before = ctx.query("before").flatMap(Int64.init)
        let pageSize = 20
        let reports = try moderation.reports(filedBy: me.id, limit: pageSize + 1, before: before)
        let shown = reports.prefix(pageSize)
        let items = shown.map { report -> HTML in
            let state: HTML =
                report.status == "open"
                ? "<span class=\"badge\">Waiting for a moderator</span>"
                : "<span class=\"badge\">Decided \(ctx.shell.time(report.resolvedAt ?? report.createdAt))</span>"
            return """
                <li id="report-\(report.id)" class="report"><p><strong>\(report.title)</strong> · \(report.category.label) · reported \(ctx.shell.time(report.createdAt))</p>\(report.comment.isEmpty ? HTML.empty : "<p class=\"comment\">\(report.comment)</p>")<p>\(state)</p>\(report.outcome.map { "<p class=\"outcome\">\($0)</p>" } ?? HTML.empty)</li>
                """
        }
        let held = try moderation.awaitingApproval(authorID: me.id)
        let heldItems = held.map { item -> HTML in
            "<li><a href=\"\(url: item.url)\">\(item.title)</a> — <span class=\"badge\">awaiting approval</span></li>"
        }
        var body: HTML = "<h1>Your reports</h1><p><a class=\"button\" href=\"/report\">Report an Issue</a></p>"
        if !held.isEmpty {
            body += """
                <section id="awaiting" class="card"><h2>Your posts awaiting approval</h2><p>A moderator will look at these soon. Until then only you and the moderators can see them.</p><ul>\(heldItems)</ul></section>
                """
        }
        body += items.isEmpty ? "<p class=\"empty\">You have not reported anything.</p>" : "<ul class=\"reports\">\(items)</ul>"
        if reports.count > pageSize, let last = shown.last {
            body += Pager.next("/reports/mine?before=\(last.id)", "Older reports")
        }
        return ctx.page(title: "Your reports", body: body)
    }

    // MARK: Queue

    func queue(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        var filter = QueueFilter()
        if let status = ctx.query("status"), QueueFilter.statuses.contains(status) { filter.status = status }
        if let category = ctx.query("category").flatMap(ReportCategory.init(rawValue:)) { filter.category = category }
        if let kind = ctx.query("kind"), !kind.isEmpty { filter.kind = kind }
        if ctx.query("assigned") == "me" { filter.assignedTo = me.id }
        let page = try moderation.queue(filter, limit: 25, after: ctx.query("after"))
        let categories = try moderation.categories(ofCases: page.cases.map(\.id))
        let kindTitles = Dictionary(moderation.kinds.map { ($0.kind, $0.title) }, uniquingKeysWith: { a, _ in a })
        let rows = page.cases.map { item -> HTML in
            let counts = categories[item.id] ?? [:]
            let labels = ReportCategory.allCases.compactMap { category -> HTML? in
                guard let count = counts[category] else { return nil }
                return "<span class=\"badge\(category == .safeguarding ? " urgent" : "")\">\(category.label)\(count > 1 ? " ×\(count)" : "")</span>"
            }
            return """
                <tr\(item.isSafeguarding ? HTML(" class=\"urgent\"") : HTML.empty)><td><a href="\(item.path)">\(item.title)</a>\(item.holdReason.map { "<br><small>\($0)</small>" } ?? HTML.empty)</td><td>\(kindTitles[item.kind] ?? item.kind)</td><td>\(HTML.join(labels, separator: " "))</td><td>\(item.reportCount)</td><td>\(item.status.label)\(item.resolution.map { " (\($0))" } ?? "")</td><td>\(item.assignedTo == me.id ? "you" : (item.assignedTo == nil ? "—" : "another moderator"))</td><td>\(ctx.shell.time(item.updatedAt))</td></tr>
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
                <table class="queue"><thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">Reported as</th><th scope="col">Reports</th><th scope="col">Status</th><th scope="col">Assigned</th><th scope="col">Last change</th></tr></thead><tbody>\(rows)</tbody></table>
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

    // MARK: A case

    func casePage(_ ctx: RequestContext, id: Int64, form: FormKit?, status: HTTPStatus = .ok) throws -> HTTPResponse {
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
        let actionItems = detail.actions.map { entry in auditLine(ctx, entry) }
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

    // MARK: A member

    func memberPage(_ ctx: RequestContext, handle: String, form: FormKit?, status: HTTPStatus = .ok) throws -> HTTPResponse {
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
            <section><h2>History</h2>\(history.isEmpty ? HTML("<p class=\"empty\">No moderation actions.</p>") : "<ul class=\"audit\">\(history.map { auditLine(ctx, $0) })</ul>")</section>
            """
        return ctx.page(title: "Moderating \(member.name)", body: body, status: status, sidebar: false)
    }

    // MARK: Audit log

    func auditLine(_ ctx: RequestContext, _ entry: AuditEntry) -> HTML {
        let target: HTML =
            entry.caseID.map { "<a href=\"/moderation/cases/\($0)\">\(entry.targetTitle)</a>" } ?? "\(entry.targetTitle)"
        return """
            <li><p><strong>\(entry.actorName)</strong>: \(entry.action.label.lowercased()) — \(target) <span class="when">\(ctx.shell.time(entry.createdAt))</span></p>\(entry.reason.isEmpty ? HTML.empty : "<p>Why: \(entry.reason)</p>")\(entry.detail.isEmpty ? HTML.empty : "<p class=\"meta\">\(entry.detail)</p>")</li>
            """
    }

    func auditPage(_ ctx: RequestContext) throws -> HTTPResponse {
        let before = ctx.query("before").flatMap(Int64.init)
        let pageSize = 50
        let entries = try moderation.audit(limit: pageSize + 1, before: before)
        let shown = entries.prefix(pageSize)
        var body: HTML = """
            <h1>Audit log</h1><p><a href="/moderation">Back to the queue</a></p>
            \(shown.isEmpty ? HTML("<p class=\"empty\">No moderation actions yet.</p>") : "<ul class=\"audit\">\(shown.map { auditLine(ctx, $0) })</ul>")
            """
        if entries.count > pageSize, let last = shown.last {
            body += Pager.next("/moderation/audit?before=\(last.id)", "Older entries")
        }
        return ctx.page(title: "Audit log", body: body, sidebar: false)
    }
}
