import Foundation
import HTTP
import Kernel

/// The members you block: the list, blocking by handle, unblocking.
///
/// ```swift
/// BlockPages(messages: messages).register(&web)   // /messages/blocked
/// ```
struct BlockPages: Sendable {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        web.pages("/messages/blocked", access: .members) { pages in
            pages.get("", use: list)
            pages.post("", use: block)
            pages.post("/:handle/unblock", use: unblock)
        }
    }

    @Sendable func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try page(ctx, form: FormKit(values: ["handle": ctx.query("handle") ?? ""]))
    }

    func page(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let blocked = try messages.blocked(by: me.id)
        let items = blocked.map { person -> HTML in
            """
            <li>\(ctx.shell.memberLink(name: person.name, handle: person.handle)) <span class="meta">since \(ctx.shell.time(person.blockedAt))</span> <form method="post" action="/messages/blocked/\(person.handle)/unblock" class="inline">\(ctx.csrfField)<button type="submit" class="link">Unblock</button></form></li>
            """
        }
        let body: HTML = """
            <h1>Blocked members</h1>\(ConversationHTML.tabs("blocked"))
            <p>A member you block cannot write to you or add you to a conversation, and you no longer see their messages. They are not told.</p>
            \(blocked.isEmpty ? HTML("<p class=\"empty\">You block nobody.</p>") : "<ul class=\"blocked\">\(items)</ul>")
            <form method="post" action="/messages/blocked" class="card">\(ctx.csrfField)\(form.summary)
            \(form.input("handle", label: "Block a member", required: true, hint: "Their handle, e.g. “erin”."))
            <p><button type="submit">Block</button></p></form>
            """
        return ctx.page(title: "Blocked members", body: body, status: status, sidebar: false)
    }

    @Sendable func block(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        let handle = MessagesService.handles(form["handle"] ?? "").first ?? ""
        do {
            let person = try messages.block(handle: handle, by: me)
            return ctx.redirect(to: "/messages/blocked", flash: "You block \(person.name) now.")
        } catch DomainError.invalid(let errors) {
            return try page(ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        } catch DomainError.forbidden(let reason) {
            return try page(
                ctx, form: FormKit(form: form, errors: [FieldError(field: "handle", message: reason)]),
                status: HTTPStatus(code: 403))
        }
    }

    @Sendable func unblock(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try messages.unblock(handle: try ctx.parameter("handle"), by: me)
        return ctx.redirect(to: "/messages/blocked", flash: "Unblocked.")
    }
}
