import Storage

/// The kernel-owned tables of notifications, members' preferences and digests. No foreign key
/// to members: the kernel's migrations run before any module's, and a member's rows go with
/// "Delete my account" through ``Notifications/erase(memberID:in:)``.
enum NotificationSchema {
    static let tables = [
        "notification_fanouts", "notification_digests", "notification_group_levels",
        "notification_preferences",
        "notification_members", "notification_actors", "notifications",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "011_notifications",
            sql: """
                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recipient_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    group_key TEXT NOT NULL,
                    subject_module TEXT,
                    subject_kind TEXT,
                    subject_id INTEGER,
                    group_id INTEGER,
                    group_name TEXT,
                    actor_count INTEGER NOT NULL DEFAULT 1,
                    text TEXT NOT NULL,
                    link TEXT NOT NULL,
                    excerpt TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    read_at INTEGER
                );
                -- The bell's count: one walk of this partial index.
                CREATE INDEX notifications_unread ON notifications (recipient_id, updated_at) WHERE read_at IS NULL;
                -- One unread notification per recipient and subject: new events group into it.
                CREATE UNIQUE INDEX notifications_open_group ON notifications (recipient_id, group_key) WHERE read_at IS NULL;
                -- The notifications page, newest first (keyset on updated_at, id).
                CREATE INDEX notifications_by_recipient ON notifications (recipient_id, updated_at, id);
                CREATE INDEX notifications_by_subject ON notifications (subject_module, subject_kind, subject_id);
                CREATE TABLE notification_actors (
                    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                    actor_id INTEGER NOT NULL,
                    actor_name TEXT NOT NULL,
                    actor_handle TEXT NOT NULL,
                    acted_at INTEGER NOT NULL,
                    PRIMARY KEY (notification_id, actor_id)
                );
                CREATE INDEX notification_actors_by_actor ON notification_actors (actor_id);
                CREATE TABLE notification_members (
                    member_id INTEGER PRIMARY KEY,
                    digest_frequency TEXT NOT NULL DEFAULT 'weekly',
                    changed_at INTEGER NOT NULL
                );
                CREATE TABLE notification_preferences (
                    member_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    PRIMARY KEY (member_id, kind)
                );
                CREATE TABLE notification_group_levels (
                    member_id INTEGER NOT NULL,
                    group_id INTEGER NOT NULL,
                    group_name TEXT NOT NULL,
                    level TEXT NOT NULL,
                    PRIMARY KEY (member_id, group_id)
                );
                -- Each digest exactly once per member and period, whoever runs the job.
                CREATE TABLE notification_digests (
                    member_id INTEGER NOT NULL,
                    period_key TEXT NOT NULL,
                    period_start INTEGER NOT NULL,
                    sent_at INTEGER NOT NULL,
                    item_count INTEGER NOT NULL,
                    PRIMARY KEY (member_id, period_key)
                );
                """)
    ]

    /// How far each fan-out job has got: the last recipient whose batch is stored, written in
    /// that batch's transaction (the largest id once all are), so a retried job carries on
    /// after it instead of notifying and mailing the first recipients again. Swept a day after
    /// the fan-out finished.
    static let fanoutProgress = Migration(
        owner: "kernel", name: "022_notification_fanouts",
        sql: """
            CREATE TABLE notification_fanouts (
                id TEXT PRIMARY KEY,
                last_recipient INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            )
            """)

    /// The bell's count (on every signed-in page) read the notification rows too: the partial
    /// index did not hold `read_at`, so SQLite checked `read_at IS NULL` on each row. With it
    /// the count and the state tag read the index alone.
    static let coveringUnreadIndex = Migration(
        owner: "kernel", name: "023_notifications_unread_covering",
        sql: """
            DROP INDEX notifications_unread;
            CREATE INDEX notifications_unread ON notifications (recipient_id, updated_at, read_at) WHERE read_at IS NULL;
            """)
}
