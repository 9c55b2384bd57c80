import Foundation
import Kernel
import Storage

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

    // MARK: Expertise

    /// Replaces the member's expertise: area → short statement. Areas must be in the taxonomy.
    public func setExpertise(memberID: Int64, _ entries: [String: String]) throws {
        var check = Validation()
        for (area, statement) in entries {
            if !areas.contains(area) { check.add("areas", "\"\(area)\" is not one of this network's areas.") }
            if statement.count > 280 {
                check.add("statement-\(area)", "Keep the statement for \(area) under 280 characters.")
            }
        }
        try check.finish()
        try database.write { db in
            try db.execute("DELETE FROM cpd_expertise WHERE member_id = ?", [memberID])
            for (area, statement) in entries.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    "INSERT INTO cpd_expertise (member_id, area, statement, updated_at) VALUES (?, ?, ?, ?)",
                    [memberID, area, statement.trimmingCharacters(in: .whitespacesAndNewlines), now])
            }
        }
    }

    public func expertise(of memberID: Int64) throws -> [Expertise] {
        try database.read { db in
            try db.query("SELECT * FROM cpd_expertise WHERE member_id = ? ORDER BY area", [memberID]) { row in
                Expertise(
                    memberID: try row.value("member_id"), area: try row.value("area"),
                    statement: try row.value("statement"))
            }
        }
    }

    /// "Find an expert in X": active members tagged with the area, by name, with their school.
    public func experts(in area: String, limit: Int = 50, afterName: String? = nil, afterID: Int64? = nil)
        throws -> [Expert]
    {
        try database.read { db in
            let rows = try db.query(
                """
                SELECT e.member_id, e.statement, m.handle, m.name FROM cpd_expertise e JOIN membership_people m ON m.id = e.member_id
                WHERE e.area = ? AND m.status = 'active'
                AND (m.name > ? OR (m.name = ? AND m.id > ?))
                ORDER BY m.name, m.id LIMIT ?
                """, [area, afterName ?? "", afterName ?? "", afterID ?? 0, PageSize.clamp(limit, to: 200)]
            ) { row in
                Expert(
                    memberID: try row.value("member_id"), handle: try row.value("handle"),
                    name: try row.value("name"),
                    statement: try row.value("statement"), school: nil)
            }
            return try rows.map { expert in
                var expert = expert
                expert.school = try school(of: expert.memberID, in: db)
                return expert
            }
        }
    }

    /// How many experts each area has, for the directory's index.
    public func expertCounts() throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            try db.forEach(
                """
                SELECT e.area, COUNT(*) AS n FROM cpd_expertise e JOIN membership_people m ON m.id = e.member_id
                WHERE m.status = 'active' GROUP BY e.area
                """
            ) { row in counts[try row.value("area")] = try row.value("n") }
            return counts
        }
    }

    // MARK: Evaluation

    /// Whether the member attended and the session has ended, so they may evaluate it.
    func requireAttended(_ sessionID: Int64, memberID: Int64, in db: Connection) throws -> CPDSession {
        guard let session = try session(id: sessionID, in: db) else { throw DomainError.notFound }
        guard let booking = try booking(sessionID: sessionID, memberID: memberID, in: db),
            booking.attended == true
        else {
            throw DomainError.forbidden("Only people who attended can evaluate this session.")
        }
        if now < session.endsAt {
            throw DomainError.conflict("You can evaluate the session once it has ended.")
        }
        return session
    }

    /// An attendee's rating (1–5) and what they will change in their practice.
    public func evaluate(sessionID: Int64, memberID: Int64, rating: Int?, willChange: String) throws {
        var check = Validation()
        if rating.map({ !(1...5).contains($0) }) ?? true {
            check.add("rating", "Choose a rating from 1 to 5.")
        }
        let change = check.optional(
            willChange, field: "will_change", label: "What you will change", maxLength: 5000)
        try check.finish()
        try database.write { db in
            _ = try requireAttended(sessionID, memberID: memberID, in: db)
            try db.execute(
                """
                INSERT INTO cpd_evaluations (session_id, member_id, rating, will_change, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (session_id, member_id) DO UPDATE SET rating = excluded.rating, will_change = excluded.will_change
                """, [sessionID, memberID, rating ?? 0, change, now])
        }
    }

    /// The follow-up weeks later: reaction, learning, use in practice, pupil outcomes (1–5 each).
    public func followUp(
        sessionID: Int64, memberID: Int64, reaction: Int?, learning: Int?, practice: Int?, outcomes: Int?,
        comment: String
    ) throws {
        var check = Validation()
        for (field, value) in [
            ("reaction", reaction), ("learning", learning), ("practice", practice), ("outcomes", outcomes),
        ]
        where value.map({ !(1...5).contains($0) }) ?? true {
            check.add(field, "Choose from 1 to 5.")
        }
        let text = check.optional(comment, field: "impact_comment", label: "Comment", maxLength: 5000)
        try check.finish()
        try database.write { db in
            _ = try requireAttended(sessionID, memberID: memberID, in: db)
            let exists =
                try db.scalar(
                    "SELECT 1 FROM cpd_evaluations WHERE session_id = ? AND member_id = ?",
                    [sessionID, memberID], as: Int.self) != nil
            if !exists {
                throw DomainError.conflict("Please rate the session first; the follow-up comes after.")
            }
            try db.execute(
                """
                UPDATE cpd_evaluations SET reaction = ?, learning = ?, practice = ?, outcomes = ?, impact_comment = ?,
                    followed_up_at = ? WHERE session_id = ? AND member_id = ?
                """, [reaction, learning, practice, outcomes, text, now, sessionID, memberID])
            // The impact lands in the member's own record too, where they keep their evidence.
            if !text.isEmpty {
                try db.execute(
                    """
                    UPDATE cpd_records SET impact = ?, impact_at = ?, updated_at = ?
                    WHERE member_id = ? AND session_id = ? AND impact = ''
                    """, [text, now, now, memberID, sessionID])
            }
        }
    }

    /// Whether the member has evaluated / followed up, for the session page.
    public func evaluationState(sessionID: Int64, memberID: Int64) throws -> (rated: Bool, followedUp: Bool) {
        try database.read { db in
            let row = try db.queryOne(
                "SELECT followed_up_at FROM cpd_evaluations WHERE session_id = ? AND member_id = ?",
                [sessionID, memberID]
            ) { row in (try row.optional("followed_up_at") as Date?) != nil }
            return (row != nil, row ?? false)
        }
    }

    /// Aggregated results, for the session's facilitators and administrators only.
    public func evaluationSummary(sessionID: Int64, by actor: SignedInMember) throws -> EvaluationSummary {
        guard let session = try session(id: sessionID),
            canSee(session, viewer: viewer(memberID: actor.id, isModerator: actor.isModerator))
        else { throw DomainError.notFound }
        guard session.isRunBy(actor.id) || actor.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators can see its evaluations.")
        }
        return try database.read { db in
            var summary = EvaluationSummary(
                responses: 0, averageRating: nil, distribution: [0, 0, 0, 0, 0], changes: [], followUps: 0,
                averageReaction: nil, averageLearning: nil, averagePractice: nil, averageOutcomes: nil,
                impactComments: [])
            var sums = [0, 0, 0, 0, 0]
            // Ordered by text, not by who answered, so comments cannot be lined up with the register.
            try db.forEach(
                "SELECT * FROM cpd_evaluations WHERE session_id = ? ORDER BY will_change", [sessionID]
            ) { row in
                let rating: Int = try row.value("rating")
                summary.responses += 1
                sums[0] += rating
                if (1...5).contains(rating) { summary.distribution[rating - 1] += 1 }
                let change: String = try row.value("will_change")
                if !change.isEmpty { summary.changes.append(change) }
                if (try row.optional("followed_up_at") as Date?) != nil {
                    summary.followUps += 1
                    sums[1] += try row.optional("reaction") ?? 0
                    sums[2] += try row.optional("learning") ?? 0
                    sums[3] += try row.optional("practice") ?? 0
                    sums[4] += try row.optional("outcomes") ?? 0
                    let comment: String = try row.value("impact_comment")
                    if !comment.isEmpty { summary.impactComments.append(comment) }
                }
            }
            if summary.responses > 0 { summary.averageRating = Double(sums[0]) / Double(summary.responses) }
            if summary.followUps > 0 {
                let count = Double(summary.followUps)
                summary.averageReaction = Double(sums[1]) / count
                summary.averageLearning = Double(sums[2]) / count
                summary.averagePractice = Double(sums[3]) / count
                summary.averageOutcomes = Double(sums[4]) / count
            }
            summary.impactComments.sort()
            return summary
        }
    }
}
