import Foundation
import Kernel
import Storage

/// Mentions in blog posts: a published post notifies each member it mentions who may see it
/// (a members-only or friends-only post reaches only those allowed); a held post notifies
/// nobody until a moderator releases it.
extension BlogService {
    /// Notifies the members `post` mentions, inside the caller's transaction; after an edit
    /// (`previous` the body before it), only those it mentions for the first time.
    func notifyMentions(in post: BlogPost, previously previous: String? = nil, in db: Connection) throws {
        let actor = NotificationActor(id: post.authorID, name: post.authorName, handle: post.authorHandle)
        let subject = ContentReference(module: "blog", kind: "blog_post", id: post.id)
        let text = "mentioned you in the post “\(post.title)”"
        if let previous {
            try services.notifications.publishNewMentions(
                in: post.body, previously: previous, by: actor, subject: subject, text: text, link: post.path,
                in: db)
        } else {
            try services.notifications.publishMentions(
                in: post.body, by: actor, subject: subject, text: text, link: post.path, in: db)
        }
    }

    /// Notifies the members a comment mentions, inside the caller's transaction; after an edit
    /// (`previous` the text before it), only those it mentions for the first time.
    func notifyMentions(
        inComment text: String, previously previous: String? = nil, id: Int64, on post: BlogPost,
        by actor: NotificationActor, in db: Connection
    ) throws {
        let comment = ContentReference(module: "blog", kind: "blog_comment", id: id)
        let sentence = "mentioned you in a comment on “\(post.title)”"
        let link = "\(post.path)#comment-\(id)"
        if let previous {
            try services.notifications.publishNewMentions(
                in: text, previously: previous, by: actor, subject: comment, text: sentence, link: link,
                in: db)
        } else {
            try services.notifications.publishMentions(
                in: text, by: actor, subject: comment, text: sentence, link: link, in: db)
        }
    }

    /// A post the content gate held was approved: its mentions go now.
    func postReleased(id: Int64, in db: Connection) throws {
        guard let (post, _) = try storedPost(id: id, in: db), post.status == .published, !post.isHidden else {
            return
        }
        try notifyMentions(in: post, in: db)
    }
}
