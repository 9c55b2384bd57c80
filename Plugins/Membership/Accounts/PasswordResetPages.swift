import Foundation
import HTTP
import Kernel

/// A forgotten password: asking for a reset link, and choosing a new password with it.
///
/// ```swift
/// PasswordResetPages(membership: membership).register(&web)   // /password/forgot, /password/reset/:token
/// ```
struct PasswordResetPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let reset = self
        web.pages("/password") { pages in
            pages.get("/forgot", use: reset.forgotForm)
            pages.post("/forgot", use: reset.requestLink)
            pages.get("/reset/:token", use: reset.resetForm)
            pages.post("/reset/:token", use: reset.reset)
        }
    }

    func forgotForm(_ ctx: RequestContext) throws -> HTTPResponse {
        forgotPage(ctx, form: FormKit())
    }

    func requestLink(_ ctx: RequestContext) throws -> HTTPResponse {
        let form = try ctx.form()
        let email = form["email"] ?? ""
        if EmailAddress.normalise(email) == nil {
            return forgotPage(
                ctx,
                form: FormKit(
                    form: form,
                    errors: [FieldError(field: "email", message: "Enter the email address you joined with.")]),
                status: HTTPStatus(code: 422))
        }
        try membership.requestPasswordReset(email: email)
        return ctx.redirect(
            to: "/sign-in",
            flash:
                "If that address belongs to a member, we have sent a link to reset the password. It works for an hour.",
            kind: .info)
    }

    func resetForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let token = try ctx.parameter("token")
        guard try membership.isLiveResetToken(token) else {
            return ctx.page(
                title: "Link expired",
                body:
                    "<h1>This link has expired</h1><p>Reset links work once, for an hour. <a href=\"/password/forgot\">Ask for a new one</a>.</p>",
                status: HTTPStatus(code: 410))
        }
        return resetPage(ctx, token: token, form: FormKit())
    }

    func reset(_ ctx: RequestContext) throws -> HTTPResponse {
        let token = try ctx.parameter("token")
        let form = try ctx.form()
        do {
            try membership.resetPassword(token: token, newPassword: form["password"] ?? "")
            return ctx.redirect(
                to: "/sign-in",
                flash:
                    "Your password has been changed. You have been signed out on every device and your API tokens no longer work. Sign in with the new password."
            )
        } catch DomainError.invalid(let errors) {
            return resetPage(
                ctx, token: token, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func forgotPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        ctx.page(
            title: "Reset your password",
            body: """
                <h1>Reset your password</h1>
                \(form.summary)
                <form method="post" action="/password/forgot" class="card">\(ctx.csrfField)
                \(form.input("email", label: "Email address", type: "email", required: true, hint: "We will send a link that lets you choose a new password.", autocomplete: "email"))
                <p><button type="submit">Send the link</button></p></form>
                """, status: status)
    }

    func resetPage(_ ctx: RequestContext, token: String, form: FormKit, status: HTTPStatus = .ok)
        -> HTTPResponse
    {
        ctx.page(
            title: "Choose a new password",
            body: """
                <h1>Choose a new password</h1>
                \(form.summary)
                <form method="post" action="/password/reset/\(token)" class="card">\(ctx.csrfField)
                \(form.input("password", label: "New password", type: "password", required: true, hint: "At least 10 characters.", autocomplete: "new-password"))
                <p><button type="submit">Change my password</button></p></form>
                """, status: status)
    }
}
