import Foundation
import Kernel
import Storage

/// Writing: starting a conversation, sending, adding people, reading, archiving, leaving and
/// deleting a message for oneself. A new message is screened by the content gate in the write
/// that stores it; only a published one is delivered (unread counts, inbox order, mail), and a
/// held one when moderation releases it. Nothing is posted to the activity stream.
extension MessagesService {
    /// A new conversation: handles of the other members, an optional subject and the first message.
    public struct NewConversation: Sendable, Equatable {
        public var to: [String]
        public var subject: String
        public var body: String
        public init(to: [String], subject: String = "", body: String) {
            self.to = to
            self.subject = subject
            self.body = body
        }
    }

    /// Splits "ben, @cara dan" into handles.
    public static func handles(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { word in
            String(word.hasPrefix("@") ? word.dropFirst() : word[...]).lowercased()
        }.filter { !$0.isEmpty }
    }

    /// The recipients of a new conversation or addition: members found by handle, not the writer,
    /// each one `sender` may write to. Throws the field errors, or the first refusal.
    func recipients(_ handles: [String], field: String, sender: SignedInMember, room: Int) throws -> [Person]
    {
        var unique: [String] = []
        for handle in handles.flatMap(Self.handles) where !unique.contains(handle) { unique.append(handle) }
        var check = Validation()
        if unique.isEmpty { check.add(field, "Name at least one member to write to.") }
        if unique.count > room {
            check.add(field, "A conversation can have at most \(maximumParticipants) members, you included.")
        }
        var people: [Person] = []
        for handle in unique.prefix(room) {
            guard let person = try person(handle: handle), person.status != .deleted else {
                check.add(field, "There is no member with the handle “\(handle)”.")
                continue
            }
            if person.id == sender.id {
                check.add(field, "You are in the conversation already; name the others.")
                continue
            }
            people.append(person)
        }
        try check.finish()
        for person in people {
            if let refusal = try refusal(from: sender, to: person) { throw DomainError.forbidden(refusal) }
        }
        return people
    }

    func validateBody(_ body: String) throws -> String {
        var check = Validation()
        let text = check.required(
            body, field: "body", label: "Your message", maxLength: Self.maximumBodyLength)
        try check.finish()
        return text
    }

    /// Starts a conversation with its first message.
    public func start(_ draft: NewConversation, by sender: SignedInMember) throws -> Conversation {
        try sender.requireMayWrite()
        var check = Validation()
        let subject = check.optionalSingleLine(
            draft.subject, field: "subject", label: "Subject", maxLength: Self.maximumSubjectLength)
        let body = check.required(
            draft.body, field: "body", label: "Your message", maxLength: Self.maximumBodyLength)
        try check.finish()
        let people = try recipients(draft.to, field: "to", sender: sender, room: maximumParticipants - 1)
        let now = self.now
        let id = try database.write { db -> Int64 in
            try checkLimits(for: sender, body: body, startingConversation: true, in: db)
            try db.execute(
                "INSERT INTO messages_conversations (subject, created_by, created_at) VALUES (?, ?, ?)",
                [subject, sender.id, now])
            let id = db.lastInsertedRowID
            for memberID in [sender.id] + people.map(\.id) {
                try db.execute(
                    "INSERT INTO messages_participants (conversation_id, member_id, added_by, added_at) VALUES (?, ?, ?, ?)",
                    [id, memberID, sender.id, now])
            }
            try post(body, in: id, by: sender, in: db)
            return id
        }
        guard let conversation = try conversation(id: id, reader: sender.id) else {
            throw DomainError.notFound
        }
        return conversation
    }

    /// Sends a message in a conversation `sender` takes part in.
    @discardableResult
    public func send(_ body: String, in conversationID: Int64, by sender: SignedInMember) throws -> Message {
        try sender.requireMayWrite()
        let text = try validateBody(body)
        let id = try database.write { db -> Int64 in
            guard try isParticipant(sender.id, in: conversationID, db: db) else { throw DomainError.notFound }
            let others = try participants(of: conversationID, in: db).filter { $0.memberID != sender.id }
            if others.isEmpty {
                throw DomainError.conflict(
                    "Everyone else has left this conversation, so nobody would read your message.")
            }
            if !sender.isModerator {
                let blockers = try others.filter { try hasBlocked($0.memberID, sender.id, in: db) }
                if blockers.count == others.count {
                    throw DomainError.forbidden(
                        "\(blockers.map(\.name).joined(separator: ", ")) \(blockers.count == 1 ? "does" : "do") not accept messages from you."
                    )
                }
            }
            try checkLimits(for: sender, body: text, startingConversation: false, in: db)
            return try post(text, in: conversationID, by: sender, in: db)
        }
        guard let message = try message(id: id, reader: sender.id) else { throw DomainError.notFound }
        return message
    }

