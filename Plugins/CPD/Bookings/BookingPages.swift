import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// Booking a place from the session page, cancelling it, and "My bookings".
///
/// ```swift
/// BookingPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct BookingPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.post("/sessions/:id/book", access: .members, use: book)
            pages.post("/sessions/:id/unbook", access: .members, use: unbook)
            pages.get("/bookings", access: .members, use: mine)
        }
    }

    @Sendable func book(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        do {
            let booking = try cpd.book(sessionID: session.id, memberID: me.id)
            let message =
                booking.status == .booked
                ? "You have a place."
                : "The session is full: you are number \(booking.position ?? 0) on the waiting list."
            return ctx.redirect(to: session.path, flash: message)
        } catch DomainError.conflict(let message) {
            return ctx.redirect(to: session.path, flash: message, kind: .error)
        }
    }

    @Sendable func unbook(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        do {
            try cpd.cancelBooking(sessionID: session.id, memberID: me.id)
            return ctx.redirect(to: session.path, flash: "Your booking is cancelled.")
        } catch DomainError.conflict(let message) {
            return ctx.redirect(to: session.path, flash: message, kind: .error)
        }
    }

    @Sendable func mine(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let viewer = ctx.viewer
        let list = try cpd.bookings(of: me.id).filter { cpd.canSee($0.session, viewer: viewer) }
        let rows = list.map { item -> HTML in
            let state: String =
                item.booking.status == .waiting
                ? "waiting (number \(item.booking.position ?? 0))"
                : (item.booking.attended == true ? "attended" : "booked")
            return """
                <tr><td><a href="\(item.session.path)">\(item.session.title)</a>\(item.session.isCancelled ? HTML(" (cancelled)") : HTML.empty)</td><td>\(CPDService.format(item.session.startsAt, of: item.session, style: .short))</td><td>\(state)</td></tr>
                """
        }
        let run = try cpd.sessionsRun(by: me.id, limit: 50).map { session -> HTML in
            "<li><a href=\"\(session.path)\">\(session.title)</a> <span class=\"meta\">\(CPDService.format(session.startsAt, of: session, style: .short))</span></li>"
        }
        var body: HTML = "\(CPDPages.subnav(ctx))<h1>My bookings</h1>"
        body +=
            rows.isEmpty
            ? "<p class=\"empty\">No bookings yet.</p>"
            : "<table><thead><tr><th>Session</th><th>When</th><th>Status</th></tr></thead><tbody>\(rows)</tbody></table>"
        body += "<h2>Sessions I run</h2>"
        body += run.isEmpty ? "<p class=\"empty\">None.</p>" : "<ul>\(run)</ul>"
        return ctx.page(title: "My bookings", body: body)
    }
}
