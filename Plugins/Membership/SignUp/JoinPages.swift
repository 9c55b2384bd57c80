import Foundation
import HTTP
import Kernel

/// Joining: the form, the mail that confirms the address, and finishing.
///
/// ```swift
/// JoinPages(membership: membership).register(&web)   // /join, /join/sent, /join/confirm/:token
/// ```
struct JoinPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let join = self
        web.pages("/join") { pages in
            pages.get("", use: join.form)
            pages.post("", use: join.join)
            pages.get("/sent", use: join.sent)
            pages.get("/confirm/:token", use: join.confirmation)
            pages.post("/confirm/:token", use: join.confirm)
        }
    }

    func form(_ ctx: RequestContext) throws -> HTTPResponse {
        if ctx.member != nil { return ctx.redirect(to: "/") }
        return joinPage(ctx, form: FormKit(values: ["invitation": ctx.query("invite") ?? ""]))
    }

    func join(_ ctx: RequestContext) throws -> HTTPResponse {
        let form = try ctx.form()
        // A honeypot: people never see this field; form-filling robots do, and fill it.
        if !(form["website"] ?? "").isEmpty {
            return joinPage(
                ctx,
                form: FormKit(
                    form: form,
                    errors: [
                        FieldError(
                            field: "name",
                            message:
                                "We could not create this account. If you are a person, please try again.")
                    ]),
                status: HTTPStatus(code: 422))
        }
        var answers: [String: String] = [:]
        for question in membership.questions {
            answers[question.id] = form.values("answer-\(question.id)").joined(separator: "\n")
        }
        do {
            try membership.requestSignUp(
                .init(
                    name: form["name"] ?? "", email: form["email"] ?? "", password: form["password"] ?? "",
                    handle: form["handle"], acceptsTerms: form["terms"] == "1", answers: answers,
                    invitationCode: form["invitation"]))
            // The same answer whether the address is new or a member's already.
            return ctx.redirect(to: "/join/sent")
        } catch DomainError.invalid(let errors) {
            return joinPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func sent(_ ctx: RequestContext) throws -> HTTPResponse {
        ctx.page(
            title: "Check your mail",
            body: """
                <h1>Check your mail</h1>
                <div class="card"><p>We have sent a message to the address you gave. Open the link in it to finish joining \(ctx.shell.networkName); it works for a day.</p>
                <p>Nothing there after a few minutes? Look in your spam folder, or <a href="/join">try again</a>.</p></div>
                """)
    }

    func confirmation(_ ctx: RequestContext) throws -> HTTPResponse {
        let token = try ctx.parameter("token")
        guard try membership.isLiveSignUpToken(token) else { return expiredJoinLink(ctx) }
        // A button rather than joining on GET: mail scanners open links before people do.
        return ctx.page(
            title: "Finish joining",
            body: """
                <h1>Finish joining \(ctx.shell.networkName)</h1>
                <form method="post" action="/join/confirm/\(token)" class="card">\(ctx.csrfField)
                <p>Your address is confirmed. One last step:</p>
                <p><button type="submit">Finish joining</button></p></form>
                """)
    }

    func confirm(_ ctx: RequestContext) throws -> HTTPResponse {
        let token = try ctx.parameter("token")
        guard try membership.isLiveSignUpToken(token) else { return expiredJoinLink(ctx) }
        let member = try membership.confirmSignUp(token: token)
        let session = try membership.startSession(
            for: member, userAgent: ctx.request.headers["User-Agent"] ?? "",
            address: ctx.request.remoteAddress)
        ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
        let message =
            member.status == .pending
            ? "Welcome! An administrator will approve your membership soon. Until then you can look around."
            : "Welcome to \(ctx.shell.networkName), \(member.name)!"
        return ctx.redirect(to: member.profilePath, flash: message)
    }

    func expiredJoinLink(_ ctx: RequestContext) -> HTTPResponse {
        ctx.page(
            title: "Link expired",
            body:
                "<h1>This link has expired</h1><p>A link to finish joining works once, for a day. <a href=\"/join\">Join again</a> to get a new one, or <a href=\"/sign-in\">sign in</a> if you have joined already.</p>",
            status: HTTPStatus(code: 410))
    }

    func joinPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        var questionFields: [HTML] = []
        for question in membership.questions {
            let name = "answer-\(question.id)"
            switch question.kind {
            case .choice:
                questionFields.append(
                    form.select(
                        name, label: question.label, options: question.options.map { ($0, $0) },
                        required: question.required))
            case .multiple:
                questionFields.append(
                    form.checkboxes(name, legend: question.label, options: question.options))
            case .url:
                questionFields.append(
                    form.input(name, label: question.label, type: "url", required: question.required))
            case .text:
                questionFields.append(form.input(name, label: question.label, required: question.required))
            }
        }
        let invitationNote: HTML
        switch membership.signupMode {
        case "invite":
            invitationNote =
                "<p class=\"hint\">This network is by invitation only.</p>\(form.error("invitation").map { m -> HTML in "<p class=\"field-error\" id=\"field-invitation\">\(m)</p>" } ?? HTML.empty)"
        case "approval":
            invitationNote =
                "<p class=\"hint\">An administrator approves new members. You can look around while you wait.</p>"
        default: invitationNote = ""
        }
        let body: HTML = """
            <h1>Join \(ctx.shell.networkName)</h1>
            \(invitationNote)
            \(form.summary)
            <form method="post" action="/join" class="card" novalidate>
            \(ctx.csrfField)
            <input type="hidden" name="invitation" value="\(form.values["invitation"] ?? "")">
            \(form.input("name", label: "Your name", required: true, autocomplete: "name", maxLength: 80))
            \(form.input("email", label: "Email address", type: "email", required: true, hint: "Your school address is best. Other members do not see it.", autocomplete: "email"))
            \(form.input("password", label: "Password", type: "password", required: true, hint: "At least 10 characters. A short sentence is easy to remember and hard to guess.", autocomplete: "new-password"))
            \(form.input("handle", label: "Handle (optional)", hint: "Your address on the network, like /members/jo-smith. Leave empty and we make one from your name.", autocomplete: "username", maxLength: 30))
            \(questionFields)
            \(form.checkbox("terms", label: "I accept the <a href=\"/terms\">Terms of Service</a>"))
            <div class="visually-hidden"><label for="field-website">Leave this field empty (it catches spam robots)</label><input type="text" id="field-website" name="website" tabindex="-1" autocomplete="off"></div>
            <p><button type="submit">Join</button></p>
            </form>
            <p>Already a member? <a href="/sign-in">Sign in</a>.</p>
            """
        return ctx.page(title: "Join", body: body, status: status)
    }
}