    /// Stores a message, screens it and, when published, delivers it; the sender's own row
    /// moves to the top of their inbox and counts it read.
    @discardableResult
    func post(_ text: String, in conversationID: Int64, by sender: SignedInMember, in db: Connection) throws
        -> Int64
    {
        try db.execute(
            "INSERT INTO messages_messages (conversation_id, sender_id, body, preview, created_at) VALUES (?, ?, ?, ?, ?)",
            [conversationID, sender.id, text, Message.preview(of: text), now])
        let id = db.lastInsertedRowID
        try db.execute(
            """
            UPDATE messages_participants SET last_message_id = ?, last_read_id = ?, archived = 0
            WHERE conversation_id = ? AND member_id = ?
            """, [id, id, conversationID, sender.id])
        let decision = try services.contentCreated(
            ContentSubmission(
                module: "messages", kind: MessagesReportables.kind, id: id, authorID: sender.id), in: db)
        // A held message reaches nobody but its sender until a moderator releases it.
        if decision.isPublished { try deliver(messageID: id, in: db) }
        return id
    }

    /// Delivers a published message: every other participant who does not block its sender gets
    /// it counted unread, sees the conversation at the top of their inbox (out of the archive),
    /// and is notified (``MessageNotices``) if it is the first unread one there.
    func deliver(messageID: Int64, in db: Connection) throws {
        guard let message = try storedMessage(id: messageID, in: db), !message.isHidden, !message.isRemoved
        else {
            return
        }
        // Once only: a message released after a moderator hid it again is not counted twice.
        try db.execute(
            "UPDATE messages_messages SET delivered = 1 WHERE id = ? AND delivered = 0", [messageID])
        guard db.changes == 1 else { return }
        try db.execute(
            "UPDATE messages_conversations SET last_message_id = ? WHERE id = ? AND last_message_id < ?",
            [messageID, message.conversationID, messageID])
        let recipients = try db.query(
            """
            SELECT p.member_id, p.unread FROM messages_participants p
            WHERE p.conversation_id = ? AND p.member_id <> ? AND p.visible_after < ?
            AND NOT EXISTS (SELECT 1 FROM messages_blocks b WHERE b.member_id = p.member_id AND b.blocked_id = ?)
            """, [message.conversationID, message.senderID, messageID, message.senderID]
        ) { row -> (id: Int64, unread: Int) in (try row.value("member_id"), try row.value("unread")) }
        for recipient in recipients {
            try db.execute(
                """
                UPDATE messages_participants SET unread = unread + 1, archived = 0,
                    last_message_id = CASE WHEN last_message_id < ? THEN ? ELSE last_message_id END
                WHERE conversation_id = ? AND member_id = ?
                """, [messageID, messageID, message.conversationID, recipient.id])
        }
        let firstUnread = recipients.filter { $0.unread == 0 }.map(\.id)
        try MessageNotices(messages: self).newMessage(message, to: firstUnread, in: db)
    }

    /// Marks everything in the conversation read for `readerID` (a write only when something was unread).
    /// The conversation's notification in the bell goes read with it.
    public func markRead(_ conversationID: Int64, by readerID: Int64) throws {
        let state = try database.read { db -> (newest: Int64, notice: Int64?)? in
            try db.queryOne(
                """
                SELECT p.last_message_id, p.notice_id FROM messages_participants p
                WHERE p.conversation_id = ? AND p.member_id = ?
                AND (p.unread > 0 OR p.last_read_id < p.last_message_id OR p.notice_id IS NOT NULL)
                """, [conversationID, readerID]
            ) { row in (try row.value("last_message_id"), try row.optional("notice_id")) }
        }
        guard let state else { return }
        try database.write { db in
            try db.execute(
                """
                UPDATE messages_participants SET unread = 0, last_read_id = MAX(last_read_id, ?), notice_id = NULL
                WHERE conversation_id = ? AND member_id = ?
                """, [state.newest, conversationID, readerID])
        }
        if let notice = state.notice { try services.notifications.markRead(id: notice, memberID: readerID) }
    }

    /// Adds members to a conversation; they see it from now on, not what was said before.
    public func add(_ handles: [String], to conversationID: Int64, by adder: SignedInMember) throws
        -> [Person]
    {
        try adder.requireMayWrite()
        let current = try database.read { db -> [Participant] in
            guard try isParticipant(adder.id, in: conversationID, db: db) else { throw DomainError.notFound }
            return try participants(of: conversationID, in: db)
        }
        let newcomers = try recipients(
            handles.filter { handle in !current.contains { $0.handle == handle } }, field: "to",
            sender: adder,
            room: maximumParticipants - current.count)
        let now = self.now
        try database.write { db in
            guard try isParticipant(adder.id, in: conversationID, db: db) else { throw DomainError.notFound }
            let newest =
                try db.scalar(
                    "SELECT COALESCE(MAX(id), 0) FROM messages_messages WHERE conversation_id = ?",
                    [conversationID],
                    as: Int64.self) ?? 0
            let count =
                try db.scalar(
                    "SELECT COUNT(*) FROM messages_participants WHERE conversation_id = ?", [conversationID],
                    as: Int.self) ?? 0
            if count + newcomers.count > maximumParticipants {
                throw DomainError.invalid([
                    FieldError(
                        field: "to",
                        message:
                            "A conversation can have at most \(maximumParticipants) members, you included.")
                ])
            }
            for person in newcomers {
                try db.execute(
                    """
                    INSERT INTO messages_participants (conversation_id, member_id, added_by, added_at, visible_after,
                        last_message_id, last_read_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (conversation_id, member_id) DO NOTHING
                    """, [conversationID, person.id, adder.id, now, newest, newest, newest])
            }
        }
        return newcomers
    }

