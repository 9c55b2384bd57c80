import Foundation
import Kernel
import Storage

/// Mentions in a discussion's opening post: each member mentioned hears of it if they may see
/// the discussion (a private group's discussion reaches only its members), once it is
/// published; a held opener notifies nobody until a moderator releases it.
extension GroupsService {
    /// Notifies the members `discussion`'s opening post mentions, inside the caller's transaction.
    func notifyMentions(in discussion: Discussion, of group: Group, in db: Connection) throws {
        guard let authorID = discussion.authorID else { return }
        try services.notifications.publishMentions(
            in: discussion.body,
            by: NotificationActor(id: authorID, name: discussion.authorName, handle: discussion.authorHandle),
            subject: ContentReference(module: "groups", kind: "group_discussion", id: discussion.id),
            text: "mentioned you in “\(discussion.title)” in \(group.name)",
            link: discussion.path(in: group), group: NotificationGroup(id: group.id, name: group.name), in: db
        )
    }

    /// A discussion the content gate held was approved: its mentions go now.
    func discussionReleased(id: Int64, in db: Connection) throws {
        guard let discussion = try discussion(id: id, in: db), !discussion.isHidden,
            let group = try group(id: discussion.groupID, in: db)
        else { return }
        try notifyMentions(in: discussion, of: group, in: db)
    }
}
