import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// Calendar feeds (iCalendar) and the page that hands out a member's private feed address.
///
/// ```swift
/// CalendarPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct CalendarPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/calendar", access: .members, use: index)
            pages.post("/calendar/token", access: .members, use: newToken)
            pages.post("/calendar/token/revoke", access: .members, use: revokeToken)
            pages.get("/calendar/network.ics", use: networkFeed)
            pages.get("/calendar/personal/:token", use: personalFeed)
            pages.get("/calendar/groups/:id/:token", use: groupFeed)
        }
    }

    static func calendarResponse(_ text: String, _ ctx: RequestContext) -> HTTPResponse {
        var response = HTTPResponse.bytes(Array(text.utf8), contentType: "text/calendar; charset=utf-8")
        response.headers.add("Content-Disposition", "inline; filename=\"cpd.ics\"")
        return ctx.respond(response)
    }

    func calendarPage(_ ctx: RequestContext, token: String?) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let has = try cpd.hasFeedToken(memberID: me.id)
        var personal: HTML
        if let token {
            let link = cpd.services.link("/cpd/calendar/personal/\(token).ics")
            personal = """
                <p>Your private calendar address (copy it now: it is shown only once):</p>
                <p><input type="text" readonly value="\(link)" aria-label="Your private calendar address"></p>
                """
            if ctx.services.service(GroupScopesBox.self) != nil {
                personal += """
                    <p class="hint">For one group's sessions, use \(cpd.services.baseURL)/cpd/calendar/groups/<em>group number</em>/\(token).ics</p>
                    """
            }
        } else if has {
            personal =
                "<p>You have a private calendar address. Lost it? Make a new one (the old one stops working).</p>"
        } else {
            personal = "<p>You have no private calendar address yet.</p>"
        }
        personal += """
            <form method="post" action="/cpd/calendar/token" class="inline">\(ctx.csrfField)<button type="submit">\(has ? "Make a new address" : "Make my address")</button></form>
            """
        if has || token != nil {
            personal +=
                " <form method=\"post\" action=\"/cpd/calendar/token/revoke\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Turn it off</button></form>"
        }
        let body: HTML = """
            \(CPDPages.subnav(ctx))<h1>Calendars</h1>
            <section class="card"><h2>The network's sessions</h2>
            <p>Subscribe in your calendar app: <a href="/cpd/calendar/network.ics">\(cpd.services.link("/cpd/calendar/network.ics"))</a></p></section>
            <section class="card"><h2>My bookings</h2>\(personal)</section>
            """
        return ctx.page(title: "Calendars", body: body)
    }

    @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse { try calendarPage(ctx, token: nil) }

    @Sendable func newToken(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        return try calendarPage(ctx, token: try cpd.newFeedToken(memberID: me.id))
    }

    @Sendable func revokeToken(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try cpd.revokeFeedToken(memberID: me.id)
        return ctx.redirect(to: "/cpd/calendar", flash: "Your private calendar address no longer works.")
    }

    @Sendable func networkFeed(_ ctx: RequestContext) throws -> HTTPResponse {
        // Calendar apps fetch without cookies: the public feed has only whole-network sessions,
        // unless a member's own session cookie is present.
        Self.calendarResponse(try cpd.feed(viewer: ctx.viewer), ctx)
    }

    @Sendable func personalFeed(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try cpd.member(forFeedToken: try ctx.parameter("token")) else {
            throw DomainError.notFound
        }
        return Self.calendarResponse(try cpd.personalFeed(member: member), ctx)
    }

    @Sendable func groupFeed(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try cpd.member(forFeedToken: try ctx.parameter("token")) else {
            throw DomainError.notFound
        }
        let groupID = try ctx.idParameter("id")
        let viewer = cpd.viewer(memberID: member.id, isModerator: member.role >= .moderator)
        return Self.calendarResponse(try cpd.feed(viewer: viewer, groupID: groupID), ctx)
    }
}
