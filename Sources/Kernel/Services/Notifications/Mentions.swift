import Foundation
import Markdown
import Storage

/// Mentions: `@handle` in member writing notifies that member, through the same checks as every
/// notification (they must be allowed to see the content, and it must be published).
extension Notifications {
    /// Notifies every member `markdown` mentions (not the writer), inside the writer's
    /// transaction, only when the content was published. Returns the handles notified.
    ///
    /// ```swift
    /// if decision.isPublished {
    ///     try services.notifications.publishMentions(
    ///         in: text, by: NotificationActor(member), subject: comment, item: comment,
    ///         text: "mentioned you in a comment on “\(post.title)”", link: path, in: db)
    /// }
    /// ```
    @discardableResult
    public func publishMentions(
        in markdown: String, by actor: NotificationActor, subject: ContentReference,
        item: ContentReference? = nil,
        text: String, link: String, group: NotificationGroup? = nil, in db: Connection
    ) throws -> [String] {
        var notified: [String] = []
        for handle in Markdown.mentionedHandles(in: markdown).prefix(20) {
            guard let person = try services.identity?.person(handle: handle, in: db) else { continue }
            let outcome = try publish(
                NewNotification(
                    recipientID: person.id, kind: NotificationKind.mention.id, actor: actor, subject: subject,
                    text: text, link: link, excerpt: Excerpt.make(markdown, length: 300), group: group),
                item: item, in: db)
            if outcome.isDelivered { notified.append(handle) }
        }
        return notified
    }
}
