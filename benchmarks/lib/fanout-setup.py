#!/usr/bin/env python3
"""Seeds the notification fan-out benchmark (issue 16) on a running `pln serve`:

    fanout-setup.py --port 8401 --db DATA/pln.sqlite --login poster --password PW --members 2000

Adds MEMBERS active members (SQL, copies of the poster's password hash), creates a public group
through the API, starts two discussions in it ("quiet": followed by the poster only; "busy":
followed by every member, all of whom are in the group), and prints
{"quiet": "/groups/S/discussions/Q/replies", "busy": "/groups/S/discussions/B/replies"}.
Stdlib only; loopback only."""
import argparse
import http.client
import json
import sqlite3
import time


def api(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data) if data else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()

    token = api(args.port, "POST", "/api/v1/sessions", {"login": args.login, "password": args.password})["token"]
    group = api(args.port, "POST", "/api/v1/groups",
                {"name": f"Fan-out {int(time.time())}", "category": "Interest", "visibility": "public"}, token)
    slug = group["slug"]
    quiet = api(args.port, "POST", f"/api/v1/groups/{slug}/discussions",
                {"title": "Quiet discussion", "body": "Followed by its starter only."}, token)
    busy = api(args.port, "POST", f"/api/v1/groups/{slug}/discussions",
               {"title": "Busy discussion", "body": "Followed by every member of the group."}, token)

    db = sqlite3.connect(args.db, timeout=60)
    now = int(time.time() * 1000)
    poster_id, password_hash = db.execute(
        "SELECT id, password_hash FROM membership_members WHERE handle = ?", (args.login,)).fetchone()
    group_id = db.execute("SELECT id FROM groups_group WHERE slug = ?", (slug,)).fetchone()[0]
    with db:
        for n in range(args.members):
            cursor = db.execute(
                """INSERT INTO membership_members (handle, email, name, password_hash, role, status, created_at, updated_at)
                   VALUES (?, ?, ?, ?, 'member', 'active', ?, ?)""",
                (f"fan{slug[:8]}{n}", f"fan{n}.{slug}@example.org", f"Follower {n}", password_hash, now, now))
            member_id = cursor.lastrowid
            db.execute("INSERT INTO groups_member (group_id, member_id, role, state, created_at) VALUES (?, ?, 'member', 'active', ?)",
                       (group_id, member_id, now))
            db.execute("INSERT INTO groups_follow (discussion_id, member_id, created_at) VALUES (?, ?, ?)",
                       (busy["id"], member_id, now))
        db.execute("UPDATE groups_group SET member_count = member_count + ? WHERE id = ?", (args.members, group_id))
    followers = db.execute("SELECT count(*) FROM groups_follow WHERE discussion_id = ?", (busy["id"],)).fetchone()[0]
    print(json.dumps({
        "quiet": f"/groups/{slug}/discussions/{quiet['id']}/replies",
        "busy": f"/groups/{slug}/discussions/{busy['id']}/replies",
        "busy_followers": followers, "poster_id": poster_id,
    }))


if __name__ == "__main__":
    main()
