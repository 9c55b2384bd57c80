import Foundation
import HTTP
import Kernel

/// The membership part of the JSON API under /api/v1, described in the OpenAPI document.
struct MembershipAPI {
    let membership: MembershipService

    static func memberJSON(_ member: Member, answers: [String: String]? = nil, includeEmail: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(member.id)), ("handle", .string(member.handle)), ("name", .string(member.name)),
            ("role", .string(member.role.rawValue)), ("status", .string(member.status.rawValue)),
            ("joined_at", JSONValue(member.createdAt)), ("url", .string(member.profilePath)),
        ]
        if includeEmail { fields.append(("email", .string(member.email))) }
        if let answers {
            fields.append(("bio", .string(member.bio)))
            fields.append(("answers", .object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        return .object(fields)
    }

    static func statusJSON(_ status: Status) -> JSONValue {
        ["id": .int(status.id), "member_id": .int(status.memberID), "body": .string(status.body), "created_at": JSONValue(status.createdAt)]
    }

    static func string(_ body: JSONValue, _ key: String) -> String? { body[key]?.stringValue }

    func register(_ web: inout WebContributions) {
        let membership = self.membership
        let memberRef: JSONValue = ["$ref": "#/components/schemas/Member"]
        web.schema("Member", [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "handle": ["type": "string"], "name": ["type": "string"],
                "role": ["type": "string", "enum": ["member", "moderator", "admin", "creator"]],
                "status": ["type": "string", "enum": ["active", "pending", "suspended", "deleted"]],
                "joined_at": ["type": "string", "format": "date-time"], "url": ["type": "string"],
                "email": ["type": "string", "description": "Only in your own record."],
                "bio": ["type": "string"], "answers": ["type": "object", "additionalProperties": ["type": "string"]],
            ],
            "required": ["id", "handle", "name", "role", "status", "joined_at"],
        ])
        web.schema("Status", [
            "type": "object",
            "properties": ["id": ["type": "integer"], "member_id": ["type": "integer"], "body": ["type": "string", "maxLength": 500], "created_at": ["type": "string", "format": "date-time"]],
        ])

        web.api("POST", "/api/v1/sessions", operation: [
            "summary": "Sign in: exchange credentials for a bearer token.", "operationId": "createSession",
            "requestBody": OpenAPI.jsonBody(["type": "object", "properties": ["login": ["type": "string"], "password": ["type": "string"]], "required": ["login", "password"]]),
            "responses": ["201": ["description": "A token and the member."], "401": ["description": "Wrong credentials."], "429": ["description": "Too many attempts."]],
        ]) { ctx in
            let body = try ctx.jsonBody()
            guard let login = Self.string(body, "login"), let password = Self.string(body, "password") else {
                throw DomainError.invalid([FieldError(field: "login", message: "login and password are required.")])
            }
            do {
                let member = try membership.signIn(login: login, password: password, address: ctx.request.remoteAddress)
                let token = try membership.createAPIToken(for: member)
                return ctx.json(["token": .string(token), "member": Self.memberJSON(member, includeEmail: true)], status: .created)
            } catch let failure as MembershipService.SignInFailure {
                switch failure {
                case .invalid: throw WebError.unauthorized
                case .throttled(let minutes): throw DomainError.rateLimited("Too many attempts; wait \(minutes) minutes.")
                case .suspended: throw DomainError.forbidden("This account is suspended.")
                }
            }
        }
        web.api("DELETE", "/api/v1/sessions", access: .members, operation: [
            "summary": "Revoke the bearer token used for this request.", "operationId": "deleteSession", "security": [["bearer": []]],
            "responses": ["204": ["description": "Revoked."]],
        ]) { ctx in
            guard let authorization = ctx.request.headers["Authorization"], authorization.lowercased().hasPrefix("bearer ") else {
                throw WebError.badRequest("Send the token to revoke as a bearer token.")
            }
            try membership.revokeAPIToken(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            return ctx.respond(HTTPResponse(status: .noContent))
        }
        web.api("GET", "/api/v1/me", access: .members, operation: [
            "summary": "The signed-in member.", "operationId": "me", "security": [["bearer": []]],
            "responses": ["200": ["description": "You.", "content": ["application/json": ["schema": memberRef]]]],
        ]) { ctx in
            let me = try ctx.requireMember()
            guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
            let answers = try membership.database.read { try membership.answers(of: me.id, in: $0) }
            return ctx.json(Self.memberJSON(member, answers: answers, includeEmail: true))
        }
        web.api("GET", "/api/v1/members", operation: [
            "summary": "The member directory, newest first or by name.", "operationId": "listMembers",
            "parameters": [
                ["name": "sort", "in": "query", "schema": ["type": "string", "enum": ["newest", "name"]]],
                ["name": "after", "in": "query", "schema": ["type": "string"], "description": "Handle of the last member of the previous page."],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                ["name": "q", "in": "query", "schema": ["type": "string"]],
            ],
            "responses": ["200": ["description": "A page of members."]],
        ]) { ctx in
            if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
            let limit = min(100, max(1, ctx.query("limit").flatMap(Int.init) ?? 24))
            let after = try ctx.query("after").flatMap { try membership.member(handle: $0) }
            let members = try membership.directory(
                order: .init(rawValue: ctx.query("sort") ?? "") ?? .newest, filter: nil, search: ctx.query("q"), limit: limit + 1, after: after)
            let page = Array(members.prefix(limit))
            return ctx.json([
                "items": .array(page.map { Self.memberJSON($0) }),
                "next": members.count > limit ? JSONValue(page.last?.handle) : .null,
            ])
        }
        web.api("POST", "/api/v1/members", operation: [
            "summary": "Join the network.", "operationId": "join",
            "requestBody": OpenAPI.jsonBody([
                "type": "object",
                "properties": ["name": ["type": "string"], "email": ["type": "string"], "password": ["type": "string", "minLength": 10], "handle": ["type": "string"], "accept_terms": ["type": "boolean"], "answers": ["type": "object"], "invitation": ["type": "string"]],
                "required": ["name", "email", "password", "accept_terms"],
            ]),
            "responses": [
                "202": ["description": "Accepted: a message went to the address (a link to finish joining, or, when the address is a member's already, a note to its owner). The answer is the same either way."],
                "422": ["description": "Validation failed."],
            ],
        ]) { ctx in
            let body = try ctx.jsonBody()
            var answers: [String: String] = [:]
            if case .object(let pairs)? = body["answers"] {
                for (key, value) in pairs {
                    if let text = value.stringValue { answers[key] = text } else if let list = value.arrayValue { answers[key] = list.compactMap(\.stringValue).joined(separator: "\n") }
                }
            }
            try membership.requestSignUp(.init(
                name: Self.string(body, "name") ?? "", email: Self.string(body, "email") ?? "", password: Self.string(body, "password") ?? "",
                handle: Self.string(body, "handle"), acceptsTerms: body["accept_terms"]?.boolValue ?? false, answers: answers,
                invitationCode: Self.string(body, "invitation")))
            return ctx.json(
                ["status": "check_mail", "detail": "We have sent a message to that address. Open the link in it to finish joining; it works for a day."],
                status: HTTPStatus(code: 202))
        }
        web.api("GET", "/api/v1/members/:handle", operation: [
            "summary": "One member's profile.", "operationId": "getMember",
            "parameters": [["name": "handle", "in": "path", "required": true, "schema": ["type": "string"]]],
            "responses": ["200": ["description": "The member.", "content": ["application/json": ["schema": memberRef]]], "404": ["description": "No such member."]],
        ]) { ctx in
            if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
            guard let member = try membership.member(handle: try ctx.parameter("handle")),
                member.status == .active || ctx.member?.isModerator == true || ctx.member?.id == member.id
            else { throw DomainError.notFound }
            let answers = try membership.database.read { try membership.answers(of: member.id, in: $0) }
            return ctx.json(Self.memberJSON(member, answers: answers, includeEmail: ctx.member?.id == member.id))
        }
        web.api("PATCH", "/api/v1/members/:handle", access: .members, operation: [
            "summary": "Update your own profile (name, handle, bio, answers).", "operationId": "updateMember", "security": [["bearer": []]],
            "parameters": [["name": "handle", "in": "path", "required": true, "schema": ["type": "string"]]],
            "responses": ["200": ["description": "The updated member."], "403": ["description": "Not your profile."], "422": ["description": "Validation failed."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            guard let member = try membership.member(handle: try ctx.parameter("handle")) else { throw DomainError.notFound }
            guard member.id == me.id else { throw DomainError.forbidden("You can only change your own profile.") }
            let body = try ctx.jsonBody()
            var answers = try membership.database.read { try membership.answers(of: me.id, in: $0) }
            if case .object(let pairs)? = body["answers"] {
                for (key, value) in pairs { answers[key] = value.stringValue ?? value.arrayValue?.compactMap(\.stringValue).joined(separator: "\n") ?? "" }
            }
            let updated = try membership.updateProfile(memberID: me.id, .init(
                name: Self.string(body, "name") ?? member.name, handle: Self.string(body, "handle") ?? member.handle,
                bio: Self.string(body, "bio") ?? member.bio, answers: answers))
            return ctx.json(Self.memberJSON(updated, answers: answers, includeEmail: true))
        }
        web.api("GET", "/api/v1/friendships", access: .members, operation: [
            "summary": "Your friends and friend requests.", "operationId": "listFriendships", "security": [["bearer": []]],
            "responses": ["200": ["description": "Friends, incoming and outgoing requests."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            return ctx.json([
                "friends": .array(try membership.friends(of: me.id).map { Self.memberJSON($0) }),
                "incoming": .array(try membership.requests(to: me.id).map { Self.memberJSON($0) }),
                "outgoing": .array(try membership.requests(from: me.id).map { Self.memberJSON($0) }),
            ])
        }
        web.api("POST", "/api/v1/friendships", access: .members, operation: [
            "summary": "Send a friend request, or accept the one the member sent you.", "operationId": "befriend", "security": [["bearer": []]],
            "requestBody": OpenAPI.jsonBody(["type": "object", "properties": ["handle": ["type": "string"]], "required": ["handle"]]),
            "responses": ["200": ["description": "The relationship now: request_sent or friends."]],
        ]) { ctx in
            let me = try ctx.requireActiveMember()
            let body = try ctx.jsonBody()
            guard let handle = Self.string(body, "handle") else { throw DomainError.invalid([FieldError(field: "handle", message: "handle is required.")]) }
            guard let other = try membership.member(handle: handle), let meMember = try membership.member(id: me.id) else { throw DomainError.notFound }
            let result = try membership.befriend(from: meMember, to: other.id)
            return ctx.json(["relationship": .string(result.rawValue)])
        }
        web.api("DELETE", "/api/v1/friendships/:handle", access: .members, operation: [
            "summary": "Remove a friend, or decline or cancel a request.", "operationId": "unfriend", "security": [["bearer": []]],
            "parameters": [["name": "handle", "in": "path", "required": true, "schema": ["type": "string"]]],
            "responses": ["204": ["description": "Done."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            guard let other = try membership.member(handle: try ctx.parameter("handle")) else { throw DomainError.notFound }
            try membership.unfriend(me.id, other.id)
            try membership.dropRequest(between: me.id, and: other.id)
            return ctx.respond(HTTPResponse(status: .noContent))
        }
        web.api("GET", "/api/v1/statuses", operation: [
            "summary": "A member's statuses, newest first.", "operationId": "listStatuses",
            "parameters": [["name": "member", "in": "query", "required": true, "schema": ["type": "string"]], ["name": "before", "in": "query", "schema": ["type": "integer"]]],
            "responses": ["200": ["description": "Statuses."]],
        ]) { ctx in
            if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
            guard let handle = ctx.query("member"), let member = try membership.member(handle: handle), member.status == .active || ctx.member?.id == member.id else {
                throw DomainError.notFound
            }
            let statuses = try membership.statuses(of: member.id, viewer: ctx.viewer, limit: 20, before: ctx.query("before").flatMap(Int64.init))
            return ctx.json(["items": .array(statuses.map(Self.statusJSON)), "next": statuses.count == 20 ? JSONValue(statuses.last?.id) : .null])
        }
        web.api("POST", "/api/v1/statuses", access: .members, operation: [
            "summary": "Post a status (at most 500 characters).", "operationId": "postStatus", "security": [["bearer": []]],
            "requestBody": OpenAPI.jsonBody(["type": "object", "properties": ["body": ["type": "string", "maxLength": 500]], "required": ["body"]]),
            "responses": ["201": ["description": "The status.", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Status"]]]], "403": ["description": "Pending members cannot post."], "422": ["description": "Empty or too long."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
            let body = try ctx.jsonBody()
            let status = try membership.postStatus(by: member, body: Self.string(body, "body") ?? "")
            return ctx.json(Self.statusJSON(status), status: .created)
        }
        web.api("DELETE", "/api/v1/statuses/:id", access: .members, operation: [
            "summary": "Delete one of your statuses.", "operationId": "deleteStatus", "security": [["bearer": []]],
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "responses": ["204": ["description": "Deleted."]],
        ]) { ctx in
            try membership.deleteStatus(id: try ctx.idParameter("id"), by: try ctx.requireMember())
            return ctx.respond(HTTPResponse(status: .noContent))
        }
    }
}
