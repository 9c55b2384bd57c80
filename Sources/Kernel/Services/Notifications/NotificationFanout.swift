import Foundation
import Storage

/// A module's fan-out: everyone who hears of one thing (a discussion's followers hearing of a
/// reply), named by an argument (the reply's id). The posting request reads at most a handful
/// of recipients; when there are more, one job with the argument resolves them and notifies
/// them off the request path, at the job runner's lower priority.
///
/// ```swift
/// services.notifications.registerFanout(
///     "groups.reply",
///     Fanout(
///         recipients: { replyID, limit, db in try groups.followers(ofReply: replyID, limit: limit, in: db) },
///         notification: { replyID, db in try groups.replyNotification(replyID: replyID, in: db) }))
/// try services.notifications.publish(fanout: FanoutRequest(builder: "groups.reply", argument: "42"), in: db)
/// ```
public struct Fanout: Sendable {
    /// Who hears of it, in a stable order: at most `limit` when a limit is given (the request
    /// asks for one more than ``Notifications/inlineRecipientLimit``), everyone when nil.
    public typealias Recipients =
        @Sendable (_ argument: String, _ limit: Int?, _ db: Connection) throws -> [Int64]
    /// What each recipient hears (its `recipientID` is replaced by each), or nil when the thing
    /// is gone. The same for every recipient, so the job makes it once per batch; each recipient
    /// is still checked (published, visible to them, their preferences).
    public typealias Notification =
        @Sendable (_ argument: String, _ db: Connection) throws -> NewNotification?

    public var recipients: Recipients
    public var notification: Notification

    public init(recipients: @escaping Recipients, notification: @escaping Notification) {
        self.recipients = recipients
        self.notification = notification
    }
}

/// A registered fan-out: a ``Fanout``, or (registered the older way) a builder per recipient
/// whose recipients the request lists.
struct RegisteredFanout: Sendable {
    var recipients: Fanout.Recipients?
    var notification: Fanout.Notification?
    var builder: NotificationCatalog.FanoutBuilder?
}

/// Which registered fan-out a job runs, with its argument (e.g. a reply's id).
public struct FanoutRequest: Sendable {
    public var builder: String
    public var argument: String
    public init(builder: String, argument: String) {
        self.builder = builder
        self.argument = argument
    }
}

/// The fan-out job's payload: the recipients are listed only for builders registered without
/// a ``Fanout`` (``Notifications/publish(toEach:fanout:in:)``); otherwise the job resolves them.
struct FanoutPayload: Codable {
    var builder: String
    var argument: String
    var recipients: [Int64]?
    /// Names the job's progress row (`notification_fanouts`); jobs queued before it existed
    /// have none and start from the first recipient when retried.
    var id: String?
}

extension Notifications {
    /// The job that notifies the recipients of a large fan-out.
    public static let fanoutJob = "notifications.fanout"
    /// Recipients checked and stored per batch (one read, then one short write). A reply that
    /// arrives while a batch holds the single writer waits for it: with 50 a batch held it
    /// 1.5 ms (p50) and a reply's wait for the writer reached 1.9 ms at p99 during a 2,000-member
    /// fan-out; with 10, 0.35 ms and 0.44 ms (BENCHMARKS.md, stop 28).
    static let fanoutBatch = 10
    /// A fan-out's progress once every recipient is stored.
    static let fanoutDone = Int64.max
    /// Up to this many recipients are notified in the posting request's transaction; above, by
    /// the job, so a post in a large group does not make its author wait.
    public static let inlineRecipientLimit = 25

    /// Registers a fan-out (see ``Fanout``) under `name`, the ``FanoutRequest/builder`` that names it.
    public func registerFanout(_ name: String, _ fanout: Fanout) {
        catalog.registerFanout(
            name, RegisteredFanout(recipients: fanout.recipients, notification: fanout.notification))
    }

    /// Registers how a module's fan-out (``publish(toEach:fanout:in:)``) makes each recipient's
    /// notification; run again by the job, so visibility is checked when it runs.
    public func registerFanout(_ name: String, _ builder: @escaping NotificationCatalog.FanoutBuilder) {
        catalog.registerFanout(name, RegisteredFanout(builder: builder))
    }

    /// Publishes a registered ``Fanout`` inside the caller's transaction: reads at most
    /// ``inlineRecipientLimit`` + 1 recipients; up to the limit they are notified here, beyond it
    /// one job (enqueued in this transaction, so only if it commits) resolves and notifies them all.
    public func publish(fanout request: FanoutRequest, in db: Connection) throws {
        guard let fanout = catalog.fanout(request.builder), let recipients = fanout.recipients,
            let make = fanout.notification
        else { throw DomainError.conflict("no fan-out named \(request.builder) is registered") }
        let first = try recipients(request.argument, Self.inlineRecipientLimit + 1, db)
        if first.count > Self.inlineRecipientLimit {
            try enqueueFanout(FanoutPayload(builder: request.builder, argument: request.argument), in: db)
            return
        }
        guard !first.isEmpty, let notification = try make(request.argument, db) else { return }
        let deliveries = try check(notification, recipients: first, in: db).compactMap(\.delivery)
        _ = try deliver(try prepare(deliveries, in: db), in: db)
    }

