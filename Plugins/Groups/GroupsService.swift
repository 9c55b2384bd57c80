import Foundation
import Kernel
import Membership
import Storage

/// What one person may do with one group, worked out once per request from the group's
/// visibility and the person's row in it.
///
/// ```swift
/// let access = try groups.access(to: group, for: ctx.member)
/// guard access.canReadContent else { throw DomainError.forbidden("Join the group to read its discussions.") }
/// ```
public struct GroupAccess: Sendable, Equatable {
    public var visibility: GroupVisibility
    public var memberID: Int64?
    /// The person's row in the group, if any.
    public var state: GroupMembershipState?
    public var role: GroupRole?
    /// Site moderators see moderation-hidden posts; they get no extra access to group content.
    public var isSiteModerator: Bool
    /// Pending site members can look but not post.
    public var isPendingSiteMember: Bool
    /// The group was hidden by moderators: only its owner and site moderators still see it.
    public var isHiddenByModerators = false

    public var isSignedIn: Bool { memberID != nil }
    public var isMember: Bool { state == .active }
    public var isChair: Bool { isMember && (role ?? .member) >= .chair }
    public var isOwner: Bool { isMember && role == .owner }
    public var isBanned: Bool { state == .banned }
    public var isInvited: Bool { state == .invited }
    public var hasRequested: Bool { state == .requested }

    /// Hidden groups exist only for their members and the people invited to them.
    public var canSeeGroup: Bool {
        (!isHiddenByModerators || isSiteModerator || isOwner)
            && (visibility != .hidden || isMember || isInvited)
    }
    /// Members list, discussions and activity.
    public var canReadContent: Bool { visibility == .public || isMember }
    public var canPost: Bool { isMember && !isPendingSiteMember }
    public var canJoinDirectly: Bool {
        isSignedIn && !isPendingSiteMember && !isMember && !isBanned && (visibility == .public || isInvited)
    }
    public var canRequest: Bool {
        isSignedIn && !isPendingSiteMember && visibility == .private && state == nil
    }
    /// Sees posts moderators hid when they wrote them, or as a moderator.
    func canSeeHidden(authorID: Int64?) -> Bool {
        isSiteModerator || (memberID != nil && memberID == authorID)
    }
}

/// The groups module's domain operations, shared by pages, the JSON API, the console and
/// tests. Every change runs in one `database.write`, together with its activity entry, mail
/// and events. Other modules reach it through `services.service(GroupsService.self)`.
///
/// ```swift
/// let groups = GroupsService(services: services, membership: membership)
/// let group = try groups.create(.init(name: "Maths network", category: "Interest", visibility: .private), by: erin)
/// try groups.request(groupID: group.id, by: sam, message: "I teach Year 6 maths.")
/// ```
public final class GroupsService: GroupScopes, Sendable {
    public let services: Services
    public let membership: MembershipService
    /// Categories from the `categories` setting, in order.
    public let categories: [String]
    /// "members" or "admins".
    public let whoCanCreate: String

    public static let maximumNameLength = 80
    public static let maximumDescriptionLength = 10_000
    public static let maximumTitleLength = 200
    public static let maximumPostLength = 20_000
    public static let maximumMessageLength = 500
    public static let maximumImageBytes = 2 * 1024 * 1024
    static let reservedSlugs: Set<String> = ["new", "mine", "categories", "search", "api", "edit"]

    public init(services: Services, membership: MembershipService) {
        self.services = services
        self.membership = membership
        let settings = services.settings(of: GroupsModule.manifest)
        categories = settings.strings("categories")
        whoCanCreate = settings.string("who_can_create")
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }

    // MARK: Scopes

    /// Groups the member belongs to (not requested, invited or banned): what the kernel uses to
    /// show them group-scoped activity. Fails closed: on a storage error the member sees none.
    public func groupIDs(of memberID: Int64) -> [Int64] {
        (try? database.read { db in try groupIDs(of: memberID, in: db) }) ?? []
    }

    public func chairedGroupIDs(of memberID: Int64) -> [Int64] {
        (try? database.read { db in
            try db.query(
                "SELECT group_id FROM groups_member WHERE member_id = ? AND state = 'active' AND role IN ('owner', 'chair') ORDER BY group_id",
                [memberID]
            ) { try $0.value("group_id") as Int64 }
        }) ?? []
    }

    public func memberIDs(ofGroups groupIDs: [Int64]) -> Set<Int64> {
        guard !groupIDs.isEmpty else { return [] }
        let list = "[" + groupIDs.map(String.init).joined(separator: ",") + "]"
        return Set(
            (try? database.read { db in
                try db.query(
                    "SELECT DISTINCT member_id FROM groups_member WHERE group_id IN (SELECT value FROM json_each(?)) AND state = 'active'",
                    [list]
                ) { try $0.value("member_id") as Int64 }
            }) ?? [])
    }

