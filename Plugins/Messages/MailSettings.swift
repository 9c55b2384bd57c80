import Foundation
import HTTP
import Kernel
import Storage

/// What a member's new-message notifications say: by default they only tell that someone wrote
/// ("notify only"), so no private text sits in a mailbox, a mail server's logs or a digest; a
/// member may choose to have the text (an excerpt of the first unread message) in the mail and
/// the bell. The channel itself (in the site, email at once, digest, off) is the notifications
/// service's preference for ``MessageNotices/kind``; `/messages/settings` sets both.
extension MessagesService {
    public enum MailText: String, Sendable, CaseIterable {
        case notifyOnly = "notify_only"
        case included = "include_text"

        public var label: String {
            switch self {
            case .notifyOnly: "Notify only: who wrote, without the message’s text"
            case .included: "Include the text of the message"
            }
        }
    }

    /// The choice of each of `memberIDs` who made one (the others get ``MailText/notifyOnly``).
    func mailText(of memberIDs: [Int64], in db: Connection) throws -> [Int64: MailText] {
        guard !memberIDs.isEmpty else { return [:] }
        var choices: [Int64: MailText] = [:]
        try db.forEach(
            "SELECT member_id, mail_text FROM messages_mail_settings WHERE member_id IN (SELECT value FROM json_each(?))",
            ["[" + memberIDs.map(String.init).joined(separator: ",") + "]"]
        ) { row in
            choices[try row.value("member_id")] =
                MailText(rawValue: try row.value("mail_text")) ?? .notifyOnly
        }
        return choices
    }

    /// The member's new-message channel and whether it carries the text.
    public func mailSettings(of memberID: Int64) throws -> (channel: NotificationChannel, text: MailText) {
        try database.read { db in
            (
                try services.notifications.channel(for: MessageNotices.kind, memberID: memberID, in: db),
                try mailText(of: [memberID], in: db)[memberID] ?? .notifyOnly
            )
        }
    }

    /// Saves both choices in one write.
    public func setMailSettings(channel: NotificationChannel, text: MailText, memberID: Int64) throws {
        let now = self.now
        try database.write { db in
            try services.notifications.setChannel(
                channel, kind: MessageNotices.kind.id, memberID: memberID, in: db)
            try db.execute(
                """
                INSERT INTO messages_mail_settings (member_id, mail_text, changed_at) VALUES (?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET mail_text = excluded.mail_text, changed_at = excluded.changed_at
                """, [memberID, text.rawValue, now])
        }
    }
}

/// `/messages/settings`: how the member hears of new messages.
///
/// ```swift
/// MailSettingsPages(messages: messages).register(&web)
/// ```
struct MailSettingsPages: Sendable {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        web.pages("/messages/settings", access: .members) { pages in
            pages.get("", use: show)
            pages.post("", use: save)
        }
    }

    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (channel, text) = try messages.mailSettings(of: me.id)
        return page(ctx, form: FormKit(values: ["channel": channel.rawValue, "text": text.rawValue]))
    }

    func page(_ ctx: RequestContext, form: FormKit, status: HTTPStatus = .ok) -> HTTPResponse {
        let body: HTML = """
            <h1>Message notifications</h1>\(ConversationHTML.tabs("settings"))\(form.summary)
            <form method="post" action="/messages/settings" class="card">\(ctx.csrfField)
            \(form.select("channel", label: "When someone writes to me", options: NotificationChannel.allCases.map { ($0.rawValue, $0.label) }, required: true, hint: "One notification per conversation until you read it, however many messages arrive.", includeBlank: false))
            \(form.select("text", label: "What the mail and the notification say", options: MessagesService.MailText.allCases.map { ($0.rawValue, $0.label) }, required: true, hint: "With “notify only” no message text leaves this site.", includeBlank: false))
            <p><button type="submit">Save</button></p></form>
            <p class="meta">All your other notifications: <a href="/notifications/settings">notification settings</a>.</p>
            """
        return ctx.page(title: "Message notifications", body: body, status: status, sidebar: false)
    }

    @Sendable func save(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        var check = Validation()
        let channel = NotificationChannel(rawValue: form["channel"] ?? "")
        let text = MessagesService.MailText(rawValue: form["text"] ?? "")
        if channel == nil { check.add("channel", "Choose when you hear of new messages.") }
        if text == nil { check.add("text", "Choose what the mail says.") }
        guard let channel, let text else {
            return page(ctx, form: FormKit(form: form, errors: check.errors), status: HTTPStatus(code: 422))
        }
        try messages.setMailSettings(channel: channel, text: text, memberID: me.id)
        return ctx.redirect(to: "/messages/settings", flash: "Your message notifications are saved.")
    }
}

extension MessagesService.MailText: APIEnum {}

/// The member's message notification settings, as the API shows and takes them.
struct MessageSettingsResponse: APIModel {
    var channel: NotificationChannel
    var text: MessagesService.MailText

    static let schemaName = "MessagesNotificationSettings"
    static let schemaDescription: String? = "How you hear of new private messages."
    static let fieldHints: [String: SchemaHint] = [
        "channel": .description(
            "site, email (at once, one per conversation until you read it), digest or off."),
        "text": .description(
            "notify_only (default: no message text leaves the site) or include_text (an excerpt in the mail and the bell)."
        ),
    ]
}

/// `/api/v1/message-settings`.
struct MailSettingsController: Sendable {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        web.apiGroup("/api/v1/message-settings", tag: "messages") { api in
            api.get(
                "", access: .members, summary: "How you hear of new private messages.",
                operationID: "getMessageNotificationSettings", use: show)
            api.put(
                "", access: .members, summary: "Change how you hear of new private messages.",
                operationID: "updateMessageNotificationSettings", use: update)
        }
    }

    func show(_ ctx: RequestContext) throws -> MessageSettingsResponse {
        let (channel, text) = try messages.mailSettings(of: try ctx.requireMember().id)
        return MessageSettingsResponse(channel: channel, text: text)
    }

    func update(_ ctx: RequestContext, _ request: MessageSettingsResponse) throws -> MessageSettingsResponse {
        let member = try ctx.requireMember()
        try messages.setMailSettings(channel: request.channel, text: request.text, memberID: member.id)
        return try show(ctx)
    }
}
