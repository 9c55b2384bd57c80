import Foundation
import Kernel
import Membership
import Storage

/// A conversation as one participant sees it: its other members, their place in it (unread,
/// archived) and, in the inbox, the newest message they may see.
public struct Conversation: Sendable, Equatable {
    public var id: Int64
    public var subject: String
    public var createdAt: Date
    /// Everyone taking part now, the reader included, in the order they were added.
    public var participants: [Participant]
    public var unread: Int
    public var isArchived: Bool
    /// The newest message the reader may see (the inbox's preview); nil on the conversation page.
    public var latest: Message?

    public var path: String { "/messages/\(id)" }

    /// The subject, or the other participants' names.
    public func title(for readerID: Int64) -> String {
        if !subject.isEmpty { return subject }
        let others = participants.filter { $0.memberID != readerID }.map(\.name)
        switch others.count {
        case 0: return "Only you"
        case 1...3: return others.joined(separator: ", ")
        default: return others.prefix(3).joined(separator: ", ") + " and \(others.count - 3) more"
        }
    }

    public func others(than readerID: Int64) -> [Participant] {
        participants.filter { $0.memberID != readerID }
    }
}

/// A member taking part in a conversation.
public struct Participant: Sendable, Equatable {
    public var memberID: Int64
    public var handle: String
    public var name: String
    public var addedAt: Date
    /// The newest message they have read (for read receipts).
    public var lastReadID: Int64

    static let columns = "p.member_id, m.handle, m.name, p.added_at, p.last_read_id"

    /// Decodes ``columns`` from position `first` on (the inbox reads 40 or more at once).
    static func decode(_ row: Row, from first: Int) throws -> Participant {
        Participant(
            memberID: try row.value(column: first), handle: try row.value(column: first + 1),
            name: try row.value(column: first + 2),
            addedAt: try row.value(column: first + 3), lastReadID: try row.value(column: first + 4))
    }

    static func decode(_ row: Row) throws -> Participant {
        Participant(
            memberID: try row.value("member_id"), handle: try row.value("handle"),
            name: try row.value("name"),
            addedAt: try row.value("added_at"), lastReadID: try row.value("last_read_id"))
    }
}

/// One message. `isRemoved`: its author deleted their account, and its text went with it.
public struct Message: Sendable, Equatable {
    public var id: Int64
    public var conversationID: Int64
    public var senderID: Int64
    public var senderHandle: String
    public var senderName: String
    public var body: String
    public var createdAt: Date
    /// Hidden by moderation (or held by the content gate): only its sender sees it.
    public var isHidden: Bool
    public var isRemoved: Bool
    /// The inbox's preview: ``Message/preview(of:)`` of the body, made once when it was sent.
    public var preview: String

    public var anchor: String { "message-\(id)" }
    public var path: String { "/messages/\(conversationID)#\(anchor)" }
    public var senderIsFormerMember: Bool { senderName == Member.formerMemberName }

    static let removedText = "This message was removed when its author deleted their account."

    /// The plain-text start of a body that the inbox shows (stored with the message: reading
    /// Markdown for every row of every inbox view was a fifth of the inbox's CPU).
    static func preview(of body: String) -> String { Excerpt.make(body, length: 120) }

    /// Columns of `messages_messages m` joined with `membership_people s` (the sender).
    static let columns =
        "m.id, m.conversation_id, m.sender_id, s.handle, s.name, m.body, m.created_at, m.hidden, m.removed, m.preview"

    /// Decodes a row that begins with ``columns``, by position: a conversation page decodes 30
    /// and finding ten columns by name was a twentieth of its CPU (callgrind).
    static func decodeLeading(_ row: Row) throws -> Message {
        Message(
            id: try row.value(column: 0), conversationID: try row.value(column: 1),
            senderID: try row.value(column: 2), senderHandle: try row.value(column: 3),
            senderName: try row.value(column: 4), body: try row.value(column: 5),
            createdAt: try row.value(column: 6),
            isHidden: try row.value(column: 7), isRemoved: try row.value(column: 8),
            preview: try row.value(column: 9))
    }

    /// Decodes ``columns`` but `m.conversation_id`, from position `first` on, with the
    /// conversation given (the inbox's newest message of each row).
    static func decode(_ row: Row, from first: Int, conversationID: Int64) throws -> Message {
        Message(
            id: try row.value(column: first), conversationID: conversationID,
            senderID: try row.value(column: first + 1), senderHandle: try row.value(column: first + 2),
            senderName: try row.value(column: first + 3), body: try row.value(column: first + 4),
            createdAt: try row.value(column: first + 5),
            isHidden: try row.value(column: first + 6), isRemoved: try row.value(column: first + 7),
            preview: try row.value(column: first + 8))
    }

    static func decode(_ row: Row) throws -> Message {
        Message(
            id: try row.value("id"), conversationID: try row.value("conversation_id"),
            senderID: try row.value("sender_id"), senderHandle: try row.value("handle"),
            senderName: try row.value("name"), body: try row.value("body"),
            createdAt: try row.value("created_at"),
            isHidden: try row.value("hidden"), isRemoved: try row.value("removed"),
            preview: try row.value("preview"))
    }
}
