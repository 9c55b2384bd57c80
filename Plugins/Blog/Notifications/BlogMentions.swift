import Foundation
import Kernel
import Storage

/// Mentions in blog posts: a published post notifies each member it mentions who may see it
/// (a members-only or friends-only post reaches only those allowed); a held post notifies
/// nobody until a moderator releases it.
extension BlogService {
    /// Notifies the members `post` mentions, inside the caller's transaction.
    func notifyMentions(in post: BlogPost, in db: Connection) throws {
        try services.notifications.publishMentions(
            in: post.body,
            by: NotificationActor(id: post.authorID, name: post.authorName, handle: post.authorHandle),
            subject: ContentReference(module: "blog", kind: "blog_post", id: post.id),
            text: "mentioned you in the post “\(post.title)”", link: post.path, in: db)
    }

    /// A post the content gate held was approved: its mentions go now.
    func postReleased(id: Int64, in db: Connection) throws {
        guard let (post, _) = try storedPost(id: id, in: db), post.status == .published, !post.isHidden else {
            return
        }
        try notifyMentions(in: post, in: db)
    }
}
