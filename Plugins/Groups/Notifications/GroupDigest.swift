import Foundation
import Kernel
import Storage

/// The groups' part of a member's digest: discussions started since their last digest in the
/// groups they belong to (not muted), that they may read, not their own.
extension GroupsService {
    func digestSection(memberID: Int64, since: Date, in db: Connection) throws -> DigestSection? {
        guard let person = try services.identity?.person(id: memberID, in: db) else { return nil }
        let reader = SignedInMember(
            id: person.id, handle: person.handle, name: person.name, role: person.role)
        let rows = try db.query(
            """
            SELECT d.id, d.group_id FROM groups_discussion d
            JOIN groups_member gm ON gm.group_id = d.group_id AND gm.member_id = ? AND gm.state = 'active'
            WHERE d.created_at > ? AND d.hidden = 0 AND COALESCE(d.author_id, 0) <> ?
            ORDER BY d.created_at DESC, d.id DESC LIMIT 50
            """, [memberID, since, memberID]
        ) { row in (try row.value(column: 0) as Int64, try row.value(column: 1) as Int64) }
        var items: [DigestItem] = []
        for (id, groupID) in rows where items.count < 10 {
            guard try services.notifications.level(groupID: groupID, memberID: memberID, in: db) != .mute,
                try discussionIsVisible(id: id, to: reader, in: db),
                let discussion = try discussion(id: id, in: db), let group = try group(id: groupID, in: db)
            else { continue }
            items.append(
                DigestItem(
                    text: "“\(discussion.title)” in \(group.name), started by \(discussion.authorName)",
                    link: discussion.path(in: group)))
        }
        return items.isEmpty ? nil : DigestSection(title: "New discussions in your groups", items: items)
    }
}
