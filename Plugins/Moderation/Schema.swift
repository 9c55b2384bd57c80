import Storage

/// The moderation tables. A *case* gathers every report about one item (kind, id); the
/// *actions* table is the audit log and keeps a copy of the target's readable name, so the log
/// still reads after the target is deleted.
enum ModerationSchema {
    static let tables = [
        "moderation_cases", "moderation_reports", "moderation_notes", "moderation_actions",
        "moderation_warnings", "moderation_bans", "moderation_content",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "moderation", name: "001_cases",
            sql: """
                CREATE TABLE moderation_cases (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    item_id INTEGER,
                    module TEXT NOT NULL,
                    title TEXT NOT NULL,
                    url TEXT NOT NULL DEFAULT '',
                    excerpt TEXT NOT NULL DEFAULT '',
                    author_id INTEGER,
                    status TEXT NOT NULL DEFAULT 'open',
                    hold_reason TEXT,
                    priority INTEGER NOT NULL DEFAULT 1,
                    report_count INTEGER NOT NULL DEFAULT 0,
                    assigned_to INTEGER,
                    resolution TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    resolved_at INTEGER
                );
                CREATE UNIQUE INDEX moderation_cases_item ON moderation_cases (kind, item_id);
                CREATE INDEX moderation_cases_queue ON moderation_cases (status, priority, id DESC);
                CREATE INDEX moderation_cases_author ON moderation_cases (author_id, status);
                CREATE TABLE moderation_reports (
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
                    reporter_id INTEGER,
                    category TEXT NOT NULL,
                    comment TEXT NOT NULL DEFAULT '',
                    status TEXT NOT NULL DEFAULT 'open',
                    outcome TEXT,
                    created_at INTEGER NOT NULL,
                    resolved_at INTEGER
                );
                CREATE INDEX moderation_reports_case ON moderation_reports (case_id, status);
                CREATE INDEX moderation_reports_reporter ON moderation_reports (reporter_id, id);
                CREATE INDEX moderation_reports_rate ON moderation_reports (reporter_id, created_at);
                CREATE TABLE moderation_notes (
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
                    author_id INTEGER,
                    author_name TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX moderation_notes_case ON moderation_notes (case_id, id);
                CREATE TABLE moderation_actions (
                    id INTEGER PRIMARY KEY,
                    actor_id INTEGER,
                    actor_name TEXT NOT NULL,
                    action TEXT NOT NULL,
                    case_id INTEGER,
                    target_kind TEXT NOT NULL,
                    target_id INTEGER,
                    target_title TEXT NOT NULL,
                    member_id INTEGER,
                    reason TEXT NOT NULL DEFAULT '',
                    detail TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX moderation_actions_time ON moderation_actions (created_at, id);
                CREATE INDEX moderation_actions_case ON moderation_actions (case_id, id);
                CREATE INDEX moderation_actions_member ON moderation_actions (member_id, id);
                CREATE TABLE moderation_warnings (
                    id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL,
                    action_id INTEGER NOT NULL REFERENCES moderation_actions (id),
                    reason TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX moderation_warnings_member ON moderation_warnings (member_id, id);
                CREATE TABLE moderation_bans (
                    member_id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    action_id INTEGER NOT NULL REFERENCES moderation_actions (id),
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX moderation_bans_email ON moderation_bans (email);
                CREATE TABLE moderation_content (
                    kind TEXT NOT NULL,
                    item_id INTEGER NOT NULL,
                    module TEXT NOT NULL,
                    author_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    hidden_by_action INTEGER,
                    PRIMARY KEY (kind, item_id)
                );
                CREATE INDEX moderation_content_author ON moderation_content (author_id, created_at);
                CREATE INDEX moderation_content_hidden ON moderation_content (hidden_by_action);
                """)
    ]
}
