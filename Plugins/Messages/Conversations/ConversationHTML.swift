import Foundation
import Kernel

/// The HTML the conversation pages share: a message, the inbox's rows, the tabs.
enum ConversationHTML {
    static func senderName(_ message: Message, _ ctx: RequestContext) -> HTML {
        if message.isRemoved || message.senderIsFormerMember { return "Deleted member" }
        return ctx.shell.memberLink(name: message.senderName, handle: message.senderHandle)
    }

    /// Built by appending to one string: a page shows 30 of these, and through nested
    /// interpolations each cost 31,000 instructions (callgrind), a third of the page.
    static func message(_ message: Message, _ ctx: RequestContext, reportable: Bool) -> HTML {
        guard let me = ctx.member else { return "" }
        let mine = message.senderID == me.id
        let text: HTML =
            message.isRemoved
            ? "<p class=\"removed\">\(Message.removedText)</p>"
            : HTML.markdown(message.body)
        var out = "<li class=\"message"
        out.reserveCapacity(560 + text.text.utf8.count)
        if mine { out += " mine" }
        out += "\" id=\"message-"
        out += String(message.id)
        out += "\"><p class=\"meta\">"
        out += senderName(message, ctx).text
        out += " · "
        out += ctx.shell.time(message.createdAt).text
        if message.isHidden {
            out += " · <span class=\"badge\">Only you can see this: waiting for a moderator</span>"
        }
        out += "</p>"
        if message.isRemoved {
            out += text.text
        } else {
            out += "<div class=\"prose\">"
            out += text.text
            out += "</div>"
        }
        out += "<div class=\"actions small\"><form method=\"post\" action=\"/messages/m/"
        out += String(message.id)
        out += "/delete\" class=\"inline\" data-confirm=\"Delete this message for you? The others keep it.\">"
        out += ctx.csrfField.text
        out += "<button type=\"submit\" class=\"link\">Delete for me</button></form>"
        if reportable && !mine && !message.isRemoved {
            out += " <a class=\"report\" href=\"/messages/m/"
            out += String(message.id)
            out += "/report\">Report</a>"
        }
        out += "</div></li>"
        return HTML(trustedRenderer: out)
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

    /// Built by appending to one string, as ``message(_:_:reportable:)``: an inbox page shows 20.
    static func row(_ conversation: Conversation, _ ctx: RequestContext, readerID: Int64) -> HTML {
        var out = "<li class=\"conversation"
        out.reserveCapacity(640)
        if conversation.unread > 0 { out += " has-unread" }
        out += "\"><h2><a href=\""
        HTML.escape(conversation.path, into: &out)
        out += "\">"
        HTML.escape(conversation.title(for: readerID), into: &out)
        out += "</a>"
        if conversation.unread > 0 {
            out += " <span class=\"badge unread\">"
            out += String(conversation.unread)
            out += " new</span>"
        }
        out += "</h2>"
        let others = conversation.others(than: readerID)
        if !conversation.subject.isEmpty && !others.isEmpty {
            out += "<p class=\"meta\">With "
            HTML.escape(others.prefix(5).map(\.name).joined(separator: ", "), into: &out)
            if others.count > 5 {
                out += " and "
                out += String(others.count - 5)
                out += " more"
            }
            out += "</p>"
        }
        if let latest = conversation.latest {
            out += "<p class=\"preview\">"
            out += latest.senderID == readerID ? "You" : senderName(latest, ctx).text
            out += ": "
            HTML.escape(latest.isRemoved ? Message.removedText : latest.preview, into: &out)
            out += "</p><p class=\"meta\">"
            out += ctx.shell.time(latest.createdAt).text
            out += "</p>"
        }
        out += "</li>"
        return HTML(trustedRenderer: out)
    }
}
