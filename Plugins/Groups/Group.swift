import Foundation
import Kernel
import Storage

/// Who can see a group and how people get in.
///
/// ```swift
/// let visibility = GroupVisibility(rawValue: "private") ?? .public
/// visibility.isListed   // true: private groups appear in the directory
/// ```
public enum GroupVisibility: String, Sendable, Codable, CaseIterable {
    /// Anyone sees everything; members join freely.
    case `public`
    /// Listed; the about section is public, content is for members; join by request or invitation.
    case `private`
    /// Unlisted; invisible to non-members; invitation only.
    case hidden

    /// Listed in the directory for people who are not members.
    public var isListed: Bool { self != .hidden }

    public var label: String {
        switch self {
        case .public: return "Public"
        case .private: return "Private"
        case .hidden: return "Hidden"
        }
    }

    public var explanation: String {
        switch self {
        case .public: return "Anyone can see the group and its discussions; members join freely."
        case .private: return "Listed in the directory; only members see discussions. People join by request or invitation."
        case .hidden: return "Only members know it exists; people join by invitation."
        }
    }

    /// The activity scope of things that happen in a group of this visibility.
    public func activityScope(groupID: Int64) -> ActivityScope {
        self == .public ? .public : .group(groupID)
    }
}

/// A member's role inside one group: chairs are co-admins, the owner can also hand the group over.
///
/// ```swift
/// if let row = try groups.membership(groupID: group.id, memberID: me.id), row.role >= .chair { … }
/// ```
public enum GroupRole: String, Sendable, Codable, CaseIterable, Comparable {
    case member, chair, owner
    private var rank: Int { [.member: 0, .chair: 1, .owner: 2][self] ?? 0 }
    public static func < (a: GroupRole, b: GroupRole) -> Bool { a.rank < b.rank }

    public var label: String {
        switch self {
        case .member: return "Member"
        case .chair: return "Chair"
        case .owner: return "Owner"
        }
    }
}

/// Where someone stands with a group. One row per (group, member) holds exactly one state.
///
/// ```swift
/// let waiting = try groups.members(groupID: group.id, state: .requested)
/// ```
public enum GroupMembershipState: String, Sendable, Codable, CaseIterable {
    /// A member of the group, with a role.
    case active
    /// Asked to join a private group; chairs decide.
    case requested
    /// Invited by a chair; the invitee accepts or declines.
    case invited
    /// Removed and barred: cannot request or be invited until a chair lifts the ban.
    case banned
}

/// A working group: a strategic group, a cluster, a subject network.
///
/// ```swift
/// let group = try groups.group(slug: "maths-network")
/// print(group?.name, group?.visibility.label)
/// ```
public struct Group: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var name: String
    /// Markdown.
    public var description: String
    public var category: String
    public var visibility: GroupVisibility
    /// nil when the owner left the network and no chair or member could take over.
    public var ownerID: Int64?
    public var memberCount: Int
    public var hasImage: Bool
    /// Hidden by moderators (a report upheld): seen only by its owner and site moderators.
    public var isHidden: Bool
    public var createdAt: Date
    public var lastActivityAt: Date

    public var path: String { "/groups/\(slug)" }

    /// No owner: listed for administrators by `pln admin groups list`.
    public var needsOwner: Bool { ownerID == nil }

    static let columns = """
        g.id, g.slug, g.name, g.description, g.category, g.visibility, g.owner_id, g.member_count, g.created_at,
        g.last_activity_at, g.hidden, (SELECT 1 FROM groups_image i WHERE i.group_id = g.id) AS has_image
        """

    static func decode(_ row: Row) throws -> Group {
        Group(
            id: try row.value("id"), slug: try row.value("slug"), name: try row.value("name"),
            description: try row.value("description"), category: try row.value("category"),
            visibility: GroupVisibility(rawValue: try row.value("visibility")) ?? .hidden,
            ownerID: try row.optional("owner_id"), memberCount: try row.value("member_count"),
            hasImage: (try row.optional("has_image") as Int?) != nil, isHidden: try row.value("hidden"),
            createdAt: try row.value("created_at"),
            lastActivityAt: try row.value("last_activity_at"))
    }
}

/// One person's row in a group: a member with a role, a request, an invitation or a ban.
///
/// ```swift
/// for row in try groups.leaders(groupID: group.id) { print(row.name, row.role.label) }
/// ```
public struct GroupMembership: Sendable, Equatable {
    public var groupID: Int64
    public var memberID: Int64
    public var handle: String
    public var name: String
    public var role: GroupRole
    public var state: GroupMembershipState
    /// The request's note, or the invitation's note.
    public var message: String
    public var invitedBy: Int64?
    public var since: Date

