import Kernel
import Storage

/// The blog's tables and their history. Every list the pages show has an index in its order:
/// the network blog by publication (`blog_posts_published`), by views (`blog_posts_views`),
/// featured posts (`blog_posts_featured`, partial), each member's blog (`blog_posts_author`) and
/// each tag (`blog_post_tags_order`, publication time copied into the tag row so the tag list
/// walks one index).
enum BlogSchema {
    static let tables = [
        "blog_view_flushes", "blog_post_viewers", "blog_comments", "blog_post_tags", "blog_posts",
    ]

    static let migrations: [Migration] = [
        Migration(
            owner: "blog", name: "001_posts",
            sql: """
                CREATE TABLE blog_posts (
                    id INTEGER PRIMARY KEY,
                    author_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'draft',
                    visibility TEXT NOT NULL DEFAULT 'public',
                    video_provider TEXT,
                    video_id TEXT,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    view_count INTEGER NOT NULL DEFAULT 0,
                    featured_at INTEGER,
                    featured_by INTEGER,
                    created_at INTEGER NOT NULL,
                    published_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    edited_at INTEGER
                );
                CREATE INDEX blog_posts_published ON blog_posts (status, published_at, id);
                CREATE INDEX blog_posts_views ON blog_posts (status, view_count, id);
                CREATE INDEX blog_posts_featured ON blog_posts (status, featured_at, id) WHERE featured_at IS NOT NULL;
                CREATE INDEX blog_posts_author ON blog_posts (author_id, status, published_at, id);
                CREATE TABLE blog_post_tags (
                    post_id INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
                    tag TEXT NOT NULL,
                    published_at INTEGER,
                    PRIMARY KEY (post_id, tag)
                );
                CREATE INDEX blog_post_tags_order ON blog_post_tags (tag, published_at, post_id);
                """),
        Migration(
            owner: "blog", name: "002_comments",
            sql: """
                CREATE TABLE blog_comments (
                    id INTEGER PRIMARY KEY,
                    post_id INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
                    parent_id INTEGER REFERENCES blog_comments (id) ON DELETE CASCADE,
                    author_id INTEGER NOT NULL REFERENCES membership_members (id) ON DELETE CASCADE,
                    body TEXT NOT NULL,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    edited_at INTEGER
                );
                CREATE INDEX blog_comments_thread ON blog_comments (post_id, parent_id, id);
                CREATE INDEX blog_comments_parent ON blog_comments (parent_id, id);
                CREATE INDEX blog_comments_author ON blog_comments (author_id, id);
                """),
        Migration(
            owner: "blog", name: "003_viewers",
            sql: """
                CREATE TABLE blog_post_viewers (
                    post_id INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
                    viewer_key TEXT NOT NULL,
                    last_counted_at INTEGER NOT NULL,
                    PRIMARY KEY (post_id, viewer_key)
                );
                CREATE INDEX blog_post_viewers_age ON blog_post_viewers (last_counted_at);
                CREATE TABLE blog_view_flushes (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    generation INTEGER NOT NULL
                );
                INSERT INTO blog_view_flushes (id, generation) VALUES (1, 0);
                """),
        // Every post row shows its visible comment count: counting entries of this narrow
        // partial index is cheap even when a post has thousands of comments.
        Migration(
            owner: "blog", name: "004_visible_comment_count",
            sql: "CREATE INDEX blog_comments_visible ON blog_comments (post_id) WHERE hidden = 0"),
        // Lists show each post's excerpt: worked out once when the post is written, not per view.
        Migration(owner: "blog", name: "005_stored_excerpts") { db in
            try db.execute("ALTER TABLE blog_posts ADD COLUMN excerpt TEXT NOT NULL DEFAULT ''")
            let posts = try db.query("SELECT id, body FROM blog_posts") { row -> (Int64, String) in
                (try row.value("id"), try row.value("body"))
            }
            for (id, body) in posts {
                try db.execute(
                    "UPDATE blog_posts SET excerpt = ? WHERE id = ?",
                    [Excerpt.make(body, length: BlogPost.excerptLength), id])
            }
        },
        // Moderation cases, activity entries and the audit log refer to content by id: an id is
        // never handed out twice, not after the newest row is deleted nor after a purge.
        Migration(owner: "blog", name: "006_ids_never_reused", disablesForeignKeys: true) { db in
            try db.makeIDsNeverReused(in: "blog_posts")
            try db.makeIDsNeverReused(in: "blog_comments")
        },
        // Excerpts are the first paragraph only (they were every paragraph run together): the
        // stored ones are worked out again so that old and new posts read alike in lists.
        Migration(owner: "blog", name: "007_first_paragraph_excerpts") { db in
            try recomputeExcerpts(in: db)
        },
        // Excerpts go on after a short first paragraph, each block ending in a sentence break
        // ("…initiative. What we tried. The key…"): the stored ones are worked out again.
        Migration(owner: "blog", name: "008_excerpts_keep_block_breaks") { db in
            try recomputeExcerpts(in: db)
        },
    ]

    static func recomputeExcerpts(in db: Connection) throws {
        let posts = try db.query("SELECT id, body FROM blog_posts") { row -> (Int64, String) in
            (try row.value("id"), try row.value("body"))
        }
        for (id, body) in posts {
            try db.execute(
                "UPDATE blog_posts SET excerpt = ? WHERE id = ?",
                [Excerpt.make(body, length: BlogPost.excerptLength), id])
        }
    }
}
