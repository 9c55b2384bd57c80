import HTTP

/// A request body a client may leave out: no body, or only white space, reads as nil; the
/// document marks the body not required.
///
/// ```swift
/// func join(_ ctx: RequestContext, _ slug: String, _ body: OptionalBody<JoinRequest>) throws -> …
///     let message = body.value?.message ?? ""
/// ```
public struct OptionalBody<Body: APIModel>: APIInput {
    public var value: Body?

    public init(_ value: Body?) { self.value = value }

    public static func read(from request: APIRequestReader) throws -> OptionalBody {
        let blank = request.context.request.body.allSatisfy {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09
        }
        return OptionalBody(blank ? nil : try Body.read(from: request))
    }

    public static func document(in operation: inout APIOperationDocument) throws {
        try operation.setRequestBody(try operation.registry.schema(for: Body.self), required: false)
    }
}

/// 202 Accepted with a body: the request was taken and will finish later (a mailed link, a
/// moderator's decision).
public struct Accepted<Body: APIModel>: APIResponse {
    public var body: Body
    public init(_ body: Body) { self.body = body }

    public static var successStatus: HTTPStatus { HTTPStatus(code: 202) }
    public static var successDescription: String { Body.successDescription }
    public static func bodySchema(in registry: inout APISchemaRegistry) throws -> JSONValue? {
        try registry.schema(for: Body.self)
    }
    public func response(in context: RequestContext) throws -> HTTPResponse {
        var response = HTTPResponse(status: Self.successStatus, body: try APIJSONEncoder().encode(body))
        response.headers.add("Content-Type", "application/json")
        return context.respond(response)
    }
}

/// A page of a list whose cursor is text (a slug, a handle, an opaque keyset cursor): `items`,
/// and `next`, the cursor of the page after (null on the last page). ``Page`` is the one for
/// numeric ids.
public struct CursorPage<Item: APIModel>: APIModel {
    public var items: [Item]
    public var next: String?

    public static var schemaName: String { Item.schemaName + "Page" }
    public static var schemaDescription: String? { "A page of \(Item.schemaName) items." }
    public static var fieldHints: [String: SchemaHint] {
        ["next": .description("Pass it back to fetch the next page; null on the last page.")]
    }

    /// The first `limit` of `found` (fetched with one extra to know whether more follow).
    public init<Found>(_ found: [Found], limit: Int, item: (Found) -> Item, cursor: (Found) -> String) {
        let page = found.prefix(limit)
        items = page.map(item)
        next = found.count > limit ? page.last.map(cursor) : nil
    }

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// Roles are named the same way in every module's API.
extension MemberRole: APIEnum {}
