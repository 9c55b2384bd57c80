import Foundation
import Kernel
import Storage

/// The blog's part of "Download my data" and "Delete my account": the kernel runs every enabled
/// module's hooks, erase in one transaction with the other modules'.
///
/// ```swift
/// context.personalData(export: blog.export(memberID:in:), erase: blog.erase(memberID:in:))
/// ```
extension BlogService {
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
