import Foundation
import Storage

/// A part of the digest a module adds (new posts in my groups, sessions in my areas …), read
/// through the module's own service or read models.
public struct DigestSection: Sendable, Equatable {
    public var title: String
    public var items: [DigestItem]
    /// A reminder (sessions booked for the coming week) rides along with what is new but sends
    /// no digest on its own.
    public var isReminder: Bool
    public init(title: String, items: [DigestItem], isReminder: Bool = false) {
        self.title = title
        self.items = items
        self.isReminder = isReminder
    }
}

public struct DigestItem: Sendable, Equatable {
    public var text: String
    /// A path on this network.
    public var link: String
    public init(text: String, link: String) {
        self.text = text
        self.link = link
    }
}

/// What one digest run did (or, dry, would do).
public struct DigestReport: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var memberID: Int64
        public var period: String
        public var items: Int
    }
    public var sent: [Entry] = []
    /// Members whose digest for the period had already gone (another server, a retried job).
    public var alreadySent = 0
}

/// Daily and weekly digests: sent by the hourly `notifications.digest` job from 07:00 in the
/// network's time zone (weekly ones from Monday), exactly once per member and period — the
/// `notification_digests` row is written in the transaction that queues the mail, and its
/// primary key refuses a second one. Nothing is sent when nothing is new.
extension Notifications {
    public static let digestJob = "notifications.digest"
    /// The kind an unsubscribe link in a digest turns off: the digest itself.
    public static let digestKind = "digest"
    static let morningHour = 7

    /// Adds a module's part of every member's digest: `section(memberID, since, db)`.
    public func registerDigestSource(
        _ source:
            @escaping @Sendable (_ memberID: Int64, _ since: Date, _ db: Connection) throws -> DigestSection?
    ) {
        catalog.addDigestSource(source)
    }

    /// The period `frequency` is in at `date`, in the network's time zone, or nil before its
    /// morning ("daily:2026-12-05", "weekly:2026-11-30").
    func period(_ frequency: DigestFrequency, at date: Date) -> (key: String, start: Date)? {
        let zone =
            TimeZone(identifier: services.config.string("network", "time_zone")) ?? TimeZone(
                identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: date)
        let hour = calendar.component(.hour, from: date)
        let formatter = { (day: Date) -> String in
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        switch frequency {
        case .never: return nil
        case .daily:
            guard hour >= Self.morningHour else { return nil }
            return ("daily:" + formatter(today), today)
        case .weekly:
            let weekday = calendar.component(.weekday, from: date)  // 1 = Sunday
            let sinceMonday = (weekday + 5) % 7
            if sinceMonday == 0 && hour < Self.morningHour { return nil }
            let monday = calendar.date(byAdding: .day, value: -sinceMonday, to: today) ?? today
            return ("weekly:" + formatter(monday), monday)
        }
    }

    /// Sends every digest due now. `dryRun` reports who would get one and writes nothing.
    @discardableResult
    public func sendDigests(dryRun: Bool = false) throws -> DigestReport {
        let now = clock.now
        var report = DigestReport()
        // Members with something unread, or who chose a frequency; with modules' sections
        // registered, every active member (weekly is the default).
        let candidates = try services.database.read { db in
            var ids = try db.query(
                """
                SELECT recipient_id AS member_id FROM notifications WHERE read_at IS NULL
                UNION SELECT member_id FROM notification_members WHERE digest_frequency <> 'never'
                ORDER BY 1
                """
            ) { try $0.value(column: 0) as Int64 }
            if !catalog.digestSources.isEmpty {
                let everyone = try services.identity?.people(withRoleAtLeast: .member, in: db).map(\.id) ?? []
                ids = Array(Set(ids).union(everyone)).sorted()
            }
            return ids
        }
        for memberID in candidates {
            let outcome = try services.database.write { db -> DigestReport.Entry?? in
                let frequency = try digestFrequency(memberID: memberID, in: db)
                guard let period = period(frequency, at: now) else { return .some(nil) }
                if try db.scalar(
                    "SELECT 1 FROM notification_digests WHERE member_id = ? AND period_key = ?",
                    [memberID, period.key], as: Int.self) != nil
                {
                    return nil
                }
                let last = try db.scalar(
                    "SELECT max(sent_at) FROM notification_digests WHERE member_id = ?", [memberID],
                    as: Date.self)
                let length: TimeInterval = frequency == .daily ? 86_400 : 7 * 86_400
                let since = max(
                    last ?? period.start.addingTimeInterval(-length), period.start.addingTimeInterval(-length)
                )
                guard let digest = try compose(memberID: memberID, since: since, in: db) else {
                    return .some(nil)
                }
                let entry = DigestReport.Entry(memberID: memberID, period: period.key, items: digest.count)
                if dryRun { return entry }
                try db.execute(
                    """
                    INSERT INTO notification_digests (member_id, period_key, period_start, sent_at, item_count)
                    VALUES (?, ?, ?, ?, ?)
                    """, [memberID, period.key, period.start, now, digest.count])
                try enqueueDigest(digest, frequency: frequency, memberID: memberID, in: db)
                return entry
            }
            switch outcome {
            case .none: report.alreadySent += 1
            case .some(.none): break
            case .some(.some(let entry)): report.sent.append(entry)
            }
        }
        return report
    }

    struct Digest {
        var notifications: [MemberNotification]
        var sections: [DigestSection]
        var count: Int { notifications.count + sections.reduce(0) { $0 + $1.items.count } }
    }

    /// What the member's digest holds since `since`, or nil when nothing is new (or they may
    /// not be mailed).
    func compose(memberID: Int64, since: Date, in db: Connection) throws -> Digest? {
        guard let person = try services.identity?.person(id: memberID, in: db), person.status == .active
        else {
            return nil
        }
        let rows = try db.query(
            """
            SELECT * FROM notifications WHERE recipient_id = ? AND read_at IS NULL AND updated_at > ?
            ORDER BY updated_at DESC, id DESC LIMIT 50
            """, [memberID, since], Self.notification)
        let notifications = try withActors(rows, in: db)
        var sections: [DigestSection] = []
        for source in catalog.digestSources {
            if let section = try source(memberID, since, db), !section.items.isEmpty {
                sections.append(section)
            }
        }
        let digest = Digest(notifications: notifications, sections: sections)
        let new = notifications.count + sections.filter { !$0.isReminder }.reduce(0) { $0 + $1.items.count }
        return new == 0 ? nil : digest
    }
}
