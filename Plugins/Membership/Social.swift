import Foundation
import Kernel
import Markdown
import Storage

/// A status update.
public struct Status: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var body: String
    public var createdAt: Date
    public var hidden: Bool
}

extension MembershipService {
    // MARK: Profiles

    public struct ProfileUpdate: Sendable {
        public var name: String
        public var handle: String
        public var bio: String
        public var answers: [String: String]
    }

    public func updateProfile(memberID: Int64, _ update: ProfileUpdate) throws -> Member {
        var check = Validation()
        let name = check.requiredSingleLine(update.name, field: "name", label: "Your name", maxLength: 80)
        let handle = update.handle.trimmingCharacters(in: .whitespaces).lowercased()
        if let problem = Handle.problem(with: handle) { check.add("handle", problem) }
        let bio = check.optional(update.bio, field: "bio", label: "Your bio", maxLength: 5000)
        let answers = validateAnswers(update.answers, atSignUp: false, check: &check)
        try check.finish()
        return try database.write { db in
            guard let before = try member(id: memberID, in: db) else { throw DomainError.notFound }
            if handle != before.handle, try handleTaken(handle, in: db) {
                throw DomainError.invalid([
                    FieldError(field: "handle", message: "That handle is taken. Choose another.")
                ])
            }
            try db.execute(
                "UPDATE members SET name = ?, handle = ?, bio = ?, updated_at = ? WHERE id = ?",
                [name, handle, bio, now, memberID])
            try db.execute("DELETE FROM profile_answers WHERE member_id = ?", [memberID])
            for (question, value) in answers {
                try db.execute(
                    "INSERT INTO profile_answers (member_id, question, value) VALUES (?, ?, ?)",
                    [memberID, question, value])
            }
            if name != before.name || handle != before.handle {
                try services.activity.update(
                    .actor(memberID), ActivityUpdate(actorName: name, actorHandle: handle), in: db)
            }
            guard let member = try member(id: memberID, in: db) else { throw DomainError.notFound }
            if member.status == .active {
                try services.activity.record(
                    activity(member, verb: "updated_profile", scope: .members), at: now, in: db)
            }
            return member
        }
    }

