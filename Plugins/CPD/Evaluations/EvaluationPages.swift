import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// Evaluating a session attended, the impact follow-up weeks later, and facilitators' summary.
///
/// ```swift
/// EvaluationPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct EvaluationPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/sessions/:id/evaluate", access: .members, use: evaluateForm)
            pages.post("/sessions/:id/evaluate", access: .members, use: evaluate)
            pages.get("/sessions/:id/follow-up", access: .members, use: followUpForm)
            pages.post("/sessions/:id/follow-up", access: .members, use: followUp)
            pages.get("/sessions/:id/evaluations", access: .members, use: summary)
        }
    }

    /// The signed-in member and the session, when they run it (or administer the network).
    func runnable(_ ctx: RequestContext) throws -> (SignedInMember, CPDSession) {
        try CPDPages.runnable(ctx, cpd: cpd)
    }

    func ratingSelect(_ form: FormKit, _ name: String, _ label: String, hint: String? = nil)
        -> HTML
    {
        form.select(
            name, label: label, options: (1...5).map { (String($0), String($0)) }, required: true,
            hint: hint)
    }

    func evaluatePage(
        _ ctx: RequestContext, _ session: CPDSession, form: FormKit, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        ctx.page(
            title: "Evaluate",
            body: """
                <h1>Evaluate: \(session.title)</h1>
                <form method="post" action="\(session.path)/evaluate" class="card">\(ctx.csrfField)\(form.summary)
                \(ratingSelect(form, "rating", "How useful was it? (1 = not at all, 5 = very)"))
                \(form.textarea("will_change", label: "What will you change in your practice?", maxLength: 5000))
                <p><button type="submit">Send</button></p></form>
                """, status: status)
    }

    @Sendable func evaluateForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        return evaluatePage(ctx, session, form: FormKit())
    }

    @Sendable func evaluate(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        let form = try ctx.form()
        do {
            try cpd.evaluate(
                sessionID: session.id, memberID: me.id, rating: form["rating"].flatMap { Int($0) },
                willChange: form["will_change"] ?? "")
        } catch DomainError.invalid(let errors) {
            return evaluatePage(
                ctx, session, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: session.path, flash: "Thank you for your evaluation.")
    }

    func followUpPage(
        _ ctx: RequestContext, _ session: CPDSession, form: FormKit, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        ctx.page(
            title: "Impact follow-up",
            body: """
                <h1>What difference did it make?</h1><p>\(session.title)</p>
                <form method="post" action="\(session.path)/follow-up" class="card">\(ctx.csrfField)\(form.summary)
                \(ratingSelect(form, "reaction", "Looking back, how worthwhile was the session?"))
                \(ratingSelect(form, "learning", "How much did you learn?"))
                \(ratingSelect(form, "practice", "How much have you used it in your practice?"))
                \(ratingSelect(form, "outcomes", "How much has it helped your pupils' outcomes?"))
                \(form.textarea("impact_comment", label: "Tell us more (it is also added to your CPD record)", maxLength: 5000))
                <p><button type="submit">Send</button></p></form>
                """, status: status)
    }

    @Sendable func followUpForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        return followUpPage(ctx, session, form: FormKit())
    }

    @Sendable func followUp(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        let form = try ctx.form()
        do {
            try cpd.followUp(
                sessionID: session.id, memberID: me.id, reaction: form["reaction"].flatMap { Int($0) },
                learning: form["learning"].flatMap { Int($0) },
                practice: form["practice"].flatMap { Int($0) },
                outcomes: form["outcomes"].flatMap { Int($0) }, comment: form["impact_comment"] ?? "")
        } catch DomainError.invalid(let errors) {
            return followUpPage(
                ctx, session, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: session.path, flash: "Thank you: your follow-up is saved.")
    }

    @Sendable func summary(_ ctx: RequestContext) throws -> HTTPResponse {
        let (me, session) = try runnable(ctx)
        let summary = try cpd.evaluationSummary(sessionID: session.id, by: me)
        let bars = summary.distribution.enumerated().map { index, count -> HTML in
            "<tr><th scope=\"row\">\(index + 1)</th><td>\(count)</td></tr>"
        }
        let body: HTML = """
            <h1>Evaluations: \(session.title)</h1><p class="meta"><a href="\(session.path)">Back to the session</a></p>
            <p>\(summary.responses) responses; average rating \(CPDPages.average(summary.averageRating)) out of 5.</p>
            <table><thead><tr><th>Rating</th><th>Responses</th></tr></thead><tbody>\(bars)</tbody></table>
            <h2>What people will change</h2>
            \(summary.changes.isEmpty ? HTML("<p class=\"empty\">Nothing yet.</p>") : "<ul>\(summary.changes.map { item -> HTML in "<li>\(item)</li>" })</ul>")
            <h2>Impact, weeks later</h2>
            <p>\(summary.followUps) follow-ups. Averages out of 5 — reaction \(CPDPages.average(summary.averageReaction)), learning \(CPDPages.average(summary.averageLearning)), use in practice \(CPDPages.average(summary.averagePractice)), pupil outcomes \(CPDPages.average(summary.averageOutcomes)).</p>
            \(summary.impactComments.isEmpty ? HTML.empty : "<ul>\(summary.impactComments.map { item -> HTML in "<li>\(item)</li>" })</ul>")
            """
        return ctx.page(title: "Evaluations", body: body)
    }
}
