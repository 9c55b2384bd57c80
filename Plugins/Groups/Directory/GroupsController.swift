import HTTP
import Kernel
import Membership

/// The groups part of the groups JSON API: the directory, and creating, reading, changing and
/// deleting a group. Routes are declared in ``GroupsAPI``.
///
/// ```swift
/// let groups = GroupsController(groups: service)
/// api.get("/:slug", summary: "One group.", operationID: "getGroup", use: groups.show)
/// ```
struct GroupsController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ query: DirectoryQuery) throws -> CursorPage<GroupResponse> {
        if query.mine == true {
            let me = try ctx.requireMember()
            let mine = try groups.groups(of: me.id)
            return CursorPage(
                items: try mine.map {
                    GroupResponse($0.group, access: try groups.access(to: $0.group, for: me))
                },
                next: nil)
        }
        let limit = DirectoryQuery.limit(query.limit, default: 24)
        let after = groups.directoryCursor(slug: query.after, for: ctx.member)
        let found = try groups.directory(
            for: ctx.member, search: query.q, category: query.category, limit: limit + 1, after: after)
        return CursorPage(found, limit: limit, item: { GroupResponse($0, access: nil) }, cursor: \.slug)
    }

    func create(_ ctx: RequestContext, _ request: GroupRequest) throws -> Created<GroupResponse> {
        let me = try ctx.requireMember()
        let group = try groups.create(request.draft(base: nil), by: me)
        return Created(GroupResponse(group, access: try groups.access(to: group, for: me)))
    }

    func show(_ ctx: RequestContext, _ slug: String) throws -> GroupResponse {
        let (group, access) = try groups.visibleGroup(slug: slug, for: ctx.member)
        return GroupResponse(group, access: access, leaders: try groups.leaders(groupID: group.id))
    }

    func update(_ ctx: RequestContext, _ slug: String, _ request: GroupRequest) throws -> GroupResponse {
        let me = try ctx.requireMember()
        let (group, _) = try groups.chairedGroup(slug: slug, for: me)
        let updated = try groups.update(groupID: group.id, request.draft(base: group), by: me)
        return GroupResponse(updated, access: try groups.access(to: updated, for: me))
    }

    func delete(_ ctx: RequestContext, _ slug: String) throws -> NoContent {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        try groups.delete(groupID: group.id, by: me)
        return NoContent()
    }
}

extension GroupsService {
    /// A group the caller may see and chairs; 404 when they may not see it, 403 when they do
    /// not chair it.
    func chairedGroup(slug: String, for member: SignedInMember?) throws -> (Group, GroupAccess) {
        let (group, access) = try visibleGroup(slug: slug, for: member)
        guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can do that.") }
        return (group, access)
    }

    /// A group whose content the caller may read; 401 for a visitor, 403 for others who may not.
    func readableGroup(slug: String, for member: SignedInMember?) throws -> (Group, GroupAccess) {
        let (group, access) = try visibleGroup(slug: slug, for: member)
        guard access.canReadContent else {
            if member == nil { throw WebError.unauthorized }
            throw DomainError.forbidden("Only members of the group can see this.")
        }
        return (group, access)
    }

    /// The member a path names by handle; 404 when there is none.
    func requireMember(handle: String) throws -> Member {
        guard let member = try membership.member(handle: handle) else { throw DomainError.notFound }
        return member
    }
}
