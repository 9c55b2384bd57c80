import Foundation
import Kernel
import Membership
import Storage

/// Where the next page of a group's discussions starts: pinned topics first, then by latest reply.
///
/// ```swift
/// let next = DiscussionCursor(after: page.last!)
/// let more = try groups.discussions(groupID: id, access: access, before: DiscussionCursor(next.text))
/// ```
public struct DiscussionCursor: Sendable, Equatable {
    public var pinned: Bool
    public var lastReplyMilliseconds: Int64
    public var id: Int64

    public init(after discussion: Discussion) {
        pinned = discussion.isPinned
        lastReplyMilliseconds = Int64((discussion.lastReplyAt.timeIntervalSince1970 * 1000).rounded())
        id = discussion.id
    }

    /// Parses "1.1700000000000.42"; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 3, let pinned = Int(parts[0]), pinned == 0 || pinned == 1,
            let ms = Int64(parts[1]),
            let id = Int64(parts[2])
        else { return nil }
        self.pinned = pinned == 1
        lastReplyMilliseconds = ms
        self.id = id
    }

    public var text: String { "\(pinned ? 1 : 0).\(lastReplyMilliseconds).\(id)" }
}

extension GroupsService {
    // MARK: Reading

    /// The discussion `id` of the group at `slug`, if `member` may read it; otherwise "not
    /// found" (hidden groups, private content, moderation-hidden posts of others).
    public func visibleDiscussion(slug: String, id: Int64, for member: SignedInMember?) throws -> (
        Group, GroupAccess, Discussion
    ) {
        let (group, access) = try visibleGroup(slug: slug, for: member)
        guard access.canReadContent else { throw DomainError.notFound }
        guard let discussion = try discussion(id: id), discussion.groupID == group.id else {
            throw DomainError.notFound
        }
        if discussion.isHidden && !access.canSeeHidden(authorID: discussion.authorID) {
            throw DomainError.notFound
        }
        return (group, access, discussion)
    }

    public func discussion(id: Int64) throws -> Discussion? {
        try database.read { db in try discussion(id: id, in: db) }
    }

    func discussion(id: Int64, in db: Connection) throws -> Discussion? {
        try db.queryOne(
            "SELECT \(Discussion.columns) FROM groups_discussion d LEFT JOIN membership_people m ON m.id = d.author_id WHERE d.id = ?",
            [id], Discussion.decode)
    }

    func reply(id: Int64, in db: Connection) throws -> DiscussionReply? {
        try db.queryOne(
            "SELECT \(DiscussionReply.columns) FROM groups_reply r LEFT JOIN membership_people m ON m.id = r.author_id WHERE r.id = ?",
            [id], DiscussionReply.decode)
    }

    /// One page of a group's discussions: pinned first, then the most recently active. The
    /// caller checked `access.canReadContent`.
    public func discussions(
        groupID: Int64, access: GroupAccess, limit: Int = 20, before cursor: DiscussionCursor? = nil
    )
        throws -> [Discussion]
    {
        var sql = """
            SELECT \(Discussion.columns) FROM groups_discussion d LEFT JOIN membership_people m ON m.id = d.author_id
            WHERE d.group_id = ? AND ((d.hidden = 0 AND COALESCE(m.status, '') <> 'suspended') OR ? OR d.author_id = ?)
            """
        var arguments: [any DatabaseValueConvertible] = [
            groupID, access.isSiteModerator, access.memberID ?? 0,
        ]
        if let cursor {
            sql += " AND (d.pinned, d.last_reply_at, d.id) < (?, ?, ?)"
            arguments += [cursor.pinned, cursor.lastReplyMilliseconds, cursor.id]
        }
        sql += " ORDER BY d.pinned DESC, d.last_reply_at DESC, d.id DESC LIMIT ?"
        arguments.append(PageSize.clamp(limit, to: 101))
        return try database.read { db in try db.query(sql, arguments, Discussion.decode) }
    }

    /// Replies oldest first, after the reply `after`.
    public func replies(discussionID: Int64, access: GroupAccess, limit: Int = 50, after: Int64? = nil) throws
        -> [DiscussionReply]
    {
        try database.read { db in
            try db.query(
                """
                SELECT \(DiscussionReply.columns) FROM groups_reply r LEFT JOIN membership_people m ON m.id = r.author_id
                WHERE r.discussion_id = ? AND ((r.hidden = 0 AND COALESCE(m.status, '') <> 'suspended') OR ? OR r.author_id = ?)
                    AND r.id > ?
                ORDER BY r.id LIMIT ?
                """,
                [
                    discussionID, access.isSiteModerator, access.memberID ?? 0, after ?? 0,
                    PageSize.clamp(limit, to: 201),
                ],
                DiscussionReply.decode)
        }
    }

