import Foundation
import HTTP
import Kernel

/// Account settings: password and email changes, the data export and deleting the account.
///
/// ```swift
/// AccountPages(membership: membership, context: context).register(&web)   // /account…
/// ```
struct AccountPages: Sendable {
    let membership: MembershipService
    let context: ModuleContext

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let account = self
        web.pages("/account", access: .members) { pages in
            pages.get("", use: account.settings)
            pages.post("/password", use: account.changePassword)
            pages.post("/email", use: account.changeEmail)
            pages.get("/email/:token", access: .anyone, use: account.confirmEmail)
            pages.get("/export", use: account.export)
            pages.get("/delete", use: account.deleteForm)
            pages.post("/delete", use: account.delete)
        }
    }

    func settings(_ ctx: RequestContext) throws -> HTTPResponse {
        accountPage(ctx, form: FormKit())
    }

    func changePassword(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let form = try ctx.form()
        do {
            let session = try membership.changePassword(
                memberID: member.id, current: form["current_password"] ?? "", new: form["new_password"] ?? "",
                userAgent: ctx.request.headers["User-Agent"] ?? "", address: ctx.request.remoteAddress)
            ctx.cookies.append(membership.sessionCookie(token: session.token, secure: ctx.isSecure))
            return ctx.redirect(
                to: "/account",
                flash:
                    "Your password has been changed. Every other device has been signed out and your API tokens no longer work; this device stays signed in."
            )
        } catch DomainError.invalid(let errors) {
            return accountPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func changeEmail(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let form = try ctx.form()
        do {
            try membership.requestEmailChange(
                memberID: member.id, password: form["email_password"] ?? "", newEmail: form["new_email"] ?? ""
            )
            return ctx.redirect(
                to: "/account",
                flash:
                    "We have sent a confirmation link to the new address. Your address changes when you open it.",
                kind: .info)
        } catch DomainError.invalid(let errors) {
            return accountPage(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func confirmEmail(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try membership.confirmEmailChange(token: try ctx.parameter("token"))
        return ctx.redirect(
            to: ctx.member == nil ? "/sign-in" : "/account",
            flash: "Your email address is now \(member.email).")
    }

    func export(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let data = try membership.exportAll(memberID: member.id, hooks: hooks())
        var response = HTTPResponse(status: .ok, body: Array(data.jsonText(pretty: true).utf8))
        response.headers.add("Content-Type", "application/json; charset=utf-8")
        response.headers.add("Content-Disposition", "attachment; filename=\"\(member.handle)-data.json\"")
        return ctx.respond(response)
    }

    func deleteForm(_ ctx: RequestContext) throws -> HTTPResponse {
        deletePage(ctx, form: FormKit())
    }

    func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let signedIn = try ctx.requireMember()
        let form = try ctx.form()
        guard form["confirm"] == signedIn.handle else {
            return deletePage(
                ctx,
                form: FormKit(
                    form: form,
                    errors: [
                        FieldError(
                            field: "confirm", message: "Type your handle, \(signedIn.handle), to confirm.")
                    ]), status: HTTPStatus(code: 422))
        }
        try membership.deleteAccount(memberID: signedIn.id, hooks: hooks())
        ctx.cookies.append(SetCookie.expired(name: MembershipService.sessionCookie))
        return ctx.redirect(
            to: "/", flash: "Your account has been deleted. Thank you for being part of the network.",
            kind: .info)
    }

    /// Every enabled module's export and erase hooks, read when a request needs them.
    func hooks() -> [PersonalDataHooks] { context.personalDataHooks }

    func accountPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        ctx.page(
            title: "Account settings",
            body: """
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
        return ctx.page(
            title: "Delete your account",
            body: """
                <h1>Delete your account</h1>
                \(form.summary)
                <div class="card"><p>Your profile, statuses, friendships and personal details are erased. What you wrote in other members' conversations stays readable, attributed to “\(Member.formerMemberName)”. This cannot be undone: <a href="/account/export">download your data</a> first if you want a copy.</p>
                <form method="post" action="/account/delete" data-confirm="Delete your account for good?">\(ctx.csrfField)
                \(form.input("confirm", label: "Type your handle, \(handle), to confirm", required: true))
                <p><button type="submit" class="danger">Delete my account</button></p></form></div>
                """, status: status)
    }
}
