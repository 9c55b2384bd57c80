import Foundation
import Kernel
import Membership
import Storage

/// Members' personal CPD records: entries of their own and those the register credits.
extension CPDService {
    // MARK: Personal CPD record

    /// The Teachers' Standards, offered as suggestions for the "standard or objective" field.
    public static let teachersStandards = [
        "TS1 Set high expectations", "TS2 Promote good progress", "TS3 Good subject and curriculum knowledge",
        "TS4 Plan and teach well-structured lessons", "TS5 Adapt teaching to all pupils",
        "TS6 Make accurate and productive use of assessment", "TS7 Manage behaviour effectively",
        "TS8 Fulfil wider professional responsibilities", "Part Two: Personal and professional conduct",
    ]

    /// Parses "yyyy-MM-dd" as a day in the network's zone (noon, so no zone shifts the day).
    public func parseDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: defaultTimeZone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.isLenient = false
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 10, let date = formatter.date(from: trimmed + " 12:00") else { return nil }
        return date
    }

    /// Minutes from decimal hours ("1.5", "0.25", "2"); nil unless 0 < hours ≤ 1000.
    public static func minutes(fromHours text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let hours = Double(trimmed), hours.isFinite, hours > 0, hours <= 1000 else { return nil }
        let minutes = Int((hours * 60).rounded())
        return minutes > 0 ? minutes : nil
    }

    /// Adds one of the member's own entries.
    public func addEntry(memberID: Int64, _ input: RecordInput) throws -> RecordEntry {
        var check = Validation()
        let title = check.requiredSingleLine(input.title, field: "title", label: "Title", maxLength: 200)
        let date = parseDay(input.date)
        if date == nil { check.add("date", "Enter the date as YYYY-MM-DD.") }
        if let date, date > now.addingTimeInterval(86_400) {
            check.add("date", "The date cannot be in the future.")
        }
        let minutes = Self.minutes(fromHours: input.hours)
        if minutes == nil { check.add("hours", "Enter the hours as a number, e.g. 1.5 (at most 1000).") }
        let kind = RecordKind(rawValue: input.kind)
        if kind == nil { check.add("kind", "Choose what kind of activity it was.") }
        let focus = PupilFocus(rawValue: input.pupilFocus)
        if focus == nil {
            check.add("pupil_focus", "Choose whether it focused on pupils directly or indirectly.")
        }
        let standard = check.optional(
            input.standard, field: "standard", label: "Standard or objective", maxLength: 300)
        let evidence = check.optional(
            input.evidenceURL, field: "evidence_url", label: "Evidence link", maxLength: 2000)
        if !evidence.isEmpty && !Self.isWebURL(evidence) {
            check.add("evidence_url", "The evidence link must start with https:// or http://.")
        }
        let reflection = check.optional(
            input.reflection, field: "reflection", label: "Reflection", maxLength: 10_000)
        try check.finish()
        guard let date, let minutes, let kind, let focus else { throw WebError.badRequest("Invalid entry.") }
        return try database.write { db in
            try db.execute(
                """
                INSERT INTO cpd_records (member_id, title, activity_date, minutes, kind, pupil_focus, standard, evidence_url,
                    reflection, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    memberID, title, date, minutes, kind.rawValue, focus.rawValue, standard, evidence,
                    reflection, now, now,
                ])
            let id = db.lastInsertedRowID
            guard
                let entry = try db.queryOne(
                    "SELECT * FROM cpd_records WHERE id = ?", [id], RecordEntry.decode)
            else {
                throw DomainError.notFound
            }
            return entry
        }
    }

    /// Records the later impact follow-up of an entry (own entries and attended sessions alike).
    @discardableResult
    public func recordImpact(entryID: Int64, memberID: Int64, impact: String, reflection: String? = nil)
        throws -> RecordEntry
    {
        var check = Validation()
        let text = check.required(impact, field: "impact", label: "Impact", maxLength: 10_000)
        let reflected = reflection.map {
            check.optional($0, field: "reflection", label: "Reflection", maxLength: 10_000)
        }
        try check.finish()
        return try database.write { db in
            guard
                let entry = try db.queryOne(
                    "SELECT * FROM cpd_records WHERE id = ?", [entryID], RecordEntry.decode),
                entry.memberID == memberID
            else { throw DomainError.notFound }
            try db.execute(
                "UPDATE cpd_records SET impact = ?, impact_at = ?, reflection = ?, updated_at = ? WHERE id = ?",
                [text, now, reflected ?? entry.reflection, now, entryID])
            guard
                let updated = try db.queryOne(
                    "SELECT * FROM cpd_records WHERE id = ?", [entryID], RecordEntry.decode)
            else {
                throw DomainError.notFound
            }
            return updated
        }
    }

    /// Deletes one of the member's own entries (attended sessions stay: the register says so).
    public func deleteEntry(entryID: Int64, memberID: Int64) throws {
        try database.write { db in
            guard
                let entry = try db.queryOne(
                    "SELECT * FROM cpd_records WHERE id = ?", [entryID], RecordEntry.decode),
                entry.memberID == memberID
            else { throw DomainError.notFound }
            if entry.sessionID != nil {
                throw DomainError.conflict(
                    "Attended sessions come from the register; ask the facilitator to correct it.")
            }
            try db.execute("DELETE FROM cpd_records WHERE id = ?", [entryID])
        }
    }

    public func entry(id: Int64, memberID: Int64) throws -> RecordEntry? {
        try database.read { db in
            try db.queryOne(
                "SELECT * FROM cpd_records WHERE id = ? AND member_id = ?", [id, memberID], RecordEntry.decode
            )
        }
    }

    /// A page of a member's record, newest first (keyset on date, id).
    public func record(of memberID: Int64, limit: Int = 50, before cursor: (Date, Int64)? = nil) throws
        -> [RecordEntry]
    {
        let date = cursor?.0 ?? Date.distantFuture
        let id = cursor?.1 ?? Int64.max
        return try database.read { db in
            try db.query(
                """
                SELECT * FROM cpd_records WHERE member_id = ?
                AND (activity_date < ? OR (activity_date = ? AND id < ?))
                ORDER BY activity_date DESC, id DESC LIMIT ?
                """, [memberID, date, date, id, PageSize.clamp(limit, to: 1000)], RecordEntry.decode)
        }
    }

    /// Every entry of one member (exports): one member's record is small, and bounded anyway.
    public func fullRecord(of memberID: Int64) throws -> [RecordEntry] {
        try record(of: memberID, limit: 1000)
    }

    public func totalMinutes(of memberID: Int64) throws -> Int {
        try database.read { db in
            try db.scalar(
                "SELECT COALESCE(SUM(minutes), 0) FROM cpd_records WHERE member_id = ?", [memberID],
                as: Int.self) ?? 0
        }
    }

    /// The record as RFC 4180 CSV.
    public func recordCSV(of memberID: Int64) throws -> String {
        let entries = try fullRecord(of: memberID)
        var rows: [[String]] = [
            [
                "Date", "Title", "Hours", "Kind", "Focus on pupils", "Standard or objective", "Evidence",
                "Reflection", "Impact", "Session",
            ]
        ]
        for entry in entries {
            rows.append([
                Self.isoDay(entry.date, zone: defaultTimeZone),
                entry.title, Hours.text(minutes: entry.minutes), entry.kind.label, entry.pupilFocus.rawValue,
                entry.standard,
                entry.evidenceURL, entry.reflection, entry.impact,
                entry.sessionID.map { services.link("/cpd/sessions/\($0)") } ?? "",
            ])
        }
        return CSV.document(rows)
    }

    static func isoDay(_ date: Date, zone: String) -> String {
        FormatterCache.formatter(
            pattern: "yyyy-MM-dd", zone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!,
            locale: "en_US_POSIX"
        ).string(from: date)
    }
}
