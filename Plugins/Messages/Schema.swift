import Kernel
import Storage

/// The messages module's tables. A member's view of a conversation is their participant row:
/// where their history starts (`visible_after`, the newest message id when they were added),
/// their place in the inbox (`last_message_id`, the newest message delivered to them), what
/// they have read and how many wait unread. Every list walks an index in its order: the inbox
/// (`messages_participants_inbox`), a conversation's messages (`messages_messages_conversation`)
/// and the header's unread count (`messages_participants_unread`, partial).
enum MessagesSchema {
    static let tables = [
        "messages_mail_settings", "messages_report_context", "messages_dismissed", "messages_blocks",
        "messages_messages",
        "messages_participants", "messages_conversations",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "messages", name: "001_conversations",
            sql: """
                CREATE TABLE messages_conversations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    subject TEXT NOT NULL DEFAULT '',
                    created_by INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    created_at INTEGER NOT NULL,
                    last_message_id INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX messages_conversations_creator ON messages_conversations (created_by, created_at);
                CREATE TABLE messages_participants (
                    conversation_id INTEGER NOT NULL REFERENCES messages_conversations (id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    added_by INTEGER REFERENCES membership_members (id) ON DELETE SET NULL,
                    added_at INTEGER NOT NULL,
                    visible_after INTEGER NOT NULL DEFAULT 0,
                    last_message_id INTEGER NOT NULL DEFAULT 0,
                    last_read_id INTEGER NOT NULL DEFAULT 0,
                    unread INTEGER NOT NULL DEFAULT 0,
                    archived INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (conversation_id, member_id)
                );
                CREATE INDEX messages_participants_inbox ON messages_participants (member_id, archived, last_message_id);
                CREATE INDEX messages_participants_unread ON messages_participants (member_id) WHERE unread > 0;
                CREATE TABLE messages_messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversation_id INTEGER NOT NULL REFERENCES messages_conversations (id) ON DELETE CASCADE,
                    sender_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    body TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    removed INTEGER NOT NULL DEFAULT 0,
                    delivered INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX messages_messages_conversation ON messages_messages (conversation_id, id);
                CREATE INDEX messages_messages_sender ON messages_messages (sender_id, created_at);
                CREATE TABLE messages_dismissed (
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    message_id INTEGER NOT NULL REFERENCES messages_messages (id) ON DELETE CASCADE,
                    PRIMARY KEY (member_id, message_id)
                );
                CREATE INDEX messages_dismissed_message ON messages_dismissed (message_id);
                CREATE TABLE messages_blocks (
                    member_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    blocked_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (member_id, blocked_id)
                );
                CREATE INDEX messages_blocks_blocked ON messages_blocks (blocked_id, member_id);
                CREATE TABLE messages_report_context (
                    message_id INTEGER NOT NULL REFERENCES messages_messages (id) ON DELETE CASCADE,
                    reporter_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    context_ids TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (message_id, reporter_id)
                );
                """),
        // Whether a member's new-message mail and notification carry the message's text
        // (absent: "notify only", the default).
        Migration(
            owner: "messages", name: "002_mail_settings",
            sql: """
                CREATE TABLE messages_mail_settings (
                    member_id INTEGER PRIMARY KEY REFERENCES membership_members (id) ON DELETE CASCADE,
                    mail_text TEXT NOT NULL,
                    changed_at INTEGER NOT NULL
                );
                """),
        // The inbox's preview of each message, made once when it is sent (see Message.preview).
        Migration(owner: "messages", name: "003_previews") { db in
            try db.execute("ALTER TABLE messages_messages ADD COLUMN preview TEXT NOT NULL DEFAULT ''")
            let rows = try db.query("SELECT id, body FROM messages_messages WHERE removed = 0") {
                (id: try $0.value("id") as Int64, body: try $0.value("body") as String)
            }
            for row in rows {
                try db.execute(
                    "UPDATE messages_messages SET preview = ? WHERE id = ?",
                    [Message.preview(of: row.body), row.id])
            }
        },
        // The member's unread notification about the conversation, marked read with it.
        Migration(
            owner: "messages", name: "004_notice_ids",
            sql: "ALTER TABLE messages_participants ADD COLUMN notice_id INTEGER"),
        // The header's unread count sums `unread` over the member's unread conversations: with
        // the count in the index, no row of the table is read (a member with 250 unread
        // conversations: 450,000 instructions a page before, on every page they open).
        Migration(
            owner: "messages", name: "005_unread_count_index",
            sql: """
                DROP INDEX IF EXISTS messages_participants_unread;
                CREATE INDEX messages_participants_unread ON messages_participants (member_id, unread) WHERE unread > 0;
                """),
    ]
}
