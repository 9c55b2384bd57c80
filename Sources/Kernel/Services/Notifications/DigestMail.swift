import Foundation
import Storage

/// The digest as mail: plain text and HTML, with a one-click unsubscribe from digests.
extension Notifications {
    func enqueueDigest(_ digest: Digest, frequency: DigestFrequency, memberID: Int64, in db: Connection)
        throws
    {
        guard let recipient = try services.identity?.mailRecipients([memberID], in: db).first,
            recipient.status == .active
        else { return }
        let network = services.config.networkName
        let title = "Your \(frequency == .daily ? "daily" : "weekly") digest from \(network)"
        let unsubscribe = try unsubscribeLink(memberID: memberID, kind: Self.digestKind, in: db)
        let settings = services.link("/notifications/settings")
        var plain = "\(title)\n\n"
        var html: HTML = "<p><strong>\(network)</strong></p><h1>\(title)</h1>"
        if !digest.notifications.isEmpty {
            plain += "Notifications\n\n"
            var items: [HTML] = []
            for item in digest.notifications {
                let link = services.link("/notifications/\(item.id)")
                plain += "- \(item.sentence)\n  \(link)\n"
                items.append("<li><a href=\"\(url: link)\">\(item.sentence)</a></li>")
            }
            plain += "\n"
            html += "<h2>Notifications</h2><ul>\(items)</ul>"
        }
        for section in digest.sections {
            plain += "\(section.title)\n\n"
            var items: [HTML] = []
            for item in section.items {
                let link = services.link(item.link)
                plain += "- \(item.text)\n  \(link)\n"
                items.append("<li><a href=\"\(url: link)\">\(item.text)</a></li>")
            }
            plain += "\n"
            html += "<h2>\(section.title)</h2><ul>\(items)</ul>"
        }
        plain += """
            --
            Stop these digests: \(unsubscribe)
            All your notification settings: \(settings)

            """
        html += """
            <hr><p><small><a href="\(url: unsubscribe)">Stop these digests</a> ·
            <a href="\(url: settings)">All your notification settings</a></small></p>
            """
        let document: HTML =
            "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>\(html)</body></html>"
        try services.outbox.enqueue(
            Mail(
                to: recipient.address, subject: title, body: plain, html: document.text,
                headers: [
                    MailHeader("List-Unsubscribe", "<\(unsubscribe)>"),
                    MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ], memberID: memberID), in: db)
    }
}
