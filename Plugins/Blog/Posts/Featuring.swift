import Foundation
import Kernel
import Storage

/// Featured posts: administrators pick posts for the top of the blog and the network home.
extension BlogService {
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
}
