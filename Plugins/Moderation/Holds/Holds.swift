import Foundation
import Kernel
import Membership
import Storage

extension ModerationService: ContentGate {
    /// Moderation learns of deleted items through `ContentEvent` (modules cannot call it: they do
    /// not depend on it): they leave the content index. New items were screened by the gate in
    /// their own transaction.
    func contentChanged(_ event: ContentEvent) throws {
        guard event.action == .deleted else { return }
        try database.write { db in
            try db.execute(
                "DELETE FROM moderation_content WHERE kind = ? AND item_id = ? AND module = ?",
                [event.kind, event.id, event.module])
        }
    }

    /// The content gate: records a new item and holds it for review when pre-moderation or a
    /// spam rule says so — hidden through its kind (its author and moderators still see it),
    /// waiting in the queue as "awaiting approval" — all in the writer's transaction.
    public func screen(_ submission: ContentSubmission, in db: Connection) throws -> ScreeningDecision {
        let kinds = self.kinds
        guard
            let kind = kinds.first(where: { $0.kind == submission.kind && $0.module == submission.module })
                ?? kinds.first(where: { $0.kind == submission.kind })
        else { return .publish }
        let now = self.now
        let settings = self.settings
        let authorID = submission.authorID
        try db.execute(
            """
            INSERT INTO moderation_content (kind, item_id, module, author_id, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (kind, item_id) DO NOTHING
            """, [kind.kind, submission.id, submission.module, authorID, now])
        guard let author = try membership?.member(id: authorID, in: db), author.role < .moderator else {
            return .publish
        }
        guard let item = try kind.lookup(submission.id, db), !item.isHidden else { return .publish }
        var reason: String?
        var isSpam = false
        if settings.premoderateModules.contains(submission.module) {
            reason = "Every post in \(submission.module) waits for approval."
        }
        if reason == nil, settings.premoderateFirstPosts > 0 {
            // Counted up to one past the limit: a prolific member has thousands of posts.
            let posts =
                try db.scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM moderation_content WHERE author_id = ? LIMIT ?)",
                    [authorID, settings.premoderateFirstPosts + 1], as: Int.self) ?? 0
            // Posts are counted from when moderation was first enabled; a member who joined before
            // that may have posted long ago, so "first posts" applies only to members who joined since.
            let indexedSince = try Migrator.appliedAt(owner: "moderation", name: "001_cases", in: db)
            let joinedSinceIndexing = indexedSince.map { author.createdAt >= $0 } ?? true
            if joinedSinceIndexing, posts <= settings.premoderateFirstPosts {
                reason =
                    "A new member's first \(settings.premoderateFirstPosts) posts wait for approval (this is number \(posts))."
            }
        }
        if reason == nil, let spam = try spamReason(item: item, author: author, now: now, in: db) {
            reason = spam
            isSpam = true
        }
        guard let reason else { return .publish }
        try setHidden(kind, submission.id, true, author: authorID, in: db)
        let priority = 2
        var caseID: Int64
        if let existing = try db.queryOne(
            "SELECT * FROM moderation_cases WHERE kind = ? AND item_id = ?", [kind.kind, submission.id],
            Self.decodeCase)
        {
            caseID = existing.id
            try db.execute(
                """
                UPDATE moderation_cases SET status = 'awaiting_approval', hold_reason = ?, resolution = NULL,
                    resolved_at = NULL, updated_at = ? WHERE id = ?
                """, [reason, now, caseID])
        } else {
            try db.execute(
                """
                INSERT INTO moderation_cases (kind, item_id, module, title, url, excerpt, author_id, status, hold_reason,
                    priority, report_count, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'awaiting_approval', ?, ?, 0, ?, ?)
                """,
                [
                    kind.kind, submission.id, kind.module, item.title, item.url, item.excerpt, authorID,
                    reason, priority, now, now,
                ])
            caseID = db.lastInsertedRowID
        }
        if isSpam {
            try db.execute(
                "INSERT INTO moderation_reports (case_id, reporter_id, category, comment, created_at) VALUES (?, NULL, 'spam', ?, ?)",
                [caseID, reason, now])
            try db.execute(
                "UPDATE moderation_cases SET report_count = report_count + 1 WHERE id = ?", [caseID])
        }
        let automatic = ModeratorRef.automatic
        try db.execute(
            """
            INSERT INTO moderation_actions (actor_id, actor_name, action, case_id, target_kind, target_id, target_title,
                member_id, reason, created_at) VALUES (NULL, ?, 'hold', ?, ?, ?, ?, ?, ?, ?)
            """, [automatic.name, caseID, kind.kind, submission.id, item.title, authorID, reason, now])
        return .hold(reason: reason)
    }

    /// The spam rules: held words (plain text, or a regular expression after "re:"), too many
    /// links from a new member, too many posts in an hour.
    private func spamReason(item: ReportableItem, author: Member, now: Date, in db: Connection) throws
        -> String?
    {
        // The whole text, not the excerpt: a held word in a later paragraph holds the post too.
        let text = item.title + "\n" + (item.text.isEmpty ? item.excerpt : item.text)
        let lowered = text.lowercased()
        for word in settings.heldWords where !word.isEmpty {
            if word.hasPrefix("re:") {
                let pattern = String(word.dropFirst(3))
                guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                else {
                    services.log.error("held_words: not a valid regular expression", ["pattern": pattern])
                    continue
                }
                if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                    return "Matches a held pattern (\(pattern))."
                }
            } else if lowered.contains(word.lowercased()) {
                return "Contains “\(word)”, which this network holds for review."
            }
        }
        let isNew = now.timeIntervalSince(author.createdAt) < Double(settings.newMemberDays) * 86_400
        let links = Self.linkCount(text)
        if isNew && links > settings.newMemberLinkLimit {
            return
                "\(links) links from a member who joined less than \(settings.newMemberDays) days ago (the limit is \(settings.newMemberLinkLimit))."
        }
        if settings.postsPerHour > 0 {
            let recent =
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM (SELECT 1 FROM moderation_content WHERE author_id = ? AND created_at > ?
                    LIMIT ?)
                    """, [author.id, now.addingTimeInterval(-3600), settings.postsPerHour + 1], as: Int.self)
                ?? 0
            if recent > settings.postsPerHour {
                return "More than \(settings.postsPerHour) posts in an hour."
            }
        }
        return nil
    }

    /// Words that are web links: "https://…", "http://…" or "www.…".
    static func linkCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" })
            .filter { word in
                let lowered = word.lowercased()
                return lowered.contains("http://") || lowered.contains("https://")
                    || lowered.hasPrefix("www.")
            }.count
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
}