    public func discussionID(ofReply replyID: Int64) throws -> Int64? {
        try database.read { db in
            try db.scalar("SELECT discussion_id FROM groups_reply WHERE id = ?", [replyID], as: Int64.self)
        }
    }

    public func isFollowing(discussionID: Int64, memberID: Int64) throws -> Bool {
        try database.read { db in
            try db.scalar(
                "SELECT 1 FROM groups_follow WHERE discussion_id = ? AND member_id = ?",
                [discussionID, memberID],
                as: Int.self) != nil
        }
    }

    // MARK: Writing

    private func requirePoster(_ group: Group, _ actor: SignedInMember, in db: Connection) throws
        -> GroupAccess
    {
        let access = try access(to: group, for: actor, in: db)
        guard access.canSeeGroup else { throw DomainError.notFound }
        try actor.requireMayWrite()
        guard access.isMember else {
            throw DomainError.forbidden("Join the group to take part in its discussions.")
        }
        return access
    }

    /// Starts a discussion; the starter follows it.
    public func startDiscussion(groupID: Int64, by actor: SignedInMember, title: String, body: String) throws
        -> Discussion
    {
        var check = Validation()
        let cleanTitle = check.requiredSingleLine(
            title, field: "title", label: "Title", maxLength: Self.maximumTitleLength)
        let cleanBody = check.required(
            body, field: "body", label: "Opening post", maxLength: Self.maximumPostLength)
        let now = self.now
        return try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            _ = try requirePoster(group, actor, in: db)
            try check.finish()
            try db.execute(
                """
                INSERT INTO groups_discussion (group_id, author_id, title, body, created_at, last_reply_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [groupID, actor.id, cleanTitle, cleanBody, now, now])
            let id = db.lastInsertedRowID
            try db.execute(
                "INSERT INTO groups_follow (discussion_id, member_id, created_at) VALUES (?, ?, ?)",
                [id, actor.id, now])
            guard let discussion = try discussion(id: id, in: db) else { throw DomainError.notFound }
            try record(
                group: group, actorID: actor.id, actorName: actor.name, actorHandle: actor.handle,
                verb: "started",
                objectKind: "group_discussion", objectID: id, objectTitle: cleanTitle,
                objectURL: discussion.path(in: group),
                excerpt: Excerpt.make(cleanBody, length: Self.activityExcerptLength), in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "groups", kind: "group_discussion", id: id, authorID: actor.id),
                in: db)
            if decision.isPublished { try notifyMentions(in: discussion, of: group, in: db) }
            return discussion
        }
    }

    /// Replies to a discussion; the replier follows it, and every other follower who is still a
    /// member of the group gets a message through the outbox, in the same transaction.
    public func reply(to discussionID: Int64, by actor: SignedInMember, body: String) throws
        -> DiscussionReply
    {
        var check = Validation()
        let cleanBody = check.required(body, field: "body", label: "Reply", maxLength: Self.maximumPostLength)
        let now = self.now
        return try database.write { db in
            guard let discussion = try discussion(id: discussionID, in: db),
                let group = try group(id: discussion.groupID, in: db)
            else { throw DomainError.notFound }
            let access = try requirePoster(group, actor, in: db)
            if discussion.isHidden && !access.canSeeHidden(authorID: discussion.authorID) {
                throw DomainError.notFound
            }
            if discussion.isLocked {
                throw DomainError.conflict("This discussion is locked: no more replies.")
            }
            if discussion.isHidden {
                throw DomainError.conflict("This discussion is hidden by the moderators.")
            }
            try check.finish()
            try db.execute(
                "INSERT INTO groups_reply (discussion_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
                [discussionID, actor.id, cleanBody, now])
            let id = db.lastInsertedRowID
            try db.execute(
                "UPDATE groups_discussion SET reply_count = reply_count + 1, last_reply_at = ? WHERE id = ?",
                [now, discussionID])
            try db.execute(
                "INSERT OR IGNORE INTO groups_follow (discussion_id, member_id, created_at) VALUES (?, ?, ?)",
                [discussionID, actor.id, now])
            let url = "\(discussion.path(in: group))#reply-\(id)"
            let excerpt = Excerpt.make(cleanBody, length: Self.activityExcerptLength)
            try record(
                group: group, actorID: actor.id, actorName: actor.name, actorHandle: actor.handle,
                verb: "replied",
                objectKind: "group_reply", objectID: id, objectTitle: discussion.title, objectURL: url,
                excerpt: excerpt,
                in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "groups", kind: "group_reply", id: id, authorID: actor.id), in: db)
            // A held reply is mailed to nobody: only its author and moderators may see it.
            if decision.isPublished {
                try notifyFollowers(
                    of: discussion, in: group, replier: actor, replyID: id, body: cleanBody, in: db)
            }
            guard let reply = try reply(id: id, in: db) else { throw DomainError.notFound }
            return reply
        }
    }

    /// A reply the content gate held was approved: its discussion's followers hear of it now,
    /// as they would have when it was written.
    func replyReleased(id: Int64, in db: Connection) throws {
        guard let reply = try reply(id: id, in: db), !reply.isHidden, let authorID = reply.authorID,
            let discussion = try discussion(id: reply.discussionID, in: db), !discussion.isHidden,
            let group = try group(id: discussion.groupID, in: db)
        else { return }
        let replier = SignedInMember(
            id: authorID, handle: reply.authorHandle, name: reply.authorName, role: .member)
        try notifyFollowers(
            of: discussion, in: group, replier: replier, replyID: id, body: reply.body, in: db)
    }

    private func notifyFollowers(
        of discussion: Discussion, in group: Group, replier: SignedInMember, replyID: Int64, body: String,
        in db: Connection
    ) throws {
        // The notifications service checks each follower may still see the reply (and that it is
        // not held), applies their settings for the group, and groups replies to one discussion;
        // many followers are found and notified by a job, off the request path.
        try services.notifications.publish(
            fanout: FanoutRequest(builder: GroupNotifications.replyFanout, argument: String(replyID)), in: db)
        try services.notifications.publishMentions(
            in: body, by: NotificationActor(replier),
            subject: ContentReference(module: "groups", kind: "group_reply", id: replyID),
            text: "mentioned you in “\(discussion.title)” in \(group.name)",
            link: "\(discussion.path(in: group))#reply-\(replyID)",
            group: NotificationGroup(id: group.id, name: group.name),
            in: db)
    }

    /// The followers who hear of a reply (the fan-out `groups.reply`), at most `limit`: only
    /// those still active members of the group (a removed member must not keep receiving a
    /// private group's discussions), not the replier.
    func followers(ofReply replyID: Int64, limit: Int?, in db: Connection) throws -> [Int64] {
        guard let reply = try reply(id: replyID, in: db),
            let discussion = try discussion(id: reply.discussionID, in: db)
        else { return [] }
        var sql = """
            SELECT f.member_id FROM groups_follow f
            JOIN groups_member gm ON gm.group_id = ? AND gm.member_id = f.member_id AND gm.state = 'active'
            JOIN membership_people m ON m.id = f.member_id
            WHERE f.discussion_id = ? AND f.member_id <> ? AND m.status = 'active'
            ORDER BY f.member_id
            """
        var arguments: [any DatabaseValueConvertible] = [
            discussion.groupID, discussion.id, reply.authorID ?? 0,
        ]
        if let limit {
            sql += " LIMIT ?"
            arguments.append(limit)
        }
        return try db.query(sql, arguments) { try $0.value(column: 0) as Int64 }
    }

    /// What a follower hears of a reply (the fan-out `groups.reply`; the service sets each
    /// recipient), or nil when the reply or its discussion is gone.
    func replyNotification(replyID: Int64, in db: Connection) throws -> NewNotification? {
        guard let reply = try reply(id: replyID, in: db), let authorID = reply.authorID,
            let discussion = try discussion(id: reply.discussionID, in: db),
            let group = try group(id: discussion.groupID, in: db)
        else { return nil }
        return NewNotification(
            recipientID: 0, kind: GroupNotifications.reply.id,
            actor: NotificationActor(id: authorID, name: reply.authorName, handle: reply.authorHandle),
            subject: ContentReference(module: "groups", kind: "group_discussion", id: discussion.id),
            text: "replied to “\(discussion.title)” in \(group.name)",
            link: "\(discussion.path(in: group))#reply-\(replyID)",
            excerpt: Excerpt.make(reply.body, length: 600),
            group: NotificationGroup(id: group.id, name: group.name),
            item: ContentReference(module: "groups", kind: "group_reply", id: replyID))
    }

    public func follow(discussionID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let discussion = try discussion(id: discussionID, in: db),
                let group = try group(id: discussion.groupID, in: db)
            else { throw DomainError.notFound }
            let access = try access(to: group, for: actor, in: db)
            guard access.canSeeGroup, access.canReadContent else { throw DomainError.notFound }
            guard access.isMember else {
                throw DomainError.forbidden("Join the group to follow its discussions.")
            }
            try db.execute(
                "INSERT OR IGNORE INTO groups_follow (discussion_id, member_id, created_at) VALUES (?, ?, ?)",
                [discussionID, actor.id, now])
        }
    }

    public func unfollow(discussionID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            try db.execute(
                "DELETE FROM groups_follow WHERE discussion_id = ? AND member_id = ?",
                [discussionID, actor.id])
        }
    }

    /// Pins or unpins a discussion (chairs).
    public func setPinned(discussionID: Int64, _ pinned: Bool, by actor: SignedInMember) throws {
        try setFlag("pinned", discussionID: discussionID, pinned, by: actor)
    }

    /// Locks or unlocks a discussion (chairs): a locked discussion takes no replies.
    public func setLocked(discussionID: Int64, _ locked: Bool, by actor: SignedInMember) throws {
        try setFlag("locked", discussionID: discussionID, locked, by: actor)
    }

    private func setFlag(_ column: String, discussionID: Int64, _ value: Bool, by actor: SignedInMember)
        throws
    {
        try database.write { db in
            guard let discussion = try discussion(id: discussionID, in: db),
                let group = try group(id: discussion.groupID, in: db)
            else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            // `column` is one of two literals chosen above, never input.
            try db.execute("UPDATE groups_discussion SET \(column) = ? WHERE id = ?", [value, discussionID])
        }
    }

    /// Deletes a discussion with its replies and their activity (its author or a chair).
    public func deleteDiscussion(id: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let discussion = try discussion(id: id, in: db),
                let group = try group(id: discussion.groupID, in: db)
            else { throw DomainError.notFound }
            let access = try access(to: group, for: actor, in: db)
            guard access.canSeeGroup, access.canReadContent else { throw DomainError.notFound }
            guard access.isChair || (discussion.authorID == actor.id && access.isMember) else {
                throw DomainError.forbidden("Only its author or the group's chairs can delete a discussion.")
            }
            if discussion.authorID != actor.id {
                try audit(
                    "delete", kind: "group_discussion", id: id,
                    title: "“\(discussion.title)” in \(group.name)", member: discussion.authorID, by: actor,
                    in: db)
            }
            try Self.deleteDiscussion(id: id, services: services, in: db)
            try services.events.publish(
                ContentEvent(
                    module: "groups", kind: "group_discussion", id: id, authorID: discussion.authorID,
                    action: .deleted),
                in: db)
        }
    }

    /// Deletes a reply (its author or a chair).
    public func deleteReply(id: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let reply = try reply(id: id, in: db),
                let discussion = try discussion(id: reply.discussionID, in: db),
                let group = try group(id: discussion.groupID, in: db)
            else { throw DomainError.notFound }
            let access = try access(to: group, for: actor, in: db)
            guard access.canSeeGroup, access.canReadContent else { throw DomainError.notFound }
            guard access.isChair || (reply.authorID == actor.id && access.isMember) else {
                throw DomainError.forbidden("Only its author or the group's chairs can delete a reply.")
            }
            if reply.authorID != actor.id {
                try audit(
                    "delete", kind: "group_reply", id: id,
                    title: "Reply in “\(discussion.title)” (\(group.name))", member: reply.authorID,
                    by: actor, in: db)
            }
            try Self.deleteReply(id: id, services: services, in: db)
            try services.events.publish(
                ContentEvent(
                    module: "groups", kind: "group_reply", id: id, authorID: reply.authorID, action: .deleted),
                in: db)
        }
    }

    /// Chairs' moderation goes to the network's audit log (when moderation is enabled), in the
    /// same transaction as the action.
    func audit(
        _ action: String, kind: String, id: Int64?, title: String, member: Int64?, by actor: SignedInMember,
        in db: Connection
    ) throws {
        try services.service(AuditLogBox.self)?.log.record(
            AuditRecord(
                actorID: actor.id, actorName: actor.name, action: action, targetKind: kind, targetID: id,
                targetTitle: title,
                memberID: member, reason: "group chair"), in: db)
    }

    // MARK: Used inside other transactions (moderation)

    static func deleteDiscussion(id: Int64, services: Services, in db: Connection) throws {
        let replies = try db.query("SELECT id FROM groups_reply WHERE discussion_id = ?", [id]) {
            try $0.value(column: 0) as Int64
        }
        try services.activity.deleteEntries(.objects("group_reply", ids: replies), in: db)
        try services.activity.deleteEntries(objectKind: "group_discussion", objectID: id, in: db)
        try db.execute("DELETE FROM groups_discussion WHERE id = ?", [id])
    }

    static func deleteReply(id: Int64, services: Services, in db: Connection) throws {
        guard
            let discussionID = try db.scalar(
                "SELECT discussion_id FROM groups_reply WHERE id = ?", [id], as: Int64.self)
        else { return }
        try services.activity.deleteEntries(objectKind: "group_reply", objectID: id, in: db)
        try db.execute("DELETE FROM groups_reply WHERE id = ?", [id])
        try recountReplies(discussionID: discussionID, in: db)
    }

    /// The shown count leaves out replies moderators hid: a count must not hint at them.
    static func recountReplies(discussionID: Int64, in db: Connection) throws {
        try db.execute(
            """
            UPDATE groups_discussion SET reply_count = (SELECT count(*) FROM groups_reply
                WHERE discussion_id = ? AND hidden = 0) WHERE id = ?
            """, [discussionID, discussionID])
    }
}
