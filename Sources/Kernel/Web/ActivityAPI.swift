import Foundation
import HTTP

/// The kernel's own typed API operation: Latest Activity as JSON, under /api/v1/activity.
///
/// ```swift
/// var web = WebContributions()
/// ActivityAPI(services: services).register(&web)
/// ```
struct ActivityAPI {
    let services: Services

    func register(_ web: inout WebContributions) {
        let activity = ActivityController(services: services)
        web.apiGroup("/api/v1", tag: "activity") { api in
            api.get(
                "/activity", summary: "Latest Activity visible to the caller, newest first, aggregated.",
                operationID: "listActivity", use: activity.list)
        }
    }
}

struct ActivityController: Sendable {
    let services: Services

    func list(_ ctx: RequestContext, _ query: ActivityQuery) throws -> ActivityPageResponse {
        let page = try services.activity.latest(
            for: ctx.viewer, limit: ActivityQuery.limit(query.limit, default: 20), before: query.before)
        return ActivityPageResponse(
            items: page.groups.map(ActivityItemResponse.init), nextCursor: page.nextCursor)
    }
}

struct ActivityQuery: APIQuery {
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "before": .description("The `next_cursor` of the previous page."),
        "limit": .description("Items per page (default 20)."),
    ]
}

/// A page of Latest Activity.
struct ActivityPageResponse: APIModel {
    var items: [ActivityItemResponse]
    var nextCursor: Int64?

    static let schemaName = "ActivityPage"
    static let schemaDescription: String? = "A page of Latest Activity, newest first."
    static let fieldHints: [String: SchemaHint] = [
        "nextCursor": .description("Pass it as `before` to fetch the next page; null on the last page.")
    ]
}

/// One line of Latest Activity: an entry, with the others like it folded in.
struct ActivityItemResponse: APIModel {
    struct Actor: APIModel {
        var handle: String
        var name: String
        static let schemaName = "ActivityActor"
    }

    struct Object: APIModel {
        var kind: String?
        var id: Int64?
        var title: String?
        var url: String?
        static let schemaName = "ActivityObject"
    }

    var id: Int64
    var module: String
    var verb: String
    var actors: [Actor]
    var entries: Int
    var object: Object?
    var excerpt: String?
    var createdAt: Date

    static let schemaName = "ActivityItem"
    static let fieldHints: [String: SchemaHint] = [
        "entries": .description("How many entries this line stands for."),
        "object": .description("What the activity is about; null when it is about nothing else."),
    ]

    init(_ group: ActivityGroup) {
        let lead = group.lead
        id = lead.id
        module = lead.module
        verb = lead.verb
        actors = group.actors.map { Actor(handle: $0.handle, name: $0.name) }
        entries = group.entryCount
        object =
            lead.objectTitle == nil
            ? nil
            : Object(kind: lead.objectKind, id: lead.objectID, title: lead.objectTitle, url: lead.objectURL)
        excerpt = lead.excerpt
        createdAt = lead.createdAt
    }
}
