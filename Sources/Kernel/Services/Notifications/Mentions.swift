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
        try publishMentions(
            of: Markdown.mentionedHandles(in: markdown), excerptOf: markdown, by: actor, subject: subject,
            item: item, text: text, link: link, group: group, in: db)
    }

    /// Notifies the members an edit mentions for the first time, inside the writer's transaction:
    /// those `markdown` mentions and `previous` (the text before the edit) did not, who hold no
    /// mention notification about `subject` yet (so taking a mention out and putting it back
    /// notifies nobody again), with the checks of every notification (published, visible to
    /// them). An edit that keeps the same mentions notifies nobody. Returns the handles notified.
    ///
    /// ```swift
    /// try services.notifications.publishNewMentions(
    ///     in: newBody, previously: old.body, by: NotificationActor(member), subject: comment,
    ///     text: "mentioned you in a comment on “\(post.title)”", link: path, in: db)
    /// ```
    @discardableResult
    public func publishNewMentions(
        in markdown: String, previously previous: String, by actor: NotificationActor,
        subject: ContentReference, item: ContentReference? = nil,
        text: String, link: String, group: NotificationGroup? = nil, in db: Connection
    ) throws -> [String] {
        var before: Set<Int64> = []
        for handle in Markdown.mentionedHandles(in: previous).prefix(Self.mentionLimit) {
            if let person = try services.identity?.person(handle: handle, in: db) { before.insert(person.id) }
        }
        var added: [String] = []
        for handle in Markdown.mentionedHandles(in: markdown).prefix(Self.mentionLimit) {
            guard let person = try services.identity?.person(handle: handle, in: db),
                !before.contains(person.id)
            else { continue }
            let mentioned = try db.scalar(
                "SELECT 1 FROM notifications WHERE recipient_id = ? AND group_key = ? LIMIT 1",
                [person.id, NotificationKind.mention.id + "|" + subject.key],
                as: Int.self)
            if mentioned == nil { added.append(handle) }
        }
        return try publishMentions(
            of: added, excerptOf: markdown, by: actor, subject: subject, item: item, text: text, link: link,
            group: group, in: db)
    }

    /// The most mentions one text notifies.
    static let mentionLimit = 20

    private func publishMentions(
        of handles: [String], excerptOf markdown: String, by actor: NotificationActor,
        subject: ContentReference,
        item: ContentReference?, text: String, link: String, group: NotificationGroup?, in db: Connection
    ) throws -> [String] {
        var notified: [String] = []
        for handle in handles.prefix(Self.mentionLimit) {
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
