import Kernel
import Storage

enum GroupsSchema {
    /// `groups_activity` is gone since 005; it stays listed so purging a database that never ran
    /// 005 (the module was disabled before) drops it too.
    static let tables = [
        "groups_activity", "groups_follow", "groups_reply", "groups_discussion", "groups_member",
        "groups_image",
        "groups_group",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "groups", name: "001_groups",
            sql: """
                CREATE TABLE groups_group (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    category TEXT NOT NULL,
                    visibility TEXT NOT NULL,
                    owner_id INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    member_count INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    last_activity_at INTEGER NOT NULL
                );
                CREATE INDEX groups_group_name ON groups_group (name COLLATE NOCASE, id);
                CREATE INDEX groups_group_category ON groups_group (category, name COLLATE NOCASE, id);
                CREATE INDEX groups_group_owner ON groups_group (owner_id);
                CREATE TABLE groups_image (
                    group_id INTEGER PRIMARY KEY REFERENCES groups_group (id) ON DELETE CASCADE,
                    content_type TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE groups_member (
                    group_id INTEGER NOT NULL REFERENCES groups_group (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    role TEXT NOT NULL DEFAULT 'member',
                    state TEXT NOT NULL,
                    message TEXT NOT NULL DEFAULT '',
                    invited_by INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (group_id, member_id)
                );
                CREATE INDEX groups_member_by_member ON groups_member (member_id, state, group_id);
                CREATE INDEX groups_member_by_state ON groups_member (group_id, state, member_id);
                CREATE TABLE groups_discussion (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups_group (id) ON DELETE CASCADE,
                    author_id INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    pinned INTEGER NOT NULL DEFAULT 0,
                    locked INTEGER NOT NULL DEFAULT 0,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    reply_count INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    last_reply_at INTEGER NOT NULL
                );
                CREATE INDEX groups_discussion_list ON groups_discussion (group_id, pinned, last_reply_at, id);
                CREATE INDEX groups_discussion_author ON groups_discussion (author_id);
                CREATE TABLE groups_reply (
                    id INTEGER PRIMARY KEY,
                    discussion_id INTEGER NOT NULL REFERENCES groups_discussion (id) ON DELETE CASCADE,
                    author_id INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    body TEXT NOT NULL,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX groups_reply_discussion ON groups_reply (discussion_id, id);
                CREATE INDEX groups_reply_author ON groups_reply (author_id);
                CREATE TABLE groups_follow (
                    discussion_id INTEGER NOT NULL REFERENCES groups_discussion (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (discussion_id, member_id)
                );
                CREATE INDEX groups_follow_member ON groups_follow (member_id);
                CREATE TABLE groups_activity (
                    activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
                    group_id INTEGER NOT NULL
                );
                CREATE INDEX groups_activity_group ON groups_activity (group_id, activity_id);
                """),
        // The group page shows its newest members: read from this index, not by sorting them all.
        Migration(
            owner: "groups", name: "002_newest_members",
            sql: "CREATE INDEX groups_member_newest ON groups_member (group_id, state, created_at, member_id)"
        ),
        // Groups can be reported; a moderator may hide one (its owner and moderators still see it).
        Migration(
            owner: "groups", name: "003_hidden_groups",
            sql: "ALTER TABLE groups_group ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0"),
        // Moderation cases, activity entries and the audit log refer to content by id: an id is
        // never handed out twice, not after the newest row is deleted nor after a purge.
        Migration(owner: "groups", name: "004_ids_never_reused", disablesForeignKeys: true) { db in
            try db.makeIDsNeverReused(in: "groups_group")
            try db.makeIDsNeverReused(in: "groups_discussion")
            try db.makeIDsNeverReused(in: "groups_reply")
        },
        // The stream keeps the group an entry happened in (its context): the module's own list of
        // entry ids moves there, and the group page reads, re-scopes and erases through the stream.
        Migration(owner: "groups", name: "005_activity_context") { db in
            let links = try db.query("SELECT group_id, activity_id FROM groups_activity") {
                (group: try $0.value(column: 0) as Int64, entry: try $0.value(column: 1) as Int64)
            }
            for (group, entries) in Dictionary(grouping: links, by: \.group) {
                try ActivityStream.assign(.group(group), toEntries: entries.map(\.entry), in: db)
            }
            try db.executeScript("DROP TABLE groups_activity")
        },
    ]
}
