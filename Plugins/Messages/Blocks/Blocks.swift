import Foundation
import Kernel
import Storage

/// Blocking: a member you block cannot start a conversation with you or add you to one, cannot
/// write in a two-person conversation with you, and you stop seeing their messages everywhere
/// (past ones too). They are not told. Administrators and moderators cannot be blocked: they
/// must be able to reach every member.
extension MessagesService {
    /// A member someone blocks.
    public struct BlockedMember: Sendable, Equatable {
        public var memberID: Int64
        public var handle: String
        public var name: String
        public var blockedAt: Date
    }

    public func block(handle: String, by member: SignedInMember) throws -> Person {
        guard let person = try person(handle: handle), person.status != .deleted else {
            throw DomainError.invalid([
                FieldError(field: "handle", message: "There is no member with the handle “\(handle)”.")
            ])
        }
        if person.id == member.id {
            throw DomainError.invalid([FieldError(field: "handle", message: "You cannot block yourself.")])
        }
        if person.role >= .moderator {
            throw DomainError.forbidden(
                "Administrators and moderators cannot be blocked: they must be able to reach every member. If one of them is troubling you, use Report an Issue."
            )
        }
        let now = self.now
        try database.write { db in
            try db.execute(
                "INSERT INTO messages_blocks (member_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [member.id, person.id, now])
            try recountShared(member.id, person.id, in: db)
        }
        return person
    }

    public func unblock(handle: String, by member: SignedInMember) throws {
        guard let person = try person(handle: handle) else { throw DomainError.notFound }
        try database.write { db in
            try db.execute(
                "DELETE FROM messages_blocks WHERE member_id = ? AND blocked_id = ?", [member.id, person.id])
            guard db.changes > 0 else { throw DomainError.notFound }
            try recountShared(member.id, person.id, in: db)
        }
    }

    /// The member's unread counts in the conversations they share with `otherID`, and what of
    /// `otherID`'s messages there they find in search.
    private func recountShared(_ memberID: Int64, _ otherID: Int64, in db: Connection) throws {
        let shared = try db.query(
            """
            SELECT a.conversation_id, a.visible_after FROM messages_participants a
            JOIN messages_participants b ON b.conversation_id = a.conversation_id AND b.member_id = ?
            WHERE a.member_id = ?
            """, [otherID, memberID]
        ) { (id: try $0.value("conversation_id") as Int64, after: try $0.value("visible_after") as Int64) }
        for conversation in shared {
            try recountUnread(in: conversation.id, for: memberID, in: db)
            try reindexMessages(in: conversation.id, after: conversation.after, from: otherID, in: db)
        }
    }

    /// The members `memberID` blocks, most recent first.
    public func blocked(by memberID: Int64, limit: Int = 200) throws -> [BlockedMember] {
        try database.read { db in try blocked(by: memberID, limit: limit, in: db) }
    }

    func blocked(by memberID: Int64, limit: Int = 1000, in db: Connection) throws -> [BlockedMember] {
        try db.query(
            """
            SELECT b.blocked_id, m.handle, m.name, b.created_at FROM messages_blocks b
            JOIN membership_people m ON m.id = b.blocked_id WHERE b.member_id = ?
            ORDER BY b.created_at DESC, b.blocked_id DESC LIMIT ?
            """, [memberID, PageSize.clamp(limit, to: 1000)]
        ) { row in
            BlockedMember(
                memberID: try row.value("blocked_id"), handle: try row.value("handle"),
                name: try row.value("name"),
                blockedAt: try row.value("created_at"))
        }
    }
}
