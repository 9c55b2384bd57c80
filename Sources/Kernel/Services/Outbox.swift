import Foundation
import Storage
import Synchronization

/// A message to send.
public struct Mail: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var body: String
    /// The message is about the recipient's account standing itself (suspended, banned,
    /// reinstated, approved): it goes out even when the recipient may receive nothing else.
    public var isAboutAccountStatus: Bool
    /// An HTML alternative of `body`: the message goes out as `multipart/alternative`.
    public var html: String?
    /// Extra header fields (e.g. `List-Unsubscribe`); names and values are kept on one line.
    public var headers: [MailHeader]
    /// The member the message is for: their address is looked up again when it goes out, so a
    /// changed address takes effect at once (``Outbox/setAddressResolver(_:)``).
    public var memberID: Int64?
    public init(
        to: String, subject: String, body: String, aboutAccountStatus: Bool = false, html: String? = nil,
        headers: [MailHeader] = [], memberID: Int64? = nil
    ) {
        self.to = to
        self.subject = subject
        self.body = body
        self.isAboutAccountStatus = aboutAccountStatus
        self.html = html
        self.headers = headers
        self.memberID = memberID
    }
}

/// One header field of a ``Mail``.
public struct MailHeader: Sendable, Equatable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Whether an address may be sent mail now, as the module that owns accounts sees it.
public enum RecipientStanding: Sendable, Equatable {
    /// Any mail (an active member, or an address that is no member's).
    case mayReceive
    /// Only mail about their account's standing (a suspended or banned member).
    case accountStatusOnly
    /// Nothing (a deleted account).
    case none
}

/// A message in the outbox, with its delivery state.
public struct OutboxMessage: Sendable, Codable, Equatable {
    public var id: Int64
    public var to: String
    public var subject: String
    public var body: String
    /// "pending", "sent", "failed" (gave up after the last retry) or "withheld" (the recipient
    /// may not receive it any more: see ``Outbox/setRecipientPolicy(_:)``).
    public var status: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var lastError: String?
    public var isAboutAccountStatus: Bool
    public var html: String?
    public var headers: [MailHeader] = []
    public var memberID: Int64?
}

/// The mail outbox: a message is written in the same transaction as the change that causes it,
/// so mail goes out exactly when the change happened. Delivery pipes each message to the
/// configured sendmail command (`sendmail -t -i`) with exponential backoff; with no command
/// configured, messages are kept and listed by `pln admin outbox list`.
///
/// ```swift
/// try db.write { db in …; try services.outbox.enqueue(Mail(to: "a@b.c", subject: "Hi", body: "…"), in: db) }
/// let report = try services.outbox.deliverDue()
/// ```
public final class Outbox: Sendable {
    private let database: Database
    private let clock: any Clock
    private let sendmailCommand: [String]?
    private let fromAddress: String
    public let maximumAttempts = 8
    /// Asked right before each message goes out; nil (no account module) lets everything through.
    private let recipientPolicy = Mutex<(@Sendable (String, Connection) throws -> RecipientStanding)?>(nil)
    /// A member's current address (nil: they have none any more), for mail addressed to a member.
    private let addressResolver = Mutex<(@Sendable (Int64, Connection) throws -> String?)?>(nil)

    public init(database: Database, clock: any Clock, sendmailCommand: [String]?, fromAddress: String) {
        self.database = database
        self.clock = clock
        self.sendmailCommand = sendmailCommand?.isEmpty == true ? nil : sendmailCommand
        self.fromAddress = fromAddress
    }

    public var isDeliveryConfigured: Bool { sendmailCommand != nil }

    /// Installs the rule, asked at delivery time for each message's recipient, that decides
    /// whether it may still be sent: mail to a suspended member goes out only when it is about
    /// the suspension itself, mail to a deleted account never. Messages that may not go out are
    /// marked "withheld" and never retried. The module that owns accounts installs it.
    ///
    /// ```swift
    /// services.outbox.setRecipientPolicy { address, db in
    ///     try membership.mailStanding(of: address, in: db)
    /// }
    /// ```
    public func setRecipientPolicy(
        _ policy: @escaping @Sendable (String, Connection) throws -> RecipientStanding
    ) {
        recipientPolicy.withLock { $0 = policy }
    }

