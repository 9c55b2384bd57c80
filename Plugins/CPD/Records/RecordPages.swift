import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The personal CPD record: entries, adding one, the impact follow-up, CSV and a printable copy.
///
/// ```swift
/// RecordPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct RecordPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/record", access: .members, use: index)
            pages.get("/record/new", access: .members, use: newEntryForm)
            pages.post("/record/new", access: .members, use: addEntry)
            pages.get("/record/:id/impact", access: .members, use: impactForm)
            pages.post("/record/:id/impact", access: .members, use: recordImpact)
            pages.post("/record/:id/delete", access: .members, use: delete)
            pages.get("/record.csv", access: .members, use: csv)
            pages.get("/record/print", access: .members, use: printable)
        }
    }

    func recordForm(_ ctx: RequestContext, form: FormKit) -> HTML {
        return """
            <form method="post" action="/cpd/record/new" class="card" novalidate>\(ctx.csrfField)\(form.summary)
            \(form.input("title", label: "Title", required: true, maxLength: 200))
            \(form.input("date", label: "Date", type: "date", required: true))
            \(form.input("hours", label: "Hours", type: "text", required: true, hint: "e.g. 1.5"))
            \(form.select("kind", label: "Kind", options: RecordKind.allCases.map { ($0.rawValue, $0.label) }, required: true))
            \(form.select("pupil_focus", label: "Focus on pupils", options: PupilFocus.allCases.map { ($0.rawValue, $0.label) }, required: true))
            \(form.input("standard", label: "Teachers' Standard or objective it serves", hint: "e.g. " + CPDService.teachersStandards.prefix(3).joined(separator: "; ") + " … or your own objective"))
            \(form.input("evidence_url", label: "Evidence link", type: "url", hint: "A link to notes, a resource or a certificate (https://…)."))
            \(form.textarea("reflection", label: "Reflection", maxLength: 10000))
            <p><button type="submit">Add to my record</button></p></form>
            """
    }

    func recordTable(_ entries: [RecordEntry], withActions: Bool, ctx: RequestContext) -> HTML {
        let rows = entries.map { entry -> HTML in
            var title: HTML =
                entry.sessionID.map { "<a href=\"/cpd/sessions/\($0)\">\(entry.title)</a>" }
                ?? "\(entry.title)"
            if !entry.evidenceURL.isEmpty {
                title += " <a href=\"\(url: entry.evidenceURL)\" rel=\"nofollow noopener\">evidence</a>"
            }
            var details: HTML = ""
            if !entry.reflection.isEmpty {
                details += "<p><strong>Reflection:</strong> \(entry.reflection)</p>"
            }
            if !entry.impact.isEmpty { details += "<p><strong>Impact:</strong> \(entry.impact)</p>" }
            let action: HTML =
                withActions
                ? "<td data-label=\"Follow-up\"><a href=\"/cpd/record/\(entry.id)/impact\">\(entry.impact.isEmpty ? "Add impact" : "Edit impact")</a></td>"
                : ""
            return """
                <tr><td data-label="Date">\(Self.day(entry.date, zone: cpd.defaultTimeZone))</td><td data-label="Activity">\(title)\(details)</td>\
                <td data-label="Hours">\(Hours.text(minutes: entry.minutes))</td><td data-label="Kind">\(entry.kind.label)</td>\
                <td data-label="Pupil focus">\(entry.pupilFocus.label)</td><td data-label="Standard or objective">\(entry.standard)</td>\(action)</tr>
                """
        }
        let actionHead: HTML = withActions ? "<th scope=\"col\">Follow-up</th>" : ""
        return """
            <table class="stack"><thead><tr><th scope="col">Date</th><th scope="col">Activity</th><th scope="col">Hours</th><th scope="col">Kind</th>\
            <th scope="col">Pupil focus</th><th scope="col">Standard or objective</th>\(actionHead)</tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        var cursor: (Date, Int64)?
        if let before = ctx.query("before") {
            let parts = before.split(separator: "_").compactMap { Int64($0) }
            if parts.count == 2 {
                cursor = (Date(timeIntervalSince1970: Double(parts[0]) / 1000), parts[1])
            }
        }
        let pageSize = 50
        let entries = try cpd.record(of: me.id, limit: pageSize + 1, before: cursor)
        let shown = Array(entries.prefix(pageSize))
        let total = try cpd.totalMinutes(of: me.id)
        var body: HTML = """
            \(CPDPages.subnav(ctx))<h1>My CPD record</h1>
            <p><strong>\(Hours.phrase(minutes: total))</strong> in total.</p>
            <p><a class="button" href="/cpd/record/new">Add an entry</a> <a href="/cpd/record.csv">Download as CSV</a> · <a href="/cpd/record/print">Printable version</a></p>
            """
        body +=
            shown.isEmpty
            ? "<p class=\"empty\">Nothing recorded yet.</p>"
            : recordTable(shown, withActions: true, ctx: ctx)
        if entries.count > pageSize, let last = shown.last {
            body +=
                Pager.next(
                    "/cpd/record?before=\(Int64((last.date.timeIntervalSince1970 * 1000).rounded()))_\(last.id)",
                    "Older entries")
        }
        return ctx.page(title: "My CPD record", body: body)
    }

    @Sendable func newEntryForm(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try ctx.requireMember()
        let today = CPDService.isoDay(ctx.now, zone: cpd.defaultTimeZone)
        return ctx.page(
            title: "Add to my CPD record",
            body:
                "<h1>Add to my CPD record</h1>\(recordForm(ctx, form: FormKit(values: ["date": today])))")
    }

    @Sendable func addEntry(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        do {
            _ = try cpd.addEntry(
                memberID: me.id,
                RecordInput(
                    title: form["title"] ?? "", date: form["date"] ?? "", hours: form["hours"] ?? "",
                    kind: form["kind"] ?? "", pupilFocus: form["pupil_focus"] ?? "",
                    standard: form["standard"] ?? "",
                    evidenceURL: form["evidence_url"] ?? "", reflection: form["reflection"] ?? ""))
        } catch DomainError.invalid(let errors) {
            return ctx.page(
                title: "Add to my CPD record",
                body:
                    "<h1>Add to my CPD record</h1>\(recordForm(ctx, form: FormKit(form: form, errors: errors)))",
                status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: "/cpd/record", flash: "Added to your record.")
    }

    func impactPage(
        _ ctx: RequestContext, _ entry: RecordEntry, form: FormKit, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        ctx.page(
            title: "Impact",
            body: """
                <h1>Impact: \(entry.title)</h1>
                <form method="post" action="/cpd/record/\(entry.id)/impact" class="card">\(ctx.csrfField)\(form.summary)
                \(form.textarea("impact", label: "What has changed since, for you and your pupils?", required: true, value: entry.impact, maxLength: 10000))
                <p><button type="submit">Save</button></p></form>
                \(entry.sessionID == nil ? HTML("<form method=\"post\" action=\"/cpd/record/\(entry.id)/delete\" data-confirm=\"Delete this entry?\">\(ctx.csrfField)<button type=\"submit\" class=\"danger\">Delete this entry</button></form>") : HTML.empty)
                """, status: status)
    }

    @Sendable func impactForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let entry = try cpd.entry(id: try ctx.idParameter("id"), memberID: me.id) else {
            throw DomainError.notFound
        }
        return impactPage(ctx, entry, form: FormKit())
    }

    @Sendable func recordImpact(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let entry = try cpd.entry(id: try ctx.idParameter("id"), memberID: me.id) else {
            throw DomainError.notFound
        }
        let form = try ctx.form()
        do {
            try cpd.recordImpact(entryID: entry.id, memberID: me.id, impact: form["impact"] ?? "")
        } catch DomainError.invalid(let errors) {
            return impactPage(
                ctx, entry, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: "/cpd/record", flash: "Impact saved.")
    }

    @Sendable func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try cpd.deleteEntry(entryID: try ctx.idParameter("id"), memberID: me.id)
        return ctx.redirect(to: "/cpd/record", flash: "Entry deleted.")
    }

    @Sendable func csv(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        var response = HTTPResponse.bytes(
            Array(try cpd.recordCSV(of: me.id).utf8), contentType: "text/csv; charset=utf-8")
        response.headers.add(
            "Content-Disposition", "attachment; filename=\"cpd-record-\(me.handle).csv\"")
        return ctx.respond(response)
    }

    @Sendable func printable(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let entries = try cpd.fullRecord(of: me.id)
        let total = try cpd.totalMinutes(of: me.id)
        let body: HTML = """
            <article class="card record-print">
            <p class="meta">\(ctx.services.config.networkName)</p>
            <h1>CPD record: \(me.name)</h1>
            <p>\(entries.count == 1 ? "1 entry" : "\(entries.count) entries"), \(Hours.phrase(minutes: total)) in total. Printed \(Self.day(ctx.now, zone: cpd.defaultTimeZone)).</p>
            \(recordTable(entries, withActions: false, ctx: ctx))
            </article>
            """
        return ctx.page(title: "CPD record: \(me.name)", body: body, sidebar: false)
    }

    /// "14 April 2026": the day an entry happened, in the network's zone (the CSV keeps ISO dates).
    static func day(_ date: Date, zone: String) -> String {
        CPDService.format(date, zone: TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0)!, style: .day)
    }
}
