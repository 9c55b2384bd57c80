import Foundation
import Kernel
import Storage

/// Reading conversations. Everything here takes the reader and answers only what they may see:
/// a conversation only to its participants, and within it the messages after they were added,
/// not dismissed by them, not from members they block, not hidden by moderation (except their
/// own) and not from suspended members. Anything else reads as "not found".
extension MessagesService {
    /// The one visibility rule for message `m` (sender `s` in `membership_people`) as seen by
    /// participant row `p`; its arguments are the reader's id, four times.
    static let visibleMessage = visibleMessage(reader: "?")

    /// The rule with the reader named by an expression: "?" (a bound id) or "p.member_id" (every
    /// participant at once, for the search index's readers).
    static func visibleMessage(reader: String) -> String {
        """
        m.id > p.visible_after AND (m.hidden = 0 OR m.sender_id = \(reader))
        AND (s.status <> 'suspended' OR m.sender_id = \(reader))
        AND NOT EXISTS (SELECT 1 FROM messages_dismissed d WHERE d.member_id = \(reader) AND d.message_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM messages_blocks b WHERE b.member_id = \(reader) AND b.blocked_id = m.sender_id)
        """
    }

    static func visibilityArguments(_ readerID: Int64) -> [any DatabaseValueConvertible] {
        [readerID, readerID, readerID, readerID]
    }

    /// Whether `memberID` takes part in the conversation.
    func isParticipant(_ memberID: Int64, in conversationID: Int64, db: Connection) throws -> Bool {
        try db.scalar(
            "SELECT 1 FROM messages_participants WHERE conversation_id = ? AND member_id = ?",
            [conversationID, memberID], as: Int.self) != nil
    }

    func participants(of conversationID: Int64, in db: Connection) throws -> [Participant] {
        try db.query(
            """
            SELECT \(Participant.columns) FROM messages_participants p JOIN membership_people m ON m.id = p.member_id
            WHERE p.conversation_id = ? ORDER BY p.added_at, p.member_id
            """, [conversationID], Participant.decode)
    }

    /// The conversation as `readerID` sees it, or nil when they do not take part in it.
    public func conversation(id: Int64, reader readerID: Int64) throws -> Conversation? {
        try database.read { db in try conversation(id: id, reader: readerID, in: db) }
    }

    func conversation(id: Int64, reader readerID: Int64, in db: Connection) throws -> Conversation? {
        guard
            let (subject, createdAt, unread, archived) = try db.queryOne(
                """
                SELECT c.subject, c.created_at, p.unread, p.archived FROM messages_participants p
                JOIN messages_conversations c ON c.id = p.conversation_id WHERE p.conversation_id = ? AND p.member_id = ?
                """, [id, readerID],
                { row -> (String, Date, Int, Bool) in
                    (
                        try row.value("subject"), try row.value("created_at"), try row.value("unread"),
                        try row.value("archived")
                    )
                })
        else { return nil }
        return Conversation(
            id: id, subject: subject, createdAt: createdAt, participants: try participants(of: id, in: db),
            unread: unread, isArchived: archived, latest: nil)
    }

    /// A page of the conversation's messages `readerID` may see, oldest first: the newest
    /// `limit` before message `before` (nil: the newest), and the cursor of the earlier page.
    public func messages(
        in conversationID: Int64, reader readerID: Int64, before: Int64? = nil, limit: Int? = nil
    )
        throws -> (messages: [Message], earlier: Int64?)
    {
        let limit = PageSize.clamp(limit ?? messagesPerPage, to: 200)
        return try database.read { db in
            guard try isParticipant(readerID, in: conversationID, db: db) else { throw DomainError.notFound }
            var page = try db.query(
                """
                SELECT \(Message.columns) FROM messages_participants p
                JOIN messages_messages m ON m.conversation_id = p.conversation_id
                JOIN membership_people s ON s.id = m.sender_id
                WHERE p.conversation_id = ? AND p.member_id = ? AND m.id < ? AND \(Self.visibleMessage)
                ORDER BY m.id DESC LIMIT ?
                """,
                [conversationID, readerID, before ?? Int64.max] + Self.visibilityArguments(readerID) + [
                    limit + 1
                ],
                Message.decodeLeading)
            var earlier: Int64?
            if page.count > limit {
                page.removeLast()
                earlier = page.last?.id
            }
            return (page.reversed(), earlier)
        }
    }

    /// One message `readerID` may see, or nil.
    public func message(id: Int64, reader readerID: Int64) throws -> Message? {
        try database.read { db in try message(id: id, reader: readerID, in: db) }
    }

    func message(id: Int64, reader readerID: Int64, in db: Connection) throws -> Message? {
        try db.queryOne(
            """
            SELECT \(Message.columns) FROM messages_messages m
            JOIN messages_participants p ON p.conversation_id = m.conversation_id AND p.member_id = ?
            JOIN membership_people s ON s.id = m.sender_id
            WHERE m.id = ? AND \(Self.visibleMessage)
            """, [readerID, id] + Self.visibilityArguments(readerID), Message.decodeLeading)
    }

