import Foundation
import Kernel
import Storage

/// Writing posts: create, change, publish and delete, each in one write with its activity
/// entry, its content-gate screening and its events.
extension BlogService {
    // MARK: Writing posts

    /// Creates a post (published or a draft). Publishing records the activity in the same write.
    public func createPost(_ input: PostInput, by author: SignedInMember) throws -> BlogPost {
        try author.requireMayWrite()
        let valid = try validate(input)
        let now = self.now
        let id = try database.write { db -> Int64 in
            try db.execute(
                """
                INSERT INTO blog_posts (author_id, title, body, excerpt, status, visibility, video_provider, video_id,
                    created_at, published_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    author.id, valid.title, valid.body,
                    Excerpt.make(valid.body, length: BlogPost.excerptLength),
                    input.publish ? "published" : "draft", valid.visibility.rawValue,
                    valid.video?.provider.rawValue, valid.video?.videoID, now, input.publish ? now : nil, now,
                ])
            let id = db.lastInsertedRowID
            try replaceTags(of: id, with: valid.tags, publishedAt: input.publish ? now : nil, in: db)
            guard let (post, _) = try storedPost(id: id, in: db) else { throw DomainError.notFound }
            // Drafts are nobody's business: moderation and search hear of a post when it is published.
            if input.publish { try recordPublished(post, in: db) }
            return id
        }
        guard let post = try database.read({ try storedPost(id: id, in: $0)?.post }) else {
            throw DomainError.notFound
        }
        return post
    }

    /// Replaces a post's title, body, tags, video and visibility; publishes a draft when asked.
    /// A published post that changes gets an "edited" mark, and members it mentions for the
    /// first time hear of it. Only the author edits.
    public func updatePost(id: Int64, _ input: PostInput, by actor: SignedInMember) throws -> BlogPost {
        try actor.requireMayWrite()
        let valid = try validate(input)
        let now = self.now
        try database.write { db in
            guard let (old, _) = try storedPost(id: id, in: db), old.authorID == actor.id else {
                throw DomainError.notFound
            }
            let publishing = old.status == .draft && input.publish
            let changed =
                old.title != valid.title || old.body != valid.body || old.tags != valid.tags
                || old.video != valid.video
                || old.visibility != valid.visibility
            let editedAt: Date? = old.status == .published && changed ? now : old.editedAt
            let publishedAt = publishing ? now : old.publishedAt
            try db.execute(
                """
                UPDATE blog_posts SET title = ?, body = ?, excerpt = ?, visibility = ?, video_provider = ?, video_id = ?,
                    status = ?, published_at = ?, updated_at = ?, edited_at = ? WHERE id = ?
                """,
                [
                    valid.title, valid.body, Excerpt.make(valid.body, length: BlogPost.excerptLength),
                    valid.visibility.rawValue,
                    valid.video?.provider.rawValue,
                    valid.video?.videoID, (old.status == .published || publishing) ? "published" : "draft",
                    publishedAt, now, editedAt, id,
                ])
            try replaceTags(of: id, with: valid.tags, publishedAt: publishedAt, in: db)
            guard let (post, _) = try storedPost(id: id, in: db) else { throw DomainError.notFound }
            if publishing {
                try recordPublished(post, in: db)
            } else if old.status == .published {
                try refreshActivities(of: post, in: db)
                // Members the edit mentions for the first time (the service leaves out a held
                // or hidden post and members who may not see it).
                try notifyMentions(in: post, previously: old.body, in: db)
                try services.events.publish(
                    ContentEvent(
                        module: "blog", kind: "blog_post", id: id, authorID: post.authorID, action: .updated),
                    in: db)
            }
        }
        guard let post = try database.read({ try storedPost(id: id, in: $0)?.post }) else {
            throw DomainError.notFound
        }
        return post
    }

    /// Publishes a draft as it is.
    public func publish(postID: Int64, by actor: SignedInMember) throws -> BlogPost {
        guard let post = try database.read({ try storedPost(id: postID, in: $0)?.post }),
            post.authorID == actor.id
        else {
            throw DomainError.notFound
        }
        if post.status == .published { return post }
        var input = PostInput(post)
        input.publish = true
        return try updatePost(id: postID, input, by: actor)
    }

    /// Deletes a post with its comments. The author or an administrator; nil is the console.
    public func deletePost(id: Int64, by actor: SignedInMember?) throws {
        try database.write { db in
            guard let (post, _) = try storedPost(id: id, in: db) else { throw DomainError.notFound }
            if let actor, actor.id != post.authorID {
                // Others learn nothing about drafts and hidden posts they cannot see.
                guard actor.isAdmin, post.status == .published else {
                    if post.status == .published && !post.isHidden {
                        throw DomainError.forbidden(
                            "Only the author or an administrator can delete this post.")
                    }
                    throw DomainError.notFound
                }
            }
            try removePost(id: id, authorID: post.authorID, in: db)
        }
    }

    /// Deletes a post inside the caller's transaction (also used by moderation and erase).
    func removePost(id: Int64, authorID: Int64?, in db: Connection) throws {
        try services.activity.deleteEntries(
            .objects("blog_comment", ids: try commentIDs(ofPost: id, in: db)).inModule("blog"), in: db)
        try services.activity.deleteEntries(objectKind: "blog_post", objectID: id, in: db)
        try db.execute("DELETE FROM blog_posts WHERE id = ?", [id])
        let views = self.views
        try db.afterCommit { views.discard(postID: id) }
        try services.events.publish(
            ContentEvent(module: "blog", kind: "blog_post", id: id, authorID: authorID, action: .deleted),
            in: db)
    }

    private func replaceTags(of postID: Int64, with tags: [String], publishedAt: Date?, in db: Connection)
        throws
    {
        try db.execute("DELETE FROM blog_post_tags WHERE post_id = ?", [postID])
        for tag in tags {
            try db.execute(
                "INSERT INTO blog_post_tags (post_id, tag, published_at) VALUES (?, ?, ?)",
                [postID, tag, publishedAt])
        }
    }

    private func recordPublished(_ post: BlogPost, in db: Connection) throws {
        try services.activity.record(
            NewActivity(
                module: "blog", actorID: post.authorID, actorName: post.authorName,
                actorHandle: post.authorHandle,
                verb: post.video == nil ? "published" : "posted_video", objectKind: "blog_post",
                objectID: post.id,
                objectTitle: post.title, objectURL: post.path, excerpt: post.excerpt(length: 200),
                scope: post.activityScope), at: now, in: db)
        let decision = try services.contentCreated(
            ContentSubmission(module: "blog", kind: "blog_post", id: post.id, authorID: post.authorID), in: db
        )
        // A held post mentions nobody yet: moderation's release sends them (``postReleased``).
        if decision.isPublished { try notifyMentions(in: post, in: db) }
        try services.events.publish(
            BlogPostPublished(postID: post.id, authorID: post.authorID, title: post.title), in: db)
    }

    /// Keeps the stream's copies of a post's title, excerpt and scope in step with the post.
    private func refreshActivities(of post: BlogPost, in db: Connection) throws {
        let scope = post.activityScope
        try services.activity.update(
            .object("blog_post", id: post.id).inModule("blog"),
            ActivityUpdate(objectTitle: post.title, excerpt: post.excerpt(length: 200), scope: scope), in: db)
        try services.activity.update(
            .objects("blog_comment", ids: try commentIDs(ofPost: post.id, in: db)).inModule("blog"),
            ActivityUpdate(objectTitle: post.title, scope: scope), in: db)
    }

    /// Ids of every comment on a post (their stream entries follow the post).
    func commentIDs(ofPost postID: Int64, in db: Connection, hiddenOnTheirOwn: Bool = true) throws -> [Int64]
    {
        try db.query(
            "SELECT id FROM blog_comments WHERE post_id = ? AND (hidden = 0 OR ?)",
            [postID, hiddenOnTheirOwn]
        ) { try $0.value(column: 0) as Int64 }
    }
}
