import Foundation
import Storage

/// What the notifications service knows for the life of the process: the kinds modules
/// registered and the reportable kinds it asks whether content is published and visible.
public final class NotificationCatalog: Sendable {
    private let kinds = ReadMostly<[NotificationKind]>([.mention, .like])
    private let reportables = ReadMostly<[String: ReportableKind]>([:])
    private let signingKey = ReadMostly<[UInt8]?>(nil)
    private let fanouts = ReadMostly<[String: RegisteredFanout]>([:])
    private let digestParts = ReadMostly<[DigestSource]>([])

    /// A module's part of a member's digest since a date.
    public typealias DigestSource =
        @Sendable (_ memberID: Int64, _ since: Date, _ db: Connection) throws
        -> DigestSection?

    func addDigestSource(_ source: @escaping DigestSource) { digestParts.write { $0.append(source) } }
    var digestSources: [DigestSource] { digestParts.read { $0 } }

    /// Makes the notification for one recipient of a fan-out, or nil to skip them.
    public typealias FanoutBuilder =
        @Sendable (_ recipientID: Int64, _ argument: String, _ db: Connection)
        throws -> NewNotification?

    public init() {}

    func register(_ kind: NotificationKind) {
        kinds.write { list in
            list.removeAll { $0.id == kind.id }
            list.append(kind)
        }
    }

    var allKinds: [NotificationKind] { kinds.read { $0 } }
    func kind(_ id: String) -> NotificationKind? { kinds.read { $0.first { $0.id == id } } }

    func setReportableKinds(_ list: [ReportableKind]) {
        reportables.write { map in
            for kind in list { map["\(kind.module):\(kind.kind)"] = kind }
        }
    }

    func reportable(_ reference: ContentReference) -> ReportableKind? {
        reportables.read { $0["\(reference.module):\(reference.kind)"] }
    }

    func registerFanout(_ name: String, _ fanout: RegisteredFanout) { fanouts.write { $0[name] = fanout } }

    func fanout(_ name: String) -> RegisteredFanout? { fanouts.read { $0[name] } }

    /// Whether the signing key is loaded (reading connections cannot make it).
    var hasKey: Bool { signingKey.read { $0 != nil } }

    func key(_ load: () throws -> [UInt8]) rethrows -> [UInt8] {
        if let key = signingKey.read({ $0 }) { return key }
        let key = try load()
        signingKey.write { $0 = key }
        return key
    }
}

/// The notifications service: modules publish what happened to a member inside the
/// transaction that made it happen; the service checks the content is published and visible
/// to the recipient, applies their preferences, groups the notification with the unread ones
/// about the same thing, and mails it when they asked for mail at once.
///
/// ```swift
/// try database.write { db in
///     …  // write the comment, screen it
///     if decision.isPublished {
///         try services.notifications.publish(NewNotification(
///             recipientID: post.authorID, kind: "blog.comment", actor: NotificationActor(member),
///             subject: ContentReference(module: "blog", kind: "blog_post", id: post.id),
///             text: "commented on your post ‘\(post.title)’", link: post.path), in: db)
///     }
/// }
/// ```
public struct Notifications: Sendable {
    let services: Services
    var catalog: NotificationCatalog { services.notificationCatalog }
    var clock: any Clock { services.clock }

    /// Adds a kind members can choose a channel for (a module's bootstrap).
    public func register(_ kind: NotificationKind) { catalog.register(kind) }

    /// Every kind, in the order registered.
    public var kinds: [NotificationKind] { catalog.allKinds }

    /// Publishes one notification inside the caller's transaction. Nothing is stored when the
    /// recipient is the actor, is not an active (or pending) member, may not see the content,
    /// when the content is held or hidden, or when their preferences say off or mute.
    ///
    /// Visibility: when `subject` or `item` names a reportable kind, its `lookup` must find
    /// the item not hidden and its `isVisible` must allow the recipient (the same rule as
    /// reporting); a subject that is no reportable kind relies on `notification.isVisible`.
    @discardableResult
    public func publish(_ notification: NewNotification, item: ContentReference? = nil, in db: Connection)
        throws -> PublishOutcome
    {
        switch try check(notification, item: item, in: db) {
        case .skip(let reason): return .skipped(reason)
        case .deliver(let delivery): return try deliver(delivery, in: db)
        }
    }

