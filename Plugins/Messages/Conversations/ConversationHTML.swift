import Foundation
import Kernel

/// The HTML the conversation pages share: a message, the inbox's rows, the tabs.
enum ConversationHTML {
    static func senderName(_ message: Message, _ ctx: RequestContext) -> HTML {
        if message.isRemoved || message.senderIsFormerMember { return "Deleted member" }
        return ctx.shell.memberLink(name: message.senderName, handle: message.senderHandle)
    }

    static func message(_ message: Message, _ ctx: RequestContext, reportable: Bool) -> HTML {
        guard let me = ctx.member else { return "" }
        let mine = message.senderID == me.id
        var actions: [HTML] = [
            "<form method=\"post\" action=\"/messages/m/\(message.id)/delete\" class=\"inline\" data-confirm=\"Delete this message for you? The others keep it.\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Delete for me</button></form>"
        ]
        if reportable && !mine && !message.isRemoved {
            actions.append("<a class=\"report\" href=\"/messages/m/\(message.id)/report\">Report</a>")
        }
        let badge: HTML =
            message.isHidden
            ? " · <span class=\"badge\">Only you can see this: waiting for a moderator</span>" : ""
        let text: HTML =
            message.isRemoved
            ? "<p class=\"removed\">\(Message.removedText)</p>"
            : "<div class=\"prose\">\(HTML.markdown(message.body))</div>"
        return """
            <li class="message\(mine ? HTML(" mine") : HTML.empty)" id="\(message.anchor)"><p class="meta">\(senderName(message, ctx)) · \(ctx.shell.time(message.createdAt))\(badge)</p>\(text)<div class="actions small">\(HTML.join(actions, separator: " "))</div></li>
            """
    }

    /// The boxes and the member's messaging settings; `current` is the page shown ("blocked",
    /// "settings" or a box's raw value).
    static func tabs(_ current: String) -> HTML {
        let links: [(path: String, id: String, title: String)] = [
            ("/messages", "inbox", "Inbox"), ("/messages?box=archived", "archived", "Archived"),
            ("/messages/blocked", "blocked", "Blocked members"),
            ("/messages/settings", "settings", "Notifications"),
        ]
        let items = links.map { link -> HTML in
            "<li><a href=\"\(link.path)\"\(link.id == current ? HTML(" aria-current=\"page\"") : HTML.empty)>\(link.title)</a></li>"
        }
        return "<nav class=\"message-tabs\" aria-label=\"Messages\"><ul>\(items)</ul></nav>"
    }

    static func row(_ conversation: Conversation, _ ctx: RequestContext, readerID: Int64) -> HTML {
        let unread: HTML =
            conversation.unread > 0 ? " <span class=\"badge unread\">\(conversation.unread) new</span>" : ""
        var preview: HTML = ""
        if let latest = conversation.latest {
            let who: HTML = latest.senderID == readerID ? "You" : senderName(latest, ctx)
            let text = latest.isRemoved ? Message.removedText : latest.preview
            preview =
                "<p class=\"preview\">\(who): \(text)</p><p class=\"meta\">\(ctx.shell.time(latest.createdAt))</p>"
        }
        let others = conversation.others(than: readerID).map(\.name)
        let with: HTML =
            conversation.subject.isEmpty || others.isEmpty
            ? ""
            : "<p class=\"meta\">With \(others.prefix(5).joined(separator: ", "))\(others.count > 5 ? " and \(others.count - 5) more" : "")</p>"
        return """
            <li class="conversation\(conversation.unread > 0 ? HTML(" has-unread") : HTML.empty)"><h2><a href="\(conversation.path)">\(conversation.title(for: readerID))</a>\(unread)</h2>\(with)\(preview)</li>
            """
    }
}