    /// Publishes one notification per recipient, made by the builder registered as
    /// `fanout.builder`. Up to ``inlineRecipientLimit`` recipients are notified in the caller's
    /// transaction; more by the `notifications.fanout` job, enqueued in the same transaction (so
    /// only if it commits), which runs the builder for each again off the request path.
    public func publish(
        toEach recipientIDs: [Int64], fanout: FanoutRequest, in db: Connection
    ) throws {
        if recipientIDs.count <= Self.inlineRecipientLimit {
            for id in recipientIDs {
                if let notification = try catalog.fanout(fanout.builder)?.builder?(id, fanout.argument, db) {
                    try publish(notification, in: db)
                }
            }
            return
        }
        try enqueueFanout(
            FanoutPayload(builder: fanout.builder, argument: fanout.argument, recipients: recipientIDs),
            in: db)
    }

    private func enqueueFanout(_ payload: FanoutPayload, in db: Connection) throws {
        var payload = payload
        payload.id = payload.id ?? UUID().uuidString
        let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try services.jobs.enqueue(Self.fanoutJob, payload: text, at: clock.now, in: db)
    }

    /// Notifies a fan-out's recipients, a batch at a time: the checks and the mails are made
    /// on a reading connection (no writer lock held), then one short write stores the batch
    /// (multi-row inserts), and the job pauses before the next, so that a member's posting
    /// request waiting for the writer never waits for more than one batch's write.
    func runFanout(_ payload: String) throws {
        let request = try JSONDecoder().decode(FanoutPayload.self, from: Data(payload.utf8))
        guard let fanout = catalog.fanout(request.builder) else {
            throw DomainError.conflict("no fan-out named \(request.builder) is registered")
        }
        try loadSigningKey()
        let recipients: [Int64]
        if let listed = request.recipients {
            recipients = listed
        } else if let resolve = fanout.recipients {
            recipients = try services.database.read { db in try resolve(request.argument, nil, db) }
        } else {
            throw DomainError.conflict("the fan-out \(request.builder) names no recipients")
        }
        // In id order, so that a retry carries on after the last stored recipient even when
        // followers came or went in between (``FanoutPayload/id``, `notification_fanouts`).
        var remaining = Array(Set(recipients)).sorted()
        if let id = request.id, let done = try services.database.read({ db in try progress(of: id, in: db) })
        {
            remaining.removeAll { $0 <= done }
        }
        var start = 0
        while start < remaining.count {
            if start > 0 { Thread.sleep(forTimeInterval: 0.002) }
            let batch = Array(remaining[start..<min(start + Self.fanoutBatch, remaining.count)])
            let prepared = try services.database.read { db in
                try prepare(try deliveries(of: fanout, argument: request.argument, to: batch, in: db), in: db)
            }
            if let id = request.id {
                // Progress is read again inside the write, so a second runner of the same job
                // (its lease ran out) stores no recipient the first has stored; it only moves
                // forward, and the last batch marks the fan-out done in the same transaction.
                let through =
                    start + batch.count == remaining.count ? Self.fanoutDone : batch[batch.count - 1]
                try services.database.write { db in
                    let done = try progress(of: id, in: db) ?? Int64.min
                    _ = try deliver(prepared.filter { $0.delivery.notification.recipientID > done }, in: db)
                    try db.execute(
                        """
                        INSERT INTO notification_fanouts (id, last_recipient, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET last_recipient = excluded.last_recipient,
                            updated_at = excluded.updated_at
                        WHERE excluded.last_recipient > notification_fanouts.last_recipient
                        """, [id, max(through, done), clock.now])
                }
            } else if !prepared.isEmpty {
                try services.database.write { db in _ = try deliver(prepared, in: db) }
            }
            start += batch.count
        }
        try sweepFanoutProgress()
    }

    /// The last recipient a fan-out job has stored (``fanoutDone`` once it finished), or nil.
    private func progress(of id: String, in db: Connection) throws -> Int64? {
        try db.scalar("SELECT last_recipient FROM notification_fanouts WHERE id = ?", [id], as: Int64.self)
    }

    /// A finished fan-out's progress row is kept (a retry after the job's own removal failed
    /// finds it done) for a day; rows of jobs that gave up go after a week.
    private func sweepFanoutProgress() throws {
        let now = clock.now
        try services.database.write { db in
            try db.execute(
                """
                DELETE FROM notification_fanouts
                WHERE (last_recipient = ? AND updated_at < ?) OR updated_at < ?
                """, [Self.fanoutDone, now.addingTimeInterval(-86_400), now.addingTimeInterval(-7 * 86_400)])
        }
    }

    /// The checked notifications of one batch of a fan-out's recipients (reading only).
    private func deliveries(
        of fanout: RegisteredFanout, argument: String, to batch: [Int64], in db: Connection
    ) throws -> [Delivery] {
        if let make = fanout.notification {
            guard let notification = try make(argument, db) else { return [] }
            return try check(notification, recipients: batch, in: db).compactMap(\.delivery)
        }
        guard let builder = fanout.builder else { return [] }
        return try batch.compactMap { recipient in
            try builder(recipient, argument, db).flatMap { try check($0, in: db).delivery }
        }
    }
}
