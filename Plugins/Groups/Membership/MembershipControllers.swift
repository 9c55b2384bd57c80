import HTTP
import Kernel

/// The members part of the groups JSON API: listing, joining, changing roles, lifting bans,
/// leaving and removing. Routes are declared in ``GroupsAPI``.
///
/// ```swift
/// let members = MembersController(groups: service)
/// api.post("/:slug/members", access: .members, summary: "Join.", operationID: "joinGroup", use: members.join)
/// ```
struct MembersController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ slug: String, _ query: MemberListQuery) throws -> CursorPage<
        MembershipResponse
    > {
        let (group, access) = try groups.readableGroup(slug: slug, for: ctx.member)
        var state = GroupMembershipState.active
        if query.state == .banned {
            guard access.isChair else {
                throw DomainError.forbidden("Only the group's chairs see who is banned.")
            }
            state = .banned
        }
        let limit = MemberListQuery.limit(query.limit, default: 50)
        var after: (name: String, id: Int64)?
        if let handle = query.after, let member = try groups.membership.member(handle: handle) {
            after = (member.name, member.id)
        }
        let found = try groups.members(groupID: group.id, state: state, limit: limit + 1, after: after)
        return CursorPage(found, limit: limit, item: MembershipResponse.init, cursor: \.handle)
    }

    func join(_ ctx: RequestContext, _ slug: String, _ body: OptionalBody<JoinRequest>) throws -> JoinResponse
    {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        return JoinResponse(
            outcome: try groups.join(groupID: group.id, by: me, message: body.value?.message ?? ""))
    }

    func update(_ ctx: RequestContext, _ slug: String, _ handle: String, _ request: MemberUpdateRequest)
        throws
        -> MemberUpdateResponse
    {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        if request.banned == false {
            try groups.unban(groupID: group.id, memberID: target.id, by: me)
            return MemberUpdateResponse(handle: target.handle, row: nil)
        }
        guard let role = request.role else {
            throw DomainError.invalid([FieldError(field: "role", message: "role is member, chair or owner.")])
        }
        if role == .owner {
            try groups.transferOwnership(groupID: group.id, to: target.id, by: me)
        } else {
            try groups.setRole(groupID: group.id, memberID: target.id, to: role, by: me)
        }
        guard let row = try groups.membership(groupID: group.id, memberID: target.id) else {
            throw DomainError.notFound
        }
        return MemberUpdateResponse(handle: row.handle, row: MembershipResponse(row))
    }

    func remove(_ ctx: RequestContext, _ slug: String, _ handle: String, _ query: RemoveMemberQuery) throws
        -> NoContent
    {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        let ban = query.ban == true
        if target.id == me.id && !ban {
            try groups.leave(groupID: group.id, by: me)
        } else {
            try groups.remove(groupID: group.id, memberID: target.id, by: me, ban: ban)
        }
        return NoContent()
    }
}

/// Requests to join a private group: asking, and the chairs' decisions.
struct RequestsController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ slug: String) throws -> ItemList<MembershipResponse> {
        let (group, _) = try groups.chairedGroup(slug: slug, for: ctx.member)
        return ItemList(
            try groups.members(groupID: group.id, state: .requested, limit: 200).map(MembershipResponse.init))
    }

    func create(_ ctx: RequestContext, _ slug: String, _ body: OptionalBody<JoinRequest>) throws
        -> JoinResponse
    {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        return JoinResponse(
            outcome: try groups.request(groupID: group.id, by: me, message: body.value?.message ?? ""))
    }

    func decide(_ ctx: RequestContext, _ slug: String, _ handle: String, _ request: RequestDecision) throws
        -> RequestDecisionResponse
    {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        switch request.decision {
        case .approve: try groups.approve(groupID: group.id, memberID: target.id, by: me)
        case .refuse: try groups.refuse(groupID: group.id, memberID: target.id, by: me)
        }
        return RequestDecisionResponse(handle: target.handle, decision: request.decision)
    }

    func delete(_ ctx: RequestContext, _ slug: String, _ handle: String) throws -> NoContent {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        if target.id == me.id {
            guard access.hasRequested else { throw DomainError.conflict("You have no request waiting.") }
            try groups.leave(groupID: group.id, by: me)
        } else {
            try groups.refuse(groupID: group.id, memberID: target.id, by: me)
        }
        return NoContent()
    }
}

/// Invitations: the chairs invite and withdraw, the invited member accepts or declines.
struct InvitationsController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ slug: String) throws -> ItemList<MembershipResponse> {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: slug, for: me)
        if access.isChair {
            return ItemList(
                try groups.members(groupID: group.id, state: .invited, limit: 200).map(
                    MembershipResponse.init))
        }
        guard let row = try groups.membership(groupID: group.id, memberID: me.id), row.state == .invited
        else {
            return ItemList([])
        }
        return ItemList([MembershipResponse(row)])
    }

    func create(_ ctx: RequestContext, _ slug: String, _ request: InvitationRequest) throws -> Created<
        MembershipResponse
    > {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        guard let invitee = try groups.membership.member(handle: request.handle) else {
            throw DomainError.invalid([
                FieldError(field: "handle", message: "There is no member with that handle.")
            ])
        }
        try groups.invite(groupID: group.id, memberID: invitee.id, by: me, message: request.message ?? "")
        guard let row = try groups.membership(groupID: group.id, memberID: invitee.id) else {
            throw DomainError.notFound
        }
        return Created(MembershipResponse(row))
    }

    func answer(_ ctx: RequestContext, _ slug: String, _ handle: String, _ answer: InvitationAnswer) throws
        -> MembershipStateResponse
    {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        guard target.id == me.id else {
            throw DomainError.forbidden("Only the invited member answers an invitation.")
        }
        guard access.isInvited else { throw DomainError.conflict("You have no invitation to this group.") }
        switch answer.decision {
        case .accept:
            try groups.join(groupID: group.id, by: me)
            return MembershipStateResponse(state: .active)
        case .decline:
            try groups.leave(groupID: group.id, by: me)
            return MembershipStateResponse(state: nil)
        }
    }

    func delete(_ ctx: RequestContext, _ slug: String, _ handle: String) throws -> NoContent {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: slug, for: me)
        let target = try groups.requireMember(handle: handle)
        if target.id == me.id {
            guard access.isInvited else {
                throw DomainError.conflict("You have no invitation to this group.")
            }
            try groups.leave(groupID: group.id, by: me)
        } else {
            try groups.cancelInvitation(groupID: group.id, memberID: target.id, by: me)
        }
        return NoContent()
    }
}