    /// What ``check(_:item:in:)`` decided: skip, or deliver on this channel.
    enum Decision {
        case skip(PublishOutcome.SkipReason)
        case deliver(Delivery)

        var delivery: Delivery? { if case .deliver(let delivery) = self { delivery } else { nil } }
    }

    struct Delivery {
        var notification: NewNotification
        var kind: NotificationKind
        var channel: NotificationChannel
    }

    /// The checks of ``publish(_:item:in:)``, reading only: the fan-out job makes them outside
    /// its write transactions.
    func check(_ notification: NewNotification, item: ContentReference? = nil, in db: Connection) throws
        -> Decision
    {
        try check(notification, item: item, recipients: [notification.recipientID], in: db)[0]
    }

    /// The same checks for many recipients of one notification (its `recipientID` is replaced
    /// by each of `recipients`), one decision per recipient in order. What does not depend on
    /// the recipient is read once: whether the content is published, and, in one query each,
    /// the recipients' channels for the kind and their levels for the group.
    func check(
        _ notification: NewNotification, item: ContentReference? = nil, recipients: [Int64], in db: Connection
    ) throws -> [Decision] {
        let kind =
            catalog.kind(notification.kind)
            ?? NotificationKind(id: notification.kind, title: notification.kind, defaultChannel: .site)
        let others = recipients.filter { $0 != notification.actor.id }
        let channels = try chosenChannels(kind: kind.id, memberIDs: others, in: db)
        let levels =
            try notification.group.map { try chosenLevels(groupID: $0.id, memberIDs: others, in: db) } ?? [:]
        let references = [notification.subject, item ?? notification.item].compactMap { $0 }
        var published: [ContentReference: Bool] = [:]
        return try recipients.map { recipientID -> Decision in
            guard recipientID != notification.actor.id else { return .skip(.ownAction) }
            guard let person = try services.identity?.person(id: recipientID, in: db),
                person.status == .active || person.status == .pending
            else { return .skip(.recipientInactive) }
            let recipient = SignedInMember(
                id: person.id, handle: person.handle, name: person.name, role: person.role,
                isPending: person.status == .pending)
            for reference in references {
                guard let reportable = catalog.reportable(reference) else { continue }
                if published[reference] == nil {
                    published[reference] =
                        try reportable.lookup(reference.id, db).map { !$0.isHidden } ?? false
                }
                guard published[reference] == true else { return .skip(.contentNotPublished) }
                guard try reportable.isVisible(reference.id, recipient, db) else { return .skip(.notVisible) }
            }
            if let check = notification.isVisible, try !check(recipient, db) { return .skip(.notVisible) }
            let channel = channels[recipientID] ?? kind.defaultChannel
            if channel == .off { return .skip(.kindOff) }
            if notification.group != nil {
                switch levels[recipientID] ?? .all {
                case .mute: return .skip(.groupMuted)
                case .mentions where !kind.isMention: return .skip(.groupMuted)
                default: break
                }
            }
            var addressed = notification
            addressed.recipientID = recipientID
            return .deliver(Delivery(notification: addressed, kind: kind, channel: channel))
        }
    }

    /// Stores (or groups) a checked notification and mails it when the member asked for mail at once.
    func deliver(_ delivery: Delivery, in db: Connection) throws -> PublishOutcome {
        let id = try deliver(try prepare([delivery], in: db), in: db)[0]
        return .delivered(id: id, mailed: delivery.channel == .email)
    }

    /// A checked notification with its mail, made before the write that stores it.
    struct Prepared {
        var delivery: Delivery
        var mail: Mail?
    }

