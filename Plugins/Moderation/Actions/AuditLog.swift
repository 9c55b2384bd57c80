import Foundation
import Kernel
import Membership
import Storage

/// The audit log of moderation actions, and where a member stands (warnings, bans).
extension ModerationService {
    /// The audit log, newest first; `since` keeps entries at or after a date.
    public func audit(limit: Int = 50, before: Int64? = nil, since: Date? = nil, memberID: Int64? = nil)
        throws -> [AuditEntry]
    {
        try database.read { db in
            try db.query(
                """
                SELECT * FROM moderation_actions WHERE id < ? AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR member_id = ?)
                ORDER BY id DESC LIMIT ?
                """, [before ?? Int64.max, since, since, memberID, memberID, PageSize.clamp(limit, to: 200)],
                Self.decodeAudit)
        }
    }

    public func warnings(of memberID: Int64) throws -> Int {
        try database.read { db in
            try db.scalar(
                "SELECT COUNT(*) FROM moderation_warnings WHERE member_id = ?", [memberID], as: Int.self) ?? 0
        }
    }

    public func isBanned(memberID: Int64) throws -> Bool {
        try database.read { try isBanned(memberID: memberID, in: $0) }
    }

    func isBanned(memberID: Int64, in db: Connection) throws -> Bool {
        try db.scalar("SELECT 1 FROM moderation_bans WHERE member_id = ?", [memberID], as: Int.self) != nil
    }

    /// A ban holds on every path: if a banned member is made active some other way (the
    /// membership admin pages or `pln admin members reinstate`), they are suspended again and
    /// the audit log says why. Only `unban` lifts a ban.
    func enforceBan(memberID: Int64) throws {
        guard let membership else { return }
        try database.write { db in
            guard try isBanned(memberID: memberID, in: db),
                let member = try membership.member(id: memberID, in: db),
                member.status == .active
            else { return }
            _ = try membership.suspend(memberID: memberID, by: nil, in: db)
            let automatic = ModeratorRef.automatic
            try db.execute(
                """
                INSERT INTO moderation_actions (actor_id, actor_name, action, case_id, target_kind, target_id, target_title,
                    member_id, reason, detail, created_at) VALUES (NULL, ?, 'suspend', NULL, 'member', ?, ?, ?, ?, ?, ?)
                """,
                [
                    automatic.name, memberID, "\(member.name) (@\(member.handle))", memberID,
                    "The member is banned; only unban reinstates them.",
                    "suspended again after a reinstatement outside moderation",
                    now,
                ])
        }
    }

    /// "2026-03-01" (UTC midnight) or a full ISO 8601 time.
    public static func parseDate(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withFullDate]
        return iso.date(from: text)
    }
}

/// The audit log other modules (group chairs) write to: the same table moderators' actions use.
struct SharedAuditLog: AuditLog {
    let services: Services

    func record(_ entry: AuditRecord, in db: Connection) throws {
        guard ModerationActionKind(rawValue: entry.action) != nil else {
            throw StorageError(kind: .misuse, message: "unknown audit action \"\(entry.action)\"")
        }
        try db.execute(
            """
            INSERT INTO moderation_actions (actor_id, actor_name, action, case_id, target_kind, target_id, target_title,
                member_id, reason, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)
            """,
            [
                entry.actorID, entry.actorName, entry.action, entry.targetKind, entry.targetID,
                entry.targetTitle,
                entry.memberID, entry.reason, services.clock.now,
            ])
    }
}
