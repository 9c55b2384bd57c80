import Kernel

/// The members part of the JSON API: the directory, one member, yourself, and changing your
/// profile. Routes are declared in ``MembershipAPI``.
///
/// ```swift
/// let members = MembersController(membership: membership)
/// api.get("/members/:handle", summary: "One member's profile.", operationID: "getMember", use: members.show)
/// ```
struct MembersController: Sendable {
    let membership: MembershipService

    func list(_ ctx: RequestContext, _ query: MemberListQuery) throws -> MemberPage {
        if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
        let limit = MemberListQuery.limit(query.limit, default: 24)
        let after = try query.after.flatMap { try membership.member(handle: $0) }
        let filters = try DirectoryFilters(
            facets: query.facets, otherSchool: query.otherSchool == true && ctx.member != nil,
            words: query.q ?? "", questions: membership.questions)
        let members =
            filters.isActive
            ? try membership.filteredDirectory(filters, viewer: ctx.viewer, limit: limit + 1, after: after)
            : try membership.directory(
                order: query.sort ?? .newest, filter: nil, search: query.q, limit: limit + 1, after: after)
        let page = Array(members.prefix(limit))
        return MemberPage(
            items: page.map { MemberResponse($0) }, next: members.count > limit ? page.last?.handle : nil)
    }

    func show(_ ctx: RequestContext, _ handle: String) throws -> MemberResponse {
        if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
        guard let member = try membership.member(handle: handle),
            member.status == .active || ctx.member?.isModerator == true || ctx.member?.id == member.id
        else { throw DomainError.notFound }
        let answers = try membership.database.read { try membership.answers(of: member.id, in: $0) }
        return MemberResponse(member, answers: answers, includeEmail: ctx.member?.id == member.id)
    }

    func me(_ ctx: RequestContext) throws -> MemberResponse {
        let me = try ctx.requireMember()
        guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
        let answers = try membership.database.read { try membership.answers(of: me.id, in: $0) }
        return MemberResponse(member, answers: answers, includeEmail: true)
    }

    func update(_ ctx: RequestContext, _ handle: String, _ request: ProfileUpdateRequest) throws
        -> MemberResponse
    {
        let me = try ctx.requireMember()
        guard let member = try membership.member(handle: handle) else { throw DomainError.notFound }
        guard member.id == me.id else { throw DomainError.forbidden("You can only change your own profile.") }
        var answers = try membership.database.read { try membership.answers(of: me.id, in: $0) }
        for (question, answer) in request.answers ?? [:] { answers[question] = answer.text }
        let updated = try membership.updateProfile(
            memberID: me.id,
            .init(
                name: request.name ?? member.name, handle: request.handle ?? member.handle,
                bio: request.bio ?? member.bio, answers: answers))
        return MemberResponse(updated, answers: answers, includeEmail: true)
    }
}
