import Kernel

/// The groups part of the JSON API under /api/v1/groups. Each operation is a named handler of a
/// controller per sub-feature; the OpenAPI document is derived from these declarations and the
/// types the handlers take and return (see docs/api.md). Hidden groups answer 404 to anyone who
/// is not in them; a private group's content answers 401 to visitors and 403 to members of the
/// network who are not in the group.
struct GroupsAPI {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        let directory = GroupsController(groups: groups)
        let members = MembersController(groups: groups)
        let requests = RequestsController(groups: groups)
        let invitations = InvitationsController(groups: groups)
        let discussions = DiscussionsController(groups: groups)
        let replies = RepliesController(groups: groups)
        web.apiGroup("/api/v1/groups", tag: "groups") { api in
            api.get(
                "",
                summary: "The groups directory by name: listed groups and the hidden groups you belong to.",
                operationID: "listGroups", errors: [.unauthorized], use: directory.list)
            api.post(
                "", access: .members, summary: "Create a group; you become its owner.",
                operationID: "createGroup",
                errors: [.forbidden], use: directory.create)
            api.get(
                "/:slug", summary: "One group, with its leaders (404 for a hidden group you are not in).",
                operationID: "getGroup", use: directory.show)
            api.patch(
                "/:slug", access: .members,
                summary: "Change a group's name, description, category or visibility (chairs).",
                operationID: "updateGroup", errors: [.forbidden], use: directory.update)
            api.delete(
                "/:slug", access: .members, summary: "Delete a group with its discussions (the owner).",
                operationID: "deleteGroup", errors: [.forbidden], use: directory.delete)

            api.get(
                "/:slug/members",
                summary: "Members of a group by name (banned people: chairs only, with state=banned).",
                operationID: "listGroupMembers", errors: [.unauthorized, .forbidden], use: members.list)
            api.post(
                "/:slug/members", access: .members,
                summary:
                    "Join: a public group at once, any group you are invited to; a private group by request.",
                description: "The body may be left out.",
                operationID: "joinGroup", errors: [.forbidden, .conflict], use: members.join)
            api.patch(
                "/:slug/members/:handle", access: .members,
                summary:
                    "Change a member's role (chair or member; owner transfers ownership, by the owner) or lift a ban (banned: false).",
                operationID: "updateGroupMember", errors: [.forbidden, .conflict], use: members.update)
            api.delete(
                "/:slug/members/:handle", access: .members,
                summary:
                    "Leave the group (your own handle), or remove a member (chairs); ban=true also bars them.",
                operationID: "removeGroupMember", errors: [.forbidden, .conflict], use: members.remove)

            api.get(
                "/:slug/requests", access: .members,
                summary: "Requests to join waiting for the chairs (chairs).",
                operationID: "listGroupRequests", errors: [.forbidden], use: requests.list)
            api.post(
                "/:slug/requests", access: .members,
                summary: "Ask to join a private group, with an optional note for the chairs.",
                description:
                    "Answers 202 (requested), or 201 (joined) for a public group or an invitation. The body may be left out.",
                operationID: "requestToJoinGroup", errors: [.forbidden, .conflict], use: requests.create)
            api.post(
                "/:slug/requests/:handle", access: .members, summary: "Approve or refuse a request (chairs).",
                operationID: "decideGroupRequest", errors: [.forbidden, .conflict], use: requests.decide)
            api.delete(
                "/:slug/requests/:handle", access: .members,
                summary: "Withdraw your own request, or refuse one (chairs).",
                operationID: "deleteGroupRequest",
                errors: [.forbidden, .conflict], use: requests.delete)

            api.get(
                "/:slug/invitations", access: .members,
                summary: "Invitations waiting for an answer: all of them for chairs, your own otherwise.",
                operationID: "listGroupInvitations", use: invitations.list)
            api.post(
                "/:slug/invitations", access: .members, summary: "Invite a member of the network (chairs).",
                operationID: "inviteToGroup", errors: [.forbidden, .conflict], use: invitations.create)
            api.post(
                "/:slug/invitations/:handle", access: .members,
                summary: "Accept or decline your invitation (the handle is yours).",
                operationID: "answerGroupInvitation", errors: [.forbidden, .conflict], use: invitations.answer
            )
            api.delete(
                "/:slug/invitations/:handle", access: .members,
                summary: "Withdraw an invitation (chairs) or decline your own.",
                operationID: "deleteGroupInvitation",
                errors: [.forbidden, .conflict], use: invitations.delete)

            api.get(
                "/:slug/discussions", summary: "A group's discussions: pinned first, then by latest reply.",
                operationID: "listGroupDiscussions", errors: [.unauthorized, .forbidden],
                use: discussions.list)
            api.post(
                "/:slug/discussions", access: .members, summary: "Start a discussion (members of the group).",
                operationID: "startGroupDiscussion", errors: [.forbidden, .tooManyRequests],
                use: discussions.create)
            api.get(
                "/:slug/discussions/:id", summary: "One discussion with its opening post.",
                operationID: "getGroupDiscussion", errors: [.unauthorized, .forbidden], use: discussions.show)
            api.patch(
                "/:slug/discussions/:id", access: .members,
                summary: "Pin or lock (chairs); follow or unfollow (members).",
                operationID: "updateGroupDiscussion",
                errors: [.forbidden], use: discussions.update)
            api.delete(
                "/:slug/discussions/:id", access: .members,
                summary: "Delete a discussion (its author or a chair).",
                operationID: "deleteGroupDiscussion", errors: [.forbidden], use: discussions.delete)

            api.get(
                "/:slug/discussions/:id/replies", summary: "Replies, oldest first.",
                operationID: "listGroupReplies",
                errors: [.unauthorized, .forbidden], use: replies.list)
            api.post(
                "/:slug/discussions/:id/replies", access: .members,
                summary:
                    "Reply (members of the group; not in a locked discussion). Followers are notified by email.",
                operationID: "replyInGroupDiscussion", errors: [.forbidden, .conflict, .tooManyRequests],
                use: replies.create)
            api.delete(
                "/:slug/discussions/:id/replies/:reply", access: .members,
                summary: "Delete a reply (its author or a chair).", operationID: "deleteGroupReply",
                errors: [.forbidden], use: replies.delete)
            GroupLikesController(groups: groups).register(&api)
        }
    }
}
