import Foundation
import Kernel
import Membership
import Storage

/// Reporting: members file reports about items (or general issues); reports about one item
/// gather into one case.
extension ModerationService {
    /// Files a report about an item (`kind` and `itemID`) or, with neither, a general
    /// "Report an Issue". Reports about one item gather into one case.
    public func fileReport(
        by reporter: SignedInMember, kind kindName: String?, itemID: Int64?, category categoryText: String,
        comment: String
    ) throws -> Report {
        var check = Validation()
        let category = ReportCategory(rawValue: categoryText)
        if category == nil { check.add("category", "Choose what kind of problem this is.") }
        let general = (kindName ?? "").isEmpty
        let text: String
        if general || category == .other {
            text = check.required(
                comment, field: "comment", label: "What happened", maxLength: Self.maximumCommentLength)
        } else {
            text = check.optional(
                comment, field: "comment", label: "Your comment", maxLength: Self.maximumCommentLength)
        }
        var kind: ReportableKind?
        if !general {
            guard let found = self.kind(kindName ?? ""), let itemID, itemID > 0 else {
                throw DomainError.notFound
            }
            kind = found
        }
        try check.finish()
        guard let category else { throw DomainError.invalid(check.errors) }
        let now = self.now
        return try database.write { db in
            let recent =
                try db.scalar(
                    "SELECT COUNT(*) FROM moderation_reports WHERE reporter_id = ? AND created_at > ?",
                    [reporter.id, now.addingTimeInterval(-3600)], as: Int.self) ?? 0
            if !reporter.isModerator && recent >= settings.reportsPerHour {
                throw DomainError.rateLimited(
                    "You have sent \(recent) reports in the last hour, the most this network accepts. Please wait a while; moderators are working through them."
                )
            }
            var caseID: Int64
            var title: String
            if let kind, let itemID {
                guard let item = try visibleItem(kind, id: itemID, to: reporter, in: db) else {
                    throw DomainError.notFound
                }
                if item.authorID == reporter.id {
                    throw DomainError.invalid([
                        FieldError(field: "category", message: "You cannot report your own \(kind.title).")
                    ])
                }
                title = item.title
                if let existing = try db.queryOne(
                    "SELECT * FROM moderation_cases WHERE kind = ? AND item_id = ?", [kind.kind, itemID],
                    Self.decodeCase)
                {
                    caseID = existing.id
                    if existing.status != .resolved,
                        try db.scalar(
                            "SELECT 1 FROM moderation_reports WHERE case_id = ? AND reporter_id = ? AND status = 'open'",
                            [existing.id, reporter.id], as: Int.self) != nil
                    {
                        throw DomainError.conflict(
                            "You have already reported this \(kind.title); moderators will look at it.")
                    }
                    let reopened = existing.status == .resolved
                    let priority = reopened ? category.priority : min(existing.priority, category.priority)
                    let status = existing.status == .awaitingApproval ? CaseStatus.awaitingApproval : .open
                    try db.execute(
                        """
                        UPDATE moderation_cases SET title = ?, url = ?, excerpt = ?, author_id = ?, status = ?, priority = ?,
                            report_count = report_count + 1, updated_at = ?,
                            resolution = CASE WHEN ? THEN NULL ELSE resolution END,
                            resolved_at = CASE WHEN ? THEN NULL ELSE resolved_at END
                        WHERE id = ?
                        """,
                        [
                            item.title, item.url, item.excerpt, item.authorID, status.rawValue, priority, now,
                            reopened,
                            reopened, existing.id,
                        ])
                } else {
                    try db.execute(
                        """
                        INSERT INTO moderation_cases (kind, item_id, module, title, url, excerpt, author_id, status, priority,
                            report_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, 1, ?, ?)
                        """,
                        [
                            kind.kind, itemID, kind.module, item.title, item.url, item.excerpt, item.authorID,
                            category.priority, now, now,
                        ])
                    caseID = db.lastInsertedRowID
                }
            } else {
                let summary = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
                title = "Report an Issue: " + Excerpt.cut(summary, length: 60)
                try db.execute(
                    """
                    INSERT INTO moderation_cases (kind, item_id, module, title, url, excerpt, status, priority, report_count,
                        created_at, updated_at) VALUES ('general', NULL, 'moderation', ?, '', ?, 'open', ?, 1, ?, ?)
                    """, [title, Excerpt.plain(text, length: 200), category.priority, now, now])
                caseID = db.lastInsertedRowID
            }
            try db.execute(
                "INSERT INTO moderation_reports (case_id, reporter_id, category, comment, created_at) VALUES (?, ?, ?, ?, ?)",
                [caseID, reporter.id, category.rawValue, text, now])
            let reportID = db.lastInsertedRowID
            if category == .safeguarding { try alertModerators(caseID: caseID, title: title, in: db) }
            try services.events.publish(
                ReportFiled(reportID: reportID, caseID: caseID, category: category), in: db)
            return Report(
                id: reportID, caseID: caseID, reporterID: reporter.id, category: category, comment: text,
                status: "open",
                outcome: nil, createdAt: now, resolvedAt: nil, title: title, kind: kind?.kind ?? "general",
                itemID: itemID)
        }
    }

    /// The item as `member` may see it, or nil — gone, not theirs to see where it lives (a draft,
    /// a private group's discussion), or hidden by moderators (only its author and moderators see
    /// those). The report form and the API answer nil exactly like an id that never existed.
    func visibleItem(_ kind: ReportableKind, id: Int64, to member: SignedInMember, in db: Connection) throws
        -> ReportableItem?
    {
        guard let item = try kind.lookup(id, db), try kind.isVisible(id, member, db) else { return nil }
        if item.isHidden && item.authorID != member.id && !member.isModerator { return nil }
        return item
    }

    /// Safeguarding concerns cannot wait for someone to open the queue: every moderator is mailed.
    private func alertModerators(caseID: Int64, title: String, in db: Connection) throws {
        let identity = services.identity
        let moderators = try identity?.people(withRoleAtLeast: .moderator, in: db) ?? []
        let addresses = try identity?.mailRecipients(moderators.map(\.id), in: db).map(\.address) ?? []
        for address in addresses {
            try services.outbox.enqueue(
                Mail(
                    to: address, subject: "Safeguarding concern reported on \(services.config.networkName)",
                    body:
                        "A member reported a safeguarding concern about \(title).\n\nReview it now: \(services.link("/moderation/cases/\(caseID)"))\n"
                ),
                in: db)
        }
    }

    /// The reports a member filed, newest first, with the outcome they were told.
    public func reports(filedBy memberID: Int64, limit: Int = 20, before: Int64? = nil) throws -> [Report] {
        try database.read { db in
            try db.query(
                """
                SELECT r.*, c.title, c.kind, c.item_id FROM moderation_reports r JOIN moderation_cases c ON c.id = r.case_id
                WHERE r.reporter_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?
                """, [memberID, before ?? Int64.max, PageSize.clamp(limit, to: 100)], Self.decodeReport)
        }
    }
}
