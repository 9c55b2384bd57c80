import Foundation
import HTTP
import Kernel

/// Reporting a message (first choosing which earlier messages moderators may see with it, then
/// moderation's report form), and the audited page where a moderator opens a reported message.
///
/// ```swift
/// ReportPages(messages: messages).register(&web)   // /messages/m/:id/report, /messages/reported/:id
/// ```
struct ReportPages: Sendable {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        web.pages("/messages", access: .members) { pages in
            pages.get("/m/:id/report", use: chooseContext)
            pages.post("/m/:id/report", use: attachContext)
            pages.get("/reported/:id", access: .moderators, use: reported)
        }
    }

    @Sendable func chooseContext(_ ctx: RequestContext) throws -> HTTPResponse {
        try contextPage(ctx, form: FormKit())
    }

    func contextPage(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard ctx.shell.footerLinks.contains(where: { $0.path == "/report" }) else {
            throw DomainError.notFound
        }
        let (message, earlier) = try messages.contextChoices(for: try ctx.idParameter("id"), reader: me)
        let choices = earlier.map { item -> HTML in
            """
            <li class="checkbox"><input type="checkbox" id="context-\(item.id)" name="context" value="\(item.id)"> <label for="context-\(item.id)"><strong>\(ConversationHTML.senderName(item, ctx))</strong>, \(ctx.shell.time(item.createdAt)): \(Excerpt.make(item.body, length: 160))</label></li>
            """
        }
        let body: HTML = """
            <h1>Report a message</h1>\(form.summary)
            <section class="card reported-item"><h2>The message</h2><p class="meta">From \(ConversationHTML.senderName(message, ctx)), \(ctx.shell.time(message.createdAt))</p><div class="prose">\(HTML.markdown(message.body))</div></section>
            <form method="post" action="/messages/m/\(message.id)/report" class="card">\(ctx.csrfField)
            <p>Moderators will see this message. They do not see the rest of the conversation: tick the earlier messages they need to understand it, if any.</p>
            \(choices.isEmpty ? HTML("<p class=\"empty\">There are no earlier messages.</p>") : "<fieldset class=\"field\"><legend>Show the moderators these earlier messages too</legend><ul class=\"context-choices\">\(choices)</ul></fieldset>")
            <p><button type="submit">Continue</button> <a href="\(message.path)">Cancel</a></p></form>
            """
        return ctx.page(title: "Report a message", body: body, status: status, sidebar: false)
    }

    /// Records the chosen context, then sends the reporter to moderation's form (what is wrong).
    @Sendable func attachContext(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard ctx.shell.footerLinks.contains(where: { $0.path == "/report" }) else {
            throw DomainError.notFound
        }
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        do {
            try messages.attachContext(form.values("context").compactMap { Int64($0) }, to: id, by: me)
        } catch DomainError.invalid(let errors) {
            return try contextPage(ctx, form: FormKit(errors: errors), status: HTTPStatus(code: 422))
        }
        return ctx.redirect(to: "/report?kind=\(MessagesReportables.kind)&id=\(id)")
    }

    /// A moderator opens a reported (or held) message, with the context its reporters attached;
    /// the opening is written to the audit log.
    @Sendable func reported(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let found = try messages.openReported(messageID: try ctx.idParameter("id"), by: me)
        let message = found.message
        let attachments = found.attachments.map { attachment -> HTML in
            let items = attachment.messages.map { item -> HTML in
                "<li class=\"message\"><p class=\"meta\">\(ConversationHTML.senderName(item, ctx)) · \(ctx.shell.time(item.createdAt))</p><div class=\"prose\">\(HTML.markdown(item.body))</div></li>"
            }
            return """
                <section class="card"><h2>Context attached by \(attachment.reporterName)</h2>\(items.isEmpty ? HTML("<p class=\"empty\">None: the reporter attached no earlier messages.</p>") : "<ol class=\"message-list\">\(items)</ol>")</section>
                """
        }
        let body: HTML = """
            <h1>Reported private message</h1>
            <p class="meta">Opening this page is recorded in the audit log. You see the reported message and only the earlier messages its reporters chose to attach.</p>
            <section class="card reported-item"><h2>The message</h2><p class="meta">From \(ConversationHTML.senderName(message, ctx)), \(ctx.shell.time(message.createdAt))\(message.isHidden ? HTML(" · <span class=\"badge\">hidden</span>") : HTML.empty)</p>\(message.isRemoved ? HTML("<p class=\"removed\">\(Message.removedText)</p>") : "<div class=\"prose\">\(HTML.markdown(message.body))</div>")</section>
            \(attachments)
            <p><a href="/moderation">Back to the moderation queue</a></p>
            """
        return ctx.page(title: "Reported private message", body: body, sidebar: false)
    }
}
