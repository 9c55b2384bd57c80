import HTTP

/// One argument of an API handler after its ``RequestContext``: a path parameter (`Int64` ids,
/// `String` handles and slugs, in the pattern's order), the query (an ``APIQuery``) or the body
/// (an ``APIModel``). Each kind reads itself from the request and documents itself.
///
/// ```swift
/// func reply(_ ctx: RequestContext, _ slug: String, _ discussionID: Int64, _ body: ReplyRequest) throws -> …
/// ```
public protocol APIInput: Sendable {
    static func read(from request: APIRequestReader) throws -> Self
    static func document(in operation: inout APIOperationDocument) throws
}

/// Reads a handler's arguments from one request, path parameters in order.
public final class APIRequestReader {
    // One request, one thread: created and used inside one route handler.
    public let context: RequestContext
    private let pathNames: [String]
    private var nextPath = 0

    init(context: RequestContext, pathNames: [String]) {
        self.context = context
        self.pathNames = pathNames
    }

    /// The next path parameter's text; a missing one answers 404.
    public func nextPathValue() throws -> String {
        guard nextPath < pathNames.count else { throw WebError.notFound }
        defer { nextPath += 1 }
        return try context.parameter(pathNames[nextPath])
    }
}

extension Int64: APIInput {
    /// A path parameter naming something by id: a positive whole number, else 404.
    public static func read(from request: APIRequestReader) throws -> Int64 {
        guard let id = Int64(try request.nextPathValue()), id > 0 else { throw WebError.notFound }
        return id
    }

    public static func document(in operation: inout APIOperationDocument) throws {
        try operation.addPathParameter(["type": "integer", "minimum": 1])
    }
}

extension String: APIInput {
    /// A path parameter naming something by handle or slug (not empty, else 404).
    public static func read(from request: APIRequestReader) throws -> String { try request.nextPathValue() }

    public static func document(in operation: inout APIOperationDocument) throws {
        try operation.addPathParameter(["type": "string", "minLength": 1])
    }
}

extension APIModel {
    /// The request body.
    public static func read(from request: APIRequestReader) throws -> Self {
        try APIValueDecoder.decode(Self.self, fromBody: request.context.request.body)
    }

    public static func document(in operation: inout APIOperationDocument) throws {
        try operation.setRequestBody(try operation.registry.schema(for: Self.self))
    }
}

extension APIQuery {
    /// The query string.
    public static func read(from request: APIRequestReader) throws -> Self {
        let items = request.context.request.queryItems.map { (name: $0.name, value: $0.value) }
        return try APIValueDecoder.decode(Self.self, fromStrings: items, limitRange: limitRange)
    }

    public static func document(in operation: inout APIOperationDocument) throws {
        operation.addQueryParameters(try operation.registry.queryParameters(of: Self.self))
    }
}
