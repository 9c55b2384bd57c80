import Foundation
import Kernel
import Membership
import Storage
import Synchronization

/// Errors of moderation's own rules, beside the ``WebError``s the pages and API answer with.
///
/// ```swift
/// moderation.failpoint.withLock { $0 = { step in throw ModerationError.injected(step) } }   // tests only
/// ```
public enum ModerationError: Error, Equatable, CustomStringConvertible {
    /// A failure injected by a test in the middle of an action.
    case injected(String)

    public var description: String {
        switch self {
        case .injected(let step): return "failure injected at \(step)"
        }
    }
}

/// The deployment's moderation settings, read once at start-up.
struct ModerationSettings: Sendable {
    var premoderateFirstPosts: Int
    var premoderateModules: [String]
    var reportsPerHour: Int
    var postsPerHour: Int
    var newMemberDays: Int
    var newMemberLinkLimit: Int
    var heldWords: [String]

    init(_ settings: ModuleSettings) {
        premoderateFirstPosts = settings.int("premoderate_first_posts")
        premoderateModules = settings.strings("premoderate_modules")
        reportsPerHour = settings.int("reports_per_hour")
        postsPerHour = settings.int("posts_per_hour")
        newMemberDays = settings.int("new_member_days")
        newMemberLinkLimit = settings.int("new_member_link_limit")
        heldWords = settings.strings("held_words")
    }
}

/// Moderation's domain: reports, the queue, actions with their audit log, pre-moderation and
/// spam holds. Pages, the JSON API and the console all go through it; every change is one
/// `database.write`, so an action, the mail it sends and the reports it resolves commit together.
///
/// ```swift
/// let moderation = services.service(ModerationService.self)!
/// let report = try moderation.fileReport(by: member, kind: "status", itemID: 7, category: "spam", comment: "Ads")
/// try moderation.act(caseID: report.caseID, ActionRequest(action: .hide, reason: "Spam"), by: ModeratorRef(member: moderator))
/// ```
public final class ModerationService: Sendable {
    public let services: Services
    let settings: ModerationSettings
    private let kindSource: @Sendable () -> [ReportableKind]
    /// Tests inject a failure at a named step of an action to prove it all rolls back.
    let failpoint = Mutex<(@Sendable (String) throws -> Void)?>(nil)

    public static let maximumCommentLength = 2000
    public static let maximumReasonLength = 1000

    /// `kinds` is read at request time: modules bootstrapped after moderation add theirs later.
    public init(services: Services, kinds: @escaping @Sendable () -> [ReportableKind]) {
        self.services = services
        self.kindSource = kinds
        settings = ModerationSettings(services.settings(of: ModerationModule.manifest))
    }

