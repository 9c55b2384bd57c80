import Foundation
import Storage

/// What the notifications service knows for the life of the process: the kinds modules
/// registered and the reportable kinds it asks whether content is published and visible.
public final class NotificationCatalog: Sendable {
    private let kinds = ReadMostly<[NotificationKind]>([.mention, .like])
    private let reportables = ReadMostly<[String: ReportableKind]>([:])
    private let signingKey = ReadMostly<[UInt8]?>(nil)
    private let fanouts = ReadMostly<[String: FanoutBuilder]>([:])
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

    func registerFanout(_ name: String, _ builder: @escaping FanoutBuilder) {
        fanouts.write { $0[name] = builder }
    }

    func fanoutBuilder(_ name: String) -> FanoutBuilder? { fanouts.read { $0[name] } }

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

    /// Registers how a module's fan-out (``publish(toEach:fanout:in:)``) makes each recipient's
    /// notification; run again by the job, so visibility is checked when it runs.
    public func registerFanout(_ name: String, _ builder: @escaping NotificationCatalog.FanoutBuilder) {
        catalog.registerFanout(name, builder)
    }

    /// Every kind, in the order registered.
    public var kinds: [NotificationKind] { catalog.allKinds }

    /// Above this many recipients ``publish(toEach:fanout:in:)`` hands the work to a job, so a
    /// post in a large group does not make its author wait.
    public static let inlineRecipientLimit = 25

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
        guard notification.recipientID != notification.actor.id else { return .skip(.ownAction) }
        guard let person = try services.identity?.person(id: notification.recipientID, in: db),
            person.status == .active || person.status == .pending
        else { return .skip(.recipientInactive) }
        let recipient = SignedInMember(
            id: person.id, handle: person.handle, name: person.name, role: person.role,
            isPending: person.status == .pending)
        for reference in [notification.subject, item ?? notification.item].compactMap({ $0 }) {
            guard let kind = catalog.reportable(reference) else { continue }
            guard let found = try kind.lookup(reference.id, db), !found.isHidden else {
                return .skip(.contentNotPublished)
            }
            guard try kind.isVisible(reference.id, recipient, db) else { return .skip(.notVisible) }
        }
        if let check = notification.isVisible, try !check(recipient, db) { return .skip(.notVisible) }
        let kind =
            catalog.kind(notification.kind)
            ?? NotificationKind(id: notification.kind, title: notification.kind, defaultChannel: .site)
        let channel = try channel(for: kind, memberID: recipient.id, in: db)
        if channel == .off { return .skip(.kindOff) }
        if let group = notification.group {
            switch try level(groupID: group.id, memberID: recipient.id, in: db) {
            case .mute: return .skip(.groupMuted)
            case .mentions where !kind.isMention: return .skip(.groupMuted)
            default: break
            }
        }
        return .deliver(Delivery(notification: notification, kind: kind, channel: channel))
    }

    /// Stores (or groups) a checked notification and mails it when the member asked for mail at once.
    func deliver(_ delivery: Delivery, in db: Connection) throws -> PublishOutcome {
        let id = try store(delivery.notification, in: db)
        if delivery.channel == .email {
            try enqueueMail(
                for: delivery.notification, kind: delivery.kind,
                recipientID: delivery.notification.recipientID,
                in: db)
        }
        return .delivered(id: id, mailed: delivery.channel == .email)
    }

    /// Publishes one notification per recipient, made by `make`. Up to
    /// ``inlineRecipientLimit`` recipients are notified in the caller's transaction; more are
    /// notified by the `notifications.fanout` job, enqueued in the same transaction (so only if
    /// it commits), which runs `make` for each again off the request path.
    public func publish(
        toEach recipientIDs: [Int64], fanout: FanoutRequest, in db: Connection
    ) throws {
        if recipientIDs.count <= Self.inlineRecipientLimit {
            for id in recipientIDs {
                if let notification = try catalog.fanoutBuilder(fanout.builder)?(id, fanout.argument, db) {
                    try publish(notification, in: db)
                }
            }
            return
        }
        let payload = FanoutPayload(
            builder: fanout.builder, argument: fanout.argument, recipients: recipientIDs)
        let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try services.jobs.enqueue(Self.fanoutJob, payload: text, at: clock.now, in: db)
    }

    // MARK: Storing and grouping

    private func store(_ notification: NewNotification, in db: Connection) throws -> Int64 {
        let now = clock.now
        let groupKey = notification.kind + "|" + (notification.subject?.key ?? "")
        let open = try db.scalar(
            "SELECT id FROM notifications WHERE recipient_id = ? AND group_key = ? AND read_at IS NULL",
            [notification.recipientID, groupKey], as: Int64.self)
        let id: Int64
        if let open {
            id = open
        } else {
            try db.execute(
                """
                INSERT INTO notifications (recipient_id, kind, group_key, subject_module, subject_kind, subject_id,
                    group_id, group_name, text, link, excerpt, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    notification.recipientID, notification.kind, groupKey, notification.subject?.module,
                    notification.subject?.kind, notification.subject?.id, notification.group?.id,
                    notification.group?.name, notification.text, notification.link, notification.excerpt, now,
                    now,
                ])
            id = db.lastInsertedRowID
        }
        try db.execute(
            """
            INSERT INTO notification_actors (notification_id, actor_id, actor_name, actor_handle, acted_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (notification_id, actor_id) DO UPDATE SET
                actor_name = excluded.actor_name, actor_handle = excluded.actor_handle, acted_at = excluded.acted_at
            """, [id, notification.actor.id, notification.actor.name, notification.actor.handle, now])
        if open != nil {
            try db.execute(
                """
                UPDATE notifications SET updated_at = ?, text = ?, link = ?, excerpt = ?,
                    actor_count = (SELECT count(*) FROM notification_actors WHERE notification_id = ?)
                WHERE id = ?
                """, [now, notification.text, notification.link, notification.excerpt, id, id])
        }
        return id
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
}

/// Which registered builder a fan-out job runs, with its argument (e.g. a discussion id).
public struct FanoutRequest: Sendable {
    public var builder: String
    public var argument: String
    public init(builder: String, argument: String) {
        self.builder = builder
        self.argument = argument
    }
}

struct FanoutPayload: Codable {
    var builder: String
    var argument: String
    var recipients: [Int64]
}

extension Services {
    /// The notifications service (see ``Notifications``).
    public var notifications: Notifications { Notifications(services: self) }
}
