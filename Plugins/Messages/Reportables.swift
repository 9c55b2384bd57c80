import Foundation
import Kernel
import Storage

/// What members can report in messages: one message. Moderation sees the message (its queue
/// shows the excerpt, its link opens ``ReportPages/reported(_:)``, which is audited) and the
/// earlier messages the reporter chose to attach, never the rest of the conversation. The
/// hooks run inside moderation's transaction.
///
/// ```swift
/// context.reportable(MessagesReportables.message(messages))   // in bootstrap
/// ```
enum MessagesReportables {
    static let kind = "messages_message"

    static func message(_ messages: MessagesService) -> ReportableKind {
        ReportableKind(
            module: "messages", kind: kind, title: "private message",
            lookup: { id, db in try messages.reportable(messageID: id, in: db) },
            isVisible: { id, member, db in try messages.message(id: id, reader: member.id, in: db) != nil },
            setHidden: { id, hidden, db in try messages.setMessageHidden(hidden, messageID: id, in: db) },
            delete: { id, db in try messages.removeMessage(id: id, in: db) },
            released: { id, db in try messages.deliver(messageID: id, in: db) })
    }
}

/// The service's side of the moderation hooks.
extension MessagesService {
    func reportable(messageID: Int64, in db: Connection) throws -> ReportableItem? {
        guard let message = try storedMessage(id: messageID, in: db) else { return nil }
        return ReportableItem(
            title: "Private message from \(message.senderName)", authorID: message.senderID,
            url: "/messages/reported/\(message.id)", excerpt: Excerpt.make(message.body, length: 200),
            isHidden: message.isHidden, text: message.body)
    }

    /// Hides or shows a message; the participants' unread counts follow.
    func setMessageHidden(_ hidden: Bool, messageID: Int64, in db: Connection) throws {
        guard let message = try storedMessage(id: messageID, in: db) else { return }
        try db.execute("UPDATE messages_messages SET hidden = ? WHERE id = ?", [hidden, messageID])
        try recountAll(in: message.conversationID, in: db)
    }

    /// Deletes a message for everyone (a moderator's decision).
    func removeMessage(id: Int64, in db: Connection) throws {
        guard let message = try storedMessage(id: id, in: db) else { return }
        try db.execute("DELETE FROM messages_messages WHERE id = ?", [id])
        try recountAll(in: message.conversationID, in: db)
        try services.events.publish(
            ContentEvent(
                module: "messages", kind: MessagesReportables.kind, id: id, authorID: message.senderID,
                action: .deleted),
            in: db)
    }

    func recountAll(in conversationID: Int64, in db: Connection) throws {
        let members = try db.query(
            "SELECT member_id FROM messages_participants WHERE conversation_id = ?", [conversationID]
        ) { try $0.value("member_id") as Int64 }
        for member in members { try recountUnread(in: conversationID, for: member, in: db) }
    }
}
