import Foundation
import Storage

/// Members' choices, and their notifications in "Download my data" and "Delete my account".
extension Notifications {
    /// The member's settings: every registered kind with its channel, the groups they set a
    /// level for or were notified from, and their digest frequency.
    public func settings(memberID: Int64) throws -> NotificationSettings {
        try services.database.read { db in
            let kinds = catalog.allKinds
            var channels: [(NotificationKind, NotificationChannel)] = []
            for kind in kinds { channels.append((kind, try channel(for: kind, memberID: memberID, in: db))) }
            var groups: [(NotificationGroup, GroupNotificationLevel)] = try db.query(
                "SELECT group_id, group_name, level FROM notification_group_levels WHERE member_id = ? ORDER BY group_name",
                [memberID]
            ) { row in
                (
                    NotificationGroup(id: try row.value("group_id"), name: try row.value("group_name")),
                    GroupNotificationLevel(rawValue: try row.value("level")) ?? .all
                )
            }
            let known = Set(groups.map(\.0.id))
            let seen = try db.query(
                """
                SELECT group_id, max(group_name) AS group_name FROM notifications
                WHERE recipient_id = ? AND group_id IS NOT NULL GROUP BY group_id ORDER BY group_name LIMIT 100
                """, [memberID]
            ) { row in NotificationGroup(id: try row.value("group_id"), name: try row.value("group_name")) }
            for group in seen where !known.contains(group.id) { groups.append((group, .all)) }
            return NotificationSettings(
                channels: channels, groups: groups, digest: try digestFrequency(memberID: memberID, in: db))
        }
    }

    public func digestFrequency(memberID: Int64, in db: Connection) throws -> DigestFrequency {
        try db.scalar(
            "SELECT digest_frequency FROM notification_members WHERE member_id = ?", [memberID],
            as: String.self
        ).flatMap(DigestFrequency.init(rawValue:)) ?? .weekly
    }

    /// Sets the channel of one kind; an unknown kind is an error naming the field.
    public func setChannel(_ channel: NotificationChannel, kind: String, memberID: Int64, in db: Connection)
        throws
    {
        guard catalog.kind(kind) != nil else {
            throw DomainError.invalid([
                FieldError(field: "kind", message: "There is no notification kind “\(kind)”.")
            ])
        }
        try db.execute(
            """
            INSERT INTO notification_preferences (member_id, kind, channel) VALUES (?, ?, ?)
            ON CONFLICT (member_id, kind) DO UPDATE SET channel = excluded.channel
            """, [memberID, kind, channel.rawValue])
    }

    /// Saves several choices at once (the settings form and the API), all or nothing.
    public func update(
        memberID: Int64, channels: [String: NotificationChannel] = [:],
        groups: [Int64: GroupNotificationLevel] = [:], digest: DigestFrequency? = nil
    ) throws {
        try services.database.write { db in
            for (kind, channel) in channels.sorted(by: { $0.key < $1.key }) {
                try setChannel(channel, kind: kind, memberID: memberID, in: db)
            }
            for (groupID, level) in groups.sorted(by: { $0.key < $1.key }) {
                let name =
                    try db.scalar(
                        "SELECT group_name FROM notification_group_levels WHERE member_id = ? AND group_id = ?",
                        [memberID, groupID], as: String.self)
                    ?? db.scalar(
                        "SELECT max(group_name) FROM notifications WHERE recipient_id = ? AND group_id = ?",
                        [memberID, groupID], as: String.self)
                guard let name else {
                    throw DomainError.invalid([
                        FieldError(
                            field: "group_\(groupID)", message: "You have no notifications from that group.")
                    ])
                }
                try setLevel(
                    level, group: NotificationGroup(id: groupID, name: name), memberID: memberID, in: db)
            }
            if let digest {
                try db.execute(
                    """
                    INSERT INTO notification_members (member_id, digest_frequency, changed_at) VALUES (?, ?, ?)
                    ON CONFLICT (member_id) DO UPDATE SET digest_frequency = excluded.digest_frequency,
                        changed_at = excluded.changed_at
                    """, [memberID, digest.rawValue, clock.now])
            }
        }
    }

