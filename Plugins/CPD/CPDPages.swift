import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// CPD's HTML pages: the route table, and the pieces the sub-features' pages share. Each
/// sub-feature's page controller (``SessionPages``, ``BookingPages``, ``RegisterPages``,
/// ``EvaluationPages``, ``CertificatePages``, ``RecordPages``, ``ExpertisePages``,
/// ``CalendarPages``, ``ReportPages``) lives in its folder.
///
/// ```swift
/// CPDPages(cpd: cpd).register(&web)
/// ```
struct CPDPages {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        let sessions = SessionPages(cpd: cpd)
        let bookings = BookingPages(cpd: cpd)
        let register = RegisterPages(cpd: cpd)
        let evaluations = EvaluationPages(cpd: cpd)
        let certificates = CertificatePages(cpd: cpd)
        let record = RecordPages(cpd: cpd)
        let expertise = ExpertisePages(cpd: cpd)
        let calendars = CalendarPages(cpd: cpd)
        let reports = ReportPages(cpd: cpd)
        web.pages("/cpd") { pages in
            pages.get("", use: sessions.index)
            pages.get("/sessions/new", access: .members, use: sessions.offerForm)
            pages.post("/sessions", access: .members, use: sessions.offer)
            pages.get("/sessions/:id", use: sessions.show)
            pages.post("/sessions/:id/cancel", access: .members, use: sessions.cancel)
            pages.get("/sessions/:id/edit", access: .members, use: sessions.edit)
            pages.post("/sessions/:id/edit", access: .members, use: sessions.update)
            pages.post("/sessions/:id/book", access: .members, use: bookings.book)
            pages.post("/sessions/:id/unbook", access: .members, use: bookings.unbook)
            pages.get("/bookings", access: .members, use: bookings.mine)
            pages.get("/sessions/:id/register", access: .members, use: register.show)
            pages.post("/sessions/:id/register", access: .members, use: register.mark)
            pages.get("/sessions/:id/evaluate", access: .members, use: evaluations.evaluateForm)
            pages.post("/sessions/:id/evaluate", access: .members, use: evaluations.evaluate)
            pages.get("/sessions/:id/follow-up", access: .members, use: evaluations.followUpForm)
            pages.post("/sessions/:id/follow-up", access: .members, use: evaluations.followUp)
            pages.get("/sessions/:id/evaluations", access: .members, use: evaluations.summary)
            pages.get("/sessions/:id/certificate", access: .members, use: certificates.certificate)
            pages.get("/record", access: .members, use: record.index)
            pages.get("/record/new", access: .members, use: record.newEntryForm)
            pages.post("/record/new", access: .members, use: record.addEntry)
            pages.get("/record/:id/impact", access: .members, use: record.impactForm)
            pages.post("/record/:id/impact", access: .members, use: record.recordImpact)
            pages.post("/record/:id/delete", access: .members, use: record.delete)
            pages.get("/record.csv", access: .members, use: record.csv)
            pages.get("/record/print", access: .members, use: record.printable)
            pages.get("/expertise", access: .members, use: expertise.directory)
            pages.get("/expertise/mine", access: .members, use: expertise.mineForm)
            pages.post("/expertise/mine", access: .members, use: expertise.saveMine)
            pages.get("/calendar", access: .members, use: calendars.index)
            pages.post("/calendar/token", access: .members, use: calendars.newToken)
            pages.post("/calendar/token/revoke", access: .members, use: calendars.revokeToken)
            pages.get("/calendar/network.ics", use: calendars.networkFeed)
            pages.get("/calendar/personal/:token", use: calendars.personalFeed)
            pages.get("/calendar/groups/:id/:token", use: calendars.groupFeed)
            pages.get("/reports", access: .members, use: reports.show)
            pages.get("/reports.csv", access: .members, use: reports.csv)
            pages.get("/badges/image.svg", use: certificates.image)
        }
        web.api(
            "GET", "/cpd/badges/assertions/:uid", operation: CertificatePages.assertionOperation,
            certificates.assertion)
        web.api(
            "GET", "/cpd/badges/classes/:token", operation: CertificatePages.badgeClassOperation,
            certificates.badgeClass)
        web.api("GET", "/cpd/badges/issuer", operation: CertificatePages.issuerOperation, certificates.issuer)
        let cpd = self.cpd
        web.home(
            HomeSection(order: 40) { ctx in
                guard ctx.member != nil else { return "" }
                let upcoming = try cpd.sessions(
                    viewer: ctx.viewer, from: ctx.now, includeCancelled: false, limit: 3)
                if upcoming.isEmpty { return "" }
                let items = upcoming.map { session -> HTML in
                    "<li><a href=\"\(session.path)\">\(session.title)</a> <span class=\"meta\">\(CPDService.format(session.startsAt, of: session, style: .short))</span></li>"
                }
                return
                    "<section class=\"box\"><h2>Upcoming CPD</h2><ul>\(items)</ul><p class=\"more\"><a href=\"/cpd\">All sessions</a></p></section>"
            })
    }

    // MARK: Helpers

    static func names(_ ids: [Int64], membership: MembershipService) throws -> HTML {
        let links = try ids.compactMap { try membership.member(id: $0) }.map { member -> HTML in
            member.status == .deleted
                ? "\(Member.formerMemberName)" : "<a href=\"\(member.profilePath)\">\(member.name)</a>"
        }
        return HTML.join(links, separator: ", ")
    }

    /// Reports are for leaders: administrators see everyone; group chairs see the members of

    static func subnav(_ ctx: RequestContext) -> HTML {
        var links: [(String, String)] = [("/cpd", "Sessions"), ("/cpd/expertise", "Find an expert")]
        if ctx.member != nil {
            links += [
                ("/cpd/sessions/new", "Offer a session"), ("/cpd/bookings", "My bookings"),
                ("/cpd/record", "My CPD record"), ("/cpd/calendar", "Calendars"),
            ]
        }
        if ctx.member.map({
            $0.isAdmin
                || !(ctx.services.service(GroupScopesBox.self)?.scopes.chairedGroupIDs(of: $0.id).isEmpty
                    ?? true)
        }) == true {
            links.append(("/cpd/reports", "Reports"))
        }
        let items = links.map { link -> HTML in
            let current: HTML = ctx.request.path == link.0 ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(link.0)\"\(current)>\(link.1)</a></li>"
        }
        return "<nav class=\"subnav\" aria-label=\"CPD\"><ul>\(items)</ul></nav>"
    }

    static func average(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "—"
    }

    /// The signed-in member and the session named by the path, when they run it (or administer
    /// the network).
    static func runnable(_ ctx: RequestContext, cpd: CPDService) throws -> (SignedInMember, CPDSession) {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        guard session.isRunBy(me.id) || me.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators can do that.")
        }
        return (me, session)
    }
}
