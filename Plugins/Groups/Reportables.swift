import Kernel
import Membership
import Storage

/// The groups module's reportable kinds: groups, discussions and replies. Moderation looks them
/// up, checks who may see them, hides, deletes and (for held replies) releases them, each inside
/// its own transaction.
///
/// ```swift
/// GroupsReportables.register(in: context, groups: groups)
/// ```
enum GroupsReportables {
    static func register(in context: ModuleContext, groups: GroupsService) {
        let services = context.services
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group", title: "group",
                lookup: { id, db in try groups.reportableGroup(id: id, in: db) },
                isVisible: { id, member, db in try groups.groupIsVisible(id: id, to: member, in: db) },
                setHidden: { id, hidden, db in
                    try GroupsService.setGroupHidden(id: id, hidden, services: services, in: db)
                },
                delete: { id, db in
                    if let group = try groups.group(id: id, in: db) { try groups.deleteGroup(group, in: db) }
                }))
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group_discussion", title: "group discussion",
                lookup: { id, db in try groups.reportableDiscussion(id: id, in: db) },
                isVisible: { id, member, db in try groups.discussionIsVisible(id: id, to: member, in: db) },
                setHidden: { id, hidden, db in
                    try GroupsService.setDiscussionHidden(id: id, hidden, services: services, in: db)
                },
                delete: { id, db in try GroupsService.deleteDiscussion(id: id, services: services, in: db) },
                released: { id, db in try groups.discussionReleased(id: id, in: db) }))
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group_reply", title: "group discussion reply",
                lookup: { id, db in try groups.reportableReply(id: id, in: db) },
                isVisible: { id, member, db in
                    guard let discussionID = try groups.reply(id: id, in: db)?.discussionID else {
                        return false
                    }
                    return try groups.discussionIsVisible(id: discussionID, to: member, in: db)
                },
                setHidden: { id, hidden, db in
                    try GroupsService.setReplyHidden(id: id, hidden, services: services, in: db)
                },
                delete: { id, db in try GroupsService.deleteReply(id: id, services: services, in: db) },
                released: { id, db in try groups.replyReleased(id: id, in: db) }))
    }
}

extension GroupsService {
    func reportableGroup(id: Int64, in db: Connection) throws -> ReportableItem? {
        guard let group = try group(id: id, in: db) else { return nil }
        return ReportableItem(
            title: "Group “\(group.name)”", authorID: group.ownerID, url: group.path,
            excerpt: Excerpt.make(group.description, length: 200), isHidden: group.isHidden,
            text: group.description)
    }

    /// Whether `member` may see the group where it lives: its page (hidden groups only for their
    /// members and people invited).
    func groupIsVisible(id: Int64, to member: SignedInMember, in db: Connection) throws -> Bool {
        guard let group = try group(id: id, in: db) else { return false }
        return try access(to: group, for: member, in: db).canSeeGroup
    }

    /// Whether `member` may read the discussion: its group's content and, when moderators hid
    /// it, only as its author or a moderator.
    func discussionIsVisible(id: Int64, to member: SignedInMember, in db: Connection) throws -> Bool {
        guard let discussion = try discussion(id: id, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return false }
        let access = try access(to: group, for: member, in: db)
        return access.canSeeGroup && access.canReadContent
            && (!discussion.isHidden || access.canSeeHidden(authorID: discussion.authorID))
    }

    static func setGroupHidden(id: Int64, _ hidden: Bool, services: Services, in db: Connection) throws {
        try db.execute("UPDATE groups_group SET hidden = ? WHERE id = ?", [hidden, id])
        try services.activity.setHidden(hidden, objectKind: "group", objectID: id, in: db)
    }

    func reportableDiscussion(id: Int64, in db: Connection) throws -> ReportableItem? {
        guard let discussion = try discussion(id: id, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return nil }
        return ReportableItem(
            title: "Discussion “\(discussion.title)” in \(group.name)", authorID: discussion.authorID,
            url: discussion.path(in: group), excerpt: Excerpt.make(discussion.body, length: 200),
            isHidden: discussion.isHidden, text: discussion.body)
    }

    func reportableReply(id: Int64, in db: Connection) throws -> ReportableItem? {
        guard let reply = try reply(id: id, in: db),
            let discussion = try discussion(id: reply.discussionID, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return nil }
        return ReportableItem(
            title: "Reply by \(reply.authorName) to “\(discussion.title)” in \(group.name)",
            authorID: reply.authorID,
            url: "\(discussion.path(in: group))#reply-\(reply.id)",
            excerpt: Excerpt.make(reply.body, length: 200),
            isHidden: reply.isHidden, text: reply.body)
    }

    static func setDiscussionHidden(id: Int64, _ hidden: Bool, services: Services, in db: Connection) throws {
        try db.execute("UPDATE groups_discussion SET hidden = ? WHERE id = ?", [hidden, id])
        try services.activity.setHidden(hidden, objectKind: "group_discussion", objectID: id, in: db)
    }

    static func setReplyHidden(id: Int64, _ hidden: Bool, services: Services, in db: Connection) throws {
        try db.execute("UPDATE groups_reply SET hidden = ? WHERE id = ?", [hidden, id])
        try services.activity.setHidden(hidden, objectKind: "group_reply", objectID: id, in: db)
        if let discussionID = try db.scalar(
            "SELECT discussion_id FROM groups_reply WHERE id = ?", [id], as: Int64.self)
        {
            try recountReplies(discussionID: discussionID, in: db)
        }
    }
}
