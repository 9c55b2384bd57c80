import Foundation
import Kernel
import Storage

/// How members hear of a new message: through the kernel's notifications service, kind
/// `messages.message` (in the site, by email at once — the default —, in the digest, or off, as
/// each member chooses). A conversation's notification is published when it gets its first
/// unread message for the member, so a burst of messages makes one notification and one mail;
/// the next comes once they have read the conversation. While unread, the service groups the
/// notifications about one conversation ("Ada Lovelace and Ben Okri sent you a private
/// message"). The bell and the mail name the sender and link to the conversation; the message's
/// text is in them only when the member chose "include the text" (``MessagesService/MailText``).
/// The service checks, inside the delivering transaction, that the recipient is active and may
/// see the message (a participant since before it, not dismissing it, not blocking its sender).
/// Reading the conversation marks its notification read (``MessagesService/markRead(_:by:)``).
///
/// ```swift
/// try MessageNotices(messages: messages).newMessage(message, to: [benID], in: db)
/// ```
struct MessageNotices {
    static let kind = NotificationKind(
        id: "messages.message", title: "New private messages", defaultChannel: .email)
    /// The notification's subject (a conversation: not a reportable kind, so checked by `isVisible`).
    static let conversationKind = "messages_conversation"

    let messages: MessagesService

    static func register(_ services: Services) { services.notifications.register(kind) }

    func newMessage(_ message: Message, to recipientIDs: [Int64], in db: Connection) throws {
        guard !recipientIDs.isEmpty else { return }
        let withText = try messages.mailText(of: recipientIDs, in: db)
        let excerpt = Excerpt.make(message.body, length: 300)
        let messages = self.messages
        for recipientID in recipientIDs {
            let outcome = try messages.services.notifications.publish(
                NewNotification(
                    recipientID: recipientID, kind: Self.kind.id,
                    actor: NotificationActor(
                        id: message.senderID, name: message.senderName, handle: message.senderHandle),
                    subject: ContentReference(
                        module: "messages", kind: Self.conversationKind, id: message.conversationID),
                    text: "sent you a private message", link: "/messages/\(message.conversationID)",
                    excerpt: withText[recipientID] == .included ? excerpt : "",
                    item: ContentReference(
                        module: "messages", kind: MessagesReportables.kind, id: message.id),
                    isVisible: { recipient, db in
                        try messages.message(id: message.id, reader: recipient.id, in: db) != nil
                    }), in: db)
            // Remembered so that reading the conversation marks its notification read too.
            if case .delivered(let id, _) = outcome {
                try db.execute(
                    "UPDATE messages_participants SET notice_id = ? WHERE conversation_id = ? AND member_id = ?",
                    [id, message.conversationID, recipientID])
            }
        }
    }
}
