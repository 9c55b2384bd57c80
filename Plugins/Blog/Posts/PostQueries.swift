import Foundation
import Kernel
import Storage

/// Reading posts: who may see what, one post, the lists (keyset-paginated) and drafts.
extension BlogService {
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
}
