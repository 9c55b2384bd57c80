import Foundation
import Kernel
import Storage

/// Messages in search, found only by those who may read them. The kernel indexes a message
/// from its ``ContentEvent``s (sent, held, hidden, restored, deleted) inside each write; its
/// audience is ``SearchAudience/participants(_:)``: the members for whom
/// ``MessagesService/visibleMessage(reader:)`` — the same rule as the conversation page —
/// holds now (participants since before it, not dismissing it, not blocking its sender; only
/// its sender while it is held or hidden, or its sender is suspended). The index checks the
/// searcher against that list at query time. Whatever changes the list without an event —
/// leaving, being removed with an erased account, deleting a message for oneself, blocking and
/// unblocking — reindexes the messages it touches in the same write, so a result never outlives
/// the right to read it. A removed message (its author erased) leaves the index with its text.
///
/// ```swift
/// MessagesSearch.register(in: context, messages: messages)   // in bootstrap
/// ```
enum MessagesSearch {
    static func register(in context: ModuleContext, messages: MessagesService) {
        context.searchable(
            SearchableKind(
                module: "messages", kind: MessagesReportables.kind, label: "Messages",
                aliases: ["message", "messages", "conversation"],
                document: { id, db in try messages.searchDocument(messageID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM messages_messages WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) { try $0.value("id") as Int64 }
                }))
    }
}

extension MessagesService {
    func searchDocument(messageID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let message = try storedMessage(id: messageID, in: db), !message.isRemoved else { return nil }
        let readers = try db.query(
            """
            SELECT p.member_id FROM messages_messages m JOIN membership_people s ON s.id = m.sender_id
            JOIN messages_participants p ON p.conversation_id = m.conversation_id
            WHERE m.id = ? AND \(Self.visibleMessage(reader: "p.member_id"))
            """, [messageID]
        ) { try $0.value("member_id") as Int64 }
        let subject =
            try db.scalar(
                "SELECT subject FROM messages_conversations WHERE id = ?", [message.conversationID],
                as: String.self) ?? ""
        var document = SearchDocument(
            title: subject.isEmpty
                ? "Message from \(message.senderName)" : "\(message.senderName) in “\(subject)”",
            body: message.body, url: "/messages/m/\(message.id)", authorID: message.senderID,
            audience: .participants(readers), state: message.isHidden ? .draft : .published,
            date: message.createdAt)
        // The title only labels the result: its words are not what the message says.
        document.titleIsSearchable = false
        return document
    }

    /// Indexes again the messages of a conversation after `afterID` (optionally only `senderID`'s),
    /// after a change of who may read them.
    func reindexMessages(
        in conversationID: Int64, after afterID: Int64 = 0, from senderID: Int64? = nil, in db: Connection
    )
        throws
    {
        let ids = try db.query(
            """
            SELECT id FROM messages_messages WHERE conversation_id = ? AND id > ? AND (? IS NULL OR sender_id = ?)
            ORDER BY id
            """, [conversationID, afterID, senderID, senderID]
        ) { try $0.value("id") as Int64 }
        for id in ids { try reindexMessage(id, in: db) }
    }

    func reindexMessage(_ id: Int64, in db: Connection) throws {
        try services.search.reindex(
            SearchItem(kind: MessagesReportables.kind, id: id), cascade: false, in: db)
    }
}