    /// Where message `id` is on its conversation's pages for `readerID`, or nil when they may not
    /// see it: the newest page, or the earlier page that ends with it.
    public func location(ofMessage id: Int64, reader readerID: Int64) throws -> String? {
        try database.read { db in
            guard let message = try message(id: id, reader: readerID, in: db) else { return nil }
            let newer =
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM messages_participants p
                    JOIN messages_messages m ON m.conversation_id = p.conversation_id
                    JOIN membership_people s ON s.id = m.sender_id
                    WHERE p.conversation_id = ? AND p.member_id = ? AND m.id > ? AND \(Self.visibleMessage)
                    """, [message.conversationID, readerID, id] + Self.visibilityArguments(readerID),
                    as: Int.self) ?? 0
            let page = newer < messagesPerPage ? "" : "?before=\(id + 1)"
            return "/messages/\(message.conversationID)\(page)#\(message.anchor)"
        }
    }

    /// A message as it is stored, whoever may see it: for the moderation hooks only.
    func storedMessage(id: Int64, in db: Connection) throws -> Message? {
        try db.queryOne(
            "SELECT \(Message.columns) FROM messages_messages m JOIN membership_people s ON s.id = m.sender_id WHERE m.id = ?",
            [id], Message.decodeLeading)
    }

    /// Which box of the inbox.
    public enum Box: String, Sendable, CaseIterable {
        case inbox, archived
    }

    /// A page of the member's conversations, the most recently active first, each with its
    /// participants, unread count and newest visible message; `before` is the previous page's
    /// cursor. Two queries whatever the page's length: the rows in the inbox index's order, each
    /// with its newest visible message (a correlated lookup walking the conversation's index from
    /// its newest message), then the participants of every listed conversation at once.
    public func inbox(of readerID: Int64, box: Box = .inbox, before: Int64? = nil, limit: Int? = nil) throws
        -> (conversations: [Conversation], next: Int64?)
    {
        let limit = PageSize.clamp(limit ?? Self.conversationsPerPage, to: 100)
        return try database.read { db in
            var rows = try db.query(
                """
                SELECT p.conversation_id, p.last_message_id AS position, p.unread, p.archived, c.subject,
                    c.created_at AS started_at, lm.id, lm.sender_id, ls.handle, ls.name, lm.body, lm.created_at,
                    lm.hidden, lm.removed, lm.preview
                FROM messages_participants p JOIN messages_conversations c ON c.id = p.conversation_id
                LEFT JOIN messages_messages lm ON lm.id = (
                    SELECT m.id FROM messages_messages m JOIN membership_people s ON s.id = m.sender_id
                    WHERE m.conversation_id = p.conversation_id AND \(Self.visibleMessage)
                    ORDER BY m.id DESC LIMIT 1)
                LEFT JOIN membership_people ls ON ls.id = lm.sender_id
                WHERE p.member_id = ? AND p.archived = ? AND p.last_message_id < ?
                ORDER BY p.last_message_id DESC LIMIT ?
                """,
                Self.visibilityArguments(readerID) + [
                    readerID, box == .archived, before ?? Int64.max, limit + 1,
                ]
            ) { row -> (Conversation, Int64) in
                // By position, in the SELECT's order: twenty rows of fifteen columns a page.
                let id: Int64 = try row.value(column: 0)
                let latest: Message? =
                    try row.optional(column: 6) as Int64? == nil
                    ? nil : try Message.decode(row, from: 6, conversationID: id)
                return (
                    Conversation(
                        id: id, subject: try row.value(column: 4),
                        createdAt: try row.value(column: 5), participants: [],
                        unread: try row.value(column: 2),
                        isArchived: try row.value(column: 3), latest: latest),
                    try row.value(column: 1)
                )
            }
            var next: Int64?
            if rows.count > limit {
                rows.removeLast()
                next = rows.last?.1
            }
            var people: [Int64: [Participant]] = [:]
            if !rows.isEmpty {
                try db.forEach(
                    """
                    SELECT p.conversation_id, \(Participant.columns) FROM messages_participants p
                    JOIN membership_people m ON m.id = p.member_id
                    WHERE p.conversation_id IN (SELECT value FROM json_each(?))
                    ORDER BY p.conversation_id, p.added_at, p.member_id
                    """, ["[" + rows.map { String($0.0.id) }.joined(separator: ",") + "]"]
                ) { row in
                    people[try row.value(column: 0), default: []].append(try Participant.decode(row, from: 1))
                }
            }
            return (
                rows.map { row in
                    var conversation = row.0
                    conversation.participants = people[conversation.id] ?? []
                    return conversation
                }, next
            )
        }
    }

    /// Unread messages in the member's conversations: the count by "Messages" in the header,
    /// which shows "99+" from 100 on. Exact while fewer than 100 conversations hold unread
    /// messages; past that a sum over 100 of them (100 or more), so the header costs the same
    /// for a member with 250 unread conversations as for one with 100.
    public func unreadCount(of memberID: Int64) throws -> Int {
        try database.read { db in
            try db.scalar(
                """
                SELECT COALESCE(SUM(unread), 0) FROM (
                    SELECT unread FROM messages_participants WHERE member_id = ? AND unread > 0 LIMIT 100) AS u
                """,
                [memberID], as: Int.self) ?? 0
        }
    }

    // MARK: Read API for other modules (search)

    /// The conversations `memberID` takes part in (ids, newest activity first): what a search
    /// index may offer them, and nothing else.
    public func conversationIDs(of memberID: Int64, limit: Int = 1000) throws -> [Int64] {
        try database.read { db in
            try db.query(
                """
                SELECT conversation_id FROM messages_participants WHERE member_id = ?
                ORDER BY last_message_id DESC LIMIT ?
                """, [memberID, PageSize.clamp(limit, to: 10_000)]
            ) { try $0.value("conversation_id") as Int64 }
        }
    }

    /// Whether `memberID` may see message `messageID` now (a search result is checked with this
    /// at query time: the answer changes when they leave, dismiss, block or are blocked).
    public func isVisible(messageID: Int64, to memberID: Int64) throws -> Bool {
        try message(id: messageID, reader: memberID) != nil
    }
}
