import Foundation
import Kernel

/// Statuses through the JSON API: a member's, posting one, deleting one. Routes are declared in
/// ``MembershipAPI``.
///
/// ```swift
/// let statuses = StatusesController(membership: membership)
/// api.post("/statuses", access: .members, summary: "Post a status.", operationID: "postStatus", use: statuses.create)
/// ```
struct StatusesController: Sendable {
    let membership: MembershipService
    static let pageSize = 20

    func list(_ ctx: RequestContext, _ query: StatusListQuery) throws -> Page<StatusResponse> {
        if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
        guard let member = try membership.member(handle: query.member),
            member.status == .active || ctx.member?.id == member.id
        else { throw DomainError.notFound }
        let statuses = try membership.statuses(
            of: member.id, viewer: ctx.viewer, limit: Self.pageSize, before: query.before)
        return Page(
            items: statuses.map(StatusResponse.init),
            next: statuses.count == Self.pageSize ? statuses.last?.id : nil)
    }

    func create(_ ctx: RequestContext, _ request: StatusRequest) throws -> Created<StatusResponse> {
        let me = try ctx.requireMember()
        guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
        return Created(StatusResponse(try membership.postStatus(by: member, body: request.body)))
    }

    func delete(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        try membership.deleteStatus(id: id, by: try ctx.requireMember())
        return NoContent()
    }
}

/// A status: a short plain-text post on a member's profile.
struct StatusResponse: APIModel {
    var id: Int64
    var memberID: Int64
    var body: String
    var createdAt: Date

    static let schemaName = "MembershipStatus"
    static let schemaDescription: String? = "A status: a short plain-text post on a member's profile."
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(maxLength: MembershipService.maximumStatusLength)
    ]

    init(_ status: Status) {
        id = status.id
        memberID = status.memberID
        body = status.body
        createdAt = status.createdAt
    }
}

/// A new status.
struct StatusRequest: APIModel {
    var body: String

    static let schemaName = "MembershipStatusInput"
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(
            description: "Plain text.", maxLength: MembershipService.maximumStatusLength,
            message: "Write something first.")
    ]
}

/// Whose statuses, and the page.
struct StatusListQuery: APIQuery {
    var member: String
    var before: Int64?

    static let fieldHints: [String: SchemaHint] = [
        "member": .description("The member's handle."),
        "before": .init(
            description: "The `next` value of the previous page.", message: "Must be a status id."),
    ]
}