    /// Moves a conversation into or out of the member's archive (a new message brings it back).
    public func setArchived(_ archived: Bool, conversationID: Int64, by memberID: Int64) throws {
        try database.write { db in
            guard try isParticipant(memberID, in: conversationID, db: db) else { throw DomainError.notFound }
            try db.execute(
                "UPDATE messages_participants SET archived = ? WHERE conversation_id = ? AND member_id = ?",
                [archived, conversationID, memberID])
        }
    }

    /// Leaves a conversation: it goes from the member's inbox and they no longer see it; what
    /// they wrote stays for the others. The last one out purges it.
    public func leave(_ conversationID: Int64, by memberID: Int64) throws {
        try database.write { db in
            guard try isParticipant(memberID, in: conversationID, db: db) else { throw DomainError.notFound }
            try removeParticipant(memberID, from: conversationID, in: db)
        }
    }

    func removeParticipant(_ memberID: Int64, from conversationID: Int64, in db: Connection) throws {
        let visibleAfter = try db.scalar(
            "SELECT visible_after FROM messages_participants WHERE conversation_id = ? AND member_id = ?",
            [conversationID, memberID], as: Int64.self)
        try db.execute(
            """
            DELETE FROM messages_dismissed WHERE member_id = ?
            AND message_id IN (SELECT id FROM messages_messages WHERE conversation_id = ?)
            """, [memberID, conversationID])
        try db.execute(
            "DELETE FROM messages_participants WHERE conversation_id = ? AND member_id = ?",
            [conversationID, memberID])
        try purgeIfEmpty(conversationID, in: db)
        // What they could find in search goes with them (a purged conversation's messages left
        // the index with their events).
        if let visibleAfter { try reindexMessages(in: conversationID, after: visibleAfter, in: db) }
    }

    /// Deletes a conversation nobody takes part in any more, with its messages.
    func purgeIfEmpty(_ conversationID: Int64, in db: Connection) throws {
        guard
            try db.scalar(
                "SELECT 1 FROM messages_participants WHERE conversation_id = ? LIMIT 1", [conversationID],
                as: Int.self) == nil
        else { return }
        let ids = try db.query("SELECT id FROM messages_messages WHERE conversation_id = ?", [conversationID])
        {
            try $0.value("id") as Int64
        }
        try db.execute("DELETE FROM messages_messages WHERE conversation_id = ?", [conversationID])
        try db.execute("DELETE FROM messages_conversations WHERE id = ?", [conversationID])
        for id in ids {
            try services.events.publish(
                ContentEvent(
                    module: "messages", kind: MessagesReportables.kind, id: id, authorID: nil,
                    action: .deleted),
                in: db)
        }
    }

    /// Deletes a message from the member's own view of the conversation (the others keep it).
    public func dismiss(messageID: Int64, by memberID: Int64) throws {
        try database.write { db in
            guard let message = try message(id: messageID, reader: memberID, in: db) else {
                throw DomainError.notFound
            }
            try db.execute(
                "INSERT INTO messages_dismissed (member_id, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [memberID, messageID])
            try recountUnread(in: message.conversationID, for: memberID, in: db)
            try reindexMessage(messageID, in: db)
        }
    }

    /// Counts again the messages `memberID` has not read and may see (after a block, a dismissal
    /// or a moderator's hiding changed what they see).
    func recountUnread(in conversationID: Int64, for memberID: Int64, in db: Connection) throws {
        try db.execute(
            """
            UPDATE messages_participants SET unread = (
                SELECT COUNT(*) FROM messages_messages m JOIN membership_people s ON s.id = m.sender_id
                JOIN messages_participants p ON p.conversation_id = m.conversation_id AND p.member_id = ?
                WHERE m.conversation_id = ? AND m.sender_id <> ? AND m.id > p.last_read_id AND m.delivered = 1
                AND \(Self.visibleMessage))
            WHERE conversation_id = ? AND member_id = ?
            """,
            [memberID, conversationID, memberID] + Self.visibilityArguments(memberID) + [
                conversationID, memberID,
            ])
    }
}