    func groupIDs(of memberID: Int64, in db: Connection) throws -> [Int64] {
        // A group moderators hid takes its activity and sessions out of its members' sight too.
        try db.query(
            """
            SELECT gm.group_id FROM groups_member gm JOIN groups_group g ON g.id = gm.group_id
            WHERE gm.member_id = ? AND gm.state = 'active' AND (g.hidden = 0 OR g.owner_id = gm.member_id)
            ORDER BY gm.group_id
            """, [memberID]
        ) { try $0.value("group_id") }
    }

    /// A viewer for activity queries inside a transaction (the request's viewer is lazy and
    /// reads through another connection).
    public func viewer(for member: SignedInMember?) -> Viewer {
        guard let member else { return .anonymous }
        return Viewer(memberID: member.id, isModerator: member.isModerator, groupIDs: groupIDs(of: member.id))
    }

    // MARK: Lookup

    public func group(slug: String) throws -> Group? {
        try database.read { db in try group(slug: slug, in: db) }
    }

    public func group(slug: String, in db: Connection) throws -> Group? {
        try db.queryOne(
            "SELECT \(Group.columns) FROM groups_group g WHERE g.slug = ?", [slug.lowercased()], Group.decode)
    }

    public func group(id: Int64) throws -> Group? {
        try database.read { db in try group(id: id, in: db) }
    }

    public func group(id: Int64, in db: Connection) throws -> Group? {
        try db.queryOne("SELECT \(Group.columns) FROM groups_group g WHERE g.id = ?", [id], Group.decode)
    }

    public func membership(groupID: Int64, memberID: Int64) throws -> GroupMembership? {
        try database.read { db in try membership(groupID: groupID, memberID: memberID, in: db) }
    }

    func membership(groupID: Int64, memberID: Int64, in db: Connection) throws -> GroupMembership? {
        try db.queryOne(
            """
            SELECT \(GroupMembership.columns) FROM groups_member gm JOIN membership_people m ON m.id = gm.member_id
            WHERE gm.group_id = ? AND gm.member_id = ?
            """, [groupID, memberID], GroupMembership.decode)
    }

    public func access(to group: Group, for member: SignedInMember?) throws -> GroupAccess {
        try database.read { db in try access(to: group, for: member, in: db) }
    }

    func access(to group: Group, for member: SignedInMember?, in db: Connection) throws -> GroupAccess {
        var access = GroupAccess(
            visibility: group.visibility, memberID: member?.id, state: nil, role: nil,
            isSiteModerator: member?.isModerator ?? false, isPendingSiteMember: !(member?.mayWrite ?? true))
        access.isHiddenByModerators = group.isHidden
        if let member, let row = try membership(groupID: group.id, memberID: member.id, in: db) {
            access.state = row.state
            access.role = row.role
        }
        return access
    }

    /// The group at `slug` and what `member` may do with it; a hidden group the member cannot
    /// see is "not found", exactly like a slug that does not exist.
    public func visibleGroup(slug: String, for member: SignedInMember?) throws -> (Group, GroupAccess) {
        try database.read { db in
            guard let group = try group(slug: slug, in: db) else { throw DomainError.notFound }
            let access = try access(to: group, for: member, in: db)
            guard access.canSeeGroup else { throw DomainError.notFound }
            return (group, access)
        }
    }

    // MARK: Shared rules

    /// Throws unless `actor` chairs (or owns) the group; hidden groups stay "not found".
    @discardableResult
    func requireChair(_ group: Group, _ actor: SignedInMember, in db: Connection) throws -> GroupAccess {
        let access = try access(to: group, for: actor, in: db)
        guard access.canSeeGroup else { throw DomainError.notFound }
        guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can do that.") }
        return access
    }

    /// Records an activity of the group in the caller's transaction, with the scope the group's
    /// visibility calls for, in the group's context (for the group page and later re-scoping).
    func record(
        group: Group, actorID: Int64, actorName: String, actorHandle: String, verb: String,
        objectKind: String,
        objectID: Int64, objectTitle: String, objectURL: String, excerpt: String? = nil, in db: Connection
    ) throws {
        try services.activity.record(
            NewActivity(
                module: "groups", actorID: actorID, actorName: actorName, actorHandle: actorHandle,
                verb: verb,
                objectKind: objectKind, objectID: objectID, objectTitle: objectTitle, objectURL: objectURL,
                excerpt: excerpt, scope: group.visibility.activityScope(groupID: group.id),
                context: .group(group.id)),
            at: now, in: db)
        try db.execute("UPDATE groups_group SET last_activity_at = ? WHERE id = ?", [now, group.id])
    }

    func refreshMemberCount(groupID: Int64, in db: Connection) throws {
        try db.execute(
            """
            UPDATE groups_group SET member_count = (SELECT count(*) FROM groups_member
                WHERE group_id = ? AND state = 'active') WHERE id = ?
            """, [groupID, groupID])
    }

    /// The length of an activity line's excerpt of a discussion or reply.
    static let activityExcerptLength = 140

    var networkName: String { services.config.networkName }
}
