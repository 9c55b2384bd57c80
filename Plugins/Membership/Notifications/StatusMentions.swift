import Foundation
import Kernel
import Storage

/// Mentions in statuses: each member a published status mentions hears of it if they may see
/// its author's profile (where the status is shown); a held status notifies nobody until a
/// moderator releases it.
extension MembershipService {
    /// Notifies the members status `id` mentions, inside the caller's transaction.
    func notifyMentions(inStatus id: Int64, body: String, by author: Member, in db: Connection) throws {
        try services.notifications.publishMentions(
            in: body, by: NotificationActor(id: author.id, name: author.name, handle: author.handle),
            subject: ContentReference(module: "membership", kind: "status", id: id),
            text: "mentioned you in a status", link: "\(author.profilePath)#status-\(id)", in: db)
    }

    /// A status the content gate held was approved: its mentions go now.
    func statusReleased(id: Int64, in db: Connection) throws {
        guard
            let status = try db.queryOne(
                "SELECT * FROM membership_statuses WHERE id = ?", [id], Self.decodeStatus),
            !status.hidden, let author = try member(id: status.memberID, in: db)
        else { return }
        try notifyMentions(inStatus: id, body: status.body, by: author, in: db)
    }
}