    /// Writes the mails of the deliveries on the email channel (reading only, once the signing
    /// key is loaded: see ``loadSigningKey()``).
    func prepare(_ deliveries: [Delivery], in db: Connection) throws -> [Prepared] {
        let mailed = deliveries.filter { $0.channel == .email }.map(\.notification.recipientID)
        guard !mailed.isEmpty else { return deliveries.map { Prepared(delivery: $0, mail: nil) } }
        var addresses: [Int64: MailRecipient] = [:]
        for recipient in try services.identity?.mailRecipients(mailed, in: db) ?? [] {
            addresses[recipient.memberID] = recipient
        }
        return try deliveries.map { delivery in
            guard delivery.channel == .email,
                let recipient = addresses[delivery.notification.recipientID], recipient.status == .active
            else { return Prepared(delivery: delivery, mail: nil) }
            return Prepared(
                delivery: delivery,
                mail: try mail(for: delivery.notification, kind: delivery.kind, to: recipient, in: db))
        }
    }

    /// Stores prepared notifications (grouping them) and puts their mails in the outbox, inside
    /// the caller's write; the stored ids in order.
    func deliver(_ prepared: [Prepared], in db: Connection) throws -> [Int64] {
        let ids = try store(prepared.map(\.delivery.notification), in: db)
        for mail in prepared.compactMap(\.mail) { try services.outbox.enqueue(mail, in: db) }
        return ids
    }

    // MARK: Storing and grouping

    /// Stores notifications, each grouped into its recipient's unread one of the same kind about
    /// the same subject: one multi-row upsert into `notifications` and one into
    /// `notification_actors` per set of distinct recipients and keys. The ids in order.
    func store(_ notifications: [NewNotification], in db: Connection) throws -> [Int64] {
        var ids = [Int64](repeating: 0, count: notifications.count)
        var remaining = Array(notifications.indices)
        while !remaining.isEmpty {
            // One statement may not upsert the same row twice: a repeated recipient and key waits.
            var seen = Set<String>()
            var chunk: [Int] = []
            var later: [Int] = []
            for index in remaining {
                let key = "\(notifications[index].recipientID)|\(Self.groupKey(notifications[index]))"
                if seen.insert(key).inserted { chunk.append(index) } else { later.append(index) }
            }
            let stored = try storeDistinct(chunk.map { notifications[$0] }, in: db)
            for (position, index) in chunk.enumerated() { ids[index] = stored[position] }
            remaining = later
        }
        return ids
    }

    static func groupKey(_ notification: NewNotification) -> String {
        notification.kind + "|" + (notification.subject?.key ?? "")
    }

    private func storeDistinct(_ notifications: [NewNotification], in db: Connection) throws -> [Int64] {
        let now = clock.now
        var arguments: [any DatabaseValueConvertible] = []
        for notification in notifications {
            arguments += [
                notification.recipientID, notification.kind, Self.groupKey(notification),
                notification.subject?.module, notification.subject?.kind, notification.subject?.id,
                notification.group?.id, notification.group?.name, notification.text, notification.link,
                notification.excerpt, now, now,
            ]
        }
        var idByKey: [String: Int64] = [:]
        try db.forEach(
            """
            INSERT INTO notifications (recipient_id, kind, group_key, subject_module, subject_kind, subject_id,
                group_id, group_name, text, link, excerpt, created_at, updated_at)
            VALUES \(Self.rows(notifications.count, columns: 13))
            ON CONFLICT (recipient_id, group_key) WHERE read_at IS NULL DO UPDATE SET
                updated_at = excluded.updated_at, text = excluded.text, link = excluded.link, excerpt = excluded.excerpt
            RETURNING id, recipient_id, group_key
            """, arguments
        ) { row in
            let recipientID: Int64 = try row.value(column: 1)
            idByKey["\(recipientID)|\(try row.value(column: 2) as String)"] = try row.value(column: 0)
        }
        let ids = try notifications.map { notification in
            guard let id = idByKey["\(notification.recipientID)|\(Self.groupKey(notification))"] else {
                throw DomainError.conflict("a notification was not stored")
            }
            return id
        }
        var actorArguments: [any DatabaseValueConvertible] = []
        for (notification, id) in zip(notifications, ids) {
            actorArguments += [
                id, notification.actor.id, notification.actor.name, notification.actor.handle, now,
            ]
        }
        try db.execute(
            """
            INSERT INTO notification_actors (notification_id, actor_id, actor_name, actor_handle, acted_at)
            VALUES \(Self.rows(notifications.count, columns: 5))
            ON CONFLICT (notification_id, actor_id) DO UPDATE SET
                actor_name = excluded.actor_name, actor_handle = excluded.actor_handle, acted_at = excluded.acted_at
            """, actorArguments)
        // Grouped ones count their actors again (new ones have the one they were made with).
        try db.execute(
            """
            UPDATE notifications SET actor_count = (SELECT count(*) FROM notification_actors WHERE notification_id = notifications.id)
            WHERE id IN (SELECT value FROM json_each(?))
                AND actor_count <> (SELECT count(*) FROM notification_actors WHERE notification_id = notifications.id)
            """, [Self.jsonArray(ids)])
        return ids
    }

