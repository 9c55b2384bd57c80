import Foundation
import Kernel
import Membership
import Storage

/// Joining, requests, invitations, removals, bans and roles.
extension GroupsService {
    /// What joining did.
    public enum JoinOutcome: String, Sendable, Equatable {
        /// The person is now a member.
        case joined
        /// A request waits for the chairs.
        case requested
    }

    /// Joins a public group, accepts an invitation, or — for a private group — asks to join.
    /// Hidden groups can only be joined by invitation.
    @discardableResult
    public func join(groupID: Int64, by actor: SignedInMember, message: String = "") throws -> JoinOutcome {
        try actor.requireMayWrite()
        var check = Validation()
        let note = check.optional(
            message, field: "message", label: "The note", maxLength: Self.maximumMessageLength)
        try check.finish()
        return try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            let access = try access(to: group, for: actor, in: db)
            guard access.canSeeGroup else { throw DomainError.notFound }
            switch access.state {
            case .active: return .joined
            case .banned: throw DomainError.forbidden("The group's chairs have removed you from this group.")
            case .requested:
                // The group may have become public since the request was made.
                guard group.visibility == .public else { return .requested }
                try activate(group: group, memberID: actor.id, in: db)
                return .joined
            case .invited:
                try activate(group: group, memberID: actor.id, in: db)
                return .joined
            case nil:
                switch group.visibility {
                case .public:
                    try db.execute(
                        "INSERT INTO groups_member (group_id, member_id, role, state, created_at) VALUES (?, ?, 'member', 'active', ?)",
                        [groupID, actor.id, now])
                    try activate(group: group, memberID: actor.id, in: db, alreadyInserted: true)
                    return .joined
                case .private:
                    try db.execute(
                        "INSERT INTO groups_member (group_id, member_id, role, state, message, created_at) VALUES (?, ?, 'member', 'requested', ?, ?)",
                        [groupID, actor.id, note, now])
                    try notifyChairs(of: group, actor: actor, note: note, in: db)
                    return .requested
                case .hidden:
                    throw DomainError.forbidden("This group is by invitation only.")
                }
            }
        }
    }

    /// Asks to join a private group (the same as ``join(groupID:by:message:)`` there).
    @discardableResult
    public func request(groupID: Int64, by actor: SignedInMember, message: String = "") throws -> JoinOutcome
    {
        try join(groupID: groupID, by: actor, message: message)
    }

    /// Makes a row active (a new member), records "joined the group" and publishes the event.
    private func activate(group: Group, memberID: Int64, in db: Connection, alreadyInserted: Bool = false)
        throws
    {
        if !alreadyInserted {
            try db.execute(
                "UPDATE groups_member SET state = 'active', role = 'member', created_at = ? WHERE group_id = ? AND member_id = ?",
                [now, group.id, memberID])
        }
        try refreshMemberCount(groupID: group.id, in: db)
        guard let member = try membership.member(id: memberID, in: db) else { throw DomainError.notFound }
        try record(
            group: group, actorID: member.id, actorName: member.name, actorHandle: member.handle,
            verb: "joined",
            objectKind: "group", objectID: group.id, objectTitle: group.name, objectURL: group.path, in: db)
        try services.events.publish(GroupMemberJoined(groupID: group.id, memberID: memberID), in: db)
    }

    /// Leaves a group, withdraws a request or declines an invitation. The owner must hand
    /// the group over first.
    public func leave(groupID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            let access = try access(to: group, for: actor, in: db)
            guard access.canSeeGroup else { throw DomainError.notFound }
            switch access.state {
            case nil: return
            case .banned: throw DomainError.forbidden("Only the chairs can lift a ban.")
            case .active where access.isOwner:
                throw DomainError.conflict(
                    "You own this group: transfer ownership to another member before leaving.")
            case .active, .requested, .invited:
                try db.execute(
                    "DELETE FROM groups_member WHERE group_id = ? AND member_id = ?", [groupID, actor.id])
                if access.state == .active {
                    try refreshMemberCount(groupID: groupID, in: db)
                    try services.events.publish(GroupMemberLeft(groupID: groupID, memberID: actor.id), in: db)
                }
            }
        }
    }

    /// A chair approves a join request.
    public func approve(groupID: Int64, memberID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            guard let row = try membership(groupID: groupID, memberID: memberID, in: db),
                row.state == .requested
            else {
                throw DomainError.conflict("There is no request from that member to approve.")
            }
            try activate(group: group, memberID: memberID, in: db)
            try services.notifications.publish(
                NewNotification(
                    recipientID: memberID, kind: GroupNotifications.membership.id,
                    actor: NotificationActor(actor),
                    subject: ContentReference(module: "groups", kind: "group", id: group.id),
                    text: "approved your request to join \(group.name)", link: group.path,
                    group: NotificationGroup(id: group.id, name: group.name)), in: db)
        }
    }

    /// A chair refuses a join request; the member may ask again later.
    public func refuse(groupID: Int64, memberID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            guard let row = try membership(groupID: groupID, memberID: memberID, in: db),
                row.state == .requested
            else {
                throw DomainError.conflict("There is no request from that member to refuse.")
            }
            try db.execute(
                "DELETE FROM groups_member WHERE group_id = ? AND member_id = ?", [groupID, memberID])
        }
    }

    /// A chair invites a member of the network. Inviting someone who asked to join approves them.
    public func invite(groupID: Int64, memberID: Int64, by actor: SignedInMember, message: String = "") throws
    {
        var check = Validation()
        let note = check.optional(
            message, field: "message", label: "The note", maxLength: Self.maximumMessageLength)
        try check.finish()
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            guard let invitee = try membership.member(id: memberID, in: db), invitee.status == .active else {
                throw DomainError.invalid([
                    FieldError(field: "handle", message: "There is no active member with that handle.")
                ])
            }
            switch try membership(groupID: groupID, memberID: memberID, in: db)?.state {
            case .active: throw DomainError.conflict("\(invitee.name) is already a member.")
            case .invited: throw DomainError.conflict("\(invitee.name) has already been invited.")
            case .banned:
                throw DomainError.conflict(
                    "\(invitee.name) is banned from this group: lift the ban before inviting them.")
            case .requested:
                try activate(group: group, memberID: memberID, in: db)
            case nil:
                try db.execute(
                    """
                    INSERT INTO groups_member (group_id, member_id, role, state, message, invited_by, created_at)
                    VALUES (?, ?, 'member', 'invited', ?, ?, ?)
                    """, [groupID, memberID, note, actor.id, now])
                try services.notifications.publish(
                    NewNotification(
                        // No subject: a private group stays unseen by the invitee until they accept.
                        recipientID: memberID, kind: GroupNotifications.invitation.id,
                        actor: NotificationActor(actor),
                        subject: nil,
                        text: "invited you to join \(group.name)", link: group.path, excerpt: note), in: db)
            }
        }
    }

    /// A chair withdraws an invitation.
    public func cancelInvitation(groupID: Int64, memberID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            guard try membership(groupID: groupID, memberID: memberID, in: db)?.state == .invited else {
                throw DomainError.conflict("There is no invitation for that member.")
            }
            try db.execute(
                "DELETE FROM groups_member WHERE group_id = ? AND member_id = ?", [groupID, memberID])
        }
    }

    /// A chair removes a member (or, with `ban`, removes and bars them). Chairs cannot remove the
    /// owner; only the owner removes chairs. The member loses access at once: the next request
    /// reads their scopes afresh.
    public func remove(groupID: Int64, memberID: Int64, by actor: SignedInMember, ban: Bool = false) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            let access = try requireChair(group, actor, in: db)
            guard memberID != actor.id else {
                throw DomainError.conflict("Use “Leave the group” to leave it yourself.")
            }
            let row = try membership(groupID: groupID, memberID: memberID, in: db)
            if row?.role == .owner && row?.state == .active {
                throw DomainError.forbidden("The owner cannot be removed.")
            }
            if row?.role == .chair && row?.state == .active && !access.isOwner {
                throw DomainError.forbidden("Only the owner can remove a chair.")
            }
            let wasActive = row?.state == .active
            if ban {
                guard siteMemberExists(memberID, in: db) else { throw DomainError.notFound }
                try db.execute(
                    """
                    INSERT INTO groups_member (group_id, member_id, role, state, invited_by, created_at)
                    VALUES (?, ?, 'member', 'banned', ?, ?)
                    ON CONFLICT (group_id, member_id) DO UPDATE SET state = 'banned', role = 'member',
                        invited_by = excluded.invited_by, created_at = excluded.created_at, message = ''
                    """, [groupID, memberID, actor.id, now])
            } else {
                guard row != nil, row?.state != .banned else {
                    throw DomainError.conflict("That person is not in the group.")
                }
                try db.execute(
                    "DELETE FROM groups_member WHERE group_id = ? AND member_id = ?", [groupID, memberID])
            }
            if wasActive || ban {
                let name = try services.identity?.person(id: memberID, in: db)?.name ?? "a member"
                try audit(
                    ban ? "group_ban" : "group_remove", kind: "group_member", id: memberID,
                    title: "\(name) in \(group.name)", member: memberID, by: actor, in: db)
            }
            if wasActive {
                try db.execute(
                    "DELETE FROM groups_follow WHERE member_id = ? AND discussion_id IN (SELECT id FROM groups_discussion WHERE group_id = ?)",
                    [memberID, groupID])
                try refreshMemberCount(groupID: groupID, in: db)
                try services.events.publish(GroupMemberLeft(groupID: groupID, memberID: memberID), in: db)
            }
        }
    }

    private func siteMemberExists(_ memberID: Int64, in db: Connection) -> Bool {
        ((try? services.identity?.person(id: memberID, in: db)) ?? nil) != nil
    }

    /// Removes and bars a member: they cannot request or be invited until unbanned.
    public func ban(groupID: Int64, memberID: Int64, by actor: SignedInMember) throws {
        try remove(groupID: groupID, memberID: memberID, by: actor, ban: true)
    }

    /// Lifts a ban; the person is then simply not a member.
    public func unban(groupID: Int64, memberID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            guard try membership(groupID: groupID, memberID: memberID, in: db)?.state == .banned else {
                throw DomainError.conflict("That member is not banned.")
            }
            try db.execute(
                "DELETE FROM groups_member WHERE group_id = ? AND member_id = ?", [groupID, memberID])
        }
    }

    /// Makes a member a chair, or a chair an ordinary member. Chairs promote; only the owner demotes.
    public func setRole(groupID: Int64, memberID: Int64, to role: GroupRole, by actor: SignedInMember) throws
    {
        guard role != .owner else {
            throw WebError.badRequest("Use the ownership transfer to make someone the owner.")
        }
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            let access = try requireChair(group, actor, in: db)
            guard let row = try membership(groupID: groupID, memberID: memberID, in: db), row.state == .active
            else {
                throw DomainError.conflict("Only members of the group can be given a role.")
            }
            if row.role == .owner {
                throw DomainError.forbidden("The owner's role changes only by transferring ownership.")
            }
            if row.role == .chair && role == .member && !access.isOwner {
                throw DomainError.forbidden("Only the owner can make a chair an ordinary member.")
            }
            try db.execute(
                "UPDATE groups_member SET role = ? WHERE group_id = ? AND member_id = ?",
                [role.rawValue, groupID, memberID])
        }
    }

    /// Hands the group to another member, who becomes owner; the old owner stays as a chair.
    /// `actor` nil means an administrator at the console, who may also hand it to a network
    /// member outside the group (they join as owner).
    public func transferOwnership(groupID: Int64, to memberID: Int64, by actor: SignedInMember?) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            if let actor {
                let access = try access(to: group, for: actor, in: db)
                guard access.canSeeGroup else { throw DomainError.notFound }
                guard access.isOwner else {
                    throw DomainError.forbidden("Only the owner can transfer ownership.")
                }
            }
            guard let target = try membership.member(id: memberID, in: db), target.status == .active else {
                throw DomainError.invalid([
                    FieldError(field: "handle", message: "There is no active member with that handle.")
                ])
            }
            let row = try membership(groupID: groupID, memberID: memberID, in: db)
            if row?.state == .active && row?.role == .owner { return }
            if actor != nil && row?.state != .active {
                throw DomainError.conflict("Ownership can only pass to a member of the group.")
            }
            try db.execute(
                "UPDATE groups_member SET role = 'chair' WHERE group_id = ? AND role = 'owner' AND state = 'active'",
                [groupID])
            if row?.state == .active {
                try db.execute(
                    "UPDATE groups_member SET role = 'owner' WHERE group_id = ? AND member_id = ?",
                    [groupID, memberID])
            } else {
                try db.execute(
                    """
                    INSERT INTO groups_member (group_id, member_id, role, state, created_at) VALUES (?, ?, 'owner', 'active', ?)
                    ON CONFLICT (group_id, member_id) DO UPDATE SET role = 'owner', state = 'active', message = ''
                    """, [groupID, memberID, now])
                try refreshMemberCount(groupID: groupID, in: db)
            }
            try db.execute(
                "UPDATE groups_group SET owner_id = ?, updated_at = ? WHERE id = ?", [memberID, now, groupID])
            try services.outbox.enqueue(
                Mail(
                    to: target.email, subject: "You now own \(group.name)",
                    body:
                        "You are now the owner of the group \(group.name) on \(networkName).\n\n\(services.link(group.path))\n"
                ),
                in: db)
        }
    }

    // MARK: Lists

    /// Active members of a group by name, `after` being the last of the previous page (name, id).
    public func members(
        groupID: Int64, state: GroupMembershipState = .active, limit: Int = 50,
        after: (name: String, id: Int64)? = nil
    ) throws -> [GroupMembership] {
        var sql = """
            SELECT \(GroupMembership.columns) FROM groups_member gm JOIN membership_people m ON m.id = gm.member_id
            WHERE gm.group_id = ? AND gm.state = ?
            """
        var arguments: [any DatabaseValueConvertible] = [groupID, state.rawValue]
        if let after {
            sql += " AND (m.name > ? COLLATE NOCASE OR (m.name = ? COLLATE NOCASE AND m.id > ?))"
            arguments += [after.name, after.name, after.id]
        }
        sql += " ORDER BY m.name COLLATE NOCASE, m.id LIMIT ?"
        arguments.append(PageSize.clamp(limit, to: 201))
        return try database.read { db in try db.query(sql, arguments, GroupMembership.decode) }
    }

    /// The members who joined most recently, newest first (the group page's preview).
    public func newestMembers(groupID: Int64, limit: Int = 12) throws -> [GroupMembership] {
        try database.read { db in
            try db.query(
                Self.newestMembersSQL, [groupID, PageSize.clamp(limit, to: 100)], GroupMembership.decode)
        }
    }

    static let newestMembersSQL = """
        SELECT \(GroupMembership.columns) FROM groups_member gm JOIN membership_people m ON m.id = gm.member_id
        WHERE gm.group_id = ? AND gm.state = 'active'
        ORDER BY gm.created_at DESC, gm.member_id DESC LIMIT ?
        """

    /// The owner and chairs (a handful), owner first.
    public func leaders(groupID: Int64) throws -> [GroupMembership] {
        try database.read { db in
            try db.query(
                """
                SELECT \(GroupMembership.columns) FROM groups_member gm JOIN membership_people m ON m.id = gm.member_id
                WHERE gm.group_id = ? AND gm.state = 'active' AND gm.role IN ('owner', 'chair')
                ORDER BY CASE gm.role WHEN 'owner' THEN 0 ELSE 1 END, m.name COLLATE NOCASE LIMIT 100
                """, [groupID], GroupMembership.decode)
        }
    }

    /// Tells every chair and the owner of a group that `actor` asked to join, inside the
    /// caller's transaction.
    func notifyChairs(of group: Group, actor: SignedInMember, note: String, in db: Connection) throws {
        let chairs = try db.query(
            """
            SELECT gm.member_id FROM groups_member gm JOIN membership_people m ON m.id = gm.member_id
            WHERE gm.group_id = ? AND gm.state = 'active' AND gm.role IN ('owner', 'chair') AND m.status = 'active'
            """, [group.id]
        ) { try $0.value(column: 0) as Int64 }
        for chair in chairs {
            try services.notifications.publish(
                NewNotification(
                    recipientID: chair, kind: GroupNotifications.joinRequest.id,
                    actor: NotificationActor(actor),
                    subject: ContentReference(module: "groups", kind: "group", id: group.id),
                    text: "asked to join \(group.name)", link: group.path + "/members", excerpt: note,
                    group: NotificationGroup(id: group.id, name: group.name)), in: db)
        }
    }
}