    /// Recognises PNG, JPEG, GIF and WebP from their first bytes; nil for anything else.
    public static func imageType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) {
            return "image/gif"
        }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)),
            Array(bytes[8..<12]) == Array("WEBP".utf8)
        {
            return "image/webp"
        }
        return nil
    }

    public static let maximumAvatarBytes = 2 * 1024 * 1024

    public func setAvatar(memberID: Int64, bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumAvatarBytes else {
            throw DomainError.invalid([
                FieldError(field: "avatar", message: "The picture is larger than 2 MB. Choose a smaller one.")
            ])
        }
        guard let type = Self.imageType(of: bytes) else {
            throw DomainError.invalid([
                FieldError(field: "avatar", message: "Use a PNG, JPEG, GIF or WebP picture.")
            ])
        }
        try database.write { db in
            try db.execute(
                """
                INSERT INTO member_avatars (member_id, content_type, bytes, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
                    updated_at = excluded.updated_at
                """, [memberID, type, bytes, now])
        }
    }

    public func removeAvatar(memberID: Int64) throws {
        try database.write { try $0.execute("DELETE FROM member_avatars WHERE member_id = ?", [memberID]) }
    }

    public func avatar(memberID: Int64) throws -> (type: String, bytes: [UInt8], updatedAt: Date)? {
        try database.read { db in
            try db.queryOne(
                "SELECT content_type, bytes, updated_at FROM member_avatars WHERE member_id = ?", [memberID]
            ) {
                (
                    try $0.value("content_type") as String, try $0.value("bytes") as [UInt8],
                    try $0.value("updated_at") as Date
                )
            }
        }
    }

    // MARK: Friends

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
            "SELECT 1 FROM friendships WHERE member_id = ? AND friend_id = ?", [a, b], as: Int.self) != nil
        {
            return .friends
        }
        if try db.scalar(
            "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", [a, b], as: Int.self) != nil
        {
            return .requestSent
        }
        if try db.scalar(
            "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", [b, a], as: Int.self) != nil
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
                        "SELECT count(*) FROM friend_requests WHERE from_id = ? AND created_at > ?",
                        [from.id, now.addingTimeInterval(-3600)], as: Int.self) ?? 0
                if recent >= friendRequestsPerHour {
                    throw DomainError.rateLimited(
                        "You have sent \(recent) friend requests in the last hour. Please wait a while before sending more."
                    )
                }
                try db.execute(
                    "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)",
                    [from.id, otherID, now])
                try services.outbox.enqueue(
                    Mail(
                        to: other.email,
                        subject: "\(from.name) wants to be your friend on \(services.config.networkName)",
                        body:
                            "\(from.name) sent you a friend request.\n\nAccept or decline: \(services.link("/friends"))\n"),
                    in: db)
                return .requestSent
            }
        }
    }

    private func makeFriends(_ a: Member, _ b: Member, in db: Connection) throws {
        try db.execute(
            "DELETE FROM friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
            [a.id, b.id, b.id, a.id])
        try db.execute(
            "INSERT OR IGNORE INTO friendships (member_id, friend_id, created_at) VALUES (?, ?, ?), (?, ?, ?)",
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
                "DELETE FROM friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                [member, other, other, member])
        }
    }

    public func unfriend(_ member: Int64, _ other: Int64) throws {
        try database.write { db in
            try db.execute(
                "DELETE FROM friendships WHERE (member_id = ? AND friend_id = ?) OR (member_id = ? AND friend_id = ?)",
                [member, other, other, member])
        }
    }

    public func friends(of memberID: Int64, limit: Int = 500) throws -> [Member] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Member.columns) FROM friendships f JOIN members m ON m.id = f.friend_id
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
                SELECT \(Member.columns) FROM friendships f JOIN members m ON m.id = f.friend_id
                WHERE f.member_id = ? AND m.status = 'active' ORDER BY f.friend_id LIMIT ?
                """, [memberID, limit], Member.decode)
        }
    }

    public func friendIDs(of memberID: Int64) throws -> [Int64] {
        try database.read { db in
            try db.query("SELECT friend_id FROM friendships WHERE member_id = ?", [memberID]) {
                try $0.value("friend_id")
            }
        }
    }

    public func friendCount(of memberID: Int64) throws -> Int {
        try database.read {
            try $0.scalar("SELECT friend_count FROM members WHERE id = ?", [memberID], as: Int.self) ?? 0
        }
    }

    public func requests(to memberID: Int64) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM friend_requests r JOIN members m ON m.id = r.from_id WHERE r.to_id = ? AND m.status = 'active' ORDER BY r.created_at DESC",
                [memberID], Member.decode)
        }
    }

    public func requests(from memberID: Int64) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM friend_requests r JOIN members m ON m.id = r.to_id WHERE r.from_id = ? ORDER BY r.created_at DESC",
                [memberID], Member.decode)
        }
    }

    // MARK: Statuses

    public static let maximumStatusLength = 500

    public func postStatus(by member: Member, body: String) throws -> Status {
        guard member.status == .active else {
            throw DomainError.forbidden(
                "Your membership is waiting for an administrator's approval: you cannot post yet.")
        }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            throw DomainError.invalid([FieldError(field: "body", message: "Write something first.")])
        }
        if text.count > Self.maximumStatusLength {
            throw DomainError.invalid([
                FieldError(
                    field: "body",
                    message:
                        "A status is at most \(Self.maximumStatusLength) characters (this has \(text.count))."
                )
            ])
        }
        return try database.write { db in
            try db.execute(
                "INSERT INTO statuses (member_id, body, created_at) VALUES (?, ?, ?)", [member.id, text, now])
            let id = db.lastInsertedRowID
            let excerpt = Excerpt.plain(text, length: MembershipService.statusExcerptLength)
            try services.activity.record(
                activity(
                    member, verb: "posted_status", objectKind: "status", objectID: id,
                    objectURL: "\(member.profilePath)#status-\(id)", excerpt: excerpt),
                at: now, in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "membership", kind: "status", id: id, authorID: member.id), in: db)
            return Status(
                id: id, memberID: member.id, body: text, createdAt: now, hidden: !decision.isPublished)
        }
    }

    public func status(id: Int64) throws -> Status? {
        try database.read { db in
            try db.queryOne("SELECT * FROM statuses WHERE id = ?", [id], Self.decodeStatus)
        }
    }

    static func decodeStatus(_ row: Row) throws -> Status {
        Status(
            id: try row.value("id"), memberID: try row.value("member_id"), body: try row.value("body"),
            createdAt: try row.value("created_at"), hidden: try row.value("hidden"))
    }

    /// A member's statuses, newest first; hidden ones only for their author and moderators.
    public func statuses(of memberID: Int64, viewer: Viewer, limit: Int = 20, before: Int64? = nil) throws
        -> [Status]
    {
        let showHidden = viewer.isModerator || viewer.memberID == memberID
        return try database.read { db in
            try db.query(
                "SELECT * FROM statuses WHERE member_id = ? AND (hidden = 0 OR ?) AND id < ? ORDER BY id DESC LIMIT ?",
                [memberID, showHidden, before ?? Int64.max, limit], Self.decodeStatus)
        }
    }

    public func deleteStatus(id: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let status = try db.queryOne("SELECT * FROM statuses WHERE id = ?", [id], Self.decodeStatus)
            else { throw DomainError.notFound }
            guard status.memberID == actor.id || actor.isModerator else {
                throw DomainError.forbidden("You can only delete your own statuses.")
            }
            try db.execute("DELETE FROM statuses WHERE id = ?", [id])
            try services.activity.deleteEntries(objectKind: "status", objectID: id, in: db)
            try services.events.publish(
                ContentEvent(
                    module: "membership", kind: "status", id: id, authorID: status.memberID, action: .deleted),
                in: db)
        }
    }

    /// Status text with links made clickable (and everything else escaped).
    public static func linkify(_ text: String) -> HTML {
        // Most statuses hold no link: escape them whole (the loop below gives the same text).
        guard mayHoldLink(text) else { return "\(text)" }
        var parts: [HTML] = []
        var buffer = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let token = String(word)
            let lowered = token.lowercased()
            if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
                var url = token
                var trailing = ""
                while let last = url.last, ".,;:!?)".contains(last) {
                    trailing = String(last) + trailing
                    url.removeLast()
                }
                parts.append(
                    "\(buffer)<a href=\"\(url: url)\" rel=\"nofollow ugc noopener\">\(url)</a>\(trailing) ")
                buffer = ""
            } else {
                buffer += token + " "
            }
        }
        parts.append("\(buffer)")
        var html = HTML.join(parts)
        if html.text.hasSuffix(" ") { html = HTML(trustedRenderer: String(html.text.dropLast())) }
        return html
    }

    /// Whether "http" appears in any letter case: a cheap test before splitting into words.
    private static let linkPrefix = Array("http".utf8)

    static func mayHoldLink(_ text: String) -> Bool {
        // "http" has no repeated prefix, so a mismatch restarts the match (at 1 on an "h").
        let http = linkPrefix
        var matched = 0
        for byte in text.utf8 {
            let lowered = byte | 0x20
            if lowered == http[matched] {
                matched += 1
                if matched == http.count { return true }
            } else {
                matched = lowered == http[0] ? 1 : 0
            }
        }
        return false
    }

    // MARK: Directory

    public enum DirectoryOrder: String, Sendable, Codable, CaseIterable { case newest, name }

    /// One page of the directory: active members, newest first or by name, optionally filtered
    /// by an answer (e.g. school). Offset-free: `after` is the last member of the previous page.
    public func directory(
        order: DirectoryOrder, filter: (question: String, value: String)?, search: String?, limit: Int,
        after: Member?
    ) throws -> [Member] {
        var conditions = ["m.status = 'active'"]
        var arguments: [any DatabaseValueConvertible] = []
        if let filter {
            conditions.append(
                "EXISTS (SELECT 1 FROM profile_answers a WHERE a.member_id = m.id AND a.question = ? AND a.value = ?)"
            )
            arguments += [filter.question, filter.value]
        }
        if let search, !search.isEmpty {
            conditions.append("(m.name LIKE ? ESCAPE '\\' OR m.handle LIKE ? ESCAPE '\\')")
            let pattern =
                "%"
                + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "%", with: "\\%"
                ).replacingOccurrences(of: "_", with: "\\_") + "%"
            arguments += [pattern, pattern]
        }
        let orderBy: String
        switch order {
        case .newest:
            orderBy = "m.created_at DESC, m.id DESC"
            if let after {
                conditions.append("(m.created_at < ? OR (m.created_at = ? AND m.id < ?))")
                arguments += [after.createdAt, after.createdAt, after.id]
            }
        case .name:
            orderBy = "m.name COLLATE NOCASE, m.id"
            if let after {
                conditions.append("(m.name > ? COLLATE NOCASE OR (m.name = ? COLLATE NOCASE AND m.id > ?))")
                arguments += [after.name, after.name, after.id]
            }
        }
        arguments.append(limit)
        return try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM members m WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(orderBy) LIMIT ?",
                arguments, Member.decode)
        }
    }
}
