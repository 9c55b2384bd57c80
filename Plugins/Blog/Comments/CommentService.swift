import Foundation
import Kernel
import Storage

/// Comments: reading a post's threads, commenting and replying (screened by the content gate in
/// the same write; mail only for published comments, and for held ones when moderation releases
/// them), changing and deleting comments.
extension BlogService {
    /// The SQL condition under which `viewer` may see comment `c` by member `m`.
    static func visibleComment(_ viewer: Viewer) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let me = viewer.memberID ?? 0
        return (
            "(c.hidden = 0 OR c.author_id = ? OR ?) AND (m.status <> 'suspended' OR c.author_id = ? OR ?)",
            [me, viewer.isModerator, me, viewer.isModerator]
        )
    }

    func storedComment(id: Int64, in db: Connection) throws -> BlogComment? {
        try db.queryOne(
            "SELECT \(BlogComment.columns) FROM blog_comments c JOIN membership_people m ON m.id = c.author_id WHERE c.id = ?",
            [id], BlogComment.decode)
    }

    /// A comment `viewer` may see, on a post they may see.
    public func comment(id: Int64, viewer: Viewer) throws -> BlogComment? {
        try database.read { db in try comment(id: id, viewer: viewer, in: db) }
    }

    func comment(id: Int64, viewer: Viewer, in db: Connection) throws -> BlogComment? {
        guard let comment = try storedComment(id: id, in: db),
            try post(id: comment.postID, viewer: viewer, in: db) != nil
        else { return nil }
        let (sql, arguments) = Self.visibleComment(viewer)
        let visible = try db.scalar(
            "SELECT 1 FROM blog_comments c JOIN membership_people m ON m.id = c.author_id WHERE c.id = ? AND \(sql)",
            [id] + arguments, as: Int.self)
        return visible == nil ? nil : comment
    }

    /// One page of a post's comment threads, oldest first: `limit` top-level comments after
    /// `after` (an id), each with its replies (at most 200 per thread).
    public func comments(on postID: Int64, viewer: Viewer, after: Int64? = nil, limit: Int = 50) throws -> (
        threads: [CommentThread], nextCursor: Int64?
    ) {
        let limit = PageSize.clamp(limit, to: 200)
        return try database.read { db in
            guard try post(id: postID, viewer: viewer, in: db) != nil else { throw DomainError.notFound }
            let (sql, arguments) = Self.visibleComment(viewer)
            var top = try db.query(
                """
                SELECT \(BlogComment.columns) FROM blog_comments c JOIN membership_people m ON m.id = c.author_id
                WHERE c.post_id = ? AND c.parent_id IS NULL AND c.id > ? AND \(sql) ORDER BY c.id LIMIT ?
                """, [postID, after ?? 0] + arguments + [limit + 1], BlogComment.decode)
            var next: Int64?
            if top.count > limit {
                top.removeLast()
                next = top.last?.id
            }
            var threads: [CommentThread] = []
            for comment in top {
                let replies = try db.query(
                    """
                    SELECT \(BlogComment.columns) FROM blog_comments c JOIN membership_people m ON m.id = c.author_id
                    WHERE c.parent_id = ? AND \(sql) ORDER BY c.id LIMIT 200
                    """, [comment.id] + arguments, BlogComment.decode)
                threads.append(CommentThread(comment: comment, replies: replies))
            }
            return (threads, next)
        }
    }

    func validateComment(_ body: String) throws -> String {
        var check = Validation()
        let text = check.required(
            body, field: "body", label: "Your comment", maxLength: Self.maximumCommentLength)
        try check.finish()
        return text
    }

    /// Adds a comment (or a reply to a top-level comment) on a published post `member` may
    /// see. The post's author is notified through the outbox, and the author of the comment
    /// replied to as well, in the same write.
    public func addComment(to postID: Int64, body: String, parentID: Int64? = nil, by member: SignedInMember)
        throws
        -> BlogComment
    {
        try member.requireMayWrite()
        let text = try validateComment(body)
        let viewer = Viewer(memberID: member.id, isModerator: member.isModerator)
        let now = self.now
        let id = try database.write { db -> Int64 in
            guard let post = try post(id: postID, viewer: viewer, countingComments: false, in: db),
                post.status == .published
            else {
                throw DomainError.notFound
            }
            var parent: BlogComment?
            if let parentID {
                guard let found = try storedComment(id: parentID, in: db), found.postID == postID,
                    !found.isHidden || found.authorID == member.id || member.isModerator
                else {
                    throw DomainError.invalid([
                        FieldError(
                            field: "parent_id", message: "The comment you replied to is no longer there.")
                    ])
                }
                // One level of replies: answering a reply joins its thread.
                if let grandparent = found.parentID {
                    parent = try storedComment(id: grandparent, in: db)
                } else {
                    parent = found
                }
            }
            try db.execute(
                "INSERT INTO blog_comments (post_id, parent_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
                [postID, parent?.id, member.id, text, now])
            let id = db.lastInsertedRowID
            try services.activity.record(
                NewActivity(
                    module: "blog", actorID: member.id, actorName: member.name, actorHandle: member.handle,
                    verb: "commented", objectKind: "blog_comment", objectID: id, objectTitle: post.title,
                    objectURL: "\(post.path)#comment-\(id)", excerpt: Excerpt.make(text, length: 160),
                    scope: post.activityScope), at: now, in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "blog", kind: "blog_comment", id: id, authorID: member.id), in: db)
            // A held comment is mailed to nobody: only its author and moderators may see it.
            if decision.isPublished {
                try notify(post: post, commentID: id, text: text, parent: parent, commenter: member, in: db)
            }
            try services.events.publish(
                BlogCommentAdded(commentID: id, postID: postID, authorID: member.id), in: db)
            return id
        }
        guard let comment = try database.read({ try storedComment(id: id, in: $0) }) else {
            throw DomainError.notFound
        }
        return comment
    }

    private func notify(
        post: BlogPost, commentID: Int64, text: String, parent: BlogComment?, commenter: SignedInMember,
        in db: Connection
    ) throws {
        // The notifications service leaves out the commenter, members who may not see the post
        // and anyone who turned these off; it groups comments on one post into one notification.
        let actor = NotificationActor(commenter)
        let comment = ContentReference(module: "blog", kind: "blog_comment", id: commentID)
        let link = "\(post.path)#comment-\(commentID)"
        let excerpt = Excerpt.make(text, length: 600)
        try services.notifications.publish(
            NewNotification(
                recipientID: post.authorID, kind: BlogNotifications.comment.id, actor: actor,
                subject: ContentReference(module: "blog", kind: "blog_post", id: post.id),
                text: "commented on your post “\(post.title)”", link: link, excerpt: excerpt),
            item: comment, in: db)
        if let parent, parent.authorID != post.authorID {
            try services.notifications.publish(
                NewNotification(
                    recipientID: parent.authorID, kind: BlogNotifications.reply.id, actor: actor,
                    subject: ContentReference(module: "blog", kind: "blog_comment", id: parent.id),
                    text: "replied to your comment on “\(post.title)”", link: link, excerpt: excerpt),
                item: comment, in: db)
        }
        try notifyMentions(inComment: text, id: commentID, on: post, by: actor, in: db)
    }

    /// A comment the content gate held was approved: the mail it would have sent when it was
    /// written goes now (to the post's author and the comment it replies to).
    func commentReleased(id: Int64, in db: Connection) throws {
        guard let comment = try storedComment(id: id, in: db), !comment.isHidden,
            let post = try post(
                id: comment.postID, viewer: Viewer(memberID: 0, isModerator: true), countingComments: false,
                in: db),
            post.isPublished, !post.isHidden
        else { return }
        let parent = try comment.parentID.flatMap { try storedComment(id: $0, in: db) }
        let commenter = SignedInMember(
            id: comment.authorID, handle: comment.authorHandle, name: comment.authorName, role: .member)
        try notify(
            post: post, commentID: id, text: comment.body, parent: parent, commenter: commenter, in: db)
    }

    /// Changes the text of one's own comment; it gets an "edited" mark. Members it mentions for
    /// the first time hear of it (once it is published: not while held).
    public func updateComment(id: Int64, body: String, by member: SignedInMember) throws -> BlogComment {
        try member.requireMayWrite()
        let text = try validateComment(body)
        let now = self.now
        try database.write { db in
            guard let comment = try storedComment(id: id, in: db), comment.authorID == member.id else {
                throw DomainError.notFound
            }
            try db.execute("UPDATE blog_comments SET body = ?, edited_at = ? WHERE id = ?", [text, now, id])
            try services.activity.update(
                .object("blog_comment", id: id).inModule("blog"),
                ActivityUpdate(excerpt: Excerpt.make(text, length: 160)), in: db)
            try services.events.publish(
                ContentEvent(
                    module: "blog", kind: "blog_comment", id: id, authorID: member.id, action: .updated),
                in: db)
            // The service leaves out a held comment, a hidden post and members who may not see it.
            if let (post, _) = try storedPost(id: comment.postID, in: db), post.status == .published {
                try notifyMentions(
                    inComment: text, previously: comment.body, id: id, on: post,
                    by: NotificationActor(member),
                    in: db)
            }
        }
        guard let comment = try database.read({ try storedComment(id: id, in: $0) }) else {
            throw DomainError.notFound
        }
        return comment
    }

    /// Whether `member` may delete `comment` on `post`: their own, any on their post, any as admin.
    public static func mayDelete(_ comment: BlogComment, on post: BlogPost, by member: SignedInMember) -> Bool
    {
        comment.authorID == member.id || post.authorID == member.id || member.isAdmin
    }

    /// Deletes a comment and its replies. nil is the console.
    public func deleteComment(id: Int64, by member: SignedInMember?) throws {
        try database.write { db in
            guard let comment = try storedComment(id: id, in: db),
                let (post, _) = try storedPost(id: comment.postID, in: db)
            else { throw DomainError.notFound }
            if let member {
                let viewer = Viewer(memberID: member.id, isModerator: member.isModerator)
                guard try self.post(id: post.id, viewer: viewer, in: db) != nil else {
                    throw DomainError.notFound
                }
                if !Self.mayDelete(comment, on: post, by: member) {
                    throw DomainError.forbidden(
                        "You can delete your own comments, and any comment on your own posts.")
                }
            }
            try removeComment(id: id, authorID: comment.authorID, in: db)
        }
    }

    func removeComment(id: Int64, authorID: Int64?, in db: Connection) throws {
        let thread = try db.query("SELECT id FROM blog_comments WHERE id = ? OR parent_id = ?", [id, id]) {
            try $0.value(column: 0) as Int64
        }
        try services.activity.deleteEntries(.objects("blog_comment", ids: thread).inModule("blog"), in: db)
        try db.execute("DELETE FROM blog_comments WHERE id = ?", [id])
        try services.events.publish(
            ContentEvent(module: "blog", kind: "blog_comment", id: id, authorID: authorID, action: .deleted),
            in: db)
    }
}
