import Foundation
import HTTP
import Kernel
import Storage

/// What the home page and the navigation show of groups: for a member, the newest discussions in
/// their groups and, for chairs, the requests to join that wait; for a visitor, a few groups to
/// look at.
extension GroupsService {
    /// The most recently active discussions in the groups `memberID` belongs to (not hidden, not
    /// by a suspended author, not in a group moderators hid), newest first, with their group.
    public func recentDiscussions(inGroupsOf memberID: Int64, limit: Int = 5) throws -> [(
        discussion: Discussion, groupSlug: String, groupName: String
    )] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Discussion.columns), g.slug AS group_slug, g.name AS group_name FROM groups_member gm
                JOIN groups_group g ON g.id = gm.group_id AND g.hidden = 0
                JOIN groups_discussion d ON d.group_id = gm.group_id
                LEFT JOIN membership_people m ON m.id = d.author_id
                WHERE gm.member_id = ? AND gm.state = 'active' AND d.hidden = 0
                AND COALESCE(m.status, '') <> 'suspended'
                ORDER BY d.last_reply_at DESC, d.id DESC LIMIT ?
                """, [memberID, PageSize.clamp(limit, to: 20)]
            ) { row in
                (try Discussion.decode(row), try row.value("group_slug"), try row.value("group_name"))
            }
        }
    }

    /// Requests to join that wait in the groups `memberID` chairs or owns, by group.
    public func waitingRequests(chairedBy memberID: Int64) throws -> [(group: Group, count: Int)] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Group.columns), count(*) AS waiting FROM groups_member c
                JOIN groups_member r ON r.group_id = c.group_id AND r.state = 'requested'
                JOIN groups_group g ON g.id = c.group_id
                WHERE c.member_id = ? AND c.state = 'active' AND c.role IN ('chair', 'owner')
                GROUP BY g.id ORDER BY g.name COLLATE NOCASE, g.id
                """, [memberID]
            ) { row in (try Group.decode(row), try row.value("waiting")) }
        }
    }

    /// How many requests to join wait in the groups `memberID` chairs (shown by "Groups" in the
    /// navigation on every page: two index lookups).
    public func waitingRequestCount(chairedBy memberID: Int64) throws -> Int {
        try database.read { db in
            try db.scalar(
                """
                SELECT count(*) FROM groups_member c
                JOIN groups_member r ON r.group_id = c.group_id AND r.state = 'requested'
                WHERE c.member_id = ? AND c.state = 'active' AND c.role IN ('chair', 'owner')
                """, [memberID], as: Int.self) ?? 0
        }
    }
}

/// The groups' part of the home page and the chairs' notice of waiting requests.
struct GroupsHome: Sendable {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        web.home(HomeSection(order: 12, render: section))
    }

    /// Members: new in my groups (or groups to join when I am in none). Visitors: a few groups.
    @Sendable func section(_ ctx: RequestContext) throws -> HTML {
        guard let me = ctx.member else {
            let listed = try groups.directory(for: nil, search: "", category: nil, limit: 4, after: nil)
            if listed.isEmpty { return "" }
            let items = listed.map { group -> HTML in
                "<li class=\"media\">\(GroupPage.image(group, size: 40))<div class=\"media-body\"><a href=\"\(group.path)\">\(group.name)</a> <span class=\"meta\">\(group.category) · \(group.memberCount) \(group.memberCount == 1 ? "member" : "members")</span></div></li>"
            }
            return
                "<section class=\"box home-groups\"><h2>Groups</h2><ul class=\"plain-list\">\(items)</ul><p class=\"more\"><a href=\"/groups\">All groups</a></p></section>"
        }
        var body: HTML = chairNotice(ctx, memberID: me.id)
        let recent = try groups.recentDiscussions(inGroupsOf: me.id, limit: 5)
        if recent.isEmpty {
            body +=
                "<section class=\"box home-groups\"><h2>Your groups</h2><p>Groups are where colleagues from different schools work on one thing together.</p><p><a class=\"button secondary\" href=\"/groups\">Find a group to join</a></p></section>"
            return body
        }
        let items = recent.map { entry -> HTML in
            let replies = entry.discussion.replyCount
            return """
                <li><a href="/groups/\(entry.groupSlug)/discussions/\(entry.discussion.id)">\(entry.discussion.title)</a>
                <span class="meta">in <a href="/groups/\(entry.groupSlug)">\(entry.groupName)</a> · \
                \(replies) \(replies == 1 ? "reply" : "replies") · \(ctx.shell.time(entry.discussion.lastReplyAt))</span></li>
                """
        }
        body +=
            "<section class=\"box home-groups\"><h2>New in your groups</h2><ul class=\"plain-list\">\(items)</ul><p class=\"more\"><a href=\"/groups/mine\">Your groups</a></p></section>"
        return body
    }

    /// For chairs: who waits to join which of their groups, each linked to the group's members
    /// page where requests are answered; empty for everyone else.
    func chairNotice(_ ctx: RequestContext, memberID: Int64) -> HTML {
        guard let waiting = try? groups.waitingRequests(chairedBy: memberID), !waiting.isEmpty else {
            return ""
        }
        let links = waiting.map { entry -> HTML in
            "<a href=\"\(entry.group.path)/members\">\(entry.group.name)</a> (\(entry.count))"
        }
        let total = waiting.reduce(0) { $0 + $1.count }
        return
            "<p class=\"notice\">\(total) \(total == 1 ? "request" : "requests") to join \(waiting.count == 1 ? "a group" : "groups") you chair: \(HTML.join(links, separator: ", ")).</p>"
    }
}
