import Foundation
import Storage

/// A piece of content, named the way moderation names it: the module, the reportable kind and
/// the id (`blog`, `blog_post`, 7). Notifications and likes refer to content this way.
public struct ContentReference: Sendable, Hashable, Codable {
    public var module: String
    public var kind: String
    public var id: Int64

    public init(module: String, kind: String, id: Int64) {
        self.module = module
        self.kind = kind
        self.id = id
    }

    /// "blog:blog_post:7", the form stored in grouping keys.
    public var key: String { "\(module):\(kind):\(id)" }
}

/// Where a member receives one kind of notification.
public enum NotificationChannel: String, Sendable, Codable, CaseIterable {
    /// Only in the site (the bell and the notifications page).
    case site
    /// In the site and by mail at once.
    case email
    /// In the site and in the daily or weekly digest.
    case digest
    /// Not at all.
    case off

    public var label: String {
        switch self {
        case .site: "In the site only"
        case .email: "By email at once"
        case .digest: "In my digest"
        case .off: "Off"
        }
    }
}

/// How much a member hears about one group's content.
public enum GroupNotificationLevel: String, Sendable, Codable, CaseIterable {
    case all
    /// Only notifications of a mention kind (``NotificationKind/isMention``).
    case mentions
    case mute

    public var label: String {
        switch self {
        case .all: "Everything"
        case .mentions: "Only mentions of me"
        case .mute: "Nothing (muted)"
        }
    }
}

/// How often a member's digest comes.
public enum DigestFrequency: String, Sendable, Codable, CaseIterable {
    case daily, weekly, never

    public var label: String {
        switch self {
        case .daily: "Daily"
        case .weekly: "Weekly (Monday morning)"
        case .never: "Never"
        }
    }
}

/// A kind of notification a module sends, with the channel members get it on until they choose.
///
/// ```swift
/// services.notifications.register(
///     NotificationKind(id: "blog.comment", title: "Comments on my posts", defaultChannel: .email))
/// ```
public struct NotificationKind: Sendable, Equatable {
    /// "<module>.<thing>", e.g. "blog.comment"; stored, so never renamed.
    public var id: String
    /// What the preferences page calls it: "Comments on my posts".
    public var title: String
    public var defaultChannel: NotificationChannel
    /// A mention of the member: still delivered from groups they follow for "mentions only".
    public var isMention: Bool

    public init(id: String, title: String, defaultChannel: NotificationChannel, isMention: Bool = false) {
        self.id = id
        self.title = title
        self.defaultChannel = defaultChannel
        self.isMention = isMention
    }

    /// The kernel's own kind, published by modules through ``Notifications/publishMentions(in:by:subject:item:text:link:group:in:)``.
    public static let mention = NotificationKind(
        id: "mention", title: "Mentions of me", defaultChannel: .email, isMention: true)
    /// Likes of the member's writing (``Likes``).
    public static let like = NotificationKind(
        id: "like", title: "Likes of what I wrote", defaultChannel: .site)
}

/// Who caused a notification.
public struct NotificationActor: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var handle: String

    public init(id: Int64, name: String, handle: String) {
        self.id = id
        self.name = name
        self.handle = handle
    }

    public init(_ member: SignedInMember) {
        self.init(id: member.id, name: member.name, handle: member.handle)
    }
}

/// The group content lives in, for members' per-group preferences.
public struct NotificationGroup: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

/// One notification as a module publishes it. `text` follows the actors' names:
/// "commented on your post ‘Phonics in Year 1’" reads "Amira Khan and 3 others commented on
/// your post ‘Phonics in Year 1’" once grouped. Notifications of the same kind about the same
/// subject group into one while unread.
public struct NewNotification: Sendable {
    public var recipientID: Int64
    public var kind: String
    public var actor: NotificationActor
    /// The content it is about: the recipient must be allowed to see it, and it must be
    /// published (not held, not hidden). nil for notifications about no content (a friend request).
    public var subject: ContentReference?
    public var text: String
    /// A path on this network ("/blog/posts/7#comment-9").
    public var link: String
    /// A short excerpt of what was written, for the page and the mail.
    public var excerpt: String
    public var group: NotificationGroup?
    /// The new item that caused it when that is not the subject (a comment on the subject post):
    /// checked like the subject. `publish(_:item:in:)` may pass it instead.
    public var item: ContentReference?
    /// The module's own visibility rule for subjects that are not reportable kinds (checked in
    /// addition to the kind's `isVisible` when there is one).
    public var isVisible: (@Sendable (_ recipient: SignedInMember, _ db: Connection) throws -> Bool)?

    public init(
        recipientID: Int64, kind: String, actor: NotificationActor, subject: ContentReference?, text: String,
        link: String, excerpt: String = "", group: NotificationGroup? = nil, item: ContentReference? = nil,
        isVisible: (@Sendable (SignedInMember, Connection) throws -> Bool)? = nil
    ) {
        self.item = item
        self.recipientID = recipientID
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.text = text
        self.link = link
        self.excerpt = excerpt
        self.group = group
        self.isVisible = isVisible
    }
}

/// What ``Notifications/publish(_:in:)`` did.
public enum PublishOutcome: Sendable, Equatable {
    /// Stored (or grouped into the unread notification with this id); `mailed` when a mail went
    /// to the outbox as well.
    case delivered(id: Int64, mailed: Bool)
    case skipped(SkipReason)

    public enum SkipReason: String, Sendable, Equatable {
        case ownAction, recipientInactive, contentNotPublished, notVisible, kindOff, groupMuted
    }

    public var isDelivered: Bool { if case .delivered = self { true } else { false } }
}

/// A grouped notification as the recipient sees it.
public struct MemberNotification: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var subject: ContentReference?
    /// The latest actor first, then the others (at most a few names).
    public var actors: [NotificationActor]
    public var actorCount: Int
    public var text: String
    public var link: String
    public var excerpt: String
    public var group: NotificationGroup?
    public var createdAt: Date
    public var updatedAt: Date
    public var readAt: Date?

    public var isRead: Bool { readAt != nil }

    /// "Amira Khan and 3 others commented on your post ‘…’".
    public var sentence: String {
        "\(Self.actorPhrase(actors.map(\.name), total: actorCount)) \(text)"
    }

    /// "Amira", "Amira and Ben", "Amira and 3 others".
    public static func actorPhrase(_ names: [String], total: Int) -> String {
        guard let first = names.first else { return "Someone" }
        switch total {
        case ...1: return first
        case 2 where names.count >= 2: return "\(first) and \(names[1])"
        case 2: return "\(first) and 1 other"
        default: return "\(first) and \(total - 1) others"
        }
    }
}
