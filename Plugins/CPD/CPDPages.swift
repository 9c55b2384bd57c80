import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// CPD's HTML pages: each sub-feature's page controller registers its routes, and these are
/// the pieces they share. The controllers (``SessionPages``, ``BookingPages``, ``RegisterPages``,
/// ``EvaluationPages``, ``CertificatePages``, ``RecordPages``, ``ExpertisePages``,
/// ``CalendarPages``, ``ReportPages``) live in their folders.
///
/// ```swift
/// CPDPages(cpd: cpd).register(&web)
/// ```
struct CPDPages {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        SessionPages(cpd: cpd).register(&web)
        BookingPages(cpd: cpd).register(&web)
        RegisterPages(cpd: cpd).register(&web)
        EvaluationPages(cpd: cpd).register(&web)
        CertificatePages(cpd: cpd).register(&web)
        RecordPages(cpd: cpd).register(&web)
        ExpertisePages(cpd: cpd).register(&web)
        CalendarPages(cpd: cpd).register(&web)
        CPDHome(cpd: cpd).register(&web)
        ReportPages(cpd: cpd).register(&web)
    }

    // MARK: Helpers

    /// Members' faces and names, linked to their profiles (a former member by name only).
    static func names(_ ids: [Int64], membership: MembershipService, shell: Shell) throws -> HTML {
        let links = try ids.compactMap { try membership.member(id: $0) }.map { member -> HTML in
            member.status == .deleted
                ? "\(Member.formerMemberName)" : personLink(member, shell: shell)
        }
        return HTML.join(links, separator: ", ")
    }

    /// A member's face (photo or initials) and name, linked to their profile.
    static func personLink(_ member: Member, shell: Shell, size: Int = 24) -> HTML {
        "<a class=\"person\" href=\"\(member.profilePath)\">\(shell.face(name: member.name, handle: member.handle, hasPhoto: member.hasAvatar, size: size))<span>\(member.name)</span></a>"
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
