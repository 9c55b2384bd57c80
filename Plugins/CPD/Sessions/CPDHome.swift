import Foundation
import HTTP
import Kernel

/// CPD's part of the home page: a member's next bookings and new sessions in their expertise
/// areas; for everyone else (and members with neither) the next sessions of the network. Also
/// one session as an iCalendar file ("Add to calendar").
///
/// ```swift
/// CPDHome(cpd: cpd).register(&web)   // home section, GET /cpd/sessions/:id/calendar.ics
/// ```
struct CPDHome: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.home(HomeSection(order: 14, render: section))
        web.pages("/cpd") { pages in pages.get("/sessions/:id/calendar.ics", use: sessionCalendar) }
    }

    @Sendable func section(_ ctx: RequestContext) throws -> HTML {
        var parts: [HTML] = []
        var shown: Set<Int64> = []
        if let me = ctx.member {
            let mine = try cpd.upcomingBookings(of: me.id, from: ctx.now, limit: 3)
            if !mine.isEmpty {
                let items = mine.map { entry -> HTML in
                    shown.insert(entry.session.id)
                    let waiting: HTML =
                        entry.booking.status == .waiting ? " <span class=\"badge\">Waiting list</span>" : ""
                    return item(entry.session, extra: waiting)
                }
                parts.append(
                    "<section class=\"box home-cpd\"><h2>Your next CPD</h2><ul class=\"plain-list\">\(items)</ul><p class=\"more\"><a href=\"/cpd/bookings\">Your bookings</a></p></section>"
                )
            }
            let areas = try cpd.expertise(of: me.id).map(\.area)
            var inAreas: [CPDSession] = []
            for area in areas.prefix(5) {
                inAreas += try cpd.sessions(
                    viewer: ctx.viewer, from: ctx.now, area: area, includeCancelled: false, limit: 3)
            }
            var seen = shown
            let suggestions = inAreas.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
                .filter { seen.insert($0.id).inserted }.prefix(3)
            if !suggestions.isEmpty {
                suggestions.forEach { shown.insert($0.id) }
                parts.append(
                    "<section class=\"box home-cpd\"><h2>In your expertise areas</h2><ul class=\"plain-list\">\(suggestions.map { item($0, extra: "") })</ul><p class=\"more\"><a href=\"/cpd\">All sessions</a></p></section>"
                )
            }
        }
        if parts.isEmpty {
            let upcoming = try cpd.sessions(
                viewer: ctx.viewer, from: ctx.now, includeCancelled: false, limit: 3)
            if !upcoming.isEmpty {
                parts.append(
                    "<section class=\"box home-cpd\"><h2>Upcoming CPD</h2><ul class=\"plain-list\">\(upcoming.map { item($0, extra: "") })</ul><p class=\"more\"><a href=\"/cpd\">All sessions</a></p></section>"
                )
            }
        }
        return HTML.join(parts)
    }

    func item(_ session: CPDSession, extra: HTML) -> HTML {
        "<li><a href=\"\(session.path)\">\(session.title)</a>\(extra) <span class=\"meta\">\(CPDService.format(session.startsAt, of: session, style: .short))</span></li>"
    }

    /// One session as an .ics file for "Add to calendar": only for those who may see it.
    @Sendable func sessionCalendar(_ ctx: RequestContext) throws -> HTTPResponse {
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        var calendar = ICalendar(name: session.title)
        calendar.add(cpd.event(for: session, forMember: ctx.member != nil))
        var response = HTTPResponse.bytes(
            Array(calendar.render().utf8), contentType: "text/calendar; charset=utf-8")
        response.headers.add("Content-Disposition", "attachment; filename=\"cpd-session-\(session.id).ics\"")
        return ctx.respond(response)
    }
}

extension CPDService {
    /// A member's bookings (booked or waiting) for sessions that have not ended, soonest first.
    public func upcomingBookings(of memberID: Int64, from now: Date, limit: Int = 3) throws -> [(
        booking: Booking, session: CPDSession
    )] {
        try bookings(of: memberID, limit: 200).filter { $0.session.endsAt > now && !$0.session.isCancelled }
            .sorted { ($0.session.startsAt, $0.session.id) < ($1.session.startsAt, $1.session.id) }
            .prefix(limit).map { $0 }
    }
}
