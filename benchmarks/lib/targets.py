#!/usr/bin/env python3
"""Pick the URLs to load from a seeded PLN database (opened read-only), as JSON.

    targets.py /path/to/pln.sqlite

Keys (each present only when the module's tables hold something suitable):
  login          handle of an ordinary active member, used to sign in
  profile        handle of the member with the most friends (the heaviest profile page)
  blog_post      id of a published public post with at least 20 comments (the one closest to 20)
  blog_comments  how many visible comments that post has
  group          slug of the public group with the most members
Stdlib only; a missing table or column just leaves the key out."""
import json
import sqlite3
import sys


def first(db, sql):
    try:
        row = db.execute(sql).fetchone()
    except sqlite3.Error:
        return None
    return row


def membership_names(db):
    """Membership's tables are membership_members and membership_friendships since its migration
    006; databases seeded by older builds have members and friendships."""
    renamed = first(db, "SELECT 1 FROM sqlite_schema WHERE name = 'membership_members'")
    return ("membership_members", "membership_friendships") if renamed else ("members", "friendships")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: targets.py DATABASE")
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
    out = {}
    members, friendships = membership_names(db)
    row = first(db, f"SELECT handle FROM {members} WHERE role = 'member' AND status = 'active' ORDER BY id LIMIT 1")
    if row is None:
        row = first(db, f"SELECT handle FROM {members} WHERE status = 'active' ORDER BY id LIMIT 1")
    if row:
        out["login"] = row[0]
    row = first(db, f"""SELECT m.handle FROM {members} m JOIN {friendships} f ON f.member_id = m.id
                       WHERE m.status = 'active' GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1""")
    if row:
        out["profile"] = row[0]
    elif "login" in out:
        out["profile"] = out["login"]
    post_filter = "p.status = 'published' AND p.visibility = 'public' AND p.hidden = 0 AND c.hidden = 0"
    row = first(db, f"""SELECT c.post_id, count(*) AS n FROM blog_comments c JOIN blog_posts p ON p.id = c.post_id
                        WHERE {post_filter} GROUP BY c.post_id HAVING n >= 20 ORDER BY n, c.post_id LIMIT 1""")
    if row is None:
        row = first(db, f"""SELECT c.post_id, count(*) AS n FROM blog_comments c JOIN blog_posts p ON p.id = c.post_id
                            WHERE {post_filter} GROUP BY c.post_id ORDER BY n DESC, c.post_id LIMIT 1""")
    if row is None:
        row = first(db, """SELECT id, 0 FROM blog_posts WHERE status = 'published' AND visibility = 'public'
                           AND hidden = 0 ORDER BY id LIMIT 1""")
    if row:
        out["blog_post"], out["blog_comments"] = row[0], row[1]
    row = first(db, "SELECT slug FROM groups_group WHERE visibility = 'public' ORDER BY member_count DESC, id LIMIT 1")
    if row is None:
        row = first(db, "SELECT slug FROM groups_group ORDER BY member_count DESC, id LIMIT 1")
    if row:
        out["group"] = row[0]
    print(json.dumps(out))


main()
