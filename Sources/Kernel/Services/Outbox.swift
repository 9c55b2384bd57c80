import Foundation
import Storage

/// A message to send.
public struct Mail: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var body: String
    public init(to: String, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// A message in the outbox, with its delivery state.
public struct OutboxMessage: Sendable, Codable, Equatable {
    public var id: Int64
    public var to: String
    public var subject: String
    public var body: String
    /// "pending", "sent" or "failed" (gave up after the last retry).
    public var status: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var lastError: String?
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

    public init(database: Database, clock: any Clock, sendmailCommand: [String]?, fromAddress: String) {
        self.database = database
        self.clock = clock
        self.sendmailCommand = sendmailCommand?.isEmpty == true ? nil : sendmailCommand
        self.fromAddress = fromAddress
    }

    public var isDeliveryConfigured: Bool { sendmailCommand != nil }

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

    /// Adds a message inside the caller's write transaction.
    public func enqueue(_ mail: Mail, in db: Connection) throws {
        let now = clock.now
        try db.execute(
            "INSERT INTO outbox (to_address, subject, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
            [mail.to, mail.subject, mail.body, now, now])
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
            lastError: try row.optional("last_error"))
    }

    public struct DeliveryReport: Sendable, Equatable, Codable {
        public var sent = 0
        public var failed = 0
        public var gaveUp = 0
        public var kept = 0
    }

    /// Sends every due message. Without a sendmail command nothing is sent: messages are kept.
    @discardableResult
    public func deliverDue(limit: Int = 100) throws -> DeliveryReport {
        var report = DeliveryReport()
        let now = clock.now
        let due = try database.read { db in
            try db.query(
                "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                [now, limit], Self.message)
        }
        guard let command = sendmailCommand else {
            report.kept = due.count
            return report
        }
        for message in due {
            let failure = Self.send(message, from: fromAddress, command: command)
            try database.write { db in
                if let failure {
                    let attempts = message.attempts + 1
                    let gaveUp = attempts >= maximumAttempts
                    // 1, 2, 4 … minutes, capped at a day.
                    let delay = min(86_400, 60 * pow(2, Double(attempts - 1)))
                    try db.execute(
                        "UPDATE outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                        [attempts, gaveUp ? "failed" : "pending", now.addingTimeInterval(delay), failure, message.id])
                    if gaveUp { report.gaveUp += 1 } else { report.failed += 1 }
                } else {
                    try db.execute(
                        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?",
                        [now, message.id])
                    report.sent += 1
                }
            }
        }
        return report
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
        let text = """
            From: \(headerSafe(from))\r
            To: \(headerSafe(message.to))\r
            Subject: \(headerSafe(message.subject))\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"))\r

            """
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
