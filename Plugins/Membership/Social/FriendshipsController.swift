import Kernel

/// Friends through the JSON API: your friends and requests, befriending, and ending either.
/// Routes are declared in ``MembershipAPI``.
///
/// ```swift
/// let friendships = FriendshipsController(membership: membership)
/// api.get("/friendships", access: .members, summary: "Your friends.", operationID: "listFriendships", use: friendships.list)
/// ```
struct FriendshipsController: Sendable {
    let membership: MembershipService

    func list(_ ctx: RequestContext) throws -> FriendshipsResponse {
        let me = try ctx.requireMember()
        return FriendshipsResponse(
            friends: try membership.friends(of: me.id).map { MemberResponse($0) },
            incoming: try membership.requests(to: me.id).map { MemberResponse($0) },
            outgoing: try membership.requests(from: me.id).map { MemberResponse($0) })
    }

    func create(_ ctx: RequestContext, _ request: FriendRequest) throws -> RelationshipResponse {
        let me = try ctx.requireActiveMember()
        guard let other = try membership.member(handle: request.handle),
            let meMember = try membership.member(id: me.id)
        else { throw DomainError.notFound }
        return RelationshipResponse(relationship: try membership.befriend(from: meMember, to: other.id))
    }

    func delete(_ ctx: RequestContext, _ handle: String) throws -> NoContent {
        let me = try ctx.requireMember()
        guard let other = try membership.member(handle: handle) else { throw DomainError.notFound }
        try membership.unfriend(me.id, other.id)
        try membership.dropRequest(between: me.id, and: other.id)
        return NoContent()
    }
}

extension MembershipService.Relationship: APIEnum {}

/// Your friends, the requests sent to you, and those you sent.
struct FriendshipsResponse: APIModel {
    var friends: [MemberResponse]
    var incoming: [MemberResponse]
    var outgoing: [MemberResponse]

    static let schemaName = "MembershipFriendships"
    static let schemaDescription: String? = "Friends, incoming and outgoing requests."
}

/// The member to befriend (or whose request to accept).
struct FriendRequest: APIModel {
    var handle: String

    static let schemaName = "MembershipFriendRequest"
    static let fieldHints: [String: SchemaHint] = ["handle": .init(message: "handle is required.")]
}

/// Where two members stand after a friend request.
struct RelationshipResponse: APIModel {
    var relationship: MembershipService.Relationship

    static let schemaName = "MembershipRelationship"
    static let schemaDescription: String? = "The relationship now: request_sent or friends."
}
