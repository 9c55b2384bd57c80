import Foundation
import HTTP
import Kernel
import Membership

/// The groups part of the JSON API under /api/v1/groups, described in the OpenAPI document.
/// Hidden groups answer 404 to anyone who is not in them; a private group's content answers
/// 401 to visitors and 403 to members of the network who are not in the group.
struct GroupsAPI {
    let groups: GroupsService

    // MARK: JSON

    static func groupJSON(_ group: Group, access: GroupAccess?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(group.id)), ("slug", .string(group.slug)), ("name", .string(group.name)),
            ("description", .string(group.description)), ("category", .string(group.category)),
            ("visibility", .string(group.visibility.rawValue)), ("member_count", JSONValue(group.memberCount)),
            ("image_url", group.hasImage ? .string("\(group.path)/image") : .null), ("url", .string(group.path)),
            ("created_at", JSONValue(group.createdAt)), ("last_activity_at", JSONValue(group.lastActivityAt)),
        ]
        if let access, access.isSignedIn {
            fields.append(
                ("membership", .object([("state", JSONValue(access.state?.rawValue)), ("role", JSONValue(access.isMember ? access.role?.rawValue : nil))])))
        }
        return .object(fields)
    }

    static func membershipJSON(_ row: GroupMembership) -> JSONValue {
        .object([
            ("handle", .string(row.handle)), ("name", .string(row.name)), ("role", .string(row.role.rawValue)),
            ("state", .string(row.state.rawValue)), ("since", JSONValue(row.since)), ("url", .string(row.profilePath)),
            ("message", .string(row.message)),
        ])
    }

    static func author(_ name: String, _ handle: String) -> JSONValue {
        let former = handle.isEmpty || handle.hasPrefix("former-member-")
        return .object([("handle", former ? .null : .string(handle)), ("name", .string(name))])
    }

    static func discussionJSON(_ discussion: Discussion, in group: Group) -> JSONValue {
        .object([
            ("id", .int(discussion.id)), ("group", .string(group.slug)), ("title", .string(discussion.title)),
            ("body", .string(discussion.body)), ("author", author(discussion.authorName, discussion.authorHandle)),
            ("pinned", .bool(discussion.isPinned)), ("locked", .bool(discussion.isLocked)),
            ("hidden", .bool(discussion.isHidden)), ("reply_count", JSONValue(discussion.replyCount)),
            ("created_at", JSONValue(discussion.createdAt)), ("last_reply_at", JSONValue(discussion.lastReplyAt)),
            ("url", .string(discussion.path(in: group))),
        ])
    }

    static func replyJSON(_ reply: DiscussionReply, discussion: Discussion, in group: Group) -> JSONValue {
        .object([
            ("id", .int(reply.id)), ("discussion_id", .int(reply.discussionID)), ("body", .string(reply.body)),
            ("author", author(reply.authorName, reply.authorHandle)), ("hidden", .bool(reply.isHidden)),
            ("created_at", JSONValue(reply.createdAt)), ("url", .string("\(discussion.path(in: group))#reply-\(reply.id)")),
        ])
    }

    // MARK: Helpers

    func visible(_ ctx: RequestContext) throws -> (Group, GroupAccess) {
        try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
    }

    func readable(_ ctx: RequestContext) throws -> (Group, GroupAccess) {
        let (group, access) = try visible(ctx)
        guard access.canReadContent else {
            if ctx.member == nil { throw WebError.unauthorized }
            throw DomainError.forbidden("Only members of the group can see this.")
        }
        return (group, access)
    }

    func chair(_ ctx: RequestContext) throws -> (Group, GroupAccess) {
        let (group, access) = try visible(ctx)
        guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can do that.") }
        return (group, access)
    }

    func target(_ ctx: RequestContext) throws -> Member {
        guard let member = try groups.membership.member(handle: try ctx.parameter("handle")) else { throw DomainError.notFound }
        return member
    }

    static func limit(_ ctx: RequestContext, default value: Int, maximum: Int = 100) -> Int {
        min(maximum, max(1, ctx.query("limit").flatMap(Int.init) ?? value))
    }

    static func draft(_ body: JSONValue, base: Group?) throws -> GroupsService.Draft {
        var visibility = base?.visibility
        if let text = body["visibility"]?.stringValue {
            guard let parsed = GroupVisibility(rawValue: text) else {
                throw DomainError.invalid([FieldError(field: "visibility", message: "visibility is public, private or hidden.")])
            }
            visibility = parsed
        }
        return GroupsService.Draft(
            name: body["name"]?.stringValue ?? base?.name ?? "", slug: body["slug"]?.stringValue ?? "",
            description: body["description"]?.stringValue ?? base?.description ?? "",
            category: body["category"]?.stringValue ?? base?.category ?? "", visibility: visibility)
    }

    // MARK: Routes

    func register(_ web: inout WebContributions) {
        let api = self
        let groups = self.groups
        let bearer: JSONValue = [["bearer": []]]
        let slugParameter: JSONValue = ["name": "slug", "in": "path", "required": true, "schema": ["type": "string"]]
        let handleParameter: JSONValue = ["name": "handle", "in": "path", "required": true, "schema": ["type": "string"]]
        let idParameter: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]
        let groupRef: JSONValue = ["$ref": "#/components/schemas/Group"]
        func jsonBody(_ properties: JSONValue, required: [String] = []) -> JSONValue {
            [
                "required": .bool(!required.isEmpty),
                "content": ["application/json": ["schema": ["type": "object", "properties": properties, "required": .array(required.map(JSONValue.string))]]],
            ]
        }
        web.schema(
            "Group",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "slug": ["type": "string"], "name": ["type": "string"],
                    "description": ["type": "string", "description": "Markdown."], "category": ["type": "string"],
                    "visibility": ["type": "string", "enum": ["public", "private", "hidden"]],
                    "member_count": ["type": "integer"], "image_url": ["type": ["string", "null"]], "url": ["type": "string"],
                    "created_at": ["type": "string", "format": "date-time"],
                    "last_activity_at": ["type": "string", "format": "date-time"],
                    "membership": [
                        "type": "object", "description": "The caller's standing, when signed in.",
                        "properties": [
                            "state": ["type": ["string", "null"], "enum": ["active", "requested", "invited", "banned", nil]],
                            "role": ["type": ["string", "null"], "enum": ["owner", "chair", "member", nil]],
                        ],
                    ],
                ],
                "required": ["id", "slug", "name", "category", "visibility", "member_count"],
            ])
        web.schema(
            "GroupMembership",
            [
                "type": "object",
                "properties": [
                    "handle": ["type": "string"], "name": ["type": "string"],
                    "role": ["type": "string", "enum": ["owner", "chair", "member"]],
                    "state": ["type": "string", "enum": ["active", "requested", "invited", "banned"]],
                    "since": ["type": "string", "format": "date-time"], "url": ["type": "string"],
                    "message": ["type": "string"],
                ],
            ])
        web.schema(
            "GroupDiscussion",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "group": ["type": "string"], "title": ["type": "string"],
                    "body": ["type": "string", "description": "Markdown."],
                    "author": ["type": "object", "properties": ["handle": ["type": ["string", "null"]], "name": ["type": "string"]]],
                    "pinned": ["type": "boolean"], "locked": ["type": "boolean"], "hidden": ["type": "boolean"],
                    "reply_count": ["type": "integer"], "created_at": ["type": "string", "format": "date-time"],
                    "last_reply_at": ["type": "string", "format": "date-time"], "url": ["type": "string"],
                ],
            ])
        web.schema(
            "GroupReply",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "discussion_id": ["type": "integer"], "body": ["type": "string"],
                    "author": ["type": "object"], "hidden": ["type": "boolean"],
                    "created_at": ["type": "string", "format": "date-time"], "url": ["type": "string"],
                ],
            ])

        // MARK: Groups

        web.api(
            "GET", "/api/v1/groups",
            operation: [
                "summary": "The groups directory by name: listed groups and the hidden groups you belong to.",
                "operationId": "listGroups",
                "parameters": [
                    ["name": "q", "in": "query", "schema": ["type": "string"], "description": "Part of the name."],
                    ["name": "category", "in": "query", "schema": ["type": "string"]],
                    ["name": "mine", "in": "query", "schema": ["type": "boolean"], "description": "Only your groups, requests and invitations."],
                    ["name": "after", "in": "query", "schema": ["type": "string"], "description": "Slug of the last group of the previous page."],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                ],
                "responses": ["200": ["description": "A page of groups (items, next)."]],
            ]
        ) { ctx in
            if ctx.query("mine") == "true" || ctx.query("mine") == "1" {
                let me = try ctx.requireMember()
                let mine = try groups.groups(of: me.id)
                return ctx.json([
                    "items": .array(
                        try mine.map { entry in Self.groupJSON(entry.group, access: try groups.access(to: entry.group, for: me)) }),
                    "next": .null,
                ])
            }
            let limit = Self.limit(ctx, default: 24)
            let after = groups.directoryCursor(slug: ctx.query("after"), for: ctx.member)
            let found = try groups.directory(
                for: ctx.member, search: ctx.query("q"), category: ctx.query("category"), limit: limit + 1, after: after)
            let page = Array(found.prefix(limit))
            return ctx.json([
                "items": .array(page.map { Self.groupJSON($0, access: nil) }),
                "next": found.count > limit ? JSONValue(page.last?.slug) : .null,
            ])
        }
        web.api(
            "POST", "/api/v1/groups", access: .members,
            operation: [
                "summary": "Create a group; you become its owner.", "operationId": "createGroup", "security": bearer,
                "requestBody": jsonBody(
                    [
                        "name": ["type": "string", "maxLength": 80], "slug": ["type": "string"],
                        "description": ["type": "string"], "category": ["type": "string"],
                        "visibility": ["type": "string", "enum": ["public", "private", "hidden"]],
                    ], required: ["name", "category", "visibility"]),
                "responses": [
                    "201": ["description": "The new group.", "content": ["application/json": ["schema": groupRef]]],
                    "403": ["description": "You may not create groups."], "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let group = try groups.create(try Self.draft(try ctx.jsonBody(), base: nil), by: me)
            return ctx.json(Self.groupJSON(group, access: try groups.access(to: group, for: me)), status: .created)
        }
        web.api(
            "GET", "/api/v1/groups/:slug",
            operation: [
                "summary": "One group (404 for a hidden group you are not in).", "operationId": "getGroup",
                "parameters": [slugParameter],
                "responses": ["200": ["description": "The group.", "content": ["application/json": ["schema": groupRef]]], "404": ["description": "No such group."]],
            ]
        ) { ctx in
            let (group, access) = try api.visible(ctx)
            var json = Self.groupJSON(group, access: access)
            if case .object(var fields) = json {
                let leaders = try groups.leaders(groupID: group.id)
                fields.append(("leaders", .array(leaders.map(Self.membershipJSON))))
                json = .object(fields)
            }
            return ctx.json(json)
        }
        web.api(
            "PATCH", "/api/v1/groups/:slug", access: .members,
            operation: [
                "summary": "Change a group's name, description, category or visibility (chairs).", "operationId": "updateGroup",
                "security": bearer, "parameters": [slugParameter],
                "requestBody": jsonBody([
                    "name": ["type": "string"], "description": ["type": "string"], "category": ["type": "string"],
                    "visibility": ["type": "string", "enum": ["public", "private", "hidden"]],
                ]),
                "responses": ["200": ["description": "The updated group."], "403": ["description": "Not a chair."], "422": ["description": "Validation failed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.chair(ctx)
            let updated = try groups.update(groupID: group.id, try Self.draft(try ctx.jsonBody(), base: group), by: me)
            return ctx.json(Self.groupJSON(updated, access: try groups.access(to: updated, for: me)))
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug", access: .members,
            operation: [
                "summary": "Delete a group with its discussions (the owner).", "operationId": "deleteGroup", "security": bearer,
                "parameters": [slugParameter], "responses": ["204": ["description": "Deleted."], "403": ["description": "Not the owner."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            try groups.delete(groupID: group.id, by: me)
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        // MARK: Members

        web.api(
            "GET", "/api/v1/groups/:slug/members",
            operation: [
                "summary": "Members of a group by name (banned people: chairs only, with state=banned).",
                "operationId": "listGroupMembers",
                "parameters": [
                    slugParameter,
                    ["name": "state", "in": "query", "schema": ["type": "string", "enum": ["active", "banned"]]],
                    ["name": "after", "in": "query", "schema": ["type": "string"], "description": "Handle of the last member of the previous page."],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 200]],
                ],
                "responses": ["200": ["description": "A page of members (items, next)."], "403": ["description": "Members only."]],
            ]
        ) { ctx in
            let (group, access) = try api.readable(ctx)
            var state = GroupMembershipState.active
            if ctx.query("state") == "banned" {
                guard access.isChair else { throw DomainError.forbidden("Only the group's chairs see who is banned.") }
                state = .banned
            }
            let limit = Self.limit(ctx, default: 50, maximum: 200)
            var after: (name: String, id: Int64)?
            if let handle = ctx.query("after"), let member = try groups.membership.member(handle: handle) {
                after = (member.name, member.id)
            }
            let found = try groups.members(groupID: group.id, state: state, limit: limit + 1, after: after)
            let page = Array(found.prefix(limit))
            return ctx.json([
                "items": .array(page.map(Self.membershipJSON)),
                "next": found.count > limit ? JSONValue(page.last?.handle) : .null,
            ])
        }
        web.api(
            "POST", "/api/v1/groups/:slug/members", access: .members,
            operation: [
                "summary": "Join: a public group at once, any group you are invited to; a private group by request.",
                "operationId": "joinGroup", "security": bearer, "parameters": [slugParameter],
                "responses": [
                    "201": ["description": "You are a member."], "202": ["description": "Your request waits for the chairs."],
                    "403": ["description": "Banned, or invitation only."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let message = (try? ctx.jsonBody())?["message"]?.stringValue ?? ""
            let outcome = try groups.join(groupID: group.id, by: me, message: message)
            return ctx.json(
                ["state": .string(outcome == .joined ? "active" : "requested")], status: outcome == .joined ? .created : .accepted)
        }
        web.api(
            "PATCH", "/api/v1/groups/:slug/members/:handle", access: .members,
            operation: [
                "summary": "Change a member's role (chair or member; owner transfers ownership, by the owner) or lift a ban (banned: false).",
                "operationId": "updateGroupMember", "security": bearer, "parameters": [slugParameter, handleParameter],
                "requestBody": jsonBody(["role": ["type": "string", "enum": ["member", "chair", "owner"]], "banned": ["type": "boolean"]]),
                "responses": ["200": ["description": "The member's row now."], "403": ["description": "Not allowed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let target = try api.target(ctx)
            let body = try ctx.jsonBody()
            if body["banned"]?.boolValue == false {
                try groups.unban(groupID: group.id, memberID: target.id, by: me)
                return ctx.json(["handle": .string(target.handle), "state": .null])
            }
            guard let text = body["role"]?.stringValue, let role = GroupRole(rawValue: text) else {
                throw DomainError.invalid([FieldError(field: "role", message: "role is member, chair or owner.")])
            }
            if role == .owner {
                try groups.transferOwnership(groupID: group.id, to: target.id, by: me)
            } else {
                try groups.setRole(groupID: group.id, memberID: target.id, to: role, by: me)
            }
            guard let row = try groups.membership(groupID: group.id, memberID: target.id) else { throw DomainError.notFound }
            return ctx.json(Self.membershipJSON(row))
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug/members/:handle", access: .members,
            operation: [
                "summary": "Leave the group (your own handle), or remove a member (chairs); ban=true also bars them.",
                "operationId": "removeGroupMember", "security": bearer,
                "parameters": [slugParameter, handleParameter, ["name": "ban", "in": "query", "schema": ["type": "boolean"]]],
                "responses": ["204": ["description": "Done."], "403": ["description": "Not allowed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let target = try api.target(ctx)
            let ban = ctx.query("ban") == "true" || ctx.query("ban") == "1"
            if target.id == me.id && !ban {
                try groups.leave(groupID: group.id, by: me)
            } else {
                try groups.remove(groupID: group.id, memberID: target.id, by: me, ban: ban)
            }
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        // MARK: Requests

        web.api(
            "GET", "/api/v1/groups/:slug/requests", access: .members,
            operation: [
                "summary": "Requests to join waiting for the chairs (chairs).", "operationId": "listGroupRequests",
                "security": bearer, "parameters": [slugParameter],
                "responses": ["200": ["description": "Requests (items)."], "403": ["description": "Not a chair."]],
            ]
        ) { ctx in
            let (group, _) = try api.chair(ctx)
            let rows = try groups.members(groupID: group.id, state: .requested, limit: 200)
            return ctx.json(["items": .array(rows.map(Self.membershipJSON))])
        }
        web.api(
            "POST", "/api/v1/groups/:slug/requests", access: .members,
            operation: [
                "summary": "Ask to join a private group, with an optional note for the chairs.", "operationId": "requestToJoinGroup",
                "security": bearer, "parameters": [slugParameter],
                "requestBody": jsonBody(["message": ["type": "string", "maxLength": 500]]),
                "responses": ["202": ["description": "Requested (or 201: joined, for a public group or an invitation)."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let message = (try? ctx.jsonBody())?["message"]?.stringValue ?? ""
            let outcome = try groups.request(groupID: group.id, by: me, message: message)
            return ctx.json(
                ["state": .string(outcome == .joined ? "active" : "requested")], status: outcome == .joined ? .created : .accepted)
        }
        web.api(
            "POST", "/api/v1/groups/:slug/requests/:handle", access: .members,
            operation: [
                "summary": "Approve or refuse a request (chairs).", "operationId": "decideGroupRequest", "security": bearer,
                "parameters": [slugParameter, handleParameter],
                "requestBody": jsonBody(["decision": ["type": "string", "enum": ["approve", "refuse"]]], required: ["decision"]),
                "responses": ["200": ["description": "Decided."], "403": ["description": "Not a chair."], "409": ["description": "No such request."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let target = try api.target(ctx)
            switch try ctx.jsonBody()["decision"]?.stringValue {
            case "approve": try groups.approve(groupID: group.id, memberID: target.id, by: me)
            case "refuse": try groups.refuse(groupID: group.id, memberID: target.id, by: me)
            default: throw DomainError.invalid([FieldError(field: "decision", message: "decision is approve or refuse.")])
            }
            return ctx.json(["handle": .string(target.handle), "decision": .string(try ctx.jsonBody()["decision"]?.stringValue ?? "")])
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug/requests/:handle", access: .members,
            operation: [
                "summary": "Withdraw your own request, or refuse one (chairs).", "operationId": "deleteGroupRequest",
                "security": bearer, "parameters": [slugParameter, handleParameter], "responses": ["204": ["description": "Done."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try api.visible(ctx)
            let target = try api.target(ctx)
            if target.id == me.id {
                guard access.hasRequested else { throw DomainError.conflict("You have no request waiting.") }
                try groups.leave(groupID: group.id, by: me)
            } else {
                try groups.refuse(groupID: group.id, memberID: target.id, by: me)
            }
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        // MARK: Invitations

        web.api(
            "GET", "/api/v1/groups/:slug/invitations", access: .members,
            operation: [
                "summary": "Invitations waiting for an answer: all of them for chairs, your own otherwise.",
                "operationId": "listGroupInvitations", "security": bearer, "parameters": [slugParameter],
                "responses": ["200": ["description": "Invitations (items)."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try api.visible(ctx)
            if access.isChair {
                let rows = try groups.members(groupID: group.id, state: .invited, limit: 200)
                return ctx.json(["items": .array(rows.map(Self.membershipJSON))])
            }
            var own: [JSONValue] = []
            if let row = try groups.membership(groupID: group.id, memberID: me.id), row.state == .invited {
                own.append(Self.membershipJSON(row))
            }
            return ctx.json(["items": .array(own)])
        }
        web.api(
            "POST", "/api/v1/groups/:slug/invitations", access: .members,
            operation: [
                "summary": "Invite a member of the network (chairs).", "operationId": "inviteToGroup", "security": bearer,
                "parameters": [slugParameter],
                "requestBody": jsonBody(["handle": ["type": "string"], "message": ["type": "string", "maxLength": 500]], required: ["handle"]),
                "responses": ["201": ["description": "Invited."], "403": ["description": "Not a chair."], "409": ["description": "Already in, invited or banned."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let body = try ctx.jsonBody()
            guard let handle = body["handle"]?.stringValue, let invitee = try groups.membership.member(handle: handle) else {
                throw DomainError.invalid([FieldError(field: "handle", message: "There is no member with that handle.")])
            }
            try groups.invite(groupID: group.id, memberID: invitee.id, by: me, message: body["message"]?.stringValue ?? "")
            let row = try groups.membership(groupID: group.id, memberID: invitee.id)
            return ctx.json(row.map(Self.membershipJSON) ?? .null, status: .created)
        }
        web.api(
            "POST", "/api/v1/groups/:slug/invitations/:handle", access: .members,
            operation: [
                "summary": "Accept or decline your invitation (the handle is yours).", "operationId": "answerGroupInvitation",
                "security": bearer, "parameters": [slugParameter, handleParameter],
                "requestBody": jsonBody(["decision": ["type": "string", "enum": ["accept", "decline"]]], required: ["decision"]),
                "responses": ["200": ["description": "Answered."], "409": ["description": "No invitation."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try api.visible(ctx)
            let target = try api.target(ctx)
            guard target.id == me.id else { throw DomainError.forbidden("Only the invited member answers an invitation.") }
            guard access.isInvited else { throw DomainError.conflict("You have no invitation to this group.") }
            switch try ctx.jsonBody()["decision"]?.stringValue {
            case "accept":
                try groups.join(groupID: group.id, by: me)
                return ctx.json(["state": "active"])
            case "decline":
                try groups.leave(groupID: group.id, by: me)
                return ctx.json(["state": .null])
            default: throw DomainError.invalid([FieldError(field: "decision", message: "decision is accept or decline.")])
            }
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug/invitations/:handle", access: .members,
            operation: [
                "summary": "Withdraw an invitation (chairs) or decline your own.", "operationId": "deleteGroupInvitation",
                "security": bearer, "parameters": [slugParameter, handleParameter], "responses": ["204": ["description": "Done."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try api.visible(ctx)
            let target = try api.target(ctx)
            if target.id == me.id {
                guard access.isInvited else { throw DomainError.conflict("You have no invitation to this group.") }
                try groups.leave(groupID: group.id, by: me)
            } else {
                try groups.cancelInvitation(groupID: group.id, memberID: target.id, by: me)
            }
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        // MARK: Discussions

        web.api(
            "GET", "/api/v1/groups/:slug/discussions",
            operation: [
                "summary": "A group's discussions: pinned first, then by latest reply.", "operationId": "listGroupDiscussions",
                "parameters": [
                    slugParameter, ["name": "before", "in": "query", "schema": ["type": "string"], "description": "Cursor from next."],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                ],
                "responses": ["200": ["description": "A page of discussions (items, next)."], "403": ["description": "Members only."]],
            ]
        ) { ctx in
            let (group, access) = try api.readable(ctx)
            let limit = Self.limit(ctx, default: 20)
            let found = try groups.discussions(
                groupID: group.id, access: access, limit: limit + 1, before: ctx.query("before").flatMap(DiscussionCursor.init))
            let page = Array(found.prefix(limit))
            return ctx.json([
                "items": .array(page.map { Self.discussionJSON($0, in: group) }),
                "next": found.count > limit ? JSONValue(page.last.map { DiscussionCursor(after: $0).text }) : .null,
            ])
        }
        web.api(
            "POST", "/api/v1/groups/:slug/discussions", access: .members,
            operation: [
                "summary": "Start a discussion (members of the group).", "operationId": "startGroupDiscussion", "security": bearer,
                "parameters": [slugParameter],
                "requestBody": jsonBody(
                    ["title": ["type": "string", "maxLength": 200], "body": ["type": "string", "description": "Markdown."]],
                    required: ["title", "body"]),
                "responses": ["201": ["description": "The discussion."], "403": ["description": "Not a member."], "422": ["description": "Validation failed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try api.visible(ctx)
            let body = try ctx.jsonBody()
            let discussion = try groups.startDiscussion(
                groupID: group.id, by: me, title: body["title"]?.stringValue ?? "", body: body["body"]?.stringValue ?? "")
            return ctx.json(Self.discussionJSON(discussion, in: group), status: .created)
        }
        web.api(
            "GET", "/api/v1/groups/:slug/discussions/:id",
            operation: [
                "summary": "One discussion with its opening post.", "operationId": "getGroupDiscussion",
                "parameters": [slugParameter, idParameter], "responses": ["200": ["description": "The discussion."], "404": ["description": "Not found."]],
            ]
        ) { ctx in
            let (group, access, discussion) = try api.discussion(ctx)
            var json = Self.discussionJSON(discussion, in: group)
            if case .object(var fields) = json, let me = ctx.member, access.isMember {
                fields.append(("following", .bool(try groups.isFollowing(discussionID: discussion.id, memberID: me.id))))
                json = .object(fields)
            }
            return ctx.json(json)
        }
        web.api(
            "PATCH", "/api/v1/groups/:slug/discussions/:id", access: .members,
            operation: [
                "summary": "Pin or lock (chairs); follow or unfollow (members).", "operationId": "updateGroupDiscussion",
                "security": bearer, "parameters": [slugParameter, idParameter],
                "requestBody": jsonBody(["pinned": ["type": "boolean"], "locked": ["type": "boolean"], "following": ["type": "boolean"]]),
                "responses": ["200": ["description": "The discussion now."], "403": ["description": "Not allowed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _, discussion) = try api.discussion(ctx)
            let body = try ctx.jsonBody()
            if let pinned = body["pinned"]?.boolValue { try groups.setPinned(discussionID: discussion.id, pinned, by: me) }
            if let locked = body["locked"]?.boolValue { try groups.setLocked(discussionID: discussion.id, locked, by: me) }
            if let following = body["following"]?.boolValue {
                if following {
                    try groups.follow(discussionID: discussion.id, by: me)
                } else {
                    try groups.unfollow(discussionID: discussion.id, by: me)
                }
            }
            guard let updated = try groups.discussion(id: discussion.id) else { throw DomainError.notFound }
            return ctx.json(Self.discussionJSON(updated, in: group))
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug/discussions/:id", access: .members,
            operation: [
                "summary": "Delete a discussion (its author or a chair).", "operationId": "deleteGroupDiscussion",
                "security": bearer, "parameters": [slugParameter, idParameter], "responses": ["204": ["description": "Deleted."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (_, _, discussion) = try api.discussion(ctx)
            try groups.deleteDiscussion(id: discussion.id, by: me)
            return ctx.respond(HTTPResponse(status: .noContent))
        }
        web.api(
            "GET", "/api/v1/groups/:slug/discussions/:id/replies",
            operation: [
                "summary": "Replies, oldest first.", "operationId": "listGroupReplies",
                "parameters": [
                    slugParameter, idParameter,
                    ["name": "after", "in": "query", "schema": ["type": "integer"], "description": "Id of the last reply of the previous page."],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 200]],
                ],
                "responses": ["200": ["description": "A page of replies (items, next)."]],
            ]
        ) { ctx in
            let (group, access, discussion) = try api.discussion(ctx)
            let limit = Self.limit(ctx, default: 50, maximum: 200)
            let found = try groups.replies(
                discussionID: discussion.id, access: access, limit: limit + 1, after: ctx.query("after").flatMap(Int64.init))
            let page = Array(found.prefix(limit))
            return ctx.json([
                "items": .array(page.map { Self.replyJSON($0, discussion: discussion, in: group) }),
                "next": found.count > limit ? JSONValue(page.last?.id) : .null,
            ])
        }
        web.api(
            "POST", "/api/v1/groups/:slug/discussions/:id/replies", access: .members,
            operation: [
                "summary": "Reply (members of the group; not in a locked discussion). Followers are notified by email.",
                "operationId": "replyInGroupDiscussion", "security": bearer, "parameters": [slugParameter, idParameter],
                "requestBody": jsonBody(["body": ["type": "string", "description": "Markdown."]], required: ["body"]),
                "responses": ["201": ["description": "The reply."], "409": ["description": "Locked."], "422": ["description": "Validation failed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (group, _, discussion) = try api.discussion(ctx)
            let reply = try groups.reply(to: discussion.id, by: me, body: try ctx.jsonBody()["body"]?.stringValue ?? "")
            return ctx.json(Self.replyJSON(reply, discussion: discussion, in: group), status: .created)
        }
        web.api(
            "DELETE", "/api/v1/groups/:slug/discussions/:id/replies/:reply", access: .members,
            operation: [
                "summary": "Delete a reply (its author or a chair).", "operationId": "deleteGroupReply", "security": bearer,
                "parameters": [
                    slugParameter, idParameter, ["name": "reply", "in": "path", "required": true, "schema": ["type": "integer"]],
                ],
                "responses": ["204": ["description": "Deleted."], "403": ["description": "Not allowed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let (_, _, discussion) = try api.discussion(ctx)
            let replyID = try ctx.idParameter("reply")
            guard try groups.discussionID(ofReply: replyID) == discussion.id else { throw DomainError.notFound }
            try groups.deleteReply(id: replyID, by: me)
            return ctx.respond(HTTPResponse(status: .noContent))
        }
    }

    func discussion(_ ctx: RequestContext) throws -> (Group, GroupAccess, Discussion) {
        _ = try readable(ctx)
        return try groups.visibleDiscussion(slug: try ctx.parameter("slug"), id: try ctx.idParameter("id"), for: ctx.member)
    }
}
