import Foundation
import HTTP
import Kernel
import Membership

/// The "Report an Issue" form and "your reports" (with your posts awaiting approval).
///
/// ```swift
/// ReportPages(moderation: moderation).register(&web)   // /report, /reports/mine
/// ```
struct ReportPages: Sendable {
    let moderation: ModerationService

    func register(_ web: inout WebContributions) {
        let reports = self
        web.pages("", access: .members) { pages in
            pages.get("/report", access: .anyone, use: reports.newReport)
            pages.post("/report", use: reports.fileReport)
            pages.get("/reports/mine", use: reports.mine)
        }
    }

    func newReport(_ ctx: RequestContext) throws -> HTTPResponse {
        guard ctx.member != nil else { return visitorPage(ctx) }
        return try reportPage(ctx, form: nil)
    }

    /// "Report an Issue" for someone not signed in: what reporting is for and the way on (sign
    /// in and come back to the same form, or join), naming nothing about the item itself.
    func visitorPage(_ ctx: RequestContext) -> HTTPResponse {
        let signIn = ctx.shell.signInPath(next: ctx.request.target) ?? "/sign-in"
        let join =
            ctx.shell.joinPath.map { HTML(" or <a href=\"\($0)\">join \(ctx.shell.networkName)</a>") } ?? ""
        let body: HTML = """
            <h1>Report an Issue</h1>
            <div class="card">
            <p>Seen something that breaks the network's <a href="/terms">Terms of Service</a>, worries you about a \
            pupil's or colleague's safety, or looks like spam? Moderators look at every report.</p>
            <p>Reports come from members, so that moderators can ask you about what you saw and tell you what they did.</p>
            <p><a class="button" href="\(signIn)">Sign in to report it</a>\(join).</p>
            <p class="meta">If a child is in immediate danger, call the emergency services and follow your school's safeguarding procedure first.</p>
            </div>
            """
        return ctx.page(title: "Report an Issue", body: body, sidebar: false)
    }

    func fileReport(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let form = try ctx.form()
        let kind = (form["kind"] ?? "").trimmingCharacters(in: .whitespaces)
        let itemID = form["id"].flatMap { Int64($0) }
        do {
            let report = try moderation.fileReport(
                by: me, kind: kind.isEmpty ? nil : kind, itemID: itemID, category: form["category"] ?? "",
                comment: form["comment"] ?? "")
            return ctx.redirect(
                to: "/reports/mine#report-\(report.id)",
                flash: "Thank you. Your report was sent to the moderators; you will hear what they decide.")
        } catch DomainError.invalid(let errors) {
            return try reportPage(
                ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func reportPage(_ ctx: RequestContext, form: FormKit?, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let kitValues = form?.values ?? [:]
        let kindName = (kitValues["kind"] ?? ctx.query("kind") ?? "").trimmingCharacters(in: .whitespaces)
        let itemID = (kitValues["id"] ?? ctx.query("id")).flatMap { Int64($0) }
        var about: HTML = ""
        var hidden: HTML = ""
        var title = "Report an Issue"
        if !kindName.isEmpty {
            guard let kind = moderation.kind(kindName), let itemID, itemID > 0 else {
                throw DomainError.notFound
            }
            guard
                let item = try moderation.database.read({
                    try moderation.visibleItem(kind, id: itemID, to: me, in: $0)
                })
            else { throw DomainError.notFound }
            title = "Report this \(kind.title)"
            about = """
                <section class="card reported-item"><h2>You are reporting</h2><p><a href="\(url: item.url)">\(item.title)</a></p>\(item.excerpt.isEmpty ? HTML.empty : "<blockquote class=\"excerpt\">\(item.excerpt)</blockquote>")</section>
                """
            hidden =
                "<input type=\"hidden\" name=\"kind\" value=\"\(kind.kind)\"><input type=\"hidden\" name=\"id\" value=\"\(itemID)\">"
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

    func mine(_ ctx: RequestContext) throws -> HTTPResponse {
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
        var body: HTML =
            "<h1>Your reports</h1><p><a class=\"button\" href=\"/report\">Report an Issue</a></p>"
        if !held.isEmpty {
            body += """
                <section id="awaiting" class="card"><h2>Your posts awaiting approval</h2><p>A moderator will look at these soon. Until then only you and the moderators can see them.</p><ul>\(heldItems)</ul></section>
                """
        }
        body +=
            items.isEmpty
            ? "<p class=\"empty\">You have not reported anything.</p>" : "<ul class=\"reports\">\(items)</ul>"
        if reports.count > pageSize, let last = shown.last {
            body += Pager.next("/reports/mine?before=\(last.id)", "Older reports")
        }
        return ctx.page(title: "Your reports", body: body)
    }
}
