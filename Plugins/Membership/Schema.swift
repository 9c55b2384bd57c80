import Storage

enum MembershipSchema {
    /// The module's tables, named `membership_<thing>` since migration 006.
    static let tables = renamed.map(\.new)

    /// Tables as migrations 001–005 created them, and their names since 006.
    static let renamed: [(old: String, new: String)] = [
        ("members", "membership_members"), ("member_avatars", "membership_avatars"),
        ("profile_answers", "membership_profile_answers"), ("sessions", "membership_sessions"),
        ("api_tokens", "membership_api_tokens"), ("sign_in_failures", "membership_sign_in_failures"),
        ("account_tokens", "membership_account_tokens"), ("invitations", "membership_invitations"),
        ("friend_requests", "membership_friend_requests"), ("friendships", "membership_friendships"),
        ("statuses", "membership_statuses"), ("signup_requests", "membership_signup_requests"),
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "membership", name: "001_members",
            sql: """
                CREATE TABLE members (
                    id INTEGER PRIMARY KEY,
                    handle TEXT NOT NULL UNIQUE,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL DEFAULT 'member',
                    status TEXT NOT NULL DEFAULT 'active',
                    bio TEXT NOT NULL DEFAULT '',
                    terms_version TEXT,
                    terms_accepted_at INTEGER,
                    invitation_id INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX members_created ON members (created_at, id);
                CREATE INDEX members_name ON members (name COLLATE NOCASE, id);
                CREATE INDEX members_status ON members (status, created_at);
                CREATE TABLE member_avatars (
                    member_id INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
                    content_type TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE profile_answers (
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    question TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (member_id, question)
                );
                CREATE INDEX profile_answers_value ON profile_answers (question, value, member_id);
                CREATE TABLE sessions (
                    id INTEGER PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    user_agent TEXT NOT NULL DEFAULT '',
                    ip TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX sessions_member ON sessions (member_id);
                CREATE TABLE api_tokens (
                    id INTEGER PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE INDEX api_tokens_member ON api_tokens (member_id);
                CREATE TABLE sign_in_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
                CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
                CREATE TABLE account_tokens (
                    token_hash TEXT PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    purpose TEXT NOT NULL,
                    new_email TEXT,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                );
                CREATE TABLE invitations (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    created_by INTEGER REFERENCES members (id) ON DELETE SET NULL,
                    note TEXT NOT NULL DEFAULT '',
                    max_uses INTEGER NOT NULL DEFAULT 1,
                    uses INTEGER NOT NULL DEFAULT 0,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE friend_requests (
                    from_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    to_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (from_id, to_id)
                );
                CREATE INDEX friend_requests_to ON friend_requests (to_id, created_at);
                CREATE TABLE friendships (
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    friend_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (member_id, friend_id)
                );
                CREATE INDEX friendships_friend ON friendships (friend_id);
                CREATE TABLE statuses (
                    id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
                    body TEXT NOT NULL,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX statuses_member ON statuses (member_id, id);
                """),
        // Profiles show how many friends a member has: counting a popular member's friendships
        // on every view (3,126 index entries, half the page's CPU on the large data set) gave way
        // to a count kept by triggers, which also see cascaded deletes and seeded rows.
        Migration(
            owner: "membership", name: "002_friend_counts",
            sql: """
                ALTER TABLE members ADD COLUMN friend_count INTEGER NOT NULL DEFAULT 0;
                UPDATE members SET friend_count = (SELECT COUNT(*) FROM friendships f WHERE f.member_id = members.id);
                CREATE TRIGGER friendships_counted AFTER INSERT ON friendships BEGIN
                    UPDATE members SET friend_count = friend_count + 1 WHERE id = NEW.member_id;
                END;
                CREATE TRIGGER friendships_uncounted AFTER DELETE ON friendships BEGIN
                    UPDATE members SET friend_count = friend_count - 1 WHERE id = OLD.member_id;
                END;
                """,
            // PostgreSQL: trigger functions. They name the table by the name 006 gives it: the
            // migrations run together, so no friendship exists before 006 renames it.
            postgres: """
                ALTER TABLE members ADD COLUMN friend_count BIGINT NOT NULL DEFAULT 0;
                UPDATE members SET friend_count = (SELECT COUNT(*) FROM friendships f WHERE f.member_id = members.id);
                CREATE FUNCTION membership_friend_counted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        UPDATE membership_members SET friend_count = friend_count + 1 WHERE id = NEW.member_id;
                    ELSE
                        UPDATE membership_members SET friend_count = friend_count - 1 WHERE id = OLD.member_id;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER friendships_counted AFTER INSERT OR DELETE ON friendships
                    FOR EACH ROW EXECUTE FUNCTION membership_friend_counted();
                """),
        // Joining through the site confirms the address before the account exists: the join
        // form answers the same for a taken address, and an unconfirmed request is no member.
        Migration(
            owner: "membership", name: "003_signup_requests",
            sql: """
                CREATE TABLE signup_requests (
                    id INTEGER PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    email TEXT NOT NULL,
                    name TEXT NOT NULL,
                    handle TEXT NOT NULL,
                    handle_derived INTEGER NOT NULL,
                    password_hash TEXT NOT NULL,
                    answers TEXT NOT NULL,
                    invitation_code TEXT,
                    for_existing INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                );
                CREATE INDEX signup_requests_email ON signup_requests (email, created_at);
                CREATE INDEX signup_requests_expiry ON signup_requests (expires_at);
                """),
        // Moderation cases, activity entries and the audit log refer to content by id: an id is
        // never handed out twice, not after the newest row is deleted nor after a purge.
        Migration(owner: "membership", name: "004_ids_never_reused", disablesForeignKeys: true) { db in
            try db.makeIDsNeverReused(in: "statuses")
        },
        // The read model other modules join (Identity): who a member is, without e-mail or
        // password hash. SQLite inlines the view, so joins keep using the members' indexes.
        Migration(
            owner: "membership", name: "005_people_view",
            sql: """
                CREATE VIEW membership_people AS
                    SELECT id, handle, name, role, status, created_at FROM members
                """),
        // One naming rule for every module's tables: `<module>_<thing>`. SQLite rewrites the
        // foreign keys of other modules' tables, and the membership_people view, to the new
        // names; other modules' first migrations name membership_members, and on a fresh
        // database they run after this one (membership's migrations come first).
        Migration(owner: "membership", name: "006_table_names") { db in
            for (old, new) in renamed {
                try db.execute("ALTER TABLE \(old) RENAME TO \(new)")
            }
        },
    ]

    /// Views other modules may read: see ``MembershipModule/readModels``.
    static let readModels = ["membership_people"]
}
