import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// CPD's HTML pages: sessions and booking, the register, evaluations, certificates, the
/// personal record, the expertise directory, calendar feeds and leaders' reports.
struct CPDPages {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        registerSessions(&web)
        registerAttendance(&web)
        registerRecord(&web)
        registerExpertise(&web)
        registerCalendars(&web)
        registerReports(&web)
        registerBadges(&web)
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
    /// the groups they lead; others are refused.
    static func reportScope(_ ctx: RequestContext) throws -> Set<Int64>? {
        let me = try ctx.requireMember()
        if me.isAdmin { return nil }
        let scopes = ctx.services.service(GroupScopesBox.self)?.scopes
        let chaired = scopes?.chairedGroupIDs(of: me.id) ?? []
        guard let scopes, !chaired.isEmpty else {
            throw DomainError.forbidden("CPD reports are for administrators and the chairs of groups.")
        }
        return scopes.memberIDs(ofGroups: chaired)
    }

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

    // MARK: Sessions

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
            \(form.textarea("description", label: "Description", hint: "What will people learn? Markdown is allowed.", maxLength: 20000))
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
            <p><button type="submit">\(editing ? "Save changes" : "Offer the session")</button></p>
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

    func registerSessions(_ web: inout WebContributions) {
        let cpd = self.cpd
        let membership = cpd.membership

        web.page("GET", "/cpd") { ctx in
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
                <h1>CPD sessions</h1>\(Self.subnav(ctx))
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

        web.page("GET", "/cpd/sessions/new", access: .members) { ctx in
            _ = try ctx.requireActiveMember()
            return ctx.page(
                title: "Offer a CPD session",
                body:
                    "<h1>Offer a CPD session</h1>\(sessionForm(ctx, form: FormKit(values: ["time_zone": cpd.defaultTimeZone])))"
            )
        }

        web.page("POST", "/cpd/sessions", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let form = try ctx.form()
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

        web.page("GET", "/cpd/sessions/:id") { ctx in
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            let taken = try cpd.placesTaken(sessionID: session.id)
            let description: HTML =
                session.description.isEmpty
                ? ""
                : "<div class=\"prose\">\(HTML.markdown(session.description))</div>"
            var facts: [HTML] = [
                "<dt>When</dt><dd>\(CPDService.format(session.startsAt, of: session, style: .long)) (\(Hours.text(minutes: session.durationMinutes)) hours)</dd>",
                "<dt>Facilitators</dt><dd>\(try Self.names(session.facilitatorIDs, membership: membership))</dd>",
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
                        actions += "<p><strong>You have a place.</strong></p>"
                        if ctx.now < session.startsAt && !session.isCancelled {
                            actions +=
                                "<form method=\"post\" action=\"\(session.path)/unbook\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Cancel my place</button></form>"
                        }
                    case .waiting?:
                        actions +=
                            "<p><strong>You are number \(booking?.position ?? 0) on the waiting list.</strong></p>"
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
                actions +=
                    "<p><a href=\"/sign-in?next=\(PercentDecoding.encode(session.path))\">Sign in</a> to book.</p>"
            }
            let body: HTML = """
                \(Self.subnav(ctx))
                <h1>\(session.title)</h1>
                \(actions)
                <dl class="card">\(facts)</dl>
                \(description)
                """
            return ctx.page(title: session.title, body: body)
        }

        web.page("POST", "/cpd/sessions/:id/book", access: .members) { ctx in
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

        web.page("POST", "/cpd/sessions/:id/unbook", access: .members) { ctx in
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            do {
                try cpd.cancelBooking(sessionID: session.id, memberID: me.id)
                return ctx.redirect(to: session.path, flash: "Your booking is cancelled.")
            } catch DomainError.conflict(let message) {
                return ctx.redirect(to: session.path, flash: message, kind: .error)
            }
        }

        web.page("POST", "/cpd/sessions/:id/cancel", access: .members) { ctx in
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            try cpd.cancelSession(id: session.id, by: me, reason: try ctx.form()["reason"] ?? "")
            return ctx.redirect(
                to: session.path, flash: "The session is cancelled; everyone booked has been told.")
        }

        @Sendable func editable(_ ctx: RequestContext) throws -> (SignedInMember, CPDSession) {
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            guard session.isRunBy(me.id) || me.isAdmin else {
                throw DomainError.forbidden("Only the session's facilitators can change it.")
            }
            return (me, session)
        }

        web.page("GET", "/cpd/sessions/:id/edit", access: .members) { ctx in
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

        web.page("POST", "/cpd/sessions/:id/edit", access: .members) { ctx in
            let (me, session) = try editable(ctx)
            let form = try ctx.form()
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

        web.page("GET", "/cpd/bookings", access: .members) { ctx in
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
            var body: HTML = "\(Self.subnav(ctx))<h1>My bookings</h1>"
            body +=
                rows.isEmpty
                ? "<p class=\"empty\">No bookings yet.</p>"
                : "<table><thead><tr><th>Session</th><th>When</th><th>Status</th></tr></thead><tbody>\(rows)</tbody></table>"
            body += "<h2>Sessions I run</h2>"
            body += run.isEmpty ? "<p class=\"empty\">None.</p>" : "<ul>\(run)</ul>"
            return ctx.page(title: "My bookings", body: body)
        }
    }

    // MARK: Register, evaluation, certificates

    func registerAttendance(_ web: inout WebContributions) {
        let cpd = self.cpd

        @Sendable func runnable(_ ctx: RequestContext) throws -> (SignedInMember, CPDSession) {
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            guard session.isRunBy(me.id) || me.isAdmin else {
                throw DomainError.forbidden("Only the session's facilitators can do that.")
            }
            return (me, session)
        }

        @Sendable func registerPage(_ ctx: RequestContext, _ session: CPDSession, error: String? = nil) throws
            -> HTTPResponse
        {
            let list = try cpd.bookings(sessionID: session.id)
            let booked = list.filter { $0.booking.status == .booked }
            let waiting = list.filter { $0.booking.status == .waiting }
            let rows = booked.map { item -> HTML in
                """
                <div class="field checkbox"><input type="checkbox" id="present-\(item.member.id)" name="present" value="\(item.member.id)"\(item.booking.attended == true ? HTML(" checked") : HTML.empty)> <label for="present-\(item.member.id)">\(item.member.name) <span class="meta">@\(item.member.handle)</span></label></div>
                """
            }
            var body: HTML =
                "<h1>Register: \(session.title)</h1><p class=\"meta\"><a href=\"\(session.path)\">Back to the session</a></p>"
            if let error { body += "<div class=\"flash flash-error\" role=\"alert\">\(error)</div>" }
            if booked.isEmpty {
                body += "<p class=\"empty\">Nobody has booked.</p>"
            } else if ctx.now < session.startsAt {
                body +=
                    "<p>The register opens when the session starts.</p><ul>\(booked.map { item -> HTML in "<li>\(item.member.name)</li>" })</ul>"
            } else {
                body += """
                    <form method="post" action="\(session.path)/register" class="card">\(ctx.csrfField)
                    <fieldset><legend>Who attended?</legend>\(rows)</fieldset>
                    <p><button type="submit">Save the register</button></p></form>
                    """
            }
            if !waiting.isEmpty {
                body +=
                    "<h2>Waiting list</h2><ol>\(waiting.map { item -> HTML in "<li>\(item.member.name)</li>" })</ol>"
            }
            return ctx.page(title: "Register", body: body, status: error == nil ? .ok : HTTPStatus(code: 422))
        }

        web.page("GET", "/cpd/sessions/:id/register", access: .members) { ctx in
            let (_, session) = try runnable(ctx)
            return try registerPage(ctx, session)
        }

        web.page("POST", "/cpd/sessions/:id/register", access: .members) { ctx in
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

        @Sendable func ratingSelect(_ form: FormKit, _ name: String, _ label: String, hint: String? = nil)
            -> HTML
        {
            form.select(
                name, label: label, options: (1...5).map { (String($0), String($0)) }, required: true,
                hint: hint)
        }

        @Sendable func evaluatePage(
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

        web.page("GET", "/cpd/sessions/:id/evaluate", access: .members) { ctx in
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            return evaluatePage(ctx, session, form: FormKit())
        }

        web.page("POST", "/cpd/sessions/:id/evaluate", access: .members) { ctx in
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

        @Sendable func followUpPage(
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

        web.page("GET", "/cpd/sessions/:id/follow-up", access: .members) { ctx in
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            return followUpPage(ctx, session, form: FormKit())
        }

        web.page("POST", "/cpd/sessions/:id/follow-up", access: .members) { ctx in
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

        web.page("GET", "/cpd/sessions/:id/evaluations", access: .members) { ctx in
            let (me, session) = try runnable(ctx)
            let summary = try cpd.evaluationSummary(sessionID: session.id, by: me)
            let bars = summary.distribution.enumerated().map { index, count -> HTML in
                "<tr><th scope=\"row\">\(index + 1)</th><td>\(count)</td></tr>"
            }
            let body: HTML = """
                <h1>Evaluations: \(session.title)</h1><p class="meta"><a href="\(session.path)">Back to the session</a></p>
                <p>\(summary.responses) responses; average rating \(Self.average(summary.averageRating)) out of 5.</p>
                <table><thead><tr><th>Rating</th><th>Responses</th></tr></thead><tbody>\(bars)</tbody></table>
                <h2>What people will change</h2>
                \(summary.changes.isEmpty ? HTML("<p class=\"empty\">Nothing yet.</p>") : "<ul>\(summary.changes.map { item -> HTML in "<li>\(item)</li>" })</ul>")
                <h2>Impact, weeks later</h2>
                <p>\(summary.followUps) follow-ups. Averages out of 5 — reaction \(Self.average(summary.averageReaction)), learning \(Self.average(summary.averageLearning)), use in practice \(Self.average(summary.averagePractice)), pupil outcomes \(Self.average(summary.averageOutcomes)).</p>
                \(summary.impactComments.isEmpty ? HTML.empty : "<ul>\(summary.impactComments.map { item -> HTML in "<li>\(item)</li>" })</ul>")
                """
            return ctx.page(title: "Evaluations", body: body)
        }

        web.page("GET", "/cpd/sessions/:id/certificate", access: .members) { ctx in
            let me = try ctx.requireMember()
            let sessionID = try ctx.idParameter("id")
            var memberID = me.id
            if let handle = ctx.query("member"), me.isAdmin {
                guard let member = try cpd.membership.member(handle: handle) else { throw DomainError.notFound }
                memberID = member.id
            }
            let certificate = try cpd.certificate(sessionID: sessionID, memberID: memberID, actor: me)
            let session = certificate.session
            let facilitators = certificate.facilitators.map {
                $0.status == .deleted ? Member.formerMemberName : $0.name
            }
            let assertionURL = cpd.services.link(certificate.assertion.path)
            let body: HTML = """
                <article class="card certificate">
                <p class="meta">\(ctx.services.config.networkName)</p>
                <h1>Certificate of attendance</h1>
                <p>This certifies that</p>
                <p><strong>\(certificate.member.name)</strong></p>
                <p>attended the CPD session</p>
                <p><strong>\(session.title)</strong></p>
                <dl>
                <dt>Date</dt><dd>\(CPDService.format(session.startsAt, of: session, style: .long))</dd>
                <dt>Hours</dt><dd>\(Hours.text(minutes: session.durationMinutes))</dd>
                <dt>Facilitated by</dt><dd>\(facilitators.joined(separator: ", "))</dd>
                \(session.hostSchool.isEmpty ? HTML.empty : "<dt>Hosted by</dt><dd>\(session.hostSchool)</dd>")
                <dt>Issued by</dt><dd>\(ctx.services.config.networkName)</dd>
                </dl>
                <p class="small">Verify this certificate (Open Badges 2.0): <a href="\(url: assertionURL)">\(assertionURL)</a></p>
                </article>
                <p class="no-print"><a href="\(session.path)">Back to the session</a> · Use your browser's Print command to print it.</p>
                """
            return ctx.page(title: "Certificate: \(session.title)", body: body, sidebar: false)
        }
    }

    // MARK: Personal record

    func recordForm(_ ctx: RequestContext, form: FormKit) -> HTML {
        return """
            <form method="post" action="/cpd/record/new" class="card" novalidate>\(ctx.csrfField)\(form.summary)
            \(form.input("title", label: "Title", required: true, maxLength: 200))
            \(form.input("date", label: "Date", type: "date", required: true))
            \(form.input("hours", label: "Hours", type: "text", required: true, hint: "e.g. 1.5"))
            \(form.select("kind", label: "Kind", options: RecordKind.allCases.map { ($0.rawValue, $0.label) }, required: true))
            \(form.select("pupil_focus", label: "Focus on pupils", options: PupilFocus.allCases.map { ($0.rawValue, $0.label) }, required: true))
            \(form.input("standard", label: "Teachers' Standard or objective it serves", hint: "e.g. " + CPDService.teachersStandards.prefix(3).joined(separator: "; ") + " … or your own objective"))
            \(form.input("evidence_url", label: "Evidence link", type: "url", hint: "A link to notes, a resource or a certificate (https://…)."))
            \(form.textarea("reflection", label: "Reflection", maxLength: 10000))
            <p><button type="submit">Add to my record</button></p></form>
            """
    }

    func recordTable(_ entries: [RecordEntry], withActions: Bool, ctx: RequestContext) -> HTML {
        let rows = entries.map { entry -> HTML in
            var title: HTML =
                entry.sessionID.map { "<a href=\"/cpd/sessions/\($0)\">\(entry.title)</a>" }
                ?? "\(entry.title)"
            if !entry.evidenceURL.isEmpty {
                title += " <a href=\"\(url: entry.evidenceURL)\" rel=\"nofollow noopener\">evidence</a>"
            }
            var details: HTML = ""
            if !entry.reflection.isEmpty {
                details += "<p><strong>Reflection:</strong> \(entry.reflection)</p>"
            }
            if !entry.impact.isEmpty { details += "<p><strong>Impact:</strong> \(entry.impact)</p>" }
            let action: HTML =
                withActions
                ? "<td><a href=\"/cpd/record/\(entry.id)/impact\">\(entry.impact.isEmpty ? "Add impact" : "Edit impact")</a></td>"
                : ""
            return """
                <tr><td>\(CPDService.isoDay(entry.date, zone: cpd.defaultTimeZone))</td><td>\(title)\(details)</td><td>\(Hours.text(minutes: entry.minutes))</td><td>\(entry.kind.label)</td><td>\(entry.pupilFocus.rawValue)</td><td>\(entry.standard)</td>\(action)</tr>
                """
        }
        let actionHead: HTML = withActions ? "<th>Follow-up</th>" : ""
        return """
            <table><thead><tr><th>Date</th><th>Activity</th><th>Hours</th><th>Kind</th><th>Pupil focus</th><th>Standard or objective</th>\(actionHead)</tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    func registerRecord(_ web: inout WebContributions) {
        let cpd = self.cpd

        web.page("GET", "/cpd/record", access: .members) { ctx in
            let me = try ctx.requireMember()
            var cursor: (Date, Int64)?
            if let before = ctx.query("before") {
                let parts = before.split(separator: "_").compactMap { Int64($0) }
                if parts.count == 2 {
                    cursor = (Date(timeIntervalSince1970: Double(parts[0]) / 1000), parts[1])
                }
            }
            let pageSize = 50
            let entries = try cpd.record(of: me.id, limit: pageSize + 1, before: cursor)
            let shown = Array(entries.prefix(pageSize))
            let total = try cpd.totalMinutes(of: me.id)
            var body: HTML = """
                \(Self.subnav(ctx))<h1>My CPD record</h1>
                <p><strong>\(Hours.text(minutes: total)) hours</strong> in total.</p>
                <p><a class="button" href="/cpd/record/new">Add an entry</a> <a href="/cpd/record.csv">Download as CSV</a> · <a href="/cpd/record/print">Printable version</a></p>
                """
            body +=
                shown.isEmpty
                ? "<p class=\"empty\">Nothing recorded yet.</p>"
                : recordTable(shown, withActions: true, ctx: ctx)
            if entries.count > pageSize, let last = shown.last {
                body +=
                    Pager.next("/cpd/record?before=\(Int64((last.date.timeIntervalSince1970 * 1000).rounded()))_\(last.id)", "Older entries")
            }
            return ctx.page(title: "My CPD record", body: body)
        }

        web.page("GET", "/cpd/record/new", access: .members) { ctx in
            _ = try ctx.requireMember()
            let today = CPDService.isoDay(ctx.now, zone: cpd.defaultTimeZone)
            return ctx.page(
                title: "Add to my CPD record",
                body:
                    "<h1>Add to my CPD record</h1>\(recordForm(ctx, form: FormKit(values: ["date": today])))")
        }

        web.page("POST", "/cpd/record/new", access: .members) { ctx in
            let me = try ctx.requireMember()
            let form = try ctx.form()
            do {
                _ = try cpd.addEntry(
                    memberID: me.id,
                    RecordInput(
                        title: form["title"] ?? "", date: form["date"] ?? "", hours: form["hours"] ?? "",
                        kind: form["kind"] ?? "", pupilFocus: form["pupil_focus"] ?? "",
                        standard: form["standard"] ?? "",
                        evidenceURL: form["evidence_url"] ?? "", reflection: form["reflection"] ?? ""))
            } catch DomainError.invalid(let errors) {
                return ctx.page(
                    title: "Add to my CPD record",
                    body:
                        "<h1>Add to my CPD record</h1>\(recordForm(ctx, form: FormKit(form: form, errors: errors)))",
                    status: HTTPStatus(code: 422))
            }
            return ctx.redirect(to: "/cpd/record", flash: "Added to your record.")
        }

        @Sendable func impactPage(
            _ ctx: RequestContext, _ entry: RecordEntry, form: FormKit, status: HTTPStatus = .ok
        ) -> HTTPResponse {
            ctx.page(
                title: "Impact",
                body: """
                    <h1>Impact: \(entry.title)</h1>
                    <form method="post" action="/cpd/record/\(entry.id)/impact" class="card">\(ctx.csrfField)\(form.summary)
                    \(form.textarea("impact", label: "What has changed since, for you and your pupils?", required: true, value: entry.impact, maxLength: 10000))
                    <p><button type="submit">Save</button></p></form>
                    \(entry.sessionID == nil ? HTML("<form method=\"post\" action=\"/cpd/record/\(entry.id)/delete\" data-confirm=\"Delete this entry?\">\(ctx.csrfField)<button type=\"submit\" class=\"danger\">Delete this entry</button></form>") : HTML.empty)
                    """, status: status)
        }

        web.page("GET", "/cpd/record/:id/impact", access: .members) { ctx in
            let me = try ctx.requireMember()
            guard let entry = try cpd.entry(id: try ctx.idParameter("id"), memberID: me.id) else {
                throw DomainError.notFound
            }
            return impactPage(ctx, entry, form: FormKit())
        }

        web.page("POST", "/cpd/record/:id/impact", access: .members) { ctx in
            let me = try ctx.requireMember()
            guard let entry = try cpd.entry(id: try ctx.idParameter("id"), memberID: me.id) else {
                throw DomainError.notFound
            }
            let form = try ctx.form()
            do {
                try cpd.recordImpact(entryID: entry.id, memberID: me.id, impact: form["impact"] ?? "")
            } catch DomainError.invalid(let errors) {
                return impactPage(
                    ctx, entry, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
            return ctx.redirect(to: "/cpd/record", flash: "Impact saved.")
        }

        web.page("POST", "/cpd/record/:id/delete", access: .members) { ctx in
            let me = try ctx.requireMember()
            try cpd.deleteEntry(entryID: try ctx.idParameter("id"), memberID: me.id)
            return ctx.redirect(to: "/cpd/record", flash: "Entry deleted.")
        }

        web.page("GET", "/cpd/record.csv", access: .members) { ctx in
            let me = try ctx.requireMember()
            var response = HTTPResponse.bytes(
                Array(try cpd.recordCSV(of: me.id).utf8), contentType: "text/csv; charset=utf-8")
            response.headers.add(
                "Content-Disposition", "attachment; filename=\"cpd-record-\(me.handle).csv\"")
            return ctx.respond(response)
        }

        web.page("GET", "/cpd/record/print", access: .members) { ctx in
            let me = try ctx.requireMember()
            let entries = try cpd.fullRecord(of: me.id)
            let total = try cpd.totalMinutes(of: me.id)
            let body: HTML = """
                <article class="card record-print">
                <p class="meta">\(ctx.services.config.networkName)</p>
                <h1>CPD record: \(me.name)</h1>
                <p>\(entries.count) entries, \(Hours.text(minutes: total)) hours in total. Printed \(CPDService.isoDay(ctx.now, zone: cpd.defaultTimeZone)).</p>
                \(recordTable(entries, withActions: false, ctx: ctx))
                </article>
                """
            return ctx.page(title: "CPD record: \(me.name)", body: body, sidebar: false)
        }
    }

    // MARK: Expertise

    func registerExpertise(_ web: inout WebContributions) {
        let cpd = self.cpd

        web.page("GET", "/cpd/expertise", access: .members) { ctx in
            if let area = ctx.query("area") {
                guard cpd.areas.contains(area) else { throw DomainError.notFound }
                let pageSize = 50
                var after: (String, Int64)?
                if let id = ctx.query("after").flatMap({ Int64($0) }),
                    let member = try cpd.membership.member(id: id)
                {
                    after = (member.name, member.id)
                }
                let found = try cpd.experts(
                    in: area, limit: pageSize + 1, afterName: after?.0, afterID: after?.1)
                let experts = Array(found.prefix(pageSize))
                let items = experts.map { expert -> HTML in
                    let school: HTML = expert.school.map { " <span class=\"meta\">— \($0)</span>" } ?? ""
                    let statement: HTML = expert.statement.isEmpty ? "" : "<p>\(expert.statement)</p>"
                    return
                        "<li class=\"card\"><a href=\"/members/\(expert.handle)\">\(expert.name)</a>\(school)\(statement)</li>"
                }
                var more: HTML = ""
                if found.count > pageSize, let last = experts.last {
                    more =
                        Pager.next("/cpd/expertise?area=\(PercentDecoding.encode(area))&after=\(last.memberID)", "More experts")
                }
                let body: HTML = """
                    \(Self.subnav(ctx))<h1>Experts in \(area)</h1>
                    \(items.isEmpty ? HTML("<p class=\"empty\">Nobody has tagged this area yet.</p>") : "<ul class=\"activity-list\">\(items)</ul>")
                    \(more)
                    <p><a href="/cpd/expertise">All areas</a> · <a href="/cpd?area=\(PercentDecoding.encode(area))">Sessions in \(area)</a></p>
                    """
                return ctx.page(title: "Experts in \(area)", body: body)
            }
            let counts = try cpd.expertCounts()
            let items = cpd.areas.map { area -> HTML in
                "<li><a href=\"/cpd/expertise?area=\(PercentDecoding.encode(area))\">\(area)</a> <span class=\"meta\">(\(counts[area] ?? 0))</span></li>"
            }
            return ctx.page(
                title: "Find an expert",
                body: """
                    \(Self.subnav(ctx))<h1>Find an expert</h1><ul>\(items)</ul>
                    <p><a class="button" href="/cpd/expertise/mine">Tag my expertise</a></p>
                    """)
        }

        @Sendable func minePage(
            _ ctx: RequestContext, values: [String: String], errors: [FieldError], status: HTTPStatus = .ok
        )
            -> HTTPResponse
        {
            let form = FormKit(values: values, errors: errors)
            let fields = cpd.areas.enumerated().map { index, area -> HTML in
                """
                <fieldset class="field"><legend>\(area)</legend>
                \(form.checkbox("area-\(index)", label: "I can help others with \(area)"))
                \(form.input("statement-\(index)", label: "In a sentence, what can you offer?", maxLength: 280))
                </fieldset>
                """
            }
            return ctx.page(
                title: "My expertise",
                body: """
                    <h1>My expertise</h1>
                    <form method="post" action="/cpd/expertise/mine" class="card">\(ctx.csrfField)\(form.summary)\(fields)
                    <p><button type="submit">Save</button></p></form>
                    """, status: status)
        }

        web.page("GET", "/cpd/expertise/mine", access: .members) { ctx in
            let me = try ctx.requireMember()
            var values: [String: String] = [:]
            for item in try cpd.expertise(of: me.id) {
                guard let index = cpd.areas.firstIndex(of: item.area) else { continue }
                values["area-\(index)"] = "1"
                values["statement-\(index)"] = item.statement
            }
            return minePage(ctx, values: values, errors: [])
        }

        web.page("POST", "/cpd/expertise/mine", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let form = try ctx.form()
            var entries: [String: String] = [:]
            var values: [String: String] = [:]
            for (index, area) in cpd.areas.enumerated() {
                let statement = form["statement-\(index)"] ?? ""
                values["statement-\(index)"] = statement
                if let checked = form["area-\(index)"], !checked.isEmpty {
                    entries[area] = statement
                    values["area-\(index)"] = "1"
                } else {
                    values["area-\(index)"] = ""
                }
            }
            do {
                try cpd.setExpertise(memberID: me.id, entries)
            } catch DomainError.invalid(let errors) {
                let mapped = errors.map { error -> FieldError in
                    if error.field.hasPrefix("statement-"),
                        let index = cpd.areas.firstIndex(of: String(error.field.dropFirst(10)))
                    {
                        return FieldError(field: "statement-\(index)", message: error.message)
                    }
                    return error
                }
                return minePage(ctx, values: values, errors: mapped, status: HTTPStatus(code: 422))
            }
            return ctx.redirect(to: "/cpd/expertise", flash: "Your expertise is saved.")
        }
    }

    // MARK: Calendars

    static func calendarResponse(_ text: String, _ ctx: RequestContext) -> HTTPResponse {
        var response = HTTPResponse.bytes(Array(text.utf8), contentType: "text/calendar; charset=utf-8")
        response.headers.add("Content-Disposition", "inline; filename=\"cpd.ics\"")
        return ctx.respond(response)
    }

    func registerCalendars(_ web: inout WebContributions) {
        let cpd = self.cpd

        @Sendable func calendarPage(_ ctx: RequestContext, token: String?) throws -> HTTPResponse {
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
                \(Self.subnav(ctx))<h1>Calendars</h1>
                <section class="card"><h2>The network's sessions</h2>
                <p>Subscribe in your calendar app: <a href="/cpd/calendar/network.ics">\(cpd.services.link("/cpd/calendar/network.ics"))</a></p></section>
                <section class="card"><h2>My bookings</h2>\(personal)</section>
                """
            return ctx.page(title: "Calendars", body: body)
        }

        web.page("GET", "/cpd/calendar", access: .members) { ctx in try calendarPage(ctx, token: nil) }

        web.page("POST", "/cpd/calendar/token", access: .members) { ctx in
            let me = try ctx.requireMember()
            return try calendarPage(ctx, token: try cpd.newFeedToken(memberID: me.id))
        }

        web.page("POST", "/cpd/calendar/token/revoke", access: .members) { ctx in
            let me = try ctx.requireMember()
            try cpd.revokeFeedToken(memberID: me.id)
            return ctx.redirect(to: "/cpd/calendar", flash: "Your private calendar address no longer works.")
        }

        web.page("GET", "/cpd/calendar/network.ics") { ctx in
            // Calendar apps fetch without cookies: the public feed has only whole-network sessions,
            // unless a member's own session cookie is present.
            Self.calendarResponse(try cpd.feed(viewer: ctx.viewer), ctx)
        }

        web.page("GET", "/cpd/calendar/personal/:token") { ctx in
            guard let member = try cpd.member(forFeedToken: try ctx.parameter("token")) else {
                throw DomainError.notFound
            }
            return Self.calendarResponse(try cpd.personalFeed(member: member), ctx)
        }

        web.page("GET", "/cpd/calendar/groups/:id/:token") { ctx in
            guard let member = try cpd.member(forFeedToken: try ctx.parameter("token")) else {
                throw DomainError.notFound
            }
            let groupID = try ctx.idParameter("id")
            let viewer = cpd.viewer(memberID: member.id, isModerator: member.role >= .moderator)
            return Self.calendarResponse(try cpd.feed(viewer: viewer, groupID: groupID), ctx)
        }
    }

    // MARK: Reports

    func registerReports(_ web: inout WebContributions) {
        let cpd = self.cpd

        @Sendable func range(_ ctx: RequestContext) -> (String, String, Date, Date)? {
            let defaultFrom = CPDService.isoDay(
                ctx.now.addingTimeInterval(-365 * 86_400), zone: cpd.defaultTimeZone)
            let defaultTo = CPDService.isoDay(ctx.now, zone: cpd.defaultTimeZone)
            let fromText = ctx.query("from") ?? defaultFrom
            let toText = ctx.query("to") ?? defaultTo
            guard let from = cpd.parseDay(fromText), let to = cpd.parseDay(toText) else { return nil }
            // Whole days: from the start of `from` to the end of `to`.
            return (fromText, toText, from.addingTimeInterval(-43_200), to.addingTimeInterval(43_200))
        }

        web.page("GET", "/cpd/reports", access: .members) { ctx in
            let scope = try Self.reportScope(ctx)
            var body: HTML = "\(Self.subnav(ctx))<h1>CPD reports</h1>"
            guard let (fromText, toText, from, to) = range(ctx) else {
                let form = FormKit(
                    values: ["from": ctx.query("from") ?? "", "to": ctx.query("to") ?? ""],
                    errors: [FieldError(field: "from", message: "Enter both dates as YYYY-MM-DD.")])
                body +=
                    "<form method=\"get\" action=\"/cpd/reports\" class=\"card\">\(form.summary)\(form.input("from", label: "From", type: "date"))\(form.input("to", label: "To", type: "date"))<p><button type=\"submit\">Show</button></p></form>"
                return ctx.page(title: "CPD reports", body: body, status: HTTPStatus(code: 422))
            }
            let report = try cpd.report(from: from, to: to, members: scope)
            let form = FormKit(values: ["from": fromText, "to": toText])
            let schoolRows = report.schools.map { row -> HTML in
                "<tr><td>\(row.school)</td><td>\(row.participants)</td><td>\(Hours.text(minutes: row.minutes))</td><td>\(row.sessionsOffered)</td><td>\(row.placesGiven)</td><td>\(row.placesTaken)</td></tr>"
            }
            let areaRows = report.areas.map { row -> HTML in
                "<tr><td>\(row.area)</td><td>\(row.sessions)</td><td>\(row.participants)</td><td>\(Hours.text(minutes: row.minutes))</td></tr>"
            }
            body += """
                <form method="get" action="/cpd/reports" class="card">\(form.input("from", label: "From", type: "date"))\(form.input("to", label: "To", type: "date"))<p><button type="submit">Show</button> <a href="/cpd/reports.csv?from=\(fromText)&amp;to=\(toText)">Download CSV</a></p></form>
                <h2>Per school</h2>
                <table><thead><tr><th>School</th><th>Participants</th><th>Hours</th><th>Sessions offered</th><th>Places given</th><th>Places taken</th></tr></thead><tbody>\(schoolRows)</tbody></table>
                <h2>Per area</h2>
                <table><thead><tr><th>Area</th><th>Sessions</th><th>Participants</th><th>Hours</th></tr></thead><tbody>\(areaRows)</tbody></table>
                """
            return ctx.page(title: "CPD reports", body: body)
        }

        web.page("GET", "/cpd/reports.csv", access: .members) { ctx in
            let scope = try Self.reportScope(ctx)
            guard let (fromText, toText, from, to) = range(ctx) else {
                throw WebError.badRequest("Give from and to as YYYY-MM-DD.")
            }
            let report = try cpd.report(from: from, to: to, members: scope)
            var response = HTTPResponse.bytes(
                Array(CPDService.reportCSV(report).utf8), contentType: "text/csv; charset=utf-8")
            response.headers.add(
                "Content-Disposition", "attachment; filename=\"cpd-report-\(fromText)-\(toText).csv\"")
            return ctx.respond(response)
        }
    }

    // MARK: Open Badges

    static func ldJSON(_ value: JSONValue, status: HTTPStatus = .ok, _ ctx: RequestContext) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(value.jsonText(pretty: true).utf8))
        response.headers.add("Content-Type", "application/ld+json")
        response.headers.add("Access-Control-Allow-Origin", "*")
        return ctx.respond(response)
    }

    func registerBadges(_ web: inout WebContributions) {
        let cpd = self.cpd

        web.api(
            "GET", "/cpd/badges/assertions/:uid",
            operation: [
                "summary": "A hosted Open Badges 2.0 Assertion of attendance.",
                "operationId": "getCPDBadgeAssertion",
                "parameters": [
                    ["name": "uid", "in": "path", "required": true, "schema": ["type": "string"]]
                ],
                "responses": [
                    "200": ["description": "The Assertion (JSON-LD)."], "410": ["description": "Revoked."],
                ],
            ]
        ) { ctx in
            guard let assertion = try cpd.assertion(uid: try ctx.parameter("uid")),
                let session = try cpd.session(id: assertion.sessionID)
            else { throw DomainError.notFound }
            if assertion.revokedAt != nil {
                return Self.ldJSON(
                    .object([
                        ("@context", "https://w3id.org/openbadges/v2"), ("type", "Assertion"),
                        ("id", .string(cpd.services.link(assertion.path))), ("revoked", true),
                        ("revocationReason", .string(assertion.revocationReason)),
                    ]), status: HTTPStatus(code: 410), ctx)
            }
            return Self.ldJSON(cpd.assertionJSON(assertion, session: session), ctx)
        }

        web.api(
            "GET", "/cpd/badges/classes/:token",
            operation: [
                "summary": "The Open Badges BadgeClass of one session.", "operationId": "getCPDBadgeClass",
                "parameters": [
                    ["name": "token", "in": "path", "required": true, "schema": ["type": "string"]]
                ],
                "responses": ["200": ["description": "The BadgeClass (JSON-LD)."]],
            ]
        ) { ctx in
            let token = try ctx.parameter("token")
            guard
                let id = try cpd.database.read({ db in
                    try db.scalar(
                        "SELECT id FROM cpd_sessions WHERE badge_token = ?", [token], as: Int64.self)
                }), let session = try cpd.session(id: id)
            else { throw DomainError.notFound }
            return Self.ldJSON(cpd.badgeClassJSON(session), ctx)
        }

        web.api(
            "GET", "/cpd/badges/issuer",
            operation: [
                "summary": "The network as an Open Badges Issuer.", "operationId": "getCPDBadgeIssuer",
                "responses": ["200": ["description": "The Issuer Profile (JSON-LD)."]],
            ]
        ) { ctx in Self.ldJSON(cpd.issuerJSON(), ctx) }

        web.page("GET", "/cpd/badges/image.svg") { ctx in
            var response = HTTPResponse.bytes(
                Array(CPDService.badgeImageSVG.utf8), contentType: "image/svg+xml")
            response.headers.add("Cache-Control", "public, max-age=86400")
            return ctx.respond(response)
        }
    }
}
