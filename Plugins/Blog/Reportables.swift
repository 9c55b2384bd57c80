import Foundation
import Kernel
import Storage

/// What members can report on the blog: posts and comments. Moderation calls these hooks inside
/// its own transaction (hide, show, delete, and `released` when it approves a comment the content
/// gate held, so the mail the comment would have sent goes then).
///
/// ```swift
/// for kind in BlogReportables.kinds(blog) { context.reportable(kind) }   // in bootstrap
/// ```
enum BlogReportables {
    static func kinds(_ blog: BlogService) -> [ReportableKind] { [post(blog), comment(blog)] }

    static func post(_ blog: BlogService) -> ReportableKind {
        ReportableKind(
            module: "blog", kind: "blog_post", title: "blog post",
            lookup: { id, db in try blog.reportable(postID: id, in: db) },
            isVisible: { id, member, db in
                try blog.post(id: id, viewer: Viewer(member), countingComments: false, in: db) != nil
            },
            setHidden: { id, hidden, db in try blog.setPostHidden(hidden, postID: id, in: db) },
            delete: { id, db in
                let author = try db.scalar(
                    "SELECT author_id FROM blog_posts WHERE id = ?", [id], as: Int64.self)
                try blog.removePost(id: id, authorID: author, in: db)
            },
            released: { id, db in try blog.postReleased(id: id, in: db) })
    }

    static func comment(_ blog: BlogService) -> ReportableKind {
        ReportableKind(
            module: "blog", kind: "blog_comment", title: "blog comment",
            lookup: { id, db in try blog.reportable(commentID: id, in: db) },
            isVisible: { id, member, db in try blog.comment(id: id, viewer: Viewer(member), in: db) != nil },
            setHidden: { id, hidden, db in try blog.setCommentHidden(hidden, commentID: id, in: db) },
            delete: { id, db in
                let author = try db.scalar(
                    "SELECT author_id FROM blog_comments WHERE id = ?", [id], as: Int64.self)
                try blog.removeComment(id: id, authorID: author, in: db)
            },
            released: { id, db in try blog.commentReleased(id: id, in: db) })
    }
}

/// The service's side of the moderation hooks.
extension BlogService {
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
}
