import Foundation
import Kernel
import Markdown
import Membership
import Storage

/// The blog's domain operations, shared by the pages, the JSON API, the console and the
/// moderation and personal-data hooks. Every change is one `database.write` that also records
/// its activity entry, its outbox mail and its events, so they commit together.
///
/// ```swift
/// let blog = services.service(BlogService.self)!
/// let post = try blog.createPost(.init(title: "Phonics", body: "…", tags: "literacy", publish: true), by: me)
/// let page = try blog.posts(.init(order: .newest), viewer: .anonymous, limit: 10)
/// ```
public final class BlogService: Sendable {
    public let services: Services
    public let views: ViewCounter
    public let postsPerPage: Int
    public let videoProviders: [VideoEmbed.Provider]

    public static let maximumTitleLength = 200
    public static let maximumBodyLength = 100_000
    public static let maximumCommentLength = 10_000
    public static let maximumTags = 10
    public static let maximumTagLength = 40

    public init(services: Services) {
        self.services = services
        views = ViewCounter(database: services.database, clock: services.clock)
        let settings = services.settings(of: BlogModule.manifest)
        postsPerPage = settings.int("posts_per_page")
        videoProviders = settings.strings("video_providers").compactMap(VideoEmbed.Provider.init(rawValue:))
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }

    // MARK: Input

    /// What an author submits for a post: from the form, the API or a test.
    public struct PostInput: Sendable, Equatable {
        public var title: String
        public var body: String
        /// Comma-separated, as typed.
        public var tags: String
        /// The address of a YouTube or Vimeo page; empty for none.
        public var videoURL: String
        /// "public" or "members".
        public var visibility: String
        /// Publish now (true) or keep as a draft.
        public var publish: Bool

        public init(
            title: String, body: String, tags: String = "", videoURL: String = "",
            visibility: String = "public",
            publish: Bool = true
        ) {
            self.title = title
            self.body = body
            self.tags = tags
            self.videoURL = videoURL
            self.visibility = visibility
            self.publish = publish
        }

        /// The input that reproduces a stored post (for edit forms and partial API updates).
        public init(_ post: BlogPost) {
            self.init(
                title: post.title, body: post.body, tags: post.tags.joined(separator: ", "),
                videoURL: post.video?.watchURL ?? "", visibility: post.visibility.rawValue,
                publish: post.status == .published)
        }
    }

    struct ValidPost {
        var title: String
        var body: String
        var tags: [String]
        var video: VideoEmbed?
        var visibility: BlogPost.Visibility
    }

