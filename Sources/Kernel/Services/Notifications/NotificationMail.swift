import Foundation
import HTTP
import Storage

/// Notification mail: plain text and HTML with the network's name, addressed to the member
/// (their current address is looked up when it goes out), with a one-click unsubscribe for its
/// kind (RFC 8058: `List-Unsubscribe` holding a signed HTTPS link and `List-Unsubscribe-Post`).
extension Notifications {
    /// The path of the unsubscribe page; the link carries the member, the kind and a signature.
    public static let unsubscribePath = "/notifications/unsubscribe"

    /// The mail of a notification to an active member (see ``prepare(_:in:)``).
    func mail(
        for notification: NewNotification, kind: NotificationKind, to recipient: MailRecipient,
        in db: Connection
    ) throws -> Mail {
        let recipientID = recipient.memberID
        let network = services.config.networkName
        let sentence = "\(notification.actor.name) \(notification.text)"
        let link = services.link(notification.link)
        let unsubscribe = try unsubscribeLink(memberID: recipientID, kind: kind.id, in: db)
        let settings = services.link("/notifications/settings")
        var plain = "\(sentence) on \(network):\n\n"
        if !notification.excerpt.isEmpty { plain += "\(notification.excerpt)\n\n" }
        plain += """
            Open it: \(link)

            --
            You receive this because "\(kind.title)" is set to email at once on \(network).
            Stop these emails: \(unsubscribe)
            All your notification settings: \(settings)

            """
        let excerpt: HTML =
            notification.excerpt.isEmpty ? "" : "<blockquote>\(notification.excerpt)</blockquote>"
        let html: HTML = """
            <!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>\(sentence)</title></head>
            <body><p><strong>\(network)</strong></p>
            <p>\(sentence).</p>\(excerpt)
            <p><a href="\(url: link)">Open it on \(network)</a></p>
            <hr><p><small>You receive this because “\(kind.title)” is set to email at once.
            <a href="\(url: unsubscribe)">Stop these emails</a> ·
            <a href="\(url: settings)">All your notification settings</a></small></p></body></html>
            """
        return Mail(
            to: recipient.address, subject: sentence, body: plain, html: html.text,
            headers: [
                MailHeader("List-Unsubscribe", "<\(unsubscribe)>"),
                MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                MailHeader("List-Id", "\(network) notifications <notifications.\(listHost)>"),
            ], memberID: recipientID)
    }

    /// The host of the network's address, for `List-Id`.
    private var listHost: String {
        let base = services.baseURL
        let afterScheme = base.range(of: "://").map { String(base[$0.upperBound...]) } ?? base
        let host = afterScheme.split(separator: "/").first.map(String.init) ?? "pln"
        return host.split(separator: ":").first.map(String.init) ?? host
    }

    /// An absolute link that turns `kind` off for the member, working without signing in.
    public func unsubscribeLink(memberID: Int64, kind: String, in db: Connection) throws -> String {
        let token = signature(memberID: memberID, kind: kind, key: try key(in: db))
        return services.link(
            "\(Self.unsubscribePath)?member=\(memberID)&kind=\(PercentDecoding.encode(kind))&token=\(token)")
    }

    /// Whether `token` is the signature of this member and kind.
    public func verifyUnsubscribe(memberID: Int64, kind: String, token: String) throws -> Bool {
        let key = try services.database.write { db in try self.key(in: db) }
        return RandomToken.constantTimeEquals(token, signature(memberID: memberID, kind: kind, key: key))
    }

    /// Turns `kind` off for the member named in a verified unsubscribe link.
    public func unsubscribe(memberID: Int64, kind: String, token: String) throws {
        guard try verifyUnsubscribe(memberID: memberID, kind: kind, token: token) else {
            throw DomainError.forbidden(
                "This unsubscribe link is not valid. Change your settings after signing in.")
        }
        try services.database.write { db in
            if kind == Self.digestKind {
                try db.execute(
                    """
                    INSERT INTO notification_members (member_id, digest_frequency, changed_at) VALUES (?, 'never', ?)
                    ON CONFLICT (member_id) DO UPDATE SET digest_frequency = 'never', changed_at = excluded.changed_at
                    """, [memberID, clock.now])
            } else {
                try setChannel(.off, kind: kind, memberID: memberID, in: db)
            }
        }
    }

    private func signature(memberID: Int64, kind: String, key: [UInt8]) -> String {
        String(
            SHA256.hex(bytes: CSRF.hmac(key: key, message: Array("unsubscribe:\(memberID):\(kind)".utf8)))
                .prefix(32)
        )
    }

    /// Loads the signing key (making it, the first time, in a write of its own) so that mails
    /// can be written on reading connections.
    func loadSigningKey() throws {
        if !catalog.hasKey { _ = try services.database.write { db in try key(in: db) } }
    }

    /// The deployment's signing key for unsubscribe links, made on first use (kernel_state).
    private func key(in db: Connection) throws -> [UInt8] {
        try catalog.key {
            try db.execute(
                "INSERT INTO kernel_state (key, value) VALUES ('notifications_key', ?) ON CONFLICT (key) DO NOTHING",
                [RandomToken.hex()])
            guard
                let stored = try db.scalar(
                    "SELECT value FROM kernel_state WHERE key = 'notifications_key'", as: String.self)
            else { throw DomainError.conflict("The notifications signing key could not be stored.") }
            return Array(stored.utf8)
        }
    }
}