    public var profilePath: String { "/members/\(handle)" }

    static let columns = """
        gm.group_id, gm.member_id, m.handle, m.name AS member_name, gm.role, gm.state, gm.message, gm.invited_by,
        gm.created_at AS member_since
        """

    static func decode(_ row: Row) throws -> GroupMembership {
        GroupMembership(
            groupID: try row.value("group_id"), memberID: try row.value("member_id"), handle: try row.value("handle"),
            name: try row.value("member_name"), role: GroupRole(rawValue: try row.value("role")) ?? .member,
            state: GroupMembershipState(rawValue: try row.value("state")) ?? .requested,
            message: try row.value("message"), invitedBy: try row.optional("invited_by"),
            since: try row.value("member_since"))
    }
}

/// A discussion topic: a title and a Markdown opening post.
///
/// ```swift
/// let topic = try groups.startDiscussion(groupID: group.id, by: me, title: "Budgets", body: "Shall we *pool*?")
/// print(topic.path(in: group))   // /groups/heads/discussions/1
/// ```
public struct Discussion: Sendable, Equatable {
    public var id: Int64
    public var groupID: Int64
    public var authorID: Int64?
    public var authorName: String
    public var authorHandle: String
    public var title: String
    /// Markdown.
    public var body: String
    public var isPinned: Bool
    public var isLocked: Bool
    /// Hidden by moderators, or its author is suspended: seen only by its author and moderators.
    public var isHidden: Bool
    public var replyCount: Int
    public var createdAt: Date
    public var lastReplyAt: Date

    public func path(in group: Group) -> String { "\(group.path)/discussions/\(id)" }

    static let columns = """
        d.id, d.group_id, d.author_id, COALESCE(m.name, 'former member') AS author_name,
        COALESCE(m.handle, '') AS author_handle, d.title, d.body, d.pinned, d.locked,
        (d.hidden <> 0 OR COALESCE(m.status, '') = 'suspended') AS hidden, d.reply_count,
        d.created_at, d.last_reply_at
        """

    static func decode(_ row: Row) throws -> Discussion {
        Discussion(
            id: try row.value("id"), groupID: try row.value("group_id"), authorID: try row.optional("author_id"),
            authorName: try row.value("author_name"), authorHandle: try row.value("author_handle"),
            title: try row.value("title"), body: try row.value("body"), isPinned: try row.value("pinned"),
            isLocked: try row.value("locked"), isHidden: try row.value("hidden"), replyCount: try row.value("reply_count"),
            createdAt: try row.value("created_at"), lastReplyAt: try row.value("last_reply_at"))
    }
}

/// A reply in a discussion.
///
/// ```swift
/// let reply = try groups.reply(to: topic.id, by: me, body: "Agreed.")
/// ```
public struct DiscussionReply: Sendable, Equatable {
    public var id: Int64
    public var discussionID: Int64
    public var authorID: Int64?
    public var authorName: String
    public var authorHandle: String
    /// Markdown.
    public var body: String
    public var isHidden: Bool
    public var createdAt: Date

    static let columns = """
        r.id, r.discussion_id, r.author_id, COALESCE(m.name, 'former member') AS author_name,
        COALESCE(m.handle, '') AS author_handle, r.body,
        (r.hidden <> 0 OR COALESCE(m.status, '') = 'suspended') AS hidden, r.created_at
        """

    static func decode(_ row: Row) throws -> DiscussionReply {
        DiscussionReply(
            id: try row.value("id"), discussionID: try row.value("discussion_id"), authorID: try row.optional("author_id"),
            authorName: try row.value("author_name"), authorHandle: try row.value("author_handle"),
            body: try row.value("body"), isHidden: try row.value("hidden"), createdAt: try row.value("created_at"))
    }
}

/// Someone became a member of a group (published after commit).
///
/// ```swift
/// context.on(GroupMemberJoined.self) { event in print(event.groupID, event.memberID) }
/// ```
public struct GroupMemberJoined: DomainEvent {
    public static let name = "groups.member_joined"
    public var groupID: Int64
    public var memberID: Int64
}

/// Someone left a group or was removed from it (published after commit).
///
/// ```swift
/// context.on(GroupMemberLeft.self) { event in print(event.groupID, event.memberID) }
/// ```
public struct GroupMemberLeft: DomainEvent {
    public static let name = "groups.member_left"
    public var groupID: Int64
    public var memberID: Int64
}

/// A group was deleted with its discussions (published after commit).
///
/// ```swift
/// context.on(GroupDeleted.self) { event in print("gone:", event.groupID) }
/// ```
public struct GroupDeleted: DomainEvent {
    public static let name = "groups.group_deleted"
    public var groupID: Int64
}
