import Foundation
import Kernel
import Storage

/// Profiles: changing your profile, and avatars.
extension MembershipService {
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
                "UPDATE membership_members SET name = ?, handle = ?, bio = ?, updated_at = ? WHERE id = ?",
                [name, handle, bio, now, memberID])
            try db.execute("DELETE FROM membership_profile_answers WHERE member_id = ?", [memberID])
            for (question, value) in answers {
                try db.execute(
                    "INSERT INTO membership_profile_answers (member_id, question, value) VALUES (?, ?, ?)",
                    [memberID, question, value])
            }
            if name != before.name || handle != before.handle {
                try services.activity.update(
                    .actor(memberID), ActivityUpdate(actorName: name, actorHandle: handle), in: db)
            }
            guard let member = try member(id: memberID, in: db) else { throw DomainError.notFound }
            try services.search.reindex(SearchItem(kind: "member", id: memberID), in: db)
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
                INSERT INTO membership_avatars (member_id, content_type, bytes, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
                    updated_at = excluded.updated_at
                """, [memberID, type, bytes, now])
        }
    }

    public func removeAvatar(memberID: Int64) throws {
        try database.write { try $0.execute("DELETE FROM membership_avatars WHERE member_id = ?", [memberID]) }
    }

    public func avatar(memberID: Int64) throws -> (type: String, bytes: [UInt8], updatedAt: Date)? {
        try database.read { db in
            try db.queryOne(
                "SELECT content_type, bytes, updated_at FROM membership_avatars WHERE member_id = ?", [memberID]
            ) {
                (
                    try $0.value("content_type") as String, try $0.value("bytes") as [UInt8],
                    try $0.value("updated_at") as Date
                )
            }
        }
    }
}
