import Kernel

/// The membership part of the JSON API under /api/v1: sessions, members and profiles, joining,
/// friendships and statuses. Each operation is a named handler of a controller per sub-feature;
/// the OpenAPI document is derived from these declarations and the types the handlers take and
/// return (see docs/api.md).
struct MembershipAPI {
    let membership: MembershipService

    /// A member as the API shows them, for the console's `--json` (the same JSON, the same order).
    static func memberJSON(_ member: Member, includeEmail: Bool = false) throws -> JSONValue {
        try JSONValue(encoding: MemberResponse(member, includeEmail: includeEmail))
    }

    func register(_ web: inout WebContributions) {
        let sessions = SessionsController(membership: membership)
        let join = JoinController(membership: membership)
        let members = MembersController(membership: membership)
        let friendships = FriendshipsController(membership: membership)
        let statuses = StatusesController(membership: membership)
        web.apiGroup("/api/v1", tag: "members") { api in
            api.post(
                "/sessions", summary: "Sign in: exchange credentials for a bearer token.",
                operationID: "createSession", errors: [.unauthorized, .forbidden, .tooManyRequests],
                use: sessions.create)
            api.delete(
                "/sessions", access: .members, summary: "Revoke the bearer token used for this request.",
                operationID: "deleteSession", errors: [.badRequest], use: sessions.delete)

            api.get(
                "/me", access: .members, summary: "The signed-in member.", operationID: "me", use: members.me)
            api.get(
                "/members", summary: "The member directory, newest first or by name.",
                description: "Members only, unless the network's directory is public.",
                operationID: "listMembers", errors: [.unauthorized], use: members.list)
            api.post("/members", summary: "Join the network.", operationID: "join", use: join.create)
            api.get(
                "/members/:handle", summary: "One member's profile.", operationID: "getMember",
                errors: [.unauthorized], use: members.show)
            api.patch(
                "/members/:handle", access: .members,
                summary: "Update your own profile (name, handle, bio, answers).", operationID: "updateMember",
                errors: [.forbidden], use: members.update)

            api.get(
                "/friendships", access: .members, summary: "Your friends and friend requests.",
                operationID: "listFriendships", use: friendships.list)
            api.post(
                "/friendships", access: .members,
                summary: "Send a friend request, or accept the one the member sent you.",
                operationID: "befriend",
                errors: [.forbidden, .notFound, .tooManyRequests], use: friendships.create)
            api.delete(
                "/friendships/:handle", access: .members,
                summary: "Remove a friend, or decline or cancel a request.", operationID: "unfriend",
                use: friendships.delete)

            api.get(
                "/statuses", summary: "A member's statuses, newest first.", operationID: "listStatuses",
                errors: [.unauthorized, .notFound], use: statuses.list)
            api.post(
                "/statuses", access: .members, summary: "Post a status (at most 500 characters).",
                operationID: "postStatus", errors: [.forbidden], use: statuses.create)
            api.delete(
                "/statuses/:id", access: .members, summary: "Delete one of your statuses.",
                operationID: "deleteStatus", errors: [.forbidden], use: statuses.delete)
            api.likeOperations(
                "/statuses/:id/like", noun: "status", name: "Status", services: membership.services
            ) {
                ContentReference(module: "membership", kind: "status", id: $0)
            }
        }
    }
}
