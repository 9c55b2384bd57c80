import Foundation
import Kernel
import Membership
import Storage

/// The review queue: cases, their detail, assignment and private notes.
extension ModerationService {
    /// One page of the queue: safeguarding concerns first, then the newest cases. Each status
    /// is read as one range of the (status, priority, id DESC) index and the ranges are merged,
    /// so a page costs the same however many cases were resolved before.
    public func queue(_ filter: QueueFilter = QueueFilter(), limit: Int = 25, after cursor: String? = nil)
        throws -> QueuePage
    {
        let limit = PageSize.clamp(limit, to: 100)
        let statuses: [CaseStatus]
        switch filter.status {
        case "active": statuses = [.open, .awaitingApproval]
        case "all": statuses = CaseStatus.allCases
        default:
            guard let status = CaseStatus(rawValue: filter.status) else {
                throw DomainError.invalid([
                    FieldError(
                        field: "status",
                        message: "Status is one of \(QueueFilter.statuses.joined(separator: ", ")).")
                ])
            }
            statuses = [status]
        }
        var conditions = ["c.status = ?", Self.caseIsOfEnabledModule]
        var arguments: [any DatabaseValueConvertible] = [enabledModulesJSON]
        if let kind = filter.kind {
            conditions.append("c.kind = ?")
            arguments.append(kind)
        }
        if let category = filter.category {
            conditions.append(
                "EXISTS (SELECT 1 FROM moderation_reports r WHERE r.case_id = c.id AND r.category = ?)")
            arguments.append(category.rawValue)
        }
        if let assignee = filter.assignedTo {
            conditions.append("c.assigned_to = ?")
            arguments.append(assignee)
        }
        if let cursor {
            let parts = cursor.split(separator: ".")
            guard parts.count == 2, let priority = Int(parts[0]), let id = Int64(parts[1]) else {
                throw WebError.badRequest("The page cursor is not valid.")
            }
            conditions.append("c.priority >= ? AND (c.priority > ? OR c.id < ?)")
            arguments += [priority, priority, id]
        }
        let sql = """
            SELECT c.* FROM moderation_cases c WHERE \(conditions.joined(separator: " AND "))
            ORDER BY c.priority, c.id DESC LIMIT ?
            """
        let rows = try database.read { db in
            try statuses.flatMap { status in
                try db.query(sql, [status.rawValue] + arguments + [limit + 1], Self.decodeCase)
            }
        }
        let merged = rows.sorted { ($0.priority, -$0.id) < ($1.priority, -$1.id) }.prefix(limit + 1)
        let page = Array(merged.prefix(limit))
        let next = merged.count > limit ? page.last.map { "\($0.priority).\($0.id)" } : nil
        return QueuePage(cases: page, next: next)
    }

    /// How many cases wait for a moderator (open reports and items awaiting approval), counted
    /// up to 100 along the queue index: the navigation shows it on every page.
    public func waitingCaseCount() throws -> Int {
        try database.read { db in
            try db.scalar(
                """
                SELECT count(*) FROM (SELECT 1 FROM moderation_cases c WHERE c.status IN (?, ?) \
                AND \(Self.caseIsOfEnabledModule) LIMIT 100)
                """,
                [CaseStatus.open.rawValue, CaseStatus.awaitingApproval.rawValue, enabledModulesJSON],
                as: Int.self) ?? 0
        }
    }

    /// How many reports of each category every listed case has (one query for a page).
    public func categories(ofCases ids: [Int64]) throws -> [Int64: [ReportCategory: Int]] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int64: [ReportCategory: Int]] = [:]
        try database.read { db in
            try db.forEach(
                """
                SELECT case_id, category, COUNT(*) AS n FROM moderation_reports
                WHERE case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id, category
                """, ["[" + ids.map(String.init).joined(separator: ",") + "]"]
            ) { row in
                guard let category = ReportCategory(rawValue: try row.value("category")) else { return }
                result[try row.value("case_id"), default: [:]][category] = try row.value("n")
            }
        }
        return result
    }

    public func moderationCase(id: Int64) throws -> ModerationCase? {
        try database.read { db in try findCase(id: id, in: db) }
    }

    /// A case with its reports, notes, audit entries and the item as it is now.
    public func detail(caseID: Int64) throws -> CaseDetail {
        try database.read { db in
            guard let found = try findCase(id: caseID, in: db) else {
                throw DomainError.notFound
            }
            let reports = try db.query(
                """
                SELECT r.*, c.title, c.kind, c.item_id FROM moderation_reports r JOIN moderation_cases c ON c.id = r.case_id
                WHERE r.case_id = ? ORDER BY r.id
                """, [caseID], Self.decodeReport)
            let notes = try db.query(
                "SELECT * FROM moderation_notes WHERE case_id = ? ORDER BY id", [caseID], Self.decodeNote)
            let actions = try db.query(
                "SELECT * FROM moderation_actions WHERE case_id = ? ORDER BY id", [caseID], Self.decodeAudit)
            let kind = self.kind(found.kind)
            let item = try found.itemID.flatMap { id in try kind?.lookup(id, db) }
            let author = try found.authorID.flatMap { try membership?.member(id: $0, in: db) }
            let assignee = try found.assignedTo.flatMap { try membership?.member(id: $0, in: db) }
            let banned = try found.authorID.map { try isBanned(memberID: $0, in: db) } ?? false
            return CaseDetail(
                moderationCase: found, reports: reports, notes: notes, actions: actions, item: item,
                kindTitle: kind?.title ?? (found.kind == "general" ? "general report" : found.kind),
                authorName: author?.name, authorHandle: author?.handle, assigneeName: assignee?.name,
                isAuthorBanned: banned, authorIsSuspended: author?.status == .suspended)
        }
    }

    public func assign(caseID: Int64, to moderatorID: Int64?) throws {
        try database.write { db in
            guard try findCase(id: caseID, in: db) != nil else { throw DomainError.notFound }
            try db.execute(
                "UPDATE moderation_cases SET assigned_to = ?, updated_at = ? WHERE id = ?",
                [moderatorID, now, caseID])
        }
    }

    @discardableResult
    public func addNote(caseID: Int64, body: String, by actor: ModeratorRef) throws -> CaseNote {
        var check = Validation()
        let text = check.required(body, field: "note", label: "Note", maxLength: Self.maximumCommentLength)
        try check.finish()
        let now = self.now
        return try database.write { db in
            guard try findCase(id: caseID, in: db) != nil else {
                throw DomainError.notFound
            }
            try db.execute(
                "INSERT INTO moderation_notes (case_id, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?)",
                [caseID, actor.id, actor.name, text, now])
            return CaseNote(
                id: db.lastInsertedRowID, authorID: actor.id, authorName: actor.name, body: text,
                createdAt: now)
        }
    }

    public func caseID(ofReport reportID: Int64) throws -> Int64? {
        try database.read { db in
            try db.scalar("SELECT case_id FROM moderation_reports WHERE id = ?", [reportID], as: Int64.self)
        }
    }
}