    func validate(_ input: PostInput) throws -> ValidPost {
        var check = Validation()
        let title = check.requiredSingleLine(
            input.title, field: "title", label: "Title", maxLength: Self.maximumTitleLength)
        let body = check.required(
            input.body, field: "body", label: "The post", maxLength: Self.maximumBodyLength)
        let tags: [String]
        switch Self.parseTags(input.tags) {
        case .success(let parsed): tags = parsed
        case .failure(let message):
            check.add("tags", message)
            tags = []
        }
        var video: VideoEmbed?
        if !input.videoURL.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { video = try VideoEmbed.parse(input.videoURL, allowed: videoProviders) } catch {
                check.add("video_url", error.description)
            }
        }
        let visibility = BlogPost.Visibility(rawValue: input.visibility.isEmpty ? "public" : input.visibility)
        if visibility == nil {
            check.add("visibility", "Choose who can read the post: everyone or members only.")
        }
        try check.finish()
        return ValidPost(
            title: title, body: body, tags: tags, video: video, visibility: visibility ?? .public)
    }

    enum TagParse: Equatable {
        case success([String])
        case failure(String)
    }

    /// "Maths, Early Years" → ["maths", "early-years"]. Letters (any script), digits, hyphens
    /// and underscores; spaces inside a tag become hyphens.
    static func parseTags(_ text: String) -> TagParse {
        var tags: [String] = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == "\n" }) {
            let words = raw.lowercased().split(whereSeparator: { $0.isWhitespace })
            let tag = words.joined(separator: "-")
            if tag.isEmpty { continue }
            if tag.count > maximumTagLength {
                return .failure(
                    "A tag is at most \(maximumTagLength) characters (\"\(tag.prefix(20))…\" is longer).")
            }
            if !tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                return .failure("Tags use letters, digits and hyphens only: \"\(tag)\" has other characters.")
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        if tags.count > maximumTags {
            return .failure("Use at most \(maximumTags) tags (there are \(tags.count)).")
        }
        return .success(tags)
    }

    // MARK: Visibility

    /// The SQL condition under which `viewer` may see a published post `p` by member `m`:
    /// hidden posts and posts of suspended members only for their author and moderators,
    /// members-only posts only for signed-in members.
    static func visible(_ viewer: Viewer) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let me = viewer.memberID ?? 0
        return (
            """
            (p.hidden = 0 OR p.author_id = ? OR ?) AND (p.visibility = 'public' OR ?)
            AND (m.status <> 'suspended' OR p.author_id = ? OR ?)
            """, [me, viewer.isModerator, viewer.memberID != nil, me, viewer.isModerator]
        )
    }

    static func mayRead(_ post: BlogPost, authorStatus: String, viewer: Viewer) -> Bool {
        let isAuthor = viewer.memberID == post.authorID
        if post.status == .draft { return isAuthor }
        if isAuthor || viewer.isModerator { return true }
        if post.isHidden || authorStatus == "suspended" { return false }
        return post.visibility == .public || viewer.memberID != nil
    }

    // MARK: Reading posts

    /// A post as stored, whoever asks (for the hooks and the console).
    func storedPost(id: Int64, countingComments: Bool = true, in db: Connection) throws -> (
        post: BlogPost, authorStatus: String
    )? {
        guard
            var found = try db.queryOne(
                """
                SELECT \(countingComments ? BlogPost.columns : BlogPost.columnsWithoutCommentCount),
                    m.status AS author_status FROM blog_posts p
                JOIN membership_people m ON m.id = p.author_id WHERE p.id = ?
                """, [id], { row in (try BlogPost.decode(row), try row.value("author_status") as String) })
        else { return nil }
        found.0.tags = try tags(of: id, in: db)
        return found
    }

    func tags(of postID: Int64, in db: Connection) throws -> [String] {
        try db.query("SELECT tag FROM blog_post_tags WHERE post_id = ? ORDER BY rowid", [postID]) {
            try $0.value("tag") as String
        }
    }

    /// The post if `viewer` may read it; nil otherwise (callers answer 404 either way).
    public func post(id: Int64, viewer: Viewer) throws -> BlogPost? {
        try database.read { db in try post(id: id, viewer: viewer, in: db) }
    }

    func post(id: Int64, viewer: Viewer, countingComments: Bool = true, in db: Connection) throws -> BlogPost?
    {
        guard let (post, status) = try storedPost(id: id, countingComments: countingComments, in: db),
            Self.mayRead(post, authorStatus: status, viewer: viewer)
        else { return nil }
        return post
    }

    /// The number a page shows: stored views plus those counted since the last flush.
    public func liveViews(of post: BlogPost) -> Int64 {
        post.storedViews + views.pending(for: post.id, after: post.viewGeneration)
    }

    /// Counts a page view (see ``ViewCounter``). Never throws: a failed count must not fail the page.
    @discardableResult
    public func recordView(of post: BlogPost, viewer: ViewCounter.ViewerKey, userAgent: String) -> Bool {
        guard post.status == .published else { return false }
        do {
            return try views.record(
                postID: post.id, authorID: post.authorID, viewer: viewer, userAgent: userAgent)
        } catch {
            services.log.error("blog view not counted", ["post": String(post.id), "error": "\(error)"])
            return false
        }
    }

    /// The orders of the network blog.
    public enum ListOrder: String, Sendable, CaseIterable {
        case newest, views, featured

        public var title: String {
            switch self {
            case .newest: return "Newest"
            case .views: return "Most viewed"
            case .featured: return "Featured"
            }
        }
    }

    /// Which posts a list shows.
    public struct PostQuery: Sendable, Equatable {
        public var order: ListOrder
        public var authorID: Int64?
        public var tag: String?
        public init(order: ListOrder = .newest, authorID: Int64? = nil, tag: String? = nil) {
            self.order = order
            self.authorID = authorID
            self.tag = tag
        }
    }

    /// One page of a list; pass `nextCursor` as `before` for the next.
    public struct PostPage: Sendable, Equatable {
        public var posts: [BlogPost]
        public var nextCursor: Int64?
    }

    /// Published posts `viewer` may see, in the query's order, with keyset pagination: `before`
    /// is the id of the last post of the previous page. Author and tag lists are newest first.
    public func posts(_ query: PostQuery, viewer: Viewer, limit: Int, before: Int64? = nil) throws -> PostPage
    {
        let limit = PageSize.clamp(limit, to: 100)
        return try database.read { db in
            guard let (sql, arguments) = try listSQL(query, viewer: viewer, before: before, in: db) else {
                return PostPage(posts: [], nextCursor: nil)
            }
            var posts = try db.query(sql, arguments + [limit + 1], BlogPost.decode)
            var next: Int64?
            if posts.count > limit {
                posts.removeLast()
                next = posts.last?.id
            }
            for index in posts.indices { posts[index].tags = try tags(of: posts[index].id, in: db) }
            return PostPage(posts: posts, nextCursor: next)
        }
    }

    /// The query for a list, or nil when the cursor names no post.
    func listSQL(_ query: PostQuery, viewer: Viewer, before: Int64?, in db: Connection) throws -> (
        String, [any DatabaseValueConvertible]
    )? {
        let (visibleSQL, visibleArguments) = Self.visible(viewer)
        var conditions = ["p.status = 'published'", visibleSQL]
        var arguments: [any DatabaseValueConvertible] = visibleArguments
        var from = "blog_posts p JOIN membership_people m ON m.id = p.author_id"
        let order: String
        var cursorColumns: String
        var cursorKey: String
        if let tag = query.tag {
            from =
                "blog_post_tags t JOIN blog_posts p ON p.id = t.post_id JOIN membership_people m ON m.id = p.author_id"
            conditions.insert("t.tag = ?", at: 0)
            arguments.insert(tag, at: 0)
            order = "t.published_at DESC, t.post_id DESC"
            cursorColumns = "(t.published_at, t.post_id)"
            cursorKey = "published_at"
        } else if let authorID = query.authorID {
            conditions.insert("p.author_id = ?", at: 0)
            arguments.insert(authorID, at: 0)
            order = "p.published_at DESC, p.id DESC"
            cursorColumns = "(p.published_at, p.id)"
            cursorKey = "published_at"
        } else {
            switch query.order {
            case .newest:
                order = "p.published_at DESC, p.id DESC"
                cursorColumns = "(p.published_at, p.id)"
                cursorKey = "published_at"
            case .views:
                order = "p.view_count DESC, p.id DESC"
                cursorColumns = "(p.view_count, p.id)"
                cursorKey = "view_count"
            case .featured:
                conditions.append("p.featured_at IS NOT NULL")
                order = "p.featured_at DESC, p.id DESC"
                cursorColumns = "(p.featured_at, p.id)"
                cursorKey = "featured_at"
            }
        }
        if let before {
            guard
                let key = try db.queryOne(
                    "SELECT \(cursorKey) AS k FROM blog_posts WHERE id = ?", [before],
                    { row in
                        row["k"]
                    }), key != .null
            else { return nil }
            conditions.append("\(cursorColumns) < (?, ?)")
            arguments.append(key)
            arguments.append(before)
        }
        let sql = """
            SELECT \(BlogPost.columns) FROM \(from)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order) LIMIT ?
            """
        return (sql, arguments)
    }

    /// The author's drafts, newest first.
    public func drafts(of authorID: Int64, limit: Int = 50) throws -> [BlogPost] {
        try database.read { db in
            var posts = try db.query(
                """
                SELECT \(BlogPost.columns) FROM blog_posts p JOIN membership_people m ON m.id = p.author_id
                WHERE p.author_id = ? AND p.status = 'draft' ORDER BY p.id DESC LIMIT ?
                """, [authorID, PageSize.clamp(limit, to: 200)], BlogPost.decode)
            for index in posts.indices { posts[index].tags = try tags(of: posts[index].id, in: db) }
            return posts
        }
    }

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
                    author.id, valid.title, valid.body, Excerpt.make(valid.body, length: BlogPost.excerptLength),
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
    /// A published post that changes gets an "edited" mark. Only the author edits.
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
                    valid.title, valid.body, Excerpt.make(valid.body, length: BlogPost.excerptLength), valid.visibility.rawValue,
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

    /// Features or unfeatures a published post (administrators; nil is the console). Featuring
    /// records "<author>'s blog post was featured" with the title and an excerpt.
    @discardableResult
    public func setFeatured(_ featured: Bool, postID: Int64, by actor: SignedInMember?) throws -> BlogPost {
        if let actor, !actor.isAdmin { throw DomainError.forbidden("Only administrators can feature posts.") }
        let now = self.now
        try database.write { db in
            guard let (post, _) = try storedPost(id: postID, in: db), post.status == .published else {
                throw DomainError.notFound
            }
            if featured {
                if post.isHidden {
                    throw DomainError.conflict("This post is hidden by moderation and cannot be featured.")
                }
                if post.isFeatured { return }
                try db.execute(
                    "UPDATE blog_posts SET featured_at = ?, featured_by = ? WHERE id = ?",
                    [now, actor?.id, postID])
                try services.activity.record(
                    NewActivity(
                        module: "blog", actorID: post.authorID, actorName: post.authorName,
                        actorHandle: post.authorHandle, verb: "featured", objectKind: "blog_post",
                        objectID: post.id,
                        objectTitle: post.title, objectURL: post.path, excerpt: post.excerpt(length: 200),
                        scope: post.activityScope), at: now, in: db)
            } else {
                if !post.isFeatured { return }
                try db.execute(
                    "UPDATE blog_posts SET featured_at = NULL, featured_by = NULL WHERE id = ?", [postID])
                try services.activity.deleteEntries(
                    .object("blog_post", id: postID).inModule("blog").verbs("featured"), in: db)
            }
            try services.events.publish(
                ContentEvent(
                    module: "blog", kind: "blog_post", id: postID, authorID: post.authorID, action: .updated),
                in: db)
        }
        guard let post = try database.read({ try storedPost(id: postID, in: $0)?.post }) else {
            throw DomainError.notFound
        }
        return post
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
        try services.contentCreated(
            ContentSubmission(module: "blog", kind: "blog_post", id: post.id, authorID: post.authorID), in: db
        )
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

    // MARK: Moderation

    /// Hides or shows a post, its stream entries and those of its comments, in the caller's
    /// transaction (moderation runs it inside its own).
    func setPostHidden(_ hidden: Bool, postID: Int64, in db: Connection) throws {
        try db.execute("UPDATE blog_posts SET hidden = ? WHERE id = ?", [hidden, postID])
        try services.activity.setHidden(hidden, objectKind: "blog_post", objectID: postID, in: db)
        // Comment entries name the post: they are hidden with it, except comments hidden on their own.
        try services.activity.setHidden(
            hidden,
            .objects("blog_comment", ids: try commentIDs(ofPost: postID, in: db, hiddenOnTheirOwn: hidden))
                .inModule("blog"), in: db)
    }

    func setCommentHidden(_ hidden: Bool, commentID: Int64, in db: Connection) throws {
        try db.execute("UPDATE blog_comments SET hidden = ? WHERE id = ?", [hidden, commentID])
        let postHidden =
            try db.scalar(
                "SELECT p.hidden FROM blog_posts p JOIN blog_comments c ON c.post_id = p.id WHERE c.id = ?",
                [commentID], as: Bool.self) ?? false
        try services.activity.setHidden(
            hidden || postHidden, objectKind: "blog_comment", objectID: commentID, in: db)
    }

    func reportable(postID: Int64, in db: Connection) throws -> ReportableItem? {
        guard let (post, _) = try storedPost(id: postID, in: db) else { return nil }
        return ReportableItem(
            title: "Blog post “\(post.title)” by \(post.authorName)", authorID: post.authorID, url: post.path,
            excerpt: post.excerpt(length: 200), isHidden: post.isHidden, text: post.body)
    }

    func reportable(commentID: Int64, in db: Connection) throws -> ReportableItem? {
        guard let comment = try storedComment(id: commentID, in: db) else { return nil }
        let title =
            try db.scalar("SELECT title FROM blog_posts WHERE id = ?", [comment.postID], as: String.self)
            ?? ""
        return ReportableItem(
            title: "Comment by \(comment.authorName) on “\(title)”", authorID: comment.authorID,
            url: "/blog/posts/\(comment.postID)#\(comment.anchor)",
            excerpt: Excerpt.make(comment.body, length: 200),
            isHidden: comment.isHidden, text: comment.body)
    }

    // MARK: Personal data

    /// The member's posts and comments, as they wrote them.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let posts = try db.query(
            """
            SELECT \(BlogPost.columns) FROM blog_posts p JOIN membership_people m ON m.id = p.author_id
            WHERE p.author_id = ? ORDER BY p.id
            """, [memberID], BlogPost.decode)
        var postValues: [JSONValue] = []
        for var post in posts {
            post.tags = try tags(of: post.id, in: db)
            postValues.append(
                .object([
                    ("id", .int(post.id)), ("title", .string(post.title)), ("body", .string(post.body)),
                    ("tags", .array(post.tags.map(JSONValue.string))),
                    ("status", .string(post.status.rawValue)),
                    ("visibility", .string(post.visibility.rawValue)),
                    ("video", post.video.map { .string($0.watchURL) } ?? .null),
                    ("views", .int(post.storedViews)),
                    ("created_at", JSONValue(post.createdAt)), ("published_at", JSONValue(post.publishedAt)),
                    ("edited_at", JSONValue(post.editedAt)),
                ]))
        }
        let comments = try db.query(
            """
            SELECT \(BlogComment.columns) FROM blog_comments c JOIN membership_people m ON m.id = c.author_id
            WHERE c.author_id = ? ORDER BY c.id
            """, [memberID], BlogComment.decode)
        return .object([
            ("posts", .array(postValues)),
            (
                "comments",
                .array(
                    comments.map { comment in
                        .object([
                            ("id", .int(comment.id)), ("post_id", .int(comment.postID)),
                            ("parent_id", JSONValue(comment.parentID)), ("body", .string(comment.body)),
                            ("created_at", JSONValue(comment.createdAt)),
                            ("edited_at", JSONValue(comment.editedAt)),
                        ])
                    })
            ),
        ])
    }

    /// "Delete my account": the member's own posts go (with the comments on them); their
    /// comments on others' posts stay, shown as by "former member" once membership anonymises
    /// the account.
    func erase(memberID: Int64, in db: Connection) throws {
        let ids = try db.query("SELECT id FROM blog_posts WHERE author_id = ?", [memberID]) {
            try $0.value("id") as Int64
        }
        for id in ids { try removePost(id: id, authorID: memberID, in: db) }
        try db.execute(
            "DELETE FROM blog_post_viewers WHERE viewer_key = ?", [ViewCounter.ViewerKey.member(memberID).key]
        )
    }
}

/// A post was published (delivered after commit).
///
/// ```swift
/// context.on(BlogPostPublished.self) { event in print(event.postID, event.title) }
/// ```
public struct BlogPostPublished: DomainEvent {
    public static let name = "blog.post_published"
    public var postID: Int64
    public var authorID: Int64
    public var title: String
}

/// A comment was added (delivered after commit).
///
/// ```swift
/// context.on(BlogCommentAdded.self) { event in print(event.commentID, event.postID) }
/// ```
public struct BlogCommentAdded: DomainEvent {
    public static let name = "blog.comment_added"
    public var commentID: Int64
    public var postID: Int64
    public var authorID: Int64
}
