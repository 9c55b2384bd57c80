import Foundation
import HTTP
import Kernel

// The JSON the API answers and accepts for group membership: members, requests, invitations
// and bans. Each type is its own OpenAPI schema.

/// One person's row in a group: a member with a role, a request, an invitation or a ban.
struct MembershipResponse: APIModel {
    var handle: String
    var name: String
    var role: GroupRole
    var state: GroupMembershipState
    var since: Date
    var url: String
    var message: String

    static let schemaName = "GroupMembership"
    static let schemaDescription: String? = "A person's row in a group."
    static let fieldHints: [String: SchemaHint] = [
        "url": .description("The member's profile, relative to the network's address."),
        "message": .description("The request's or the invitation's note."),
    ]
}

extension MembershipResponse {
    init(_ row: GroupMembership) {
        handle = row.handle
        name = row.name
        role = row.role
        state = row.state
        since = row.since
        url = row.profilePath
        message = row.message
    }
}

/// Where the caller stands after joining, asking or answering: `active`, `requested`, or null
/// (declined).
struct MembershipStateResponse: APIModel {
    var state: GroupMembershipState?

    static let schemaName = "GroupMembershipState"
}

/// The answer to joining or asking to join: 201 with `active` when the caller is in, 202 with
/// `requested` when the request waits for the chairs.
struct JoinResponse: APIResponse {
    var outcome: GroupsService.JoinOutcome

    static var successStatus: HTTPStatus { .created }
    static var successDescription: String {
        "You are a member (201, state active); or 202 with state requested: your request waits for the chairs."
    }
    static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue? {
        try registry.schema(for: MembershipStateResponse.self)
    }
    func response(in context: RequestContext) throws -> HTTPResponse {
        let joined = outcome == .joined
        var response = try MembershipStateResponse(state: joined ? .active : .requested).response(in: context)
        response.status = joined ? .created : .accepted
        return response
    }
}

/// A note to the chairs with a request to join. The whole body may be left out.
struct JoinRequest: APIModel {
    var message: String?

    static let schemaName = "GroupJoinInput"
    static let fieldHints: [String: SchemaHint] = ["message": .init(maxLength: 500)]
}

/// A chair's decision on a request to join.
struct RequestDecision: APIModel {
    enum Decision: String, APIEnum { case approve, refuse }
    var decision: Decision

    static let schemaName = "GroupRequestDecision"
    static let fieldHints: [String: SchemaHint] = [
        "decision": .init(message: "decision is approve or refuse.")
    ]
}

/// The decision taken, as the API answers it.
struct RequestDecisionResponse: APIModel {
    var handle: String
    var decision: RequestDecision.Decision

    static let schemaName = "GroupRequestDecided"
}

/// An invitation to a member of the network.
struct InvitationRequest: APIModel {
    var handle: String
    var message: String?

    static let schemaName = "GroupInvitationInput"
    static let fieldHints: [String: SchemaHint] = [
        "handle": .init(message: "There is no member with that handle."),
        "message": .init(maxLength: 500),
    ]
}

/// The invited member's answer.
struct InvitationAnswer: APIModel {
    enum Decision: String, APIEnum { case accept, decline }
    var decision: Decision

    static let schemaName = "GroupInvitationAnswer"
    static let fieldHints: [String: SchemaHint] = [
        "decision": .init(message: "decision is accept or decline.")
    ]
}

/// A change to a member's row: a new role, or `banned: false` to lift a ban.
struct MemberUpdateRequest: APIModel {
    var role: GroupRole?
    var banned: Bool?

    static let schemaName = "GroupMemberUpdate"
    static let fieldHints: [String: SchemaHint] = [
        "role": .init(
            description: "owner hands the group over (the owner only).",
            message: "role is member, chair or owner."),
        "banned": .description("false lifts a ban."),
    ]
}

/// A member's row after a change of role; after a ban is lifted, only `handle` and `state: null`.
struct MemberUpdateResponse: APIModel {
    var handle: String
    var row: MembershipResponse?

    static let schemaName = "GroupMemberUpdated"
    static let schemaDescription: String? =
        "The member's row after a change of role; after a ban is lifted, only handle and state (null)."

    init(handle: String, row: MembershipResponse?) {
        self.handle = handle
        self.row = row
    }

    private enum CodingKeys: String, CodingKey { case handle, name, role, state, since, url, message }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        handle = try container.decode(String.self, forKey: .handle)
        let state = try container.decodeIfPresent(GroupMembershipState.self, forKey: .state)
        let name = try container.decodeIfPresent(String.self, forKey: .name)
        let role = try container.decodeIfPresent(GroupRole.self, forKey: .role)
        let since = try container.decodeIfPresent(Date.self, forKey: .since)
        let url = try container.decodeIfPresent(String.self, forKey: .url)
        let message = try container.decodeIfPresent(String.self, forKey: .message)
        if let state, let name, let role, let since, let url, let message {
            row = MembershipResponse(
                handle: handle, name: name, role: role, state: state, since: since, url: url, message: message
            )
        }
    }

    func encode(to encoder: any Encoder) throws {
        if let row { return try row.encode(to: encoder) }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(handle, forKey: .handle)
        try container.encodeNil(forKey: .state)
    }
}

/// Which members to list.
struct MemberListQuery: APIQuery {
    enum State: String, APIEnum { case active, banned }
    var state: State?
    var after: String?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...200
    static let fieldHints: [String: SchemaHint] = [
        "state": .description("banned: the people the chairs barred (chairs only)."),
        "after": .description("Handle of the last member of the previous page (its `next`)."),
        "limit": .description("Members per page (default 50)."),
    ]
}

/// Removing a member.
struct RemoveMemberQuery: APIQuery {
    var ban: Bool?

    static let fieldHints: [String: SchemaHint] = ["ban": .description("Also bar them from asking again.")]
}
