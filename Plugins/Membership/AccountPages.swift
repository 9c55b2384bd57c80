import Foundation
import HTTP
import Kernel
import Markdown

/// Joining, signing in and out, password reset, account settings, data export and deletion.
struct AccountPages {
    let membership: MembershipService
    let context: ModuleContext

    func register(_ web: inout WebContributions) {
        let membership = self.membership
        let hooks: @Sendable () -> [PersonalDataHooks] = { [context] in context.personalDataHooks }

        web.page("GET", "/join") { ctx in
            if ctx.member != nil { return ctx.redirect(to: "/") }
            return joinPage(ctx, form: FormKit(values: ["invitation": ctx.query("invite") ?? ""]))
        }
        web.page("POST", "/join") { ctx in
            let form = try ctx.form()
            // A honeypot: people never see this field; form-filling robots do, and fill it.
            if !(form["website"] ?? "").isEmpty {
                return joinPage(
                    ctx, form: FormKit(form: form, errors: [FieldError(field: "name", message: "We could not create this account. If you are a person, please try again.")]),
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
        web.page("GET", "/join/sent") { ctx in
            ctx.page(title: "Check your mail", body: """
                <h1>Check your mail</h1>
                <div class="card"><p>We have sent a message to the address you gave. Open the link in it to finish joining \(ctx.shell.networkName); it works for a day.</p>
                <p>Nothing there after a few minutes? Look in your spam folder, or <a href="/join">try again</a>.</p></div>
                """)
        }
        web.page("GET", "/join/confirm/:token") { ctx in
            let token = try ctx.parameter("token")
            guard try membership.isLiveSignUpToken(token) else { return expiredJoinLink(ctx) }
            // A button rather than joining on GET: mail scanners open links before people do.
            return ctx.page(title: "Finish joining", body: """
                <h1>Finish joining \(ctx.shell.networkName)</h1>
                <form method="post" action="/join/confirm/\(token)" class="card">\(ctx.csrfField)
                <p>Your address is confirmed. One last step:</p>
                <p><button type="submit">Finish joining</button></p></form>
                """)
        }
        web.page("POST", "/join/confirm/:token") { ctx in
            let token = try ctx.parameter("token")
            guard try membership.isLiveSignUpToken(token) else { return expiredJoinLink(ctx) }
            let member = try membership.confirmSignUp(token: token)
            let session = try membership.startSession(
                for: member, userAgent: ctx.request.headers["User-Agent"] ?? "", address: ctx.request.remoteAddress)
            ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
            let message = member.status == .pending
                ? "Welcome! An administrator will approve your membership soon. Until then you can look around."
                : "Welcome to \(ctx.shell.networkName), \(member.name)!"
            return ctx.redirect(to: member.profilePath, flash: message)
        }

        web.page("GET", "/sign-in") { ctx in
            if ctx.member != nil { return ctx.redirect(to: "/") }
            return signInPage(ctx, form: FormKit(values: ["next": RedirectTarget.sameSitePath(ctx.query("next")) ?? ""]))
        }
        web.page("POST", "/sign-in") { ctx in
            let form = try ctx.form()
            let next = RedirectTarget.sameSitePath(form["next"])
            do {
                let member = try membership.signIn(
                    login: form["login"] ?? "", password: form["password"] ?? "", address: ctx.request.remoteAddress)
                let session = try membership.startSession(
                    for: member, userAgent: ctx.request.headers["User-Agent"] ?? "", address: ctx.request.remoteAddress)
                ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
                if try membership.needsTermsAcceptance(memberID: member.id) {
                    let after = PercentDecoding.encode(next ?? "/")
                    return ctx.redirect(to: "/terms/accept?next=\(after)", flash: "The Terms of Service have changed. Please read and accept them.", kind: .info)
                }
                return ctx.redirect(to: next ?? "/", flash: "Signed in. Welcome back, \(member.name).")
            } catch let failure as MembershipService.SignInFailure {
                let message: String
                var status = HTTPStatus(code: 401)
                switch failure {
                case .invalid: message = "That email or handle and password do not match. Check them and try again."
                case .throttled(let minutes):
                    message = "Too many attempts. For your safety, wait \(minutes) minutes and try again, or reset your password."
                    status = HTTPStatus(code: 429)
                case .suspended: message = "This account is suspended. Contact the network's administrators."
                    status = HTTPStatus(code: 403)
                }
                return signInPage(ctx, form: FormKit(form: form, errors: [FieldError(field: "login", message: message)]), status: status)
            }
        }
        web.page("GET", "/terms/accept", access: .members) { ctx in termsPage(ctx, form: FormKit(values: ["next": RedirectTarget.sameSitePath(ctx.query("next")) ?? "/"])) }
        web.page("POST", "/terms/accept", access: .members) { ctx in
            let me = try ctx.requireMember()
            let form = try ctx.form()
            guard form["terms"] == "1" else {
                return termsPage(ctx, form: FormKit(form: form, errors: [FieldError(field: "terms", message: "Tick the box to accept the Terms of Service.")]), status: HTTPStatus(code: 422))
            }
            try membership.acceptTerms(memberID: me.id)
            return ctx.redirect(to: RedirectTarget.sameSitePath(form["next"]) ?? "/", flash: "Thank you. You have accepted the current Terms of Service.")
        }
        web.page("POST", "/sign-out") { ctx in
            if let token = ctx.request.cookies[MembershipService.sessionCookie] { try membership.endSession(token: token) }
            ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
            return ctx.redirect(to: "/", flash: "You have signed out.", kind: .info)
        }
        web.page("POST", "/account/sign-out-everywhere", access: .members) { ctx in
            let member = try ctx.requireMember()
            try membership.endAllSessions(memberID: member.id)
            ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
            return ctx.redirect(to: "/sign-in", flash: "You have been signed out on every device.", kind: .info)
        }

        web.page("GET", "/password/forgot") { ctx in forgotPage(ctx, form: FormKit()) }
        web.page("POST", "/password/forgot") { ctx in
            let form = try ctx.form()
            let email = form["email"] ?? ""
            if EmailAddress.normalise(email) == nil {
                return forgotPage(ctx, form: FormKit(form: form, errors: [FieldError(field: "email", message: "Enter the email address you joined with.")]), status: HTTPStatus(code: 422))
            }
            try membership.requestPasswordReset(email: email)
            return ctx.redirect(to: "/sign-in", flash: "If that address belongs to a member, we have sent a link to reset the password. It works for an hour.", kind: .info)
        }
        web.page("GET", "/password/reset/:token") { ctx in
            let token = try ctx.parameter("token")
            guard try membership.isLiveResetToken(token) else {
                return ctx.page(title: "Link expired", body: "<h1>This link has expired</h1><p>Reset links work once, for an hour. <a href=\"/password/forgot\">Ask for a new one</a>.</p>", status: HTTPStatus(code: 410))
            }
            return resetPage(ctx, token: token, form: FormKit())
        }
        web.page("POST", "/password/reset/:token") { ctx in
            let token = try ctx.parameter("token")
            let form = try ctx.form()
            do {
                try membership.resetPassword(token: token, newPassword: form["password"] ?? "")
                return ctx.redirect(
                    to: "/sign-in",
                    flash: "Your password has been changed. You have been signed out on every device and your API tokens no longer work. Sign in with the new password.")
            } catch DomainError.invalid(let errors) {
                return resetPage(ctx, token: token, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }

        web.page("GET", "/account", access: .members) { ctx in accountPage(ctx, form: FormKit()) }
        web.page("POST", "/account/password", access: .members) { ctx in
            let member = try ctx.requireMember()
            let form = try ctx.form()
            do {
                let session = try membership.changePassword(
                    memberID: member.id, current: form["current_password"] ?? "", new: form["new_password"] ?? "",
                    userAgent: ctx.request.headers["User-Agent"] ?? "", address: ctx.request.remoteAddress)
                ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
                return ctx.redirect(
                    to: "/account",
                    flash: "Your password has been changed. Every other device has been signed out and your API tokens no longer work; this device stays signed in.")
            } catch DomainError.invalid(let errors) {
                return accountPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }
        web.page("POST", "/account/email", access: .members) { ctx in
            let member = try ctx.requireMember()
            let form = try ctx.form()
            do {
                try membership.requestEmailChange(memberID: member.id, password: form["email_password"] ?? "", newEmail: form["new_email"] ?? "")
                return ctx.redirect(to: "/account", flash: "We have sent a confirmation link to the new address. Your address changes when you open it.", kind: .info)
            } catch DomainError.invalid(let errors) {
                return accountPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }
        web.page("GET", "/account/email/:token") { ctx in
            let member = try membership.confirmEmailChange(token: try ctx.parameter("token"))
            return ctx.redirect(to: ctx.member == nil ? "/sign-in" : "/account", flash: "Your email address is now \(member.email).")
        }
        web.page("GET", "/account/export", access: .members) { ctx in
            let member = try ctx.requireMember()
            let data = try membership.exportAll(memberID: member.id, hooks: hooks())
            var response = HTTPResponse(status: .ok, body: Array(data.jsonText(pretty: true).utf8))
            response.headers.add("Content-Type", "application/json; charset=utf-8")
            response.headers.add("Content-Disposition", "attachment; filename=\"\(member.handle)-data.json\"")
            return ctx.respond(response)
        }
        web.page("GET", "/account/delete", access: .members) { ctx in deletePage(ctx, form: FormKit()) }
        web.page("POST", "/account/delete", access: .members) { ctx in
            let signedIn = try ctx.requireMember()
            let form = try ctx.form()
            guard form["confirm"] == signedIn.handle else {
                return deletePage(ctx, form: FormKit(form: form, errors: [FieldError(field: "confirm", message: "Type your handle, \(signedIn.handle), to confirm.")]), status: HTTPStatus(code: 422))
            }
            try membership.deleteAccount(memberID: signedIn.id, hooks: hooks())
            ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
            return ctx.redirect(to: "/", flash: "Your account has been deleted. Thank you for being part of the network.", kind: .info)
        }
    }

    func expiredJoinLink(_ ctx: RequestContext) -> HTTPResponse {
        ctx.page(
            title: "Link expired",
            body: "<h1>This link has expired</h1><p>A link to finish joining works once, for a day. <a href=\"/join\">Join again</a> to get a new one, or <a href=\"/sign-in\">sign in</a> if you have joined already.</p>",
            status: HTTPStatus(code: 410))
    }

    func joinPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        var questionFields: [HTML] = []
        for question in membership.questions {
            let name = "answer-\(question.id)"
            switch question.kind {
            case .choice:
                questionFields.append(form.select(name, label: question.label, options: question.options.map { ($0, $0) }, required: question.required))
            case .multiple:
                questionFields.append(form.checkboxes(name, legend: question.label, options: question.options))
            case .url:
                questionFields.append(form.input(name, label: question.label, type: "url", required: question.required))
            case .text:
                questionFields.append(form.input(name, label: question.label, required: question.required))
            }
        }
        let invitationNote: HTML
        switch membership.signupMode {
        case "invite": invitationNote = "<p class=\"hint\">This network is by invitation only.</p>\(form.error("invitation").map { m -> HTML in "<p class=\"field-error\" id=\"field-invitation\">\(m)</p>" } ?? HTML.empty)"
        case "approval": invitationNote = "<p class=\"hint\">An administrator approves new members. You can look around while you wait.</p>"
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

    func termsPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        let terms = Markdown.html(ctx.services.config.string("network", "terms_of_service"))
        return ctx.page(title: "Terms of Service", body: """
            <h1>The Terms of Service have changed</h1>
            \(form.summary)
            <div class="card prose">\(HTML(trustedRenderer: terms))</div>
            <form method="post" action="/terms/accept" class="card">\(ctx.csrfField)
            <input type="hidden" name="next" value="\(form.values["next"] ?? "/")">
            \(form.checkbox("terms", label: "I accept these Terms of Service"))
            <p><button type="submit">Continue</button></p></form>
            """, status: status)
    }

    func signInPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        let body: HTML = """
            <h1>Sign in</h1>
            \(form.summary)
            <form method="post" action="/sign-in" class="card">
            \(ctx.csrfField)
            <input type="hidden" name="next" value="\(form.values["next"] ?? "")">
            \(form.input("login", label: "Email or handle", required: true, autocomplete: "username"))
            \(form.input("password", label: "Password", type: "password", required: true, autocomplete: "current-password"))
            <p><button type="submit">Sign in</button></p>
            <p><a href="/password/forgot">Forgotten your password?</a></p>
            </form>
            <p>New here? <a href="/join">Join \(ctx.shell.networkName)</a>.</p>
            """
        return ctx.page(title: "Sign in", body: body, status: status)
    }

    func forgotPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        ctx.page(title: "Reset your password", body: """
            <h1>Reset your password</h1>
            \(form.summary)
            <form method="post" action="/password/forgot" class="card">\(ctx.csrfField)
            \(form.input("email", label: "Email address", type: "email", required: true, hint: "We will send a link that lets you choose a new password.", autocomplete: "email"))
            <p><button type="submit">Send the link</button></p></form>
            """, status: status)
    }

    func resetPage(_ ctx: RequestContext, token: String, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        ctx.page(title: "Choose a new password", body: """
            <h1>Choose a new password</h1>
            \(form.summary)
            <form method="post" action="/password/reset/\(token)" class="card">\(ctx.csrfField)
            \(form.input("password", label: "New password", type: "password", required: true, hint: "At least 10 characters.", autocomplete: "new-password"))
            <p><button type="submit">Change my password</button></p></form>
            """, status: status)
    }

    func accountPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        ctx.page(title: "Account settings", body: """
            <h1>Account settings</h1>
            \(form.summary)
            <section class="card"><h2>Change your password</h2>
            <form method="post" action="/account/password">\(ctx.csrfField)
            \(form.input("current_password", label: "Current password", type: "password", required: true, autocomplete: "current-password"))
            \(form.input("new_password", label: "New password", type: "password", required: true, hint: "At least 10 characters.", autocomplete: "new-password"))
            <p><button type="submit">Change password</button></p></form></section>
            <section class="card"><h2>Change your email address</h2>
            <form method="post" action="/account/email">\(ctx.csrfField)
            \(form.input("new_email", label: "New email address", type: "email", required: true, autocomplete: "email"))
            \(form.input("email_password", label: "Your password", type: "password", required: true, autocomplete: "current-password"))
            <p><button type="submit">Send a confirmation link</button></p></form></section>
            <section class="card"><h2>Devices</h2>
            <form method="post" action="/account/sign-out-everywhere">\(ctx.csrfField)<p>Signed in on a shared computer? Sign out on every device, this one included.</p><button type="submit" class="secondary">Sign out everywhere</button></form></section>
            <section class="card"><h2>Your data</h2>
            <p><a class="button secondary" href="/account/export">Download my data</a> <a href="/account/delete">Delete my account</a></p></section>
            """, status: status)
    }

    func deletePage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        let handle = ctx.member?.handle ?? ""
        return ctx.page(title: "Delete your account", body: """
            <h1>Delete your account</h1>
            \(form.summary)
            <div class="card"><p>Your profile, statuses, friendships and personal details are erased. What you wrote in other members' conversations stays readable, attributed to “\(Member.formerMemberName)”. This cannot be undone: <a href="/account/export">download your data</a> first if you want a copy.</p>
            <form method="post" action="/account/delete" data-confirm="Delete your account for good?">\(ctx.csrfField)
            \(form.input("confirm", label: "Type your handle, \(handle), to confirm", required: true))
            <p><button type="submit" class="danger">Delete my account</button></p></form></div>
            """, status: status)
    }
}
