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
        let now = ctx.now
        let coming = list.filter { $0.session.endsAt > now }.sorted {
            $0.session.startsAt < $1.session.startsAt
        }
        let past = list.filter { $0.session.endsAt <= now }
        func row(_ item: (booking: Booking, session: CPDSession), upcoming: Bool) -> HTML {
            let state: String
            switch (item.booking.status, upcoming, item.booking.attended) {
            case (_, true, _) where item.session.isCancelled: state = "Cancelled by the organiser"
            case (.waiting, true, _): state = "Waiting list (number \(item.booking.position ?? 0))"
            case (_, true, _): state = "Booked"
            case (.waiting, false, _): state = "Was on the waiting list"
            case (_, false, true?): state = "Attended"
            case (_, false, false?): state = "Did not attend"
            case (_, false, nil):
                state = item.session.isCancelled ? "Cancelled by the organiser" : "Register not marked yet"
            }
            return """
                <tr><td data-label="Session"><a href="\(item.session.path)">\(item.session.title)</a></td>\
                <td data-label="When">\(CPDService.format(item.session.startsAt, of: item.session, style: .short))</td>\
                <td data-label="Status">\(state)\(upcoming ? SessionPages.addToCalendar(item.session, now: now) : HTML.empty)</td></tr>
                """
        }
        func table(_ rows: [HTML], caption: String) -> HTML {
            """
            <table class="stack"><caption class="visually-hidden">\(caption)</caption><thead><tr><th scope="col">Session</th>\
            <th scope="col">When</th><th scope="col">Status</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        }
        let run = try cpd.sessionsRun(by: me.id, limit: 50).map { session -> HTML in
            "<li><a href=\"\(session.path)\">\(session.title)</a> <span class=\"meta\">\(CPDService.format(session.startsAt, of: session, style: .short))</span></li>"
        }
        var body: HTML = "\(CPDPages.subnav(ctx))<h1>My bookings</h1><h2>Coming up</h2>"
        body +=
            coming.isEmpty
            ? "<p class=\"empty\">Nothing booked. <a href=\"/cpd\">Find a session</a></p>"
            : table(coming.map { row($0, upcoming: true) }, caption: "Coming up")
        if !past.isEmpty {
            body += "<h2>Past</h2>" + table(past.map { row($0, upcoming: false) }, caption: "Past")
        }
        body += "<h2>Sessions I run</h2>"
        body += run.isEmpty ? "<p class=\"empty\">None.</p>" : "<ul>\(run)</ul>"
        return ctx.page(title: "My bookings", body: body)
    }
}
