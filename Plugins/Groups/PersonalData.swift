import Foundation
import Kernel
import Membership
import Storage

/// "Download my data" and "Delete my account" for groups, and what moderators see of
/// reported discussions and replies.
extension GroupsService {
    /// The member's groups part of their data export: only what they own — their rows in
    /// groups, the topics they started and the replies they wrote, and what they follow. A
    /// group's image is not theirs even when they chose it as chair: it belongs to the group,
    /// so it is neither exported nor erased with them.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let memberships = try db.query(
            """
            SELECT g.slug, g.name, gm.role, gm.state, gm.created_at FROM groups_member gm
            JOIN groups_group g ON g.id = gm.group_id WHERE gm.member_id = ? AND gm.state <> 'banned' ORDER BY g.slug
            """, [memberID]
        ) { row -> JSONValue in
            .object([
                ("group", .string(try row.value("slug"))), ("name", .string(try row.value("name"))),
                ("role", .string(try row.value("role"))), ("state", .string(try row.value("state"))),
                ("since", JSONValue(try row.value("created_at") as Date)),
            ])
        }
        let discussions = try db.query(
            """
            SELECT d.id, g.slug, d.title, d.body, d.created_at FROM groups_discussion d
            JOIN groups_group g ON g.id = d.group_id WHERE d.author_id = ? ORDER BY d.id
            """, [memberID]
        ) { row -> JSONValue in
            .object([
                ("id", .int(try row.value("id"))), ("group", .string(try row.value("slug"))),
                ("title", .string(try row.value("title"))), ("body", .string(try row.value("body"))),
                ("created_at", JSONValue(try row.value("created_at") as Date)),
            ])
        }
        let replies = try db.query(
            """
            SELECT r.id, r.discussion_id, d.title, r.body, r.created_at FROM groups_reply r
            JOIN groups_discussion d ON d.id = r.discussion_id WHERE r.author_id = ? ORDER BY r.id
            """, [memberID]
        ) { row -> JSONValue in
            .object([
                ("id", .int(try row.value("id"))), ("discussion_id", .int(try row.value("discussion_id"))),
                ("discussion", .string(try row.value("title"))), ("body", .string(try row.value("body"))),
                ("created_at", JSONValue(try row.value("created_at") as Date)),
            ])
        }
        let follows = try db.query(
            "SELECT discussion_id FROM groups_follow WHERE member_id = ? ORDER BY discussion_id", [memberID]
        ) { JSONValue.int(try $0.value("discussion_id")) }
        return .object([
            ("memberships", .array(memberships)), ("discussions", .array(discussions)),
            ("replies", .array(replies)),
            ("following", .array(follows)),
        ])
    }

    /// Erases the member from groups. Their memberships, requests, invitations and follows go;
    /// their topics and replies stay readable, attributed to "former member" (the membership
    /// module anonymises the member row). A group they owned passes to its longest-serving chair,
    /// else its longest-standing member; a group with nobody left keeps no owner and is flagged
    /// for administrators (`pln admin groups list` shows "needs owner").
    func erase(memberID: Int64, in db: Connection) throws {
        let owned = try db.query(
            "SELECT group_id FROM groups_member WHERE member_id = ? AND role = 'owner' AND state = 'active'",
            [memberID]
        ) {
            try $0.value("group_id") as Int64
        }
        let joinedGroups = try db.query(
            "SELECT group_id FROM groups_member WHERE member_id = ? AND state = 'active'", [memberID]
        ) { try $0.value("group_id") as Int64 }
        try services.activity.deleteEntries(
            .actor(memberID).inModule("groups").verbs("joined", "created"), in: db)
        try db.execute("DELETE FROM groups_member WHERE member_id = ?", [memberID])
        try db.execute("DELETE FROM groups_follow WHERE member_id = ?", [memberID])
        for groupID in owned {
            let successor = try db.scalar(
                """
                SELECT member_id FROM groups_member WHERE group_id = ? AND state = 'active'
                ORDER BY CASE role WHEN 'chair' THEN 0 ELSE 1 END, created_at, member_id LIMIT 1
                """, [groupID], as: Int64.self)
            if let successor {
                try db.execute(
                    "UPDATE groups_member SET role = 'owner' WHERE group_id = ? AND member_id = ?",
                    [groupID, successor])
            }
            try db.execute(
                "UPDATE groups_group SET owner_id = ?, updated_at = ? WHERE id = ?",
                [successor, now, groupID])
        }
        for groupID in joinedGroups { try refreshMemberCount(groupID: groupID, in: db) }
    }
}