    /// "(?, ?), (?, ?)": `count` rows of `columns` placeholders.
    static func rows(_ count: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: count).joined(separator: ", ")
    }

    /// "[1,2,3]", the argument of `IN (SELECT value FROM json_each(?))`.
    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    // MARK: Preferences

    /// The channel a member gets `kind` on: their choice, else the kind's default.
    public func channel(for kind: NotificationKind, memberID: Int64, in db: Connection) throws
        -> NotificationChannel
    {
        let chosen = try db.scalar(
            "SELECT channel FROM notification_preferences WHERE member_id = ? AND kind = ?",
            [memberID, kind.id],
            as: String.self)
        return chosen.flatMap(NotificationChannel.init(rawValue:)) ?? kind.defaultChannel
    }

    /// How much a member hears from one group (everything unless they chose).
    public func level(groupID: Int64, memberID: Int64, in db: Connection) throws -> GroupNotificationLevel {
        try db.scalar(
            "SELECT level FROM notification_group_levels WHERE member_id = ? AND group_id = ?",
            [memberID, groupID], as: String.self
        ).flatMap(GroupNotificationLevel.init(rawValue:)) ?? .all
    }

    /// The channels these members chose for a kind (those who did not are left out).
    func chosenChannels(kind: String, memberIDs: [Int64], in db: Connection) throws -> [Int64:
        NotificationChannel]
    {
        try chosen(
            "SELECT member_id, channel FROM notification_preferences WHERE kind = ? AND member_id IN (SELECT value FROM json_each(?))",
            kind, memberIDs: memberIDs, in: db)
    }

    /// The levels these members chose for a group (those who did not hear everything).
    func chosenLevels(groupID: Int64, memberIDs: [Int64], in db: Connection) throws
        -> [Int64: GroupNotificationLevel]
    {
        try chosen(
            "SELECT member_id, level FROM notification_group_levels WHERE group_id = ? AND member_id IN (SELECT value FROM json_each(?))",
            groupID, memberIDs: memberIDs, in: db)
    }

    /// Member id → choice, from `sql` selecting both for one key and a JSON array of members.
    private func chosen<Choice: RawRepresentable<String>>(
        _ sql: String, _ key: any DatabaseValueConvertible, memberIDs: [Int64], in db: Connection
    ) throws -> [Int64: Choice] {
        guard !memberIDs.isEmpty else { return [:] }
        var chosen: [Int64: Choice] = [:]
        try db.forEach(sql, [key, Self.jsonArray(memberIDs)]) { row in
            if let choice = Choice(rawValue: try row.value(column: 1)) {
                chosen[try row.value(column: 0)] = choice
            }
        }
        return chosen
    }
}

extension Services {
    /// The notifications service (see ``Notifications``).
    public var notifications: Notifications { Notifications(services: self) }
}
