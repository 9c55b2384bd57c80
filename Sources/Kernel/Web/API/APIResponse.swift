import HTTP

/// What an API handler returns: its success status, the schema of its body, and the response.
/// An ``APIModel`` answers 200 with itself; wrap it in ``Created`` for 201; ``NoContent`` is 204.
///
/// ```swift
/// func create(_ ctx: RequestContext, _ body: PostRequest) throws -> Created<PostResponse> { … }
/// func delete(_ ctx: RequestContext, _ id: Int64) throws -> NoContent { … }
/// ```
public protocol APIResponse: Sendable {
    static var successStatus: HTTPStatus { get }
    /// The success response's description in the document.
    static var successDescription: String { get }
    /// The body's schema (nil: no body).
    static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue?
    func response(in context: RequestContext) throws -> HTTPResponse
}

extension APIModel {
    public static var successStatus: HTTPStatus { .ok }
    public static var successDescription: String { schemaDescription ?? "OK." }
    public static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue? {
        try registry.schema(for: Self.self)
    }
    public func response(in context: RequestContext) throws -> HTTPResponse {
        try APIResponses.json(self, status: Self.successStatus, context: context)
    }
}

/// 201 Created with the new thing.
public struct Created<Body: APIModel>: APIResponse {
    public var body: Body
    public init(_ body: Body) { self.body = body }

    public static var successStatus: HTTPStatus { .created }
    public static var successDescription: String { "Created: " + Body.successDescription }
    public static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue? {
        try registry.schema(for: Body.self)
    }
    public func response(in context: RequestContext) throws -> HTTPResponse {
        try APIResponses.json(body, status: .created, context: context)
    }
}

/// 204 No Content: done, nothing to say.
public struct NoContent: APIResponse {
    public init() {}
    public static var successStatus: HTTPStatus { .noContent }
    public static var successDescription: String { "Done." }
    public static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue? { nil }
    public func response(in context: RequestContext) throws -> HTTPResponse {
        context.respond(HTTPResponse(status: .noContent))
    }
}

/// A page of a list that continues: `items`, and `next`, the cursor that fetches the page after
/// (null on the last page).
///
/// ```swift
/// return Page(items: posts.map(PostSummaryResponse.init), next: page.nextCursor)
/// ```
public struct Page<Item: APIModel>: APIModel {
    public var items: [Item]
    public var next: Int64?

    public init(items: [Item], next: Int64?) {
        self.items = items
        self.next = next
    }

    public static var schemaName: String { Item.schemaName + "Page" }
    public static var schemaDescription: String? { "A page of \(Item.schemaName) items." }
    public static var fieldHints: [String: SchemaHint] {
        ["next": .description("Pass it back to fetch the next page; null on the last page.")]
    }
}

/// A whole (short, bounded) list: `items`.
public struct ItemList<Item: APIModel>: APIModel {
    public var items: [Item]
    public init(_ items: [Item]) { self.items = items }

    public static var schemaName: String { Item.schemaName + "List" }
    public static var schemaDescription: String? { "\(Item.schemaName) items." }
}

enum APIResponses {
    static func json<Body: Encodable>(_ body: Body, status: HTTPStatus, context: RequestContext) throws
        -> HTTPResponse
    {
        var response = HTTPResponse(status: status, body: try APIJSONEncoder().encode(body))
        response.headers.add("Content-Type", "application/json")
        return context.respond(response)
    }
}
