import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The attendance register: facilitators mark who attended once the session has started.
///
/// ```swift
/// RegisterPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct RegisterPages: Sendable {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/sessions/:id/register", access: .members, use: show)
            pages.post("/sessions/:id/register", access: .members, use: mark)
        }
    }

    /// The signed-in member and the session, when they run it (or administer the network).
    func runnable(_ ctx: RequestContext) throws -> (SignedInMember, CPDSession) {
        try CPDPages.runnable(ctx, cpd: cpd)
    }

    func registerPage(_ ctx: RequestContext, _ session: CPDSession, error: String? = nil) throws
        -> HTTPResponse
    {
        let list = try cpd.bookings(sessionID: session.id)
        let booked = list.filter { $0.booking.status == .booked }
        let waiting = list.filter { $0.booking.status == .waiting }
        let rows = booked.map { item -> HTML in
            """
            <div class="field checkbox"><input type="checkbox" id="present-\(item.member.id)" name="present" value="\(item.member.id)"\(item.booking.attended == true ? HTML(" checked") : HTML.empty)> <label for="present-\(item.member.id)">\(ctx.shell.face(name: item.member.name, handle: item.member.handle, hasPhoto: item.member.hasAvatar, size: 24)) \(item.member.name) <span class="meta">@\(item.member.handle)</span></label></div>
            """
        }
        var body: HTML =
            "<h1>Register: \(session.title)</h1><p class=\"meta\"><a href=\"\(session.path)\">Back to the session</a></p>"
        if let error { body += "<div class=\"flash flash-error\" role=\"alert\">\(error)</div>" }
        if booked.isEmpty {
            body += "<p class=\"empty\">Nobody has booked.</p>"
        } else if ctx.now < session.startsAt {
            body +=
                "<p>The register opens when the session starts.</p><ul class=\"people\">\(booked.map { item -> HTML in "<li>\(CPDPages.personLink(item.member, shell: ctx.shell))</li>" })</ul>"
        } else {
            body += """
                <form method="post" action="\(session.path)/register" class="card">\(ctx.csrfField)
                <fieldset><legend>Who attended?</legend>\(rows)</fieldset>
                <p><button type="submit">Save the register</button></p></form>
                """
        }
        if !waiting.isEmpty {
            body +=
                "<h2>Waiting list</h2><ol class=\"people\">\(waiting.map { item -> HTML in "<li>\(CPDPages.personLink(item.member, shell: ctx.shell))</li>" })</ol>"
        }
        return ctx.page(title: "Register", body: body, status: error == nil ? .ok : HTTPStatus(code: 422))
    }

    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let (_, session) = try runnable(ctx)
        return try registerPage(ctx, session)
    }

    @Sendable func mark(_ ctx: RequestContext) throws -> HTTPResponse {
        let (me, session) = try runnable(ctx)
        let present = Set(try ctx.form().values("present").compactMap { Int64($0) })
        do {
            try cpd.markAttendance(sessionID: session.id, present: present, by: me)
        } catch DomainError.conflict(let message) {
            return try registerPage(ctx, session, error: message)
        } catch DomainError.invalid(let errors) {
            return try registerPage(ctx, session, error: errors.map(\.message).joined(separator: " "))
        }
        return ctx.redirect(
            to: "\(session.path)/register",
            flash: "The register is saved; attendees' records show the hours.")
    }
}
