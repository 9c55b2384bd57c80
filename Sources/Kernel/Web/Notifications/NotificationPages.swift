import Foundation
import HTTP

/// The member's notifications page (grouped, newest first, mark one or all read), the bell's
/// count for pln.js (ETag, 304 when unchanged), and the settings page. Everything works
/// without JavaScript: marking read is a form, opening a notification is a link.
struct NotificationPages: Sendable {
    let services: Services

    func register(_ web: inout WebContributions) {
        web.pages("/notifications", access: .members) { pages in
            pages.get("", use: index)
            pages.get("/count", use: count)
            pages.post("/read-all", use: markAllRead)
            pages.get("/settings", use: settings)
            pages.post("/settings", use: saveSettings)
            pages.get("/unsubscribe", access: .anyone, use: unsubscribeForm)
            pages.get("/:id", use: open)
            pages.post("/:id/read", use: markRead)
        }
    }

    /// The unread count: `{"unread": 3}`, with an ETag so a poll costs a 304 when nothing changed.
    @Sendable func count(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let etag = "\"n-" + (try services.notifications.stateTag(memberID: member.id)) + "\""
        var response: HTTPResponse
        if let match = ctx.request.headers["If-None-Match"],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            response = HTTPResponse(status: .notModified)
        } else {
            let unread = try services.notifications.unreadCount(memberID: member.id)
            response = HTTPResponse(status: .ok, body: Array("{\"unread\":\(unread)}".utf8))
            response.headers.add("Content-Type", "application/json")
        }
        response.headers.add("ETag", etag)
        response.headers.add("Cache-Control", "private, no-cache")
        return response
    }

    @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let page = try services.notifications.list(memberID: member.id, after: ctx.query("after"), limit: 20)
        var body: HTML = """
            <div class="page-head"><h1>Notifications</h1>
            <p class="actions"><a href="/notifications/settings">Notification settings</a></p></div>
            """
        if page.items.contains(where: { !$0.isRead }) {
            body += """
                <form method="post" action="/notifications/read-all" class="inline">\(ctx.csrfField)\
                <button type="submit" class="secondary">Mark all as read</button></form>
                """
        }
        if page.items.isEmpty {
            body +=
                "<p class=\"empty\">Nothing yet. When members comment on your posts, reply to you or mention you, it shows here.</p>"
        } else {
            body += "<ul class=\"notification-list\">\(page.items.map { item(ctx, $0) })</ul>"
        }
        if let next = page.next {
            body += Pager.next("/notifications?after=\(next)", "Older notifications")
        }
        return ctx.page(title: "Notifications", body: body, sidebar: false)
    }

    private func item(_ ctx: RequestContext, _ item: MemberNotification) -> HTML {
        let names = MemberNotification.actorPhrase(item.actors.map(\.name), total: item.actorCount)
        let excerpt: HTML = item.excerpt.isEmpty ? "" : "<p class=\"excerpt\">\(item.excerpt)</p>"
        let state: HTML = item.isRead ? "" : "<span class=\"visually-hidden\">Unread: </span>"
        let mark: HTML =
            item.isRead
            ? ""
            : """
            <form method="post" action="/notifications/\(item.id)/read" class="inline">\(ctx.csrfField)\
            <button type="submit" class="link">Mark as read</button></form>
            """
        return """
            <li class="notification\(item.isRead ? HTML.empty : " unread")">\(state)<a href="/notifications/\(item.id)">\
            <strong>\(names)</strong> \(item.text)</a> <span class="when">\(ctx.shell.time(item.updatedAt))</span>\
            \(excerpt)\(mark)</li>
            """
    }

    /// Opens a notification: marks it read and goes to what it is about.
    @Sendable func open(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let id = try ctx.idParameter("id")
        guard let item = try services.notifications.notification(id: id, memberID: member.id) else {
            throw DomainError.notFound
        }
        try services.notifications.markRead(id: id, memberID: member.id)
        return ctx.redirect(to: RedirectTarget.sameSitePath(item.link) ?? "/notifications")
    }

    @Sendable func markRead(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        guard try services.notifications.markRead(id: try ctx.idParameter("id"), memberID: member.id) else {
            throw DomainError.notFound
        }
        return ctx.redirect(to: "/notifications")
    }

    @Sendable func markAllRead(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let count = try services.notifications.markAllRead(memberID: member.id)
        return ctx.redirect(
            to: "/notifications",
            flash: count == 1 ? "1 notification marked as read." : "\(count) notifications marked as read.")
    }
}
