import Foundation
import Kernel
import Storage

/// What of the groups members can search: groups (a hidden group only for its members),
/// discussions and replies (a private or hidden group's only for its members). The kernel
/// indexes them from the module's ``ContentEvent``s inside each write; these say how. A group's
/// discussions hang off it, and replies off their discussion, so a change of visibility or a
/// moderator hiding the group reaches them in the same transaction.
///
/// ```swift
/// GroupsSearch.register(in: context, groups: groups)   // in bootstrap
/// ```
enum GroupsSearch {
    static func register(in context: ModuleContext, groups: GroupsService) {
        context.searchable(
            SearchableKind(
                module: "groups", kind: "group", label: "Groups", aliases: ["group", "groups"],
                document: { id, db in try groups.searchDocument(groupID: id, in: db) },
                ids: { after, limit, db in try ids("groups_group", after, limit, db) }))
        context.searchable(
            SearchableKind(
                module: "groups", kind: "group_discussion", label: "Discussions",
                aliases: ["discussion", "discussions", "topic"],
                document: { id, db in try groups.searchDocument(discussionID: id, in: db) },
                ids: { after, limit, db in try ids("groups_discussion", after, limit, db) }))
        context.searchable(
            SearchableKind(
                module: "groups", kind: "group_reply", label: "Replies", aliases: ["reply", "replies"],
                document: { id, db in try groups.searchDocument(replyID: id, in: db) },
                ids: { after, limit, db in try ids("groups_reply", after, limit, db) }))
    }

    private static func ids(_ table: String, _ after: Int64, _ limit: Int, _ db: Connection) throws -> [Int64]
    {
        let sql: String
        switch table {
        case "groups_group": sql = "SELECT id FROM groups_group WHERE id > ? ORDER BY id LIMIT ?"
        case "groups_discussion": sql = "SELECT id FROM groups_discussion WHERE id > ? ORDER BY id LIMIT ?"
        default: sql = "SELECT id FROM groups_reply WHERE id > ? ORDER BY id LIMIT ?"
        }
        return try db.query(sql, [after, limit]) { try $0.value("id") as Int64 }
    }
}

extension GroupsService {
    /// Who may find what is inside `group`: everyone for a public group, its members otherwise.
    private func contentAudience(_ group: Group) -> SearchAudience {
        group.visibility == .public ? .everyone : .group(group.id)
    }

    func searchDocument(groupID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let group = try group(id: groupID, in: db) else { return nil }
        // Public and private groups are listed (their about section is public); hidden ones are not.
        return SearchDocument(
            title: group.name, keywords: group.category, body: group.description, url: group.path,
            authorID: nil, audience: group.visibility.isListed ? .everyone : .group(group.id),
            state: group.isHidden ? .hidden : .published, date: group.createdAt, groupSlug: group.slug,
            name: group.name)
    }

    func searchDocument(discussionID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let discussion = try discussion(id: discussionID, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return nil }
        return SearchDocument(
            title: discussion.title, keywords: group.name, body: discussion.body,
            url: discussion.path(in: group),
            authorID: discussion.authorID, audience: contentAudience(group),
            state: discussion.isHidden || group.isHidden ? .hidden : .published, date: discussion.createdAt,
            groupSlug: group.slug, container: SearchItem(kind: "group", id: group.id), groupID: group.id)
    }

    func searchDocument(replyID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let reply = try reply(id: replyID, in: db),
            let discussion = try discussion(id: reply.discussionID, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return nil }
        var document = SearchDocument(
            title: "Reply in “\(discussion.title)”", body: reply.body,
            url: "\(discussion.path(in: group))#reply-\(reply.id)", authorID: reply.authorID,
            audience: contentAudience(group),
            state: reply.isHidden || discussion.isHidden || group.isHidden ? .hidden : .published,
            date: reply.createdAt, groupSlug: group.slug,
            container: SearchItem(kind: "group_discussion", id: discussion.id), groupID: group.id)
        document.titleIsSearchable = false
        return document
    }
}
