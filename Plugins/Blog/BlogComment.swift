import Foundation
import Storage

/// A comment on a post; replies carry their top-level comment as `parentID` (one level).
///
/// ```swift
/// let comment = try blog.addComment(to: post.id, body: "Thank you!", parentID: nil, by: member)
/// ```
public struct BlogComment: Sendable, Equatable {
    public var id: Int64
    public var postID: Int64
    public var parentID: Int64?
    public var authorID: Int64
    public var authorName: String
    public var authorHandle: String
    public var body: String
    public var isHidden: Bool
    public var createdAt: Date
    public var editedAt: Date?

    public var anchor: String { "comment-\(id)" }

    static let columns = """
        c.id, c.post_id, c.parent_id, c.author_id, c.body, c.hidden, c.created_at, c.edited_at,
        m.name AS author_name, m.handle AS author_handle
        """

    static func decode(_ row: Row) throws -> BlogComment {
        BlogComment(
            id: try row.value("id"), postID: try row.value("post_id"),
            parentID: try row.optional("parent_id"),
            authorID: try row.value("author_id"), authorName: try row.value("author_name"),
            authorHandle: try row.value("author_handle"), body: try row.value("body"),
            isHidden: try row.value("hidden"),
            createdAt: try row.value("created_at"), editedAt: try row.optional("edited_at"))
    }
}

/// A top-level comment with its replies, as a post page shows it.
///
/// ```swift
/// let (threads, next) = try blog.comments(on: post.id, viewer: ctx.viewer)
/// for thread in threads { print(thread.comment.body, thread.replies.count) }
/// ```
public struct CommentThread: Sendable, Equatable {
    public var comment: BlogComment
    public var replies: [BlogComment]
}