    /// Cases of modules this deployment runs (general reports belong to moderation): a disabled
    /// module's cases stay in the database but are not listed, shown or acted on, since the
    /// pages they link to are gone with the module.
    static let caseIsOfEnabledModule = "c.module IN (SELECT value FROM json_each(?))"
    var enabledModulesJSON: String {
        let ids = services.config.enabledModules + ["moderation"]
        return "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// The case `id`, or nil when there is none or it belongs to a disabled module.
    func findCase(id: Int64, in db: Connection) throws -> ModerationCase? {
        try db.queryOne(
            "SELECT c.* FROM moderation_cases c WHERE c.id = ? AND \(Self.caseIsOfEnabledModule)",
            [id, enabledModulesJSON], Self.decodeCase)
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }
    var membership: MembershipService? { services.service(MembershipService.self) }

    /// Every reportable kind the enabled modules registered.
    public var kinds: [ReportableKind] { kindSource() }

    public func kind(_ name: String) -> ReportableKind? { kindSource().first { $0.kind == name } }

    func checkpoint(_ step: String) throws {
        if let hook = failpoint.withLock({ $0 }) { try hook(step) }
    }

    // MARK: Reporting

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

    /// The author's items that wait for approval (they see them; nobody else but moderators does).
    public func awaitingApproval(authorID: Int64, limit: Int = 50) throws -> [ModerationCase] {
        try database.read { db in
            try db.query(
                """
                SELECT c.* FROM moderation_cases c WHERE c.author_id = ? AND c.status = 'awaiting_approval'
                    AND \(Self.caseIsOfEnabledModule) ORDER BY c.id DESC LIMIT ?
                """, [authorID, enabledModulesJSON, limit], Self.decodeCase)
        }
    }

    // MARK: The queue

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

    // MARK: Audit log

    /// The audit log, newest first; `since` keeps entries at or after a date.
    public func audit(limit: Int = 50, before: Int64? = nil, since: Date? = nil, memberID: Int64? = nil)
        throws -> [AuditEntry]
    {
        try database.read { db in
            try db.query(
                """
                SELECT * FROM moderation_actions WHERE id < ? AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR member_id = ?)
                ORDER BY id DESC LIMIT ?
                """, [before ?? Int64.max, since, since, memberID, memberID, PageSize.clamp(limit, to: 200)],
                Self.decodeAudit)
        }
    }

    public func warnings(of memberID: Int64) throws -> Int {
        try database.read { db in
            try db.scalar(
                "SELECT COUNT(*) FROM moderation_warnings WHERE member_id = ?", [memberID], as: Int.self) ?? 0
        }
    }

    public func isBanned(memberID: Int64) throws -> Bool {
        try database.read { try isBanned(memberID: memberID, in: $0) }
    }

    func isBanned(memberID: Int64, in db: Connection) throws -> Bool {
        try db.scalar("SELECT 1 FROM moderation_bans WHERE member_id = ?", [memberID], as: Int.self) != nil
    }

    // MARK: Decoding

    static func decodeCase(_ row: Row) throws -> ModerationCase {
        ModerationCase(
            id: try row.value("id"), kind: try row.value("kind"), itemID: try row.optional("item_id"),
            module: try row.value("module"), title: try row.value("title"), url: try row.value("url"),
            excerpt: try row.value("excerpt"), authorID: try row.optional("author_id"),
            status: CaseStatus(rawValue: try row.value("status")) ?? .open,
            holdReason: try row.optional("hold_reason"),
            priority: try row.value("priority"), reportCount: try row.value("report_count"),
            assignedTo: try row.optional("assigned_to"), resolution: try row.optional("resolution"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"),
            resolvedAt: try row.optional("resolved_at"))
    }

    static func decodeReport(_ row: Row) throws -> Report {
        Report(
            id: try row.value("id"), caseID: try row.value("case_id"),
            reporterID: try row.optional("reporter_id"),
            category: ReportCategory(rawValue: try row.value("category")) ?? .other,
            comment: try row.value("comment"),
            status: try row.value("status"), outcome: try row.optional("outcome"),
            createdAt: try row.value("created_at"),
            resolvedAt: try row.optional("resolved_at"), title: try row.value("title"),
            kind: try row.value("kind"),
            itemID: try row.optional("item_id"))
    }

    static func decodeNote(_ row: Row) throws -> CaseNote {
        CaseNote(
            id: try row.value("id"), authorID: try row.optional("author_id"),
            authorName: try row.value("author_name"),
            body: try row.value("body"), createdAt: try row.value("created_at"))
    }

    static func decodeAudit(_ row: Row) throws -> AuditEntry {
        AuditEntry(
            id: try row.value("id"), actorID: try row.optional("actor_id"),
            actorName: try row.value("actor_name"),
            action: ModerationActionKind(rawValue: try row.value("action")) ?? .hold,
            caseID: try row.optional("case_id"),
            targetKind: try row.value("target_kind"), targetID: try row.optional("target_id"),
            targetTitle: try row.value("target_title"), memberID: try row.optional("member_id"),
            reason: try row.value("reason"), detail: try row.value("detail"),
            createdAt: try row.value("created_at"))
    }
}
