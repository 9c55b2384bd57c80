import Foundation
import Kernel
import Storage

/// Friends: requests, friendships, and the lists of both.
extension MembershipService {
    public enum Relationship: String, Sendable, Equatable, Codable, CaseIterable {
        case none, friends
        case requestSent = "request_sent"
        case requestReceived = "request_received"
        case same
    }

    public func relationship(between a: Int64, and b: Int64) throws -> Relationship {
        if a == b { return .same }
        return try database.read { db in try relationship(between: a, and: b, in: db) }
    }

    func relationship(between a: Int64, and b: Int64, in db: Connection) throws -> Relationship {
        if a == b { return .same }
        if try db.scalar(
            "SELECT 1 FROM membership_friendships WHERE member_id = ? AND friend_id = ?", [a, b], as: Int.self) != nil
        {
            return .friends
        }
        if try db.scalar(
            "SELECT 1 FROM membership_friend_requests WHERE from_id = ? AND to_id = ?", [a, b], as: Int.self) != nil
        {
            return .requestSent
        }
        if try db.scalar(
            "SELECT 1 FROM membership_friend_requests WHERE from_id = ? AND to_id = ?", [b, a], as: Int.self) != nil
        {
            return .requestReceived
        }
        return .none
    }

    /// Sends a friend request, or accepts the one `to` already sent. Returns the new relationship.
    @discardableResult
    public func befriend(from: Member, to otherID: Int64) throws -> Relationship {
        guard from.status == .active else {
            throw DomainError.forbidden("Your membership is waiting for approval.")
        }
        guard from.id != otherID else { throw WebError.badRequest("You cannot befriend yourself.") }
        return try database.write { db in
            guard let other = try member(id: otherID, in: db), other.status == .active else {
                throw DomainError.notFound
            }
            switch try relationship(between: from.id, and: otherID, in: db) {
            case .friends, .requestSent, .same:
                return try relationship(between: from.id, and: otherID, in: db)
            case .requestReceived:
                try makeFriends(from, other, in: db)
                return .friends
            case .none:
                let recent =
                    try db.scalar(
                        "SELECT count(*) FROM membership_friend_requests WHERE from_id = ? AND created_at > ?",
                        [from.id, now.addingTimeInterval(-3600)], as: Int.self) ?? 0
                if recent >= friendRequestsPerHour {
                    throw DomainError.rateLimited(
                        "You have sent \(recent) friend requests in the last hour. Please wait a while before sending more."
                    )
                }
                try db.execute(
                    "INSERT INTO membership_friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)",
                    [from.id, otherID, now])
                try services.notifications.publish(
                    NewNotification(
                        recipientID: other.id, kind: SocialNotifications.friendRequest.id,
                        actor: NotificationActor(id: from.id, name: from.name, handle: from.handle), subject: nil,
                        text: "sent you a friend request", link: "/friends"), in: db)
                return .requestSent
            }
        }
    }

    private func makeFriends(_ a: Member, _ b: Member, in db: Connection) throws {
        try db.execute(
            "DELETE FROM membership_friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
            [a.id, b.id, b.id, a.id])
        try db.execute(
            "INSERT OR IGNORE INTO membership_friendships (member_id, friend_id, created_at) VALUES (?, ?, ?), (?, ?, ?)",
            [a.id, b.id, now, b.id, a.id, now])
        try services.activity.record(
            activity(
                a, verb: "befriended", objectKind: "member", objectID: b.id, objectTitle: b.name,
                objectURL: b.profilePath),
            at: now, in: db)
    }

    /// Declines a request `from` sent to `member`, or cancels one `member` sent.
    public func dropRequest(between member: Int64, and other: Int64) throws {
        try database.write { db in
            try db.execute(
                "DELETE FROM membership_friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                [member, other, other, member])
        }
    }

    public func unfriend(_ member: Int64, _ other: Int64) throws {
        try database.write { db in
            try db.execute(
                "DELETE FROM membership_friendships WHERE (member_id = ? AND friend_id = ?) OR (member_id = ? AND friend_id = ?)",
                [member, other, other, member])
        }
    }

    public func friends(of memberID: Int64, limit: Int = 500) throws -> [Member] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Member.columns) FROM membership_friendships f JOIN membership_members m ON m.id = f.friend_id
                WHERE f.member_id = ? AND m.status = 'active' ORDER BY m.name COLLATE NOCASE LIMIT ?
                """, [memberID, limit], Member.decode)
        }
    }

    /// A few friends for the profile page, in the friendship index's order: no sort over all of
    /// a popular member's friends.
    public func someFriends(of memberID: Int64, limit: Int) throws -> [Member] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Member.columns) FROM membership_friendships f JOIN membership_members m ON m.id = f.friend_id
                WHERE f.member_id = ? AND m.status = 'active' ORDER BY f.friend_id LIMIT ?
                """, [memberID, limit], Member.decode)
        }
    }

    public func friendIDs(of memberID: Int64) throws -> [Int64] {
        try database.read { db in
            try db.query("SELECT friend_id FROM membership_friendships WHERE member_id = ?", [memberID]) {
                try $0.value("friend_id")
            }
        }
    }

    public func friendCount(of memberID: Int64) throws -> Int {
        try database.read {
            try $0.scalar("SELECT friend_count FROM membership_members WHERE id = ?", [memberID], as: Int.self) ?? 0
        }
    }

    public func requests(to memberID: Int64) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM membership_friend_requests r JOIN membership_members m ON m.id = r.from_id WHERE r.to_id = ? AND m.status = 'active' ORDER BY r.created_at DESC",
                [memberID], Member.decode)
        }
    }

    public func requests(from memberID: Int64) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM membership_friend_requests r JOIN membership_members m ON m.id = r.to_id WHERE r.from_id = ? ORDER BY r.created_at DESC",
                [memberID], Member.decode)
        }
    }
}
