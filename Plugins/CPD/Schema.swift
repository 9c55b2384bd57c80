import Storage

/// The CPD module's tables and their history. Times are integer milliseconds (UTC); a
/// session's wall-clock zone is kept beside its instant so it renders where it happens.
enum CPDSchema {
    /// Children before the table they reference, so a purge can drop them in this order.
    static let tables = [
        "cpd_bookings", "cpd_session_areas", "cpd_facilitators", "cpd_records", "cpd_evaluations",
        "cpd_assertions", "cpd_sessions", "cpd_expertise", "cpd_feed_tokens",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "cpd", name: "001_cpd",
            sql: """
                CREATE TABLE cpd_expertise (
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    area TEXT NOT NULL,
                    statement TEXT NOT NULL DEFAULT '',
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (member_id, area)
                );
                CREATE INDEX cpd_expertise_area ON cpd_expertise (area, member_id);
                CREATE TABLE cpd_sessions (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    organiser_id INTEGER NOT NULL REFERENCES membership_members (id),
                    group_id INTEGER,
                    audience_group_id INTEGER,
                    host_school TEXT NOT NULL DEFAULT '',
                    starts_at INTEGER NOT NULL,
                    time_zone TEXT NOT NULL,
                    duration_minutes INTEGER NOT NULL,
                    venue TEXT NOT NULL DEFAULT '',
                    online_url TEXT NOT NULL DEFAULT '',
                    capacity INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'scheduled',
                    sequence INTEGER NOT NULL DEFAULT 0,
                    cancel_reason TEXT NOT NULL DEFAULT '',
                    hidden INTEGER NOT NULL DEFAULT 0,
                    badge_token TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX cpd_sessions_start ON cpd_sessions (starts_at, id);
                CREATE INDEX cpd_sessions_audience ON cpd_sessions (audience_group_id, starts_at);
                CREATE INDEX cpd_sessions_organiser ON cpd_sessions (organiser_id, starts_at);
                CREATE TABLE cpd_session_areas (
                    session_id INTEGER NOT NULL REFERENCES cpd_sessions (id) ON DELETE CASCADE,
                    area TEXT NOT NULL,
                    PRIMARY KEY (session_id, area)
                );
                CREATE INDEX cpd_session_areas_area ON cpd_session_areas (area, session_id);
                CREATE TABLE cpd_facilitators (
                    session_id INTEGER NOT NULL REFERENCES cpd_sessions (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id),
                    PRIMARY KEY (session_id, member_id)
                );
                CREATE INDEX cpd_facilitators_member ON cpd_facilitators (member_id, session_id);
                CREATE TABLE cpd_bookings (
                    id INTEGER PRIMARY KEY,
                    session_id INTEGER NOT NULL REFERENCES cpd_sessions (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id),
                    status TEXT NOT NULL,
                    queued_at INTEGER NOT NULL,
                    attended INTEGER,
                    follow_up_requested_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (session_id, member_id)
                );
                CREATE INDEX cpd_bookings_queue ON cpd_bookings (session_id, status, queued_at, id);
                CREATE INDEX cpd_bookings_member ON cpd_bookings (member_id, status, session_id);
                CREATE TABLE cpd_records (
                    id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    session_id INTEGER REFERENCES cpd_sessions (id) ON DELETE SET NULL,
                    title TEXT NOT NULL,
                    activity_date INTEGER NOT NULL,
                    minutes INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    pupil_focus TEXT NOT NULL,
                    standard TEXT NOT NULL DEFAULT '',
                    evidence_url TEXT NOT NULL DEFAULT '',
                    reflection TEXT NOT NULL DEFAULT '',
                    impact TEXT NOT NULL DEFAULT '',
                    impact_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (member_id, session_id)
                );
                CREATE INDEX cpd_records_member ON cpd_records (member_id, activity_date, id);
                CREATE INDEX cpd_records_date ON cpd_records (activity_date, member_id);
                CREATE TABLE cpd_evaluations (
                    id INTEGER PRIMARY KEY,
                    session_id INTEGER NOT NULL REFERENCES cpd_sessions (id) ON DELETE CASCADE,
                    member_id INTEGER REFERENCES membership_members (id),
                    rating INTEGER NOT NULL,
                    will_change TEXT NOT NULL DEFAULT '',
                    reaction INTEGER,
                    learning INTEGER,
                    practice INTEGER,
                    outcomes INTEGER,
                    impact_comment TEXT NOT NULL DEFAULT '',
                    followed_up_at INTEGER,
                    created_at INTEGER NOT NULL,
                    UNIQUE (session_id, member_id)
                );
                CREATE INDEX cpd_evaluations_member ON cpd_evaluations (member_id);
                CREATE TABLE cpd_assertions (
                    id INTEGER PRIMARY KEY,
                    uid TEXT NOT NULL UNIQUE,
                    session_id INTEGER NOT NULL REFERENCES cpd_sessions (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id),
                    salt TEXT NOT NULL,
                    identity TEXT NOT NULL,
                    issued_at INTEGER NOT NULL,
                    revoked_at INTEGER,
                    revocation_reason TEXT NOT NULL DEFAULT '',
                    UNIQUE (session_id, member_id)
                );
                CREATE INDEX cpd_assertions_member ON cpd_assertions (member_id);
                CREATE TABLE cpd_feed_tokens (
                    member_id INTEGER PRIMARY KEY REFERENCES membership_members (id) ON DELETE CASCADE,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                );
                """),
        Migration(
            owner: "cpd", name: "002_follow_up_queued",
            sql: """
                ALTER TABLE cpd_bookings ADD COLUMN follow_up_queued INTEGER NOT NULL DEFAULT 0;
                """),
        // Moderation cases, activity entries and the audit log refer to content by id: an id is
        // never handed out twice, not after the newest row is deleted nor after a purge.
        Migration(owner: "cpd", name: "003_ids_never_reused", disablesForeignKeys: true) { db in
            try db.makeIDsNeverReused(in: "cpd_sessions")
        },
    ]
}
