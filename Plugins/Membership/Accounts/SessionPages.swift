import Foundation
import HTTP
import Kernel
import Markdown

/// Signing in and out (here or on every device), and accepting changed Terms of Service.
///
/// ```swift
/// SessionPages(membership: membership).register(&web)   // /sign-in, /sign-out, /terms/accept
/// ```
struct SessionPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let sessions = self
        web.pages("") { pages in
            pages.get("/sign-in", use: sessions.signInForm)
            pages.post("/sign-in", use: sessions.signIn)
            pages.get("/terms/accept", access: .members, use: sessions.termsForm)
            pages.post("/terms/accept", access: .members, use: sessions.acceptTerms)
            pages.post("/sign-out", use: sessions.signOut)
            pages.post("/account/sign-out-everywhere", access: .members, use: sessions.signOutEverywhere)
        }
    }

    func signInForm(_ ctx: RequestContext) throws -> HTTPResponse {
        if ctx.member != nil { return ctx.redirect(to: "/") }
        return signInPage(
            ctx, form: FormKit(values: ["next": RedirectTarget.sameSitePath(ctx.query("next")) ?? ""]))
    }

    func signIn(_ ctx: RequestContext) throws -> HTTPResponse {
        let form = try ctx.form()
        let next = RedirectTarget.sameSitePath(form["next"])
        do {
            let member = try membership.signIn(
                login: form["login"] ?? "", password: form["password"] ?? "",
                address: ctx.request.remoteAddress)
            let session = try membership.startSession(
                for: member, userAgent: ctx.request.headers["User-Agent"] ?? "",
                address: ctx.request.remoteAddress)
            ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
            if try membership.needsTermsAcceptance(memberID: member.id) {
                let after = PercentDecoding.encode(next ?? "/")
                return ctx.redirect(
                    to: "/terms/accept?next=\(after)",
                    flash: "The Terms of Service have changed. Please read and accept them.", kind: .info)
            }
            return ctx.redirect(to: next ?? "/", flash: "Signed in. Welcome back, \(member.name).")
        } catch let failure as MembershipService.SignInFailure {
            let message: String
            var status = HTTPStatus(code: 401)
            switch failure {
            case .invalid:
                message = "That email or handle and password do not match. Check them and try again."
            case .throttled(let minutes):
                message =
                    "Too many attempts. For your safety, wait \(minutes) minutes and try again, or reset your password."
                status = HTTPStatus(code: 429)
            case .suspended:
                message = "This account is suspended. Contact the network's administrators."
                status = HTTPStatus(code: 403)
            }
            return signInPage(
                ctx, form: FormKit(form: form, errors: [FieldError(field: "login", message: message)]),
                status: status)
        }
    }

    func termsForm(_ ctx: RequestContext) throws -> HTTPResponse {
        termsPage(ctx, form: FormKit(values: ["next": RedirectTarget.sameSitePath(ctx.query("next")) ?? "/"]))
    }

    func acceptTerms(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        guard form["terms"] == "1" else {
            return termsPage(
                ctx,
                form: FormKit(
                    form: form,
                    errors: [
                        FieldError(field: "terms", message: "Tick the box to accept the Terms of Service.")
                    ]), status: HTTPStatus(code: 422))
        }
        try membership.acceptTerms(memberID: me.id)
        return ctx.redirect(
            to: RedirectTarget.sameSitePath(form["next"]) ?? "/",
            flash: "Thank you. You have accepted the current Terms of Service.")
    }

    func signOut(_ ctx: RequestContext) throws -> HTTPResponse {
        if let token = ctx.request.cookies[MembershipService.sessionCookie] {
            try membership.endSession(token: token)
        }
        ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
        return ctx.redirect(to: "/", flash: "You have signed out.", kind: .info)
    }

    func signOutEverywhere(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        try membership.endAllSessions(memberID: member.id)
        ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
        return ctx.redirect(to: "/sign-in", flash: "You have been signed out on every device.", kind: .info)
    }

    func termsPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        let terms = Markdown.html(ctx.services.config.string("network", "terms_of_service"))
        return ctx.page(
            title: "Terms of Service",
            body: """
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
        let next = form.values["next"] ?? ""
        let reason: HTML =
            next.isEmpty || !form.errors.isEmpty
            ? "" : "<p class=\"notice\">\(Self.reason(toSignInFor: next, network: ctx.shell.networkName))</p>"
        let body: HTML = """
            <h1>Sign in</h1>
            \(reason)
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

    /// Why the page someone came from asks them to sign in, in a sentence.
    static func reason(toSignInFor next: String, network: String) -> String {
        let path = next.split(separator: "?").first.map(String.init) ?? next
        if path.hasPrefix("/members") {
            return "Member profiles are shared with members of \(network) only. Sign in to see who this is."
        }
        if path.hasPrefix("/messages") { return "Messages are private. Sign in to read yours." }
        if path.hasPrefix("/report") {
            return
                "Reports come from members, so that moderators can ask you about what you saw. Sign in to report it."
        }
        if path.hasPrefix("/admin") || path.hasPrefix("/moderation") {
            return "That page is for the network's administrators and moderators."
        }
        return "That page is for members of \(network). Sign in to see it."
    }
}
