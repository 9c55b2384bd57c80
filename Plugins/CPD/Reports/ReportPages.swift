import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// Leaders' reports: hours and participation per school and area, as a page and as CSV.
///
/// ```swift
/// ReportPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct ReportPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/reports", access: .members, use: show)
            pages.get("/reports.csv", access: .members, use: csv)
        }
    }

    /// Reports are for leaders: administrators see everyone; group chairs see the members of
    /// the groups they lead; others are refused.
    static func reportScope(_ ctx: RequestContext) throws -> Set<Int64>? {
        let me = try ctx.requireMember()
        if me.isAdmin { return nil }
        let scopes = ctx.services.service(GroupScopesBox.self)?.scopes
        let chaired = scopes?.chairedGroupIDs(of: me.id) ?? []
        guard let scopes, !chaired.isEmpty else {
            throw DomainError.forbidden("CPD reports are for administrators and the chairs of groups.")
        }
        return scopes.memberIDs(ofGroups: chaired)
    }

    func range(_ ctx: RequestContext) -> (String, String, Date, Date)? {
        let defaultFrom = CPDService.isoDay(
            ctx.now.addingTimeInterval(-365 * 86_400), zone: cpd.defaultTimeZone)
        let defaultTo = CPDService.isoDay(ctx.now, zone: cpd.defaultTimeZone)
        let fromText = ctx.query("from") ?? defaultFrom
        let toText = ctx.query("to") ?? defaultTo
        guard let from = cpd.parseDay(fromText), let to = cpd.parseDay(toText) else { return nil }
        // Whole days: from the start of `from` to the end of `to`.
        return (fromText, toText, from.addingTimeInterval(-43_200), to.addingTimeInterval(43_200))
    }

    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let scope = try Self.reportScope(ctx)
        var body: HTML = "\(CPDPages.subnav(ctx))<h1>CPD reports</h1>"
        guard let (fromText, toText, from, to) = range(ctx) else {
            let form = FormKit(
                values: ["from": ctx.query("from") ?? "", "to": ctx.query("to") ?? ""],
                errors: [FieldError(field: "from", message: "Enter both dates as YYYY-MM-DD.")])
            body +=
                "<form method=\"get\" action=\"/cpd/reports\" class=\"card\">\(form.summary)\(form.input("from", label: "From", type: "date"))\(form.input("to", label: "To", type: "date"))<p><button type=\"submit\">Show</button></p></form>"
            return ctx.page(title: "CPD reports", body: body, status: HTTPStatus(code: 422))
        }
        let report = try cpd.report(from: from, to: to, members: scope)
        let form = FormKit(values: ["from": fromText, "to": toText])
        let schoolRows = report.schools.map { row -> HTML in
            "<tr><td>\(row.school)</td><td>\(row.participants)</td><td>\(Hours.text(minutes: row.minutes))</td><td>\(row.sessionsOffered)</td><td>\(row.placesGiven)</td><td>\(row.placesTaken)</td></tr>"
        }
        let areaRows = report.areas.map { row -> HTML in
            "<tr><td>\(row.area)</td><td>\(row.sessions)</td><td>\(row.participants)</td><td>\(Hours.text(minutes: row.minutes))</td></tr>"
        }
        body += """
            <form method="get" action="/cpd/reports" class="card">\(form.input("from", label: "From", type: "date"))\(form.input("to", label: "To", type: "date"))<p><button type="submit">Show</button> <a href="/cpd/reports.csv?from=\(fromText)&amp;to=\(toText)">Download CSV</a></p></form>
            <h2>Per school</h2>
            <table><thead><tr><th>School</th><th>Participants</th><th>Hours</th><th>Sessions offered</th><th>Places given</th><th>Places taken</th></tr></thead><tbody>\(schoolRows)</tbody></table>
            <h2>Per area</h2>
            <table><thead><tr><th>Area</th><th>Sessions</th><th>Participants</th><th>Hours</th></tr></thead><tbody>\(areaRows)</tbody></table>
            """
        return ctx.page(title: "CPD reports", body: body)
    }

    @Sendable func csv(_ ctx: RequestContext) throws -> HTTPResponse {
        let scope = try Self.reportScope(ctx)
        guard let (fromText, toText, from, to) = range(ctx) else {
            throw WebError.badRequest("Give from and to as YYYY-MM-DD.")
        }
        let report = try cpd.report(from: from, to: to, members: scope)
        var response = HTTPResponse.bytes(
            Array(CPDService.reportCSV(report).utf8), contentType: "text/csv; charset=utf-8")
        response.headers.add(
            "Content-Disposition", "attachment; filename=\"cpd-report-\(fromText)-\(toText).csv\"")
        return ctx.respond(response)
    }
}
