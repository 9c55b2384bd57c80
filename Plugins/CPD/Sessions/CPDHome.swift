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
        if let me = ctx.member {
            let home = try cpd.home(of: me.id, viewer: ctx.viewer, now: ctx.now)
            if !home.booked.isEmpty {
                let items = home.booked.map { entry -> HTML in
                    let waiting: HTML = entry.waiting ? " <span class=\"badge\">Waiting list</span>" : ""
                    return item(entry.session, extra: waiting)
                }
                parts.append(
                    "<section class=\"box home-cpd\"><h2>Your next CPD</h2><ul class=\"plain-list\">\(items)</ul><p class=\"more\"><a href=\"/cpd/bookings\">Your bookings</a></p></section>"
                )
            }
            if !home.inMyAreas.isEmpty {
                parts.append(
                    "<section class=\"box home-cpd\"><h2>In your expertise areas</h2><ul class=\"plain-list\">\(home.inMyAreas.map { item($0, extra: "") })</ul><p class=\"more\"><a href=\"/cpd\">All sessions</a></p></section>"
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
    /// What a member's home shows of CPD, read together: their next three sessions booked or
    /// waited for (not cancelled, not over), then up to three sessions to come in their
    /// expertise areas that they may see and have not booked.
    public func home(of memberID: Int64, viewer: Viewer, now: Date) throws -> (
        booked: [(session: CPDSession, waiting: Bool)], inMyAreas: [CPDSession]
    ) {
        let (visible, visibleArguments) = visibleCondition(viewer)
        return try database.read { db in
            var waiting: [Int64: Bool] = [:]
            var booked = try db.query(
                """
                SELECT \(CPDSession.columns), b.status AS booking_status FROM cpd_bookings b
                JOIN cpd_sessions s ON s.id = b.session_id
                WHERE b.member_id = ? AND b.status IN ('booked', 'waiting') AND s.status = 'scheduled'
                AND s.starts_at + s.duration_minutes * 60000 > ? AND \(visible)
                ORDER BY s.starts_at, s.id LIMIT 3
                """, [memberID, now] + visibleArguments
            ) { row -> CPDSession in
                let session = try CPDSession.decode(row)
                waiting[session.id] = (try row.value("booking_status") as String) == "waiting"
                return session
            }
            try fillDetails(&booked, in: db)
            var inAreas = try db.query(
                """
                SELECT \(CPDSession.columns) FROM cpd_sessions s
                WHERE s.starts_at >= ? AND s.status = 'scheduled' AND \(visible)
                AND EXISTS (SELECT 1 FROM cpd_session_areas a JOIN cpd_expertise e ON e.area = a.area
                    WHERE a.session_id = s.id AND e.member_id = ?)
                AND NOT EXISTS (SELECT 1 FROM cpd_bookings b WHERE b.session_id = s.id AND b.member_id = ?
                    AND b.status IN ('booked', 'waiting'))
                ORDER BY s.starts_at, s.id LIMIT 3
                """, [now] + visibleArguments + [memberID, memberID], CPDSession.decode)
            try fillDetails(&inAreas, in: db)
            return (booked.map { ($0, waiting[$0.id] ?? false) }, inAreas)
        }
    }
}
