import Foundation
import Kernel
import Storage

/// The messages module's part of "Download my data" and "Delete my account".
///
/// ```swift
/// context.personalData(export: messages.export(memberID:in:), erase: messages.erase(memberID:in:))
/// ```
extension MessagesService {
    /// The member's conversations with the messages they wrote and those sent to them that they
    /// may see (not what was said before they were added, nor what they deleted for themselves),
    /// the members they block, and what their new-message notifications say.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let conversations = try db.query(
            """
            SELECT c.id, c.subject, c.created_at FROM messages_participants p
            JOIN messages_conversations c ON c.id = p.conversation_id WHERE p.member_id = ? ORDER BY c.id
            """, [memberID]
        ) { row -> (Int64, String, Date) in
            (try row.value("id"), try row.value("subject"), try row.value("created_at"))
        }
        var values: [JSONValue] = []
        for (id, subject, createdAt) in conversations {
            let messages = try db.query(
                """
                SELECT \(Message.columns) FROM messages_participants p
                JOIN messages_messages m ON m.conversation_id = p.conversation_id
                JOIN membership_people s ON s.id = m.sender_id
                WHERE p.conversation_id = ? AND p.member_id = ? AND \(Self.visibleMessage) ORDER BY m.id
                """, [id, memberID] + Self.visibilityArguments(memberID), Message.decodeLeading)
            let people = try participants(of: id, in: db)
            values.append(
                .object([
                    ("id", .int(id)), ("subject", .string(subject)), ("started_at", JSONValue(createdAt)),
                    ("participants", .array(people.map { .string("@" + $0.handle) })),
                    ("messages", .array(messages.map { Self.exportJSON($0, memberID: memberID) })),
                ]))
        }
        // What they wrote in conversations they have since left.
        let left = try db.query(
            """
            SELECT \(Message.columns) FROM messages_messages m JOIN membership_people s ON s.id = m.sender_id
            WHERE m.sender_id = ? AND NOT EXISTS (SELECT 1 FROM messages_participants p
                WHERE p.conversation_id = m.conversation_id AND p.member_id = ?)
            ORDER BY m.id
            """, [memberID, memberID], Message.decodeLeading)
        let blocked = try blocked(by: memberID, in: db)
        let textChoice = try mailText(of: [memberID], in: db)[memberID] ?? .notifyOnly
        return .object([
            ("conversations", .array(values)),
            (
                "messages_in_conversations_you_left",
                .array(left.map { Self.exportJSON($0, memberID: memberID) })
            ),
            ("blocked", .array(blocked.map { .string("@" + $0.handle) })),
            ("notification_text", .string(textChoice.rawValue)),
        ])
    }

    static func exportJSON(_ message: Message, memberID: Int64) -> JSONValue {
        .object([
            ("id", .int(message.id)),
            ("from", .string(message.senderID == memberID ? "you" : "@" + message.senderHandle)),
            ("body", .string(message.isRemoved ? "" : message.body)),
            ("sent_at", JSONValue(message.createdAt)),
        ])
    }

    /// "Delete my account": the text of everything the member wrote is removed for everyone
    /// (the messages read "deleted member"), they leave every conversation, and a conversation
    /// nobody is left in is purged. Their blocks go, both ways.
    func erase(memberID: Int64, in db: Connection) throws {
        try db.execute(
            "UPDATE messages_messages SET body = '', preview = '', removed = 1 WHERE sender_id = ?",
            [memberID])
        let written = try db.query("SELECT id FROM messages_messages WHERE sender_id = ?", [memberID]) {
            try $0.value("id") as Int64
        }
        for id in written { try reindexMessage(id, in: db) }
        let conversations = try db.query(
            "SELECT conversation_id FROM messages_participants WHERE member_id = ?", [memberID]
        ) { try $0.value("conversation_id") as Int64 }
        for id in conversations { try removeParticipant(memberID, from: id, in: db) }
        try db.execute("DELETE FROM messages_dismissed WHERE member_id = ?", [memberID])
        try db.execute("DELETE FROM messages_report_context WHERE reporter_id = ?", [memberID])
        try db.execute("DELETE FROM messages_mail_settings WHERE member_id = ?", [memberID])
        try db.execute(
            "DELETE FROM messages_blocks WHERE member_id = ? OR blocked_id = ?", [memberID, memberID])
    }
}
