import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The expertise directory ("find an expert") and a member's own areas of expertise.
///
/// ```swift
/// ExpertisePages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct ExpertisePages: Sendable {
    let cpd: CPDService
    var membership: MembershipService { cpd.membership }

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/expertise", access: .members, use: directory)
            pages.get("/expertise/mine", access: .members, use: mineForm)
            pages.post("/expertise/mine", access: .members, use: saveMine)
        }
    }

    @Sendable func directory(_ ctx: RequestContext) throws -> HTTPResponse {
        if let area = ctx.query("area") {
            guard cpd.areas.contains(area) else { throw DomainError.notFound }
            let pageSize = 50
            var after: (String, Int64)?
            if let id = ctx.query("after").flatMap({ Int64($0) }),
                let member = try cpd.membership.member(id: id)
            {
                after = (member.name, member.id)
            }
            let found = try cpd.experts(
                in: area, limit: pageSize + 1, afterName: after?.0, afterID: after?.1)
            let experts = Array(found.prefix(pageSize))
            let items = experts.map { expert -> HTML in
                let school: HTML = expert.school.map { " <span class=\"meta\">— \($0)</span>" } ?? ""
                let statement: HTML = expert.statement.isEmpty ? "" : "<p>\(expert.statement)</p>"
                return
                    "<li class=\"card\"><a href=\"/members/\(expert.handle)\">\(expert.name)</a>\(school)\(statement)</li>"
            }
            var more: HTML = ""
            if found.count > pageSize, let last = experts.last {
                more =
                    Pager.next(
                        "/cpd/expertise?area=\(PercentDecoding.encode(area))&after=\(last.memberID)",
                        "More experts")
            }
            let body: HTML = """
                \(CPDPages.subnav(ctx))<h1>Experts in \(area)</h1>
                \(items.isEmpty ? HTML("<p class=\"empty\">Nobody has tagged this area yet.</p>") : "<ul class=\"activity-list\">\(items)</ul>")
                \(more)
                <p><a href="/cpd/expertise">All areas</a> · <a href="/cpd?area=\(PercentDecoding.encode(area))">Sessions in \(area)</a></p>
                """
            return ctx.page(title: "Experts in \(area)", body: body)
        }
        let counts = try cpd.expertCounts()
        let items = cpd.areas.map { area -> HTML in
            "<li><a href=\"/cpd/expertise?area=\(PercentDecoding.encode(area))\">\(area)</a> <span class=\"meta\">(\(counts[area] ?? 0))</span></li>"
        }
        return ctx.page(
            title: "Find an expert",
            body: """
                \(CPDPages.subnav(ctx))<h1>Find an expert</h1><ul>\(items)</ul>
                <p><a class="button" href="/cpd/expertise/mine">Tag my expertise</a></p>
                """)
    }

    func minePage(
        _ ctx: RequestContext, values: [String: String], errors: [FieldError], status: HTTPStatus = .ok
    )
        -> HTTPResponse
    {
        let form = FormKit(values: values, errors: errors)
        let fields = cpd.areas.enumerated().map { index, area -> HTML in
            """
            <fieldset class="field"><legend>\(area)</legend>
            \(form.checkbox("area-\(index)", label: "I can help others with \(area)"))
            \(form.input("statement-\(index)", label: "In a sentence, what can you offer?", maxLength: 280))
            </fieldset>
            """
        }
        return ctx.page(
            title: "My expertise",
            body: """
                <h1>My expertise</h1>
                <form method="post" action="/cpd/expertise/mine" class="card">\(ctx.csrfField)\(form.summary)\(fields)
                <p><button type="submit">Save</button></p></form>
                """, status: status)
    }

    @Sendable func mineForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        var values: [String: String] = [:]
        for item in try cpd.expertise(of: me.id) {
            guard let index = cpd.areas.firstIndex(of: item.area) else { continue }
            values["area-\(index)"] = "1"
            values["statement-\(index)"] = item.statement
        }
        return minePage(ctx, values: values, errors: [])
    }

    @Sendable func saveMine(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let form = try ctx.form()
        var entries: [String: String] = [:]
        var values: [String: String] = [:]
        for (index, area) in cpd.areas.enumerated() {
            let statement = form["statement-\(index)"] ?? ""
            values["statement-\(index)"] = statement
            if let checked = form["area-\(index)"], !checked.isEmpty {
                entries[area] = statement
                values["area-\(index)"] = "1"
            } else {
                values["area-\(index)"] = ""
            }
        }
        do {
            try cpd.setExpertise(memberID: me.id, entries)
        } catch DomainError.invalid(let errors) {
            let mapped = errors.map { error -> FieldError in
                if error.field.hasPrefix("statement-"),
                    let index = cpd.areas.firstIndex(of: String(error.field.dropFirst(10)))
                {
                    return FieldError(field: "statement-\(index)", message: error.message)
                }
                return error
            }
            return minePage(ctx, values: values, errors: mapped, status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: "/cpd/expertise", flash: "Your expertise is saved.")
    }
}
