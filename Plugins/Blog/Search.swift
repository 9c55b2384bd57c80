import Foundation
import Kernel
import Storage

/// What of the blog members can search: published posts (drafts for their author) and comments.
/// The kernel indexes them from the blog's ``ContentEvent``s inside each write; these say how.
///
/// ```swift
/// BlogSearch.register(in: context, blog: blog)   // in bootstrap
/// ```
enum BlogSearch {
    static func register(in context: ModuleContext, blog: BlogService) {
        context.searchable(
            SearchableKind(
                module: "blog", kind: "blog_post", label: "Blog posts", aliases: ["blog", "post", "posts"],
                document: { id, db in try blog.searchDocument(postID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM blog_posts WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) {
                        try $0.value("id") as Int64
                    }
                }))
        context.searchable(
            SearchableKind(
                module: "blog", kind: "blog_comment", label: "Comments", aliases: ["comment", "comments"],
                document: { id, db in try blog.searchDocument(commentID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM blog_comments WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) {
                        try $0.value("id") as Int64
                    }
                }))
    }
}

extension BlogService {
    func searchDocument(postID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let (post, authorStatus) = try storedPost(id: postID, countingComments: false, in: db) else {
            return nil
        }
        let state: SearchState =
            post.status == .draft
            ? .draft : (post.isHidden || authorStatus == "suspended") ? .hidden : .published
        return SearchDocument(
            title: post.title, keywords: post.tags.joined(separator: " "), body: post.body, url: post.path,
            authorID: post.authorID, audience: post.visibility == .public ? .everyone : .members,
            state: state,
            date: post.publishedAt ?? post.createdAt)
    }

    func searchDocument(commentID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let comment = try storedComment(id: commentID, in: db),
            let (post, postAuthorStatus) = try storedPost(
                id: comment.postID, countingComments: false, in: db),
            post.status == .published
        else { return nil }
        let authorStatus = try db.scalar(
            "SELECT status FROM membership_people WHERE id = ?", [comment.authorID], as: String.self)
        let hidden =
            comment.isHidden || post.isHidden || authorStatus == "suspended"
            || postAuthorStatus == "suspended"
        var document = SearchDocument(
            title: "Comment on “\(post.title)”", body: comment.body, url: "\(post.path)#\(comment.anchor)",
            authorID: comment.authorID, audience: post.visibility == .public ? .everyone : .members,
            state: hidden ? .hidden : .published, date: comment.createdAt,
            container: SearchItem(kind: "blog_post", id: post.id))
        document.titleIsSearchable = false
        return document
    }
}
