import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The session pages: the list, one session, offering, changing and cancelling a session.
///
/// ```swift
/// SessionPages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct SessionPages: Sendable {
    let cpd: CPDService
    var membership: MembershipService { cpd.membership }

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("", use: index)
            pages.get("/sessions/new", access: .members, use: offerForm)
            pages.post("/sessions", access: .members, use: offer)
            pages.get("/sessions/:id", use: show)
            pages.post("/sessions/:id/cancel", access: .members, use: cancel)
            pages.get("/sessions/:id/edit", access: .members, use: edit)
            pages.post("/sessions/:id/edit", access: .members, use: update)
        }
    }

    func sessionForm(
        _ ctx: RequestContext, form: FormKit, action: String = "/cpd/sessions", editing: Bool = false
    ) -> HTML {
        let cpd = self.cpd
        let groupsEnabled = ctx.services.service(GroupScopesBox.self) != nil && !editing
        var groupFields: HTML = ""
        if groupsEnabled {
            groupFields = """
                \(form.input("group", label: "On behalf of a group (group number, optional)", type: "number", hint: "Leave empty to offer it yourself."))
                \(form.input("audience_group", label: "Only for one group (group number, optional)", type: "number", hint: "Leave empty to offer it to the whole network. Only that group's members will see it."))
                """
        }
        return """
            <form method="post" action="\(action)" class="card" novalidate>
            \(ctx.csrfField)
            \(form.summary)
            \(form.input("title", label: "Title", required: true, maxLength: 200))
            \(form.markdown("description", label: "Description", hint: "What will people learn? Markdown works: **bold**, _italic_, lists, [links](https://example.org).", maxLength: 20000))
            \(form.checkboxes("areas", legend: "Areas", options: cpd.areas))
            \(form.input("facilitators", label: "Co-facilitators", hint: "Handles of members who run it with you, separated by commas."))
            \(form.input("host_school", label: "Host school", hint: "Leave empty to use your school."))
            \(form.input("starts", label: "Starts", type: "datetime-local", required: true))
            \(form.input("time_zone", label: "Time zone", hint: "e.g. Europe/London", value: cpd.defaultTimeZone))
            \(form.input("duration_minutes", label: "Duration in minutes", type: "number", required: true, value: "60"))
            \(form.input("venue", label: "Venue"))
            \(form.input("online_url", label: "Online link", type: "url"))
            \(form.input("capacity", label: "Places", type: "number", required: true, value: "20"))
            \(groupFields)
            <p><button type="submit">\(editing ? "Save changes" : "Offer the session")</button> \(form.previewButton(action: action, field: "description"))</p>
            </form>
            """
    }

    static func sessionInput(_ form: FormData) -> SessionInput {
        SessionInput(
            title: form["title"] ?? "", description: form["description"] ?? "", areas: form.values("areas"),
            facilitators: form["facilitators"] ?? "", hostSchool: form["host_school"] ?? "",
            starts: form["starts"] ?? "",
            timeZone: form["time_zone"] ?? "", durationMinutes: form["duration_minutes"] ?? "",
            venue: form["venue"] ?? "", onlineURL: form["online_url"] ?? "", capacity: form["capacity"] ?? "",
            audienceGroup: form["audience_group"] ?? "", onBehalfOfGroup: form["group"] ?? "")
    }

    func sessionCard(_ session: CPDSession, taken: (booked: Int, waiting: Int), ctx: RequestContext) -> HTML {
        let status: HTML =
            session.isCancelled
            ? " <strong class=\"field-error\">Cancelled</strong>"
            : (taken.booked >= session.capacity
                ? " <span class=\"meta\">Full — waiting list open</span>" : "")
        let audience: HTML = session.audienceGroupID != nil ? " <span class=\"meta\">(group only)</span>" : ""
        return """
            <li class="card session"><h2 class="card-title"><a href="\(session.path)">\(session.title)</a>\(status)\(audience)</h2>
            <p class="meta">\(CPDService.format(session.startsAt, of: session, style: .long)) · \(Hours.text(minutes: session.durationMinutes)) h\(session.areas.isEmpty ? "" : " · \(session.areas.joined(separator: ", "))") · \(taken.booked)/\(session.capacity) places taken</p></li>
            """
    }

    @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let area = ctx.query("area").flatMap { cpd.areas.contains($0) ? $0 : nil }
        var cursor: (Date, Int64)?
        if let after = ctx.query("after") {
            let parts = after.split(separator: "_").compactMap { Int64($0) }
            if parts.count == 2 {
                cursor = (Date(timeIntervalSince1970: Double(parts[0]) / 1000), parts[1])
            }
        }
        let pageSize = 20
        let list = try cpd.sessions(
            viewer: ctx.viewer, from: ctx.now.addingTimeInterval(-86_400), area: area,
            limit: pageSize + 1,
            after: cursor)
        let shown = Array(list.prefix(pageSize))
        let taken = try cpd.placesTaken(sessionIDs: shown.map(\.id))
        let areaLinks = cpd.areas.map { name -> HTML in
            name == area
                ? "<strong>\(name)</strong>"
                : "<a href=\"/cpd?area=\(PercentDecoding.encode(name))\">\(name)</a>"
        }
        var body: HTML = """
            <h1>CPD sessions</h1>\(CPDPages.subnav(ctx))
            <p class="meta">Areas: <a href="/cpd">all</a> · \(HTML.join(areaLinks, separator: " · "))</p>
            """
        body +=
            shown.isEmpty
            ? "<p class=\"empty\">No upcoming sessions.</p>"
            : "<ul class=\"session-list\">\(shown.map { sessionCard($0, taken: taken[$0.id] ?? (0, 0), ctx: ctx) })</ul>"
        if list.count > pageSize, let last = shown.last {
            let next = "\(Int64((last.startsAt.timeIntervalSince1970 * 1000).rounded()))_\(last.id)"
            let areaQuery = area.map { "&area=\(PercentDecoding.encode($0))" } ?? ""
            body +=
                Pager.next("/cpd?after=\(next)\(areaQuery)", "Later sessions")
        }
        return ctx.page(title: "CPD sessions", body: body)
    }

    @Sendable func offerForm(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try ctx.requireActiveMember()
        return ctx.page(
            title: "Offer a CPD session",
            body:
                "<h1>Offer a CPD session</h1>\(sessionForm(ctx, form: FormKit(values: ["time_zone": cpd.defaultTimeZone])))"
        )
    }

    @Sendable func offer(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let form = try ctx.form()
        if form.asksForPreview {
            return ctx.page(
                title: "Offer a CPD session",
                body: "<h1>Offer a CPD session</h1>\(sessionForm(ctx, form: FormKit(form: form, errors: [])))"
            )
        }
        do {
            let session = try cpd.offer(Self.sessionInput(form), by: me)
            return ctx.redirect(to: session.path, flash: "Your session is on offer.")
        } catch DomainError.invalid(let errors) {
            return ctx.page(
                title: "Offer a CPD session",
                body:
                    "<h1>Offer a CPD session</h1>\(sessionForm(ctx, form: FormKit(form: form, errors: errors)))",
                status: HTTPStatus(code: 422))
        }
    }

    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        let taken = try cpd.placesTaken(sessionID: session.id)
        let description: HTML =
            session.description.isEmpty
            ? ""
            : "<div class=\"prose\">\(HTML.markdown(session.description))</div>"
        var facts: [HTML] = [
            "<dt>When</dt><dd>\(CPDService.format(session.startsAt, of: session, style: .long)) (\(Hours.phrase(minutes: session.durationMinutes)))</dd>",
            "<dt>Facilitators</dt><dd>\(try CPDPages.names(session.facilitatorIDs, membership: membership, shell: ctx.shell))</dd>",
        ]
        if !session.hostSchool.isEmpty {
            facts.append("<dt>Host school</dt><dd>\(session.hostSchool)</dd>")
        }
        if let group = session.groupID { facts.append("<dt>Offered by</dt><dd>group \(group)</dd>") }
        if session.audienceGroupID != nil {
            facts.append("<dt>Audience</dt><dd>members of one group only</dd>")
        }
        if !session.venue.isEmpty { facts.append("<dt>Venue</dt><dd>\(session.venue)</dd>") }
        if !session.onlineURL.isEmpty, ctx.member != nil {
            facts.append(
                "<dt>Online</dt><dd><a href=\"\(url: session.onlineURL)\" rel=\"nofollow noopener\">\(session.onlineURL)</a></dd>"
            )
        }
        if !session.areas.isEmpty {
            facts.append("<dt>Areas</dt><dd>\(session.areas.joined(separator: ", "))</dd>")
        }
        facts.append(
            "<dt>Places</dt><dd>\(taken.booked) of \(session.capacity) taken, \(taken.waiting) waiting</dd>"
        )
        facts.append(
            "<dt>Booking closes</dt><dd>\(CPDService.format(cpd.bookingClosesAt(session), of: session, style: .long))</dd>"
        )
        var actions: HTML = ""
        if session.isCancelled {
            actions +=
                "<div class=\"flash flash-error\" role=\"status\">This session has been cancelled.\(session.cancelReason.isEmpty ? "" : " \(session.cancelReason)")</div>"
        }
        if let me = ctx.member {
            let booking = try cpd.booking(sessionID: session.id, memberID: me.id)
            if session.isRunBy(me.id) || me.isAdmin {
                actions += """
                    <p><a class="button" href="\(session.path)/register">Attendance register</a> <a href="\(session.path)/edit">Change details</a> · <a href="\(session.path)/evaluations">Evaluations</a></p>
                    """
                if !session.isCancelled {
                    actions += """
                        <form method="post" action="\(session.path)/cancel" class="card" data-confirm="Cancel this session and tell everyone booked?">\(ctx.csrfField)
                        \(FormKit().input("reason", label: "Reason for cancelling (sent to everyone booked)"))
                        <p><button type="submit" class="danger">Cancel the session</button></p></form>
                        """
                }
            }
            if !session.isRunBy(me.id) {
                switch booking?.status {
                case .booked?:
                    actions +=
                        "<p><strong>You have a place.</strong>\(Self.addToCalendar(session, now: ctx.now))</p>"
                    if ctx.now < session.startsAt && !session.isCancelled {
                        actions +=
                            "<form method=\"post\" action=\"\(session.path)/unbook\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Cancel my place</button></form>"
                    }
                case .waiting?:
                    actions +=
                        "<p><strong>You are number \(booking?.position ?? 0) on the waiting list.</strong>\(Self.addToCalendar(session, now: ctx.now))</p>"
                    if ctx.now < session.startsAt && !session.isCancelled {
                        actions +=
                            "<form method=\"post\" action=\"\(session.path)/unbook\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Leave the waiting list</button></form>"
                    }
                default:
                    if cpd.isBookingOpen(session) {
                        let label =
                            taken.booked < session.capacity ? "Book a place" : "Join the waiting list"
                        actions +=
                            "<form method=\"post\" action=\"\(session.path)/book\">\(ctx.csrfField)<button type=\"submit\">\(label)</button></form>"
                    } else if !session.isCancelled {
                        actions += "<p class=\"meta\">Booking has closed.</p>"
                    }
                }
                if booking?.attended == true {
                    let state = try cpd.evaluationState(sessionID: session.id, memberID: me.id)
                    actions +=
                        "<p><a class=\"button\" href=\"\(session.path)/certificate\">Your certificate</a> <a href=\"\(session.path)/evaluate\">\(state.rated ? "Change your evaluation" : "Evaluate the session")</a>"
                    if state.rated {
                        actions += " · <a href=\"\(session.path)/follow-up\">Impact follow-up</a>"
                    }
                    actions += "</p>"
                }
            }
        } else if cpd.isBookingOpen(session) {
            let full = try cpd.placesTaken(sessionID: session.id).booked >= session.capacity
            actions +=
                "<p><a href=\"/sign-in?next=\(PercentDecoding.encode(session.path))\">Sign in</a> to \(full ? "join the waiting list" : "book a place").</p>"
        }
        let body: HTML = """
            \(CPDPages.subnav(ctx))
            <h1>\(session.title)</h1>
            \(actions)
            <div class="card session-facts"><dl>\(facts)</dl></div>
            \(description)
            """
        return ctx.page(title: session.title, body: body)
    }

    @Sendable func cancel(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        try cpd.cancelSession(id: session.id, by: me, reason: try ctx.form()["reason"] ?? "")
        return ctx.redirect(
            to: session.path, flash: "The session is cancelled; everyone booked has been told.")
    }

    func editable(_ ctx: RequestContext) throws -> (SignedInMember, CPDSession) {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
        guard session.isRunBy(me.id) || me.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators can change it.")
        }
        return (me, session)
    }

    @Sendable func edit(_ ctx: RequestContext) throws -> HTTPResponse {
        let (_, session) = try editable(ctx)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = session.zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let others = try session.facilitatorIDs.filter { $0 != session.organiserID }.compactMap {
            try membership.member(id: $0)?.handle
        }
        let values: [String: String] = [
            "title": session.title, "description": session.description,
            "areas": session.areas.joined(separator: "\n"),
            "facilitators": others.joined(separator: ", "), "host_school": session.hostSchool,
            "starts": formatter.string(from: session.startsAt), "time_zone": session.timeZone,
            "duration_minutes": String(session.durationMinutes), "venue": session.venue,
            "online_url": session.onlineURL, "capacity": String(session.capacity),
        ]
        return ctx.page(
            title: "Change the session",
            body:
                "<h1>Change: \(session.title)</h1>\(sessionForm(ctx, form: FormKit(values: values), action: "\(session.path)/edit", editing: true))"
        )
    }

    @Sendable func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let (me, session) = try editable(ctx)
        let form = try ctx.form()
        if form.asksForPreview {
            return ctx.page(
                title: "Change the session",
                body:
                    "<h1>Change: \(session.title)</h1>\(sessionForm(ctx, form: FormKit(form: form, errors: []), action: "\(session.path)/edit", editing: true))"
            )
        }
        do {
            try cpd.updateSession(id: session.id, Self.sessionInput(form), by: me)
        } catch DomainError.invalid(let errors) {
            return ctx.page(
                title: "Change the session",
                body:
                    "<h1>Change: \(session.title)</h1>\(sessionForm(ctx, form: FormKit(form: form, errors: errors), action: "\(session.path)/edit", editing: true))",
                status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: session.path, flash: "The session is updated.")
    }

    /// " Add to calendar" (one .ics) while the session is still to come.
    static func addToCalendar(_ session: CPDSession, now: Date) -> HTML {
        guard session.endsAt > now, !session.isCancelled else { return "" }
        return " <a href=\"\(session.path)/calendar.ics\">Add to calendar</a>"
    }
}
