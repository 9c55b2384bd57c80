import Foundation
import Storage

/// A page of a member's notifications, newest first.
public struct NotificationPage: Sendable, Equatable {
    public var items: [MemberNotification]
    /// The cursor of the next (older) page, or nil.
    public var next: String?
}

/// A member's notification settings: a channel per kind, a level per group, a digest frequency.
public struct NotificationSettings: Sendable, Equatable {
    public var channels: [(kind: NotificationKind, channel: NotificationChannel)]
    public var groups: [(group: NotificationGroup, level: GroupNotificationLevel)]
    public var digest: DigestFrequency

    public static func == (a: Self, b: Self) -> Bool {
        a.channels.map { [$0.kind.id, $0.channel.rawValue] }
            == b.channels.map { [$0.kind.id, $0.channel.rawValue] }
            && a.groups.map { [String($0.group.id), $0.level.rawValue] }
                == b.groups.map { [String($0.group.id), $0.level.rawValue] }
            && a.digest == b.digest
    }
}

extension Notifications {
    /// Unread notifications: one count over the partial index `notifications_unread`, named:
    /// SQLite's planner (no statistics) took `notifications_by_recipient` and read every
    /// notification row of the member, read or not, on every page (callgrind: 64,000
    /// instructions a page for a member with 21).
    static let unreadCountSQL =
        "SELECT count(*) FROM notifications INDEXED BY notifications_unread WHERE recipient_id = ? AND read_at IS NULL"
    static let stateTagSQL =
        "SELECT count(*) AS n, max(updated_at) AS latest FROM notifications INDEXED BY notifications_unread WHERE recipient_id = ? AND read_at IS NULL"

    public func unreadCount(memberID: Int64) throws -> Int {
        try services.database.read { db in try unreadCount(memberID: memberID, in: db) }
    }

    public func unreadCount(memberID: Int64, in db: Connection) throws -> Int {
        try db.scalar(Self.unreadCountSQL, [memberID], as: Int.self) ?? 0
    }

    /// A version of the member's notifications that changes whenever the count or any
    /// notification does (for ETags): the count and the latest change, on the same index.
    public func stateTag(memberID: Int64) throws -> String {
        try services.database.read { db in
            try db.queryOne(
                Self.stateTagSQL, [memberID]
            ) { row in "\(try row.value("n") as Int)-\((try row.optional("latest") as Int64?) ?? 0)" }
                ?? "0-0"
        }
    }

    /// A page of the member's notifications, newest first; `after` is a cursor from a previous page.
    public func list(memberID: Int64, after cursor: String? = nil, limit: Int = 20) throws -> NotificationPage
    {
        let limit = PageSize.clamp(limit, to: 100)
        var before: (at: Int64, id: Int64)?
        if let cursor {
            let parts = cursor.split(separator: "-")
            guard parts.count == 2, let at = Int64(parts[0]), let id = Int64(parts[1]) else {
                throw DomainError.invalid([
                    FieldError(field: "after", message: "This page cursor is not valid.")
                ])
            }
            before = (at, id)
        }
        return try services.database.read { db in
            var rows = try db.query(
                """
                SELECT * FROM notifications WHERE recipient_id = ?
                  AND (? IS NULL OR updated_at < ? OR (updated_at = ? AND id < ?))
                ORDER BY updated_at DESC, id DESC LIMIT ?
                """,
                [memberID, before?.at, before?.at, before?.at, before?.id, limit + 1], Self.notification)
            var next: String?
            if rows.count > limit {
                rows.removeLast()
                if let last = rows.last {
                    next = "\(Int64((last.updatedAt.timeIntervalSince1970 * 1000).rounded()))-\(last.id)"
                }
            }
            return NotificationPage(items: try withActors(rows, in: db), next: next)
        }
    }

    /// One of the member's notifications, or nil (someone else's reads as none).
    public func notification(id: Int64, memberID: Int64) throws -> MemberNotification? {
        try services.database.read { db in
            let rows = try db.query(
                "SELECT * FROM notifications WHERE id = ? AND recipient_id = ?", [id, memberID],
                Self.notification)
            return try withActors(rows, in: db).first
        }
    }

    /// Marks one of the member's notifications read; false when there is no such notification.
    @discardableResult
    public func markRead(id: Int64, memberID: Int64) throws -> Bool {
        let now = clock.now
        return try services.database.write { db in
            guard
                try db.scalar(
                    "SELECT 1 FROM notifications WHERE id = ? AND recipient_id = ?", [id, memberID],
                    as: Int.self)
                    != nil
            else { return false }
            try db.execute(
                "UPDATE notifications SET read_at = ? WHERE id = ? AND recipient_id = ? AND read_at IS NULL",
                [now, id, memberID])
            return true
        }
    }

    /// Marks every unread notification of the member read; returns how many.
    @discardableResult
    public func markAllRead(memberID: Int64) throws -> Int {
        let now = clock.now
        return try services.database.write { db in
            try db.execute(
                "UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL",
                [now, memberID])
            return db.changes
        }
    }

    static func notification(_ row: Row) throws -> MemberNotification {
        var subject: ContentReference?
        if let module: String = try row.optional("subject_module"),
            let kind: String = try row.optional("subject_kind"),
            let id: Int64 = try row.optional("subject_id")
        {
            subject = ContentReference(module: module, kind: kind, id: id)
        }
        var group: NotificationGroup?
        if let id: Int64 = try row.optional("group_id") {
            group = NotificationGroup(id: id, name: try row.optional("group_name") ?? "")
        }
        return MemberNotification(
            id: try row.value("id"), kind: try row.value("kind"), subject: subject, actors: [],
            actorCount: try row.value("actor_count"), text: try row.value("text"),
            link: try row.value("link"),
            excerpt: try row.value("excerpt"), group: group, createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"), readAt: try row.optional("read_at"))
    }

    /// Fills in up to three actors of each notification, the latest first (one query).
    func withActors(_ rows: [MemberNotification], in db: Connection) throws -> [MemberNotification] {
        guard !rows.isEmpty else { return rows }
        let ids = "[" + rows.map { String($0.id) }.joined(separator: ",") + "]"
        var actors: [Int64: [NotificationActor]] = [:]
        try db.forEach(
            """
            SELECT notification_id, actor_id, actor_name, actor_handle FROM notification_actors
            WHERE notification_id IN (SELECT value FROM json_each(?))
            ORDER BY notification_id, acted_at DESC, actor_id DESC
            """, [ids]
        ) { row in
            let id: Int64 = try row.value("notification_id")
            if actors[id, default: []].count < 3 {
                actors[id, default: []].append(
                    NotificationActor(
                        id: try row.value("actor_id"), name: try row.value("actor_name"),
                        handle: try row.value("actor_handle")))
            }
        }
        return rows.map { row in
            var row = row
            row.actors = actors[row.id] ?? []
            return row
        }
    }
}
