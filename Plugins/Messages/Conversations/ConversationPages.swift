import Foundation
import HTTP
import Kernel

/// The inbox, a conversation, and starting, replying, adding people, archiving, leaving and
/// deleting a message for oneself. Each page is a named handler; every route is for members,
/// and a conversation someone does not take part in answers "not found" like one that never
/// existed.
///
/// ```swift
/// ConversationPages(messages: messages).register(&web)   // /messages, /messages/new, /messages/:id
/// ```
struct ConversationPages: Sendable {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        web.pages("/messages", access: .members) { pages in
            pages.get("", use: inbox)
            pages.get("/new", use: newConversation)
            pages.post("/new", use: create)
            pages.group("/:id") { conversation in
                conversation.get("", use: show)
                conversation.post("", use: reply)
                conversation.post("/people", use: addPeople)
                conversation.post("/archive", use: archive)
                conversation.post("/unarchive", use: unarchive)
                conversation.post("/leave", use: leave)
            }
            pages.get("/m/:id", use: openMessage)
            pages.post("/m/:id/delete", use: dismiss)
        }
    }

    /// Conversations, the most recently active first, with unread counts.
    @Sendable func inbox(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let box = MessagesService.Box(rawValue: ctx.query("box") ?? "") ?? .inbox
        let before = ctx.query("before").flatMap(Int64.init)
        let (conversations, next) = try messages.inbox(of: me.id, box: box, before: before)
        var body: HTML = """
            <div class="messages-head"><h1>Messages</h1><p><a class="button" href="/messages/new">New message</a></p></div>
            \(ConversationHTML.tabs(box.rawValue))
            """
        body +=
            conversations.isEmpty
            ? (box == .inbox
                ? "<p class=\"empty\">No conversations yet. Start one with “New message”, or from a member’s profile.</p>"
                : "<p class=\"empty\">Nothing archived.</p>")
            : "<ul class=\"conversations\">\(conversations.map { ConversationHTML.row($0, ctx, readerID: me.id) })</ul>"
        if let next {
            body += Pager.next(
                "/messages?\(box == .archived ? "box=archived&" : "")before=\(next)", "Older conversations")
        }
        return ctx.page(title: box == .inbox ? "Messages" : "Archived messages", body: body, sidebar: false)
    }

    @Sendable func newConversation(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try ctx.requireMember()
        return try Self.composer(
            ctx, messages: messages, form: FormKit(values: ["to": ctx.query("to") ?? ""]))
    }

    /// Starts a conversation; the form again, as typed, with its errors when refused.
    @Sendable func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let form = try ctx.form()
        if form.asksForPreview {
            return try Self.composer(ctx, messages: messages, form: FormKit(form: form, errors: []))
        }
        do {
            let conversation = try messages.start(
                .init(
                    to: MessagesService.handles(form["to"] ?? ""), subject: form["subject"] ?? "",
                    body: form["body"] ?? ""), by: me)
            return ctx.redirect(to: conversation.path, flash: "Your message is sent.")
        } catch DomainError.invalid(let errors) {
            return try Self.composer(
                ctx, messages: messages, form: FormKit(form: form, errors: errors),
                status: HTTPStatus(code: 422))
        } catch DomainError.forbidden(let reason) {
            return try Self.composer(
                ctx, messages: messages,
                form: FormKit(form: form, errors: [FieldError(field: "to", message: reason)]),
                status: HTTPStatus(code: 403))
        } catch DomainError.rateLimited(let reason) {
            return try Self.composer(
                ctx, messages: messages,
                form: FormKit(form: form, errors: [FieldError(field: "body", message: reason)]),
                status: HTTPStatus(code: 429))
        }
    }

    static func composer(
        _ ctx: RequestContext, messages: MessagesService, form: FormKit, status: HTTPStatus = .ok
    ) throws
        -> HTTPResponse
    {
        let body: HTML = """
            <h1>New message</h1>\(form.summary)
            <form method="post" action="/messages/new" class="card">\(ctx.csrfField)
            \(form.input("to", label: "To", required: true, hint: "Handles of the members to write to, separated by commas, e.g. “erin, tom”. At most \(messages.maximumParticipants - 1) people."))
            \(form.input("subject", label: "Subject", hint: "Optional.", maxLength: MessagesService.maximumSubjectLength))
            \(form.markdown("body", label: "Message", required: true, hint: "Markdown works: **bold**, lists, links.", rows: 6, maxLength: MessagesService.maximumBodyLength))
            <p><button type="submit">Send</button> \(form.previewButton(action: "/messages/new")) <a href="/messages">Cancel</a></p></form>
            <p class="meta">Only the people in a conversation can read it. Moderators see a message only if someone in the conversation reports it.</p>
            """
        return ctx.page(title: "New message", body: body, status: status, sidebar: false)
    }

    /// A conversation: its newest page of messages (newest at the bottom), the reply form and
    /// the people in it. Opening it marks it read.
    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try Self.conversationPage(ctx, messages: messages, form: FormKit())
    }

    static func conversationPage(
        _ ctx: RequestContext, messages: MessagesService, form: FormKit, peopleForm: FormKit = FormKit(),
        status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        let before = ctx.query("before").flatMap(Int64.init)
        guard let conversation = try messages.conversation(id: id, reader: me.id) else {
            throw DomainError.notFound
        }
        let (page, earlier) = try messages.messages(in: id, reader: me.id, before: before)
        if before == nil {
            try messages.markRead(id, by: me.id)
        }
        let reportable = ctx.shell.footerLinks.contains { $0.path == "/report" }
        let title = conversation.title(for: me.id)
        var body: HTML = "<h1>\(title)</h1>"
        let others = conversation.others(than: me.id)
        body +=
            others.isEmpty
            ? "<p class=\"meta\">Everyone else has left this conversation.</p>"
            : "<p class=\"meta\">Between you and \(HTML.join(others.map { ctx.shell.memberLink(name: $0.name, handle: $0.handle) }, separator: ", ")) · <a href=\"/messages\">All messages</a></p>"
        if let earlier {
            body += Pager.next(
                "\(conversation.path)?before=\(earlier)", "Earlier messages",
                navigationLabel: "Earlier messages")
        }
        body +=
            page.isEmpty
            ? "<p class=\"empty\">No messages you can see yet.</p>"
            : "<ol class=\"message-list\">\(page.map { ConversationHTML.message($0, ctx, reportable: reportable) })</ol>"
        if before != nil {
            body += "<p><a href=\"\(conversation.path)#reply\">Newest messages</a></p>"
        }
        if messages.readReceipts, let last = page.last, before == nil {
            let seen = others.filter { $0.lastReadID >= last.id }.map(\.name)
            if !seen.isEmpty {
                body += "<p class=\"meta receipts\">Seen by \(seen.joined(separator: ", "))</p>"
            }
        }
        if me.mayWrite && !others.isEmpty {
            body += """
                <form method="post" action="\(conversation.path)" class="card reply" id="reply">\(ctx.csrfField)\(form.summary)
                \(form.markdown("body", label: "Reply", required: true, rows: 4, maxLength: MessagesService.maximumBodyLength))
                <p><button type="submit">Send</button> \(form.previewButton(action: conversation.path))</p></form>
                """
        }
        let people = conversation.participants.map { person -> HTML in
            "<li>\(ctx.shell.memberLink(name: person.name, handle: person.handle)) <span class=\"meta\">added \(ctx.shell.time(person.addedAt))</span></li>"
        }
        let room = messages.maximumParticipants - conversation.participants.count
        let addForm: HTML =
            room > 0 && me.mayWrite
            ? """
            <form method="post" action="\(conversation.path)/people">\(ctx.csrfField)\(peopleForm.summary)
            \(peopleForm.input("to", label: "Add people", hint: "Handles, separated by commas. They will see the conversation from now on, not what was said before."))
            <p><button type="submit" class="secondary">Add</button></p></form>
            """ : ""
        let archiveAction = conversation.isArchived ? "unarchive" : "archive"
        body += """
            <section class="card people" id="people"><h2>People (\(conversation.participants.count))</h2><ul>\(people)</ul>\(addForm)</section>
            <div class="conversation-actions">
            <form method="post" action="\(conversation.path)/\(archiveAction)" class="inline">\(ctx.csrfField)<button type="submit" class="secondary">\(conversation.isArchived ? "Move to inbox" : "Archive")</button></form>
            <form method="post" action="\(conversation.path)/leave" class="inline" data-confirm="Leave this conversation? You will no longer see it.">\(ctx.csrfField)<button type="submit" class="secondary">Leave conversation</button></form>
            </div>
            """
        return ctx.page(title: title, body: body, status: status, sidebar: false)
    }

    @Sendable func reply(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        if form.asksForPreview {
            return try Self.conversationPage(ctx, messages: messages, form: FormKit(form: form, errors: []))
        }
        do {
            let message = try messages.send(form["body"] ?? "", in: id, by: me)
            return ctx.redirect(to: message.path, flash: "Your message is sent.")
        } catch let error as DomainError {
            let (field, status): (String, Int)
            switch error {
            case .invalid(let errors):
                return try Self.conversationPage(
                    ctx, messages: messages, form: FormKit(form: form, errors: errors),
                    status: HTTPStatus(code: 422))
            case .forbidden: (field, status) = ("body", 403)
            case .conflict: (field, status) = ("body", 409)
            case .rateLimited: (field, status) = ("body", 429)
            case .notFound: throw error
            }
            return try Self.conversationPage(
                ctx, messages: messages,
                form: FormKit(form: form, errors: [FieldError(field: field, message: error.message)]),
                status: HTTPStatus(code: status))
        }
    }

    @Sendable func addPeople(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        do {
            let added = try messages.add(MessagesService.handles(form["to"] ?? ""), to: id, by: me)
            return ctx.redirect(
                to: "/messages/\(id)#people",
                flash: added.isEmpty
                    ? "They are in the conversation already."
                    : "Added \(added.map(\.name).joined(separator: ", ")).")
        } catch DomainError.invalid(let errors) {
            return try Self.conversationPage(
                ctx, messages: messages, form: FormKit(), peopleForm: FormKit(form: form, errors: errors),
                status: HTTPStatus(code: 422))
        } catch DomainError.forbidden(let reason) {
            return try Self.conversationPage(
                ctx, messages: messages, form: FormKit(),
                peopleForm: FormKit(form: form, errors: [FieldError(field: "to", message: reason)]),
                status: HTTPStatus(code: 403))
        }
    }

    @Sendable func archive(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try messages.setArchived(true, conversationID: try ctx.idParameter("id"), by: me.id)
        return ctx.redirect(
            to: "/messages", flash: "The conversation is archived; a new message brings it back.")
    }

    @Sendable func unarchive(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        try messages.setArchived(false, conversationID: id, by: me.id)
        return ctx.redirect(to: "/messages/\(id)", flash: "The conversation is back in your inbox.")
    }

    @Sendable func leave(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try messages.leave(try ctx.idParameter("id"), by: me.id)
        return ctx.redirect(to: "/messages", flash: "You left the conversation.")
    }

    /// One message (a search result's link): the page of its conversation that holds it.
    @Sendable func openMessage(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let path = try messages.location(ofMessage: try ctx.idParameter("id"), reader: me.id) else {
            throw DomainError.notFound
        }
        return ctx.redirect(to: path)
    }

    /// Deletes a message for the member only.
    @Sendable func dismiss(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        guard let message = try messages.message(id: id, reader: me.id) else { throw DomainError.notFound }
        try messages.dismiss(messageID: id, by: me.id)
        return ctx.redirect(
            to: "/messages/\(message.conversationID)", flash: "The message is deleted for you.")
    }
}