    /// Sets how much the member hears from a group (a group's page may offer it too).
    public func setLevel(
        _ level: GroupNotificationLevel, group: NotificationGroup, memberID: Int64, in db: Connection
    ) throws {
        try db.execute(
            """
            INSERT INTO notification_group_levels (member_id, group_id, group_name, level) VALUES (?, ?, ?, ?)
            ON CONFLICT (member_id, group_id) DO UPDATE SET level = excluded.level, group_name = excluded.group_name
            """, [memberID, group.id, group.name, level.rawValue])
    }

    // MARK: Personal data

    /// The member's notifications (at most the latest 1,000), settings and digests sent.
    public func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let rows = try db.query(
            "SELECT * FROM notifications WHERE recipient_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1000",
            [memberID], Self.notification)
        let notifications = try withActors(rows, in: db).map { item -> JSONValue in
            [
                "id": .int(item.id), "kind": .string(item.kind), "text": .string(item.sentence),
                "link": .string(services.link(item.link)), "created_at": JSONValue(item.createdAt),
                "updated_at": JSONValue(item.updatedAt), "read_at": JSONValue(item.readAt),
            ]
        }
        let channels = try db.query(
            "SELECT kind, channel FROM notification_preferences WHERE member_id = ? ORDER BY kind", [memberID]
        ) { row -> JSONValue in
            ["kind": .string(try row.value("kind")), "channel": .string(try row.value("channel"))]
        }
        let groups = try db.query(
            "SELECT group_id, group_name, level FROM notification_group_levels WHERE member_id = ? ORDER BY group_id",
            [memberID]
        ) { row -> JSONValue in
            [
                "group_id": .int(try row.value("group_id")), "group": .string(try row.value("group_name")),
                "level": .string(try row.value("level")),
            ]
        }
        let digests = try db.query(
            "SELECT period_key, sent_at, item_count FROM notification_digests WHERE member_id = ? ORDER BY sent_at",
            [memberID]
        ) { row -> JSONValue in
            [
                "period": .string(try row.value("period_key")),
                "sent_at": JSONValue(try row.value("sent_at") as Date),
                "items": .int(try row.value("item_count")),
            ]
        }
        return [
            "notifications": .array(notifications),
            "settings": [
                "digest": .string(try digestFrequency(memberID: memberID, in: db).rawValue),
                "channels": .array(channels), "groups": .array(groups),
            ],
            "digests": .array(digests),
        ]
    }

    /// Deletes everything about the member: their notifications and settings, and their name
    /// from the notifications of others (the counts of those stay right).
    public func erase(memberID: Int64, in db: Connection) throws {
        try db.execute(
            "DELETE FROM notification_actors WHERE notification_id IN (SELECT id FROM notifications WHERE recipient_id = ?)",
            [memberID])
        try db.execute("DELETE FROM notifications WHERE recipient_id = ?", [memberID])
        let touched = try db.query(
            "SELECT notification_id FROM notification_actors WHERE actor_id = ?", [memberID]
        ) { try $0.value(column: 0) as Int64 }
        try db.execute("DELETE FROM notification_actors WHERE actor_id = ?", [memberID])
        for id in touched {
            try db.execute(
                "UPDATE notifications SET actor_count = (SELECT count(*) FROM notification_actors WHERE notification_id = ?) WHERE id = ?",
                [id, id])
            // A notification whose only actor was this member says nothing any more.
            try db.execute("DELETE FROM notifications WHERE id = ? AND actor_count = 0", [id])
        }
        for table in [
            "notification_preferences", "notification_group_levels", "notification_members",
            "notification_digests",
        ] {
            try db.execute("DELETE FROM \(table) WHERE member_id = ?", [memberID])
        }
        try db.execute(
            "DELETE FROM outbox WHERE member_id = ? AND status IN ('pending', 'failed', 'withheld')",
            [memberID])
    }

    /// Forgets notifications about a purged module's content (``Kernel/purge``).
    public static func forgetContent(ofModule moduleID: String, in db: Connection) throws {
        try db.execute(
            "DELETE FROM notification_actors WHERE notification_id IN (SELECT id FROM notifications WHERE subject_module = ?)",
            [moduleID])
        try db.execute("DELETE FROM notifications WHERE subject_module = ?", [moduleID])
    }
}