    /// Installs the lookup of a member's current address, asked when a message addressed to a
    /// member (``Mail/memberID``) goes out.
    public func setAddressResolver(_ resolver: @escaping @Sendable (Int64, Connection) throws -> String?) {
        addressResolver.withLock { $0 = resolver }
    }

    /// Removes every message to `address` not yet sent (pending, or failed and kept), inside
    /// the caller's transaction: for an account being deleted, whose address must not be
    /// mailed again nor kept.
    public func removeUnsent(to address: String, in db: Connection) throws {
        try db.execute(
            "DELETE FROM outbox WHERE to_address = ? AND status IN ('pending', 'failed', 'withheld')",
            [address])
    }

    public static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "003_outbox",
            sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    to_address TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    sent_at INTEGER,
                    last_error TEXT
                );
                CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
                """)
    ]

    /// Applied after the other kernel migrations (their order is the schema's history).
    public static let laterMigrations: [Migration] = [
        Migration(
            owner: "kernel", name: "006_outbox_account_status",
            sql: """
                ALTER TABLE outbox ADD COLUMN about_account_status INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX outbox_recipient ON outbox (to_address, status);
                """),
        Migration(
            owner: "kernel", name: "010_outbox_member_mail",
            sql: """
                ALTER TABLE outbox ADD COLUMN html_body TEXT;
                ALTER TABLE outbox ADD COLUMN extra_headers TEXT NOT NULL DEFAULT '';
                ALTER TABLE outbox ADD COLUMN member_id INTEGER;
                CREATE INDEX outbox_member ON outbox (member_id, status);
                """),
    ]

    /// Adds a message inside the caller's write transaction.
    public func enqueue(_ mail: Mail, in db: Connection) throws {
        let now = clock.now
        try db.execute(
            """
            INSERT INTO outbox (to_address, subject, body, about_account_status, created_at, next_attempt_at,
                html_body, extra_headers, member_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                mail.to, mail.subject, mail.body, mail.isAboutAccountStatus, now, now, mail.html,
                MailMIME.encodeHeaders(mail.headers), mail.memberID,
            ])
    }

    /// Messages, newest first; `status` narrows to one state.
    public func list(status: String? = nil, limit: Int = 100) throws -> [OutboxMessage] {
        try database.read { db in
            try db.query(
                """
                SELECT * FROM outbox WHERE (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?
                """, [status, status, limit], Self.message)
        }
    }

    static func message(_ row: Row) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.value("id"), to: try row.value("to_address"), subject: try row.value("subject"),
            body: try row.value("body"), status: try row.value("status"), attempts: try row.value("attempts"),
            createdAt: try row.value("created_at"), nextAttemptAt: try row.value("next_attempt_at"),
            lastError: try row.optional("last_error"),
            isAboutAccountStatus: try row.value("about_account_status"), html: try row.optional("html_body"),
            headers: MailMIME.decodeHeaders(try row.value("extra_headers")),
            memberID: try row.optional("member_id"))
    }

    public struct DeliveryReport: Sendable, Equatable, Codable {
        public var sent = 0
        public var failed = 0
        public var gaveUp = 0
        public var kept = 0
        /// Not sent because the recipient may not receive them any more (deleted, suspended).
        public var withheld = 0
    }

    /// Messages claimed per write: each server delivering at the same time takes its own.
    static let claimBatch = 20
    /// How long a claimed message is held by the process sending it: a process that dies while
    /// sending leaves it pending, and it is sent after the lease (at least once, never by two
    /// processes at the same time).
    public let claimLease: TimeInterval = 600

    /// Sends every due message. Without a sendmail command nothing is sent: messages are kept.
    ///
    /// Each message is claimed before it is sent, in batches: one write moves the due messages'
    /// next attempt past a lease (``claimLease``) and returns them, so several servers (or a
    /// server and `pln admin outbox deliver`) delivering at once never send the same message.
    /// On PostgreSQL the claim skips rows another server holds (`FOR UPDATE SKIP LOCKED`).
    @discardableResult
    public func deliverDue(limit: Int = 100) throws -> DeliveryReport {
        var report = DeliveryReport()
        let now = clock.now
        let policy = recipientPolicy.withLock { $0 }
        let resolver = addressResolver.withLock { $0 }
        guard let command = sendmailCommand else {
            let due = try database.read { db in
                try db.query(
                    "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                    [now, limit], Self.message)
            }
            for message in due {
                if try deliverable(message, policy: policy, resolver: resolver, report: &report) != nil {
                    report.kept += 1
                }
            }
            return report
        }
        var remaining = limit
        while remaining > 0 {
            let claimed = try claim(upTo: min(remaining, Self.claimBatch), now: clock.now)
            if claimed.isEmpty { break }
            remaining -= claimed.count
            for claimedMessage in claimed {
                guard
                    let message = try deliverable(
                        claimedMessage, policy: policy, resolver: resolver, report: &report)
                else { continue }
                let failure = Self.send(message, from: fromAddress, command: command)
                try record(failure, of: message, now: now, report: &report)
            }
        }
        return report
    }

    /// Claims up to `count` due messages for this process (see ``deliverDue(limit:)``).
    func claim(upTo count: Int, now: Date) throws -> [OutboxMessage] {
        try database.write { db in
            try db.query(
                """
                UPDATE outbox SET next_attempt_at = ?
                WHERE id IN (
                    SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?)
                RETURNING *
                """, [now.addingTimeInterval(claimLease), now, count], Self.message)
        }.sorted { $0.id < $1.id }
    }

    /// The message with its recipient's current address, or nil when it is withheld (marked so).
    private func deliverable(
        _ message: OutboxMessage, policy: (@Sendable (String, Connection) throws -> RecipientStanding)?,
        resolver: (@Sendable (Int64, Connection) throws -> String?)?, report: inout DeliveryReport
    ) throws -> OutboxMessage? {
        var message = message
        if let memberID = message.memberID, let resolver {
            let current = try database.read { db in try resolver(memberID, db) }
            guard let current else {
                try withhold(message, reason: "withheld: the member has no address any more")
                report.withheld += 1
                return nil
            }
            if current != message.to {
                message.to = current
                try database.write { db in
                    try db.execute("UPDATE outbox SET to_address = ? WHERE id = ?", [current, message.id])
                }
            }
        }
        if let reason = try withholdingReason(message, policy: policy) {
            try withhold(message, reason: reason)
            report.withheld += 1
            return nil
        }
        return message
    }

    private func withhold(_ message: OutboxMessage, reason: String) throws {
        try database.write { db in
            try db.execute(
                "UPDATE outbox SET status = 'withheld', last_error = ? WHERE id = ? AND status = 'pending'",
                [reason, message.id])
        }
    }

    /// Marks a message sent, or schedules its retry with backoff (1, 2, 4 … minutes, capped at a
    /// day), which also ends this process's claim.
    private func record(
        _ failure: String?, of message: OutboxMessage, now: Date, report: inout DeliveryReport
    )
        throws
    {
        let attempts = message.attempts + 1
        let gaveUp = failure != nil && attempts >= maximumAttempts
        // Counted once the write has committed: on PostgreSQL a write that meets a serialization
        // conflict runs its closure again, and a count inside it was then counted twice.
        try database.write { db in
            if let failure {
                let delay = min(86_400, 60 * pow(2, Double(attempts - 1)))
                try db.execute(
                    "UPDATE outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    [
                        attempts, gaveUp ? "failed" : "pending", now.addingTimeInterval(delay), failure,
                        message.id,
                    ])
            } else {
                try db.execute(
                    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?",
                    [now, message.id])
            }
        }
        if failure == nil {
            report.sent += 1
        } else if gaveUp {
            report.gaveUp += 1
        } else {
            report.failed += 1
        }
    }

    /// Why `message` may not go out now, or nil when it may.
    private func withholdingReason(
        _ message: OutboxMessage, policy: (@Sendable (String, Connection) throws -> RecipientStanding)?
    ) throws -> String? {
        guard let policy else { return nil }
        switch try database.read({ db in try policy(message.to, db) }) {
        case .mayReceive: return nil
        case .accountStatusOnly:
            return message.isAboutAccountStatus ? nil : "withheld: the recipient's account is suspended"
        case .none: return "withheld: the recipient's account no longer exists"
        }
    }

    /// Pipes one RFC 5322 message to the command; returns an error text, or nil on success.
    static func send(_ message: OutboxMessage, from: String, command: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return "cannot run \(command[0]): \(error.localizedDescription)" }
        let text = MailMIME.message(message, from: from)
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        if process.terminationStatus == 0 { return nil }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return "\(command[0]) exited with \(process.terminationStatus): \(stderr.prefix(500))"
    }

    /// Header values never carry line breaks (no header injection from member-supplied text).
    static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }
}
