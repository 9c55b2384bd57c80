import HTTP

/// JSON API operations under one path prefix, each a named handler method whose arguments and
/// result are typed: the route and its OpenAPI Operation Object are made from the same
/// declaration, so the document cannot drift from what is served. (Hummingbird's
/// `RouterGroup`, with the document added.)
///
/// ```swift
/// let posts = PostsController(blog: blog)
/// web.apiGroup("/api/v1/blog", tag: "blog") { api in
///     api.get("/posts/:id", summary: "One post.", operationID: "getBlogPost", use: posts.show)
///     api.post("/posts", access: .members, summary: "Write a post.", operationID: "createBlogPost", use: posts.create)
/// }
/// ```
///
/// A handler takes the ``RequestContext``, then its path parameters in the pattern's order
/// (`Int64` ids, `String` handles), then at most one ``APIQuery`` and one ``APIModel`` body; it
/// returns an ``APIModel`` (200), ``Created`` (201) or ``NoContent`` (204).
public struct APIGroup {
    public let prefix: String
    public let tags: [String]
    var registry: APISchemaRegistry
    var routes: [WebRoute] = []
    var operations: [(path: String, method: String, operation: JSONValue)] = []

    init(prefix: String, tags: [String], registry: APISchemaRegistry) {
        self.prefix = prefix
        self.tags = tags
        self.registry = registry
    }

    /// Operations under a longer prefix, with the same tags.
    public mutating func group(_ path: String, _ build: (inout APIGroup) -> Void) {
        var nested = APIGroup(prefix: prefix + path, tags: tags, registry: registry)
        build(&nested)
        registry = nested.registry
        routes += nested.routes
        operations += nested.operations
    }

    public mutating func get<each Input: APIInput, Output: APIResponse>(
        _ path: String, access: Access = .anyone, summary: String, description: String? = nil,
        operationID: String, errors: [APIError] = [],
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        on(
            "GET", path, access: access, summary: summary, description: description, operationID: operationID,
            errors: errors, use: handler)
    }

    public mutating func post<each Input: APIInput, Output: APIResponse>(
        _ path: String, access: Access = .anyone, summary: String, description: String? = nil,
        operationID: String, errors: [APIError] = [], bodyLimit: Int? = nil,
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        on(
            "POST", path, access: access, summary: summary, description: description,
            operationID: operationID,
            errors: errors, bodyLimit: bodyLimit, use: handler)
    }

    public mutating func put<each Input: APIInput, Output: APIResponse>(
        _ path: String, access: Access = .anyone, summary: String, description: String? = nil,
        operationID: String, errors: [APIError] = [], bodyLimit: Int? = nil,
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        on(
            "PUT", path, access: access, summary: summary, description: description, operationID: operationID,
            errors: errors, bodyLimit: bodyLimit, use: handler)
    }

    public mutating func patch<each Input: APIInput, Output: APIResponse>(
        _ path: String, access: Access = .anyone, summary: String, description: String? = nil,
        operationID: String, errors: [APIError] = [], bodyLimit: Int? = nil,
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        on(
            "PATCH", path, access: access, summary: summary, description: description,
            operationID: operationID,
            errors: errors, bodyLimit: bodyLimit, use: handler)
    }

    public mutating func delete<each Input: APIInput, Output: APIResponse>(
        _ path: String, access: Access = .anyone, summary: String, description: String? = nil,
        operationID: String, errors: [APIError] = [],
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        on(
            "DELETE", path, access: access, summary: summary, description: description,
            operationID: operationID,
            errors: errors, use: handler)
    }

    /// An operation with any method. A declaration the document cannot describe (a handler
    /// whose path arguments do not match the pattern, a type whose schema cannot be derived)
    /// stops start-up with the reason: it is a programming error, found by any test that boots.
    public mutating func on<each Input: APIInput, Output: APIResponse>(
        _ method: String, _ path: String, access: Access = .anyone, summary: String,
        description: String? = nil,
        operationID: String, errors: [APIError] = [], bodyLimit: Int? = nil,
        use handler: @escaping @Sendable (RequestContext, repeat each Input) throws -> Output
    ) {
        let pattern = prefix + path
        let pathNames = Self.parameterNames(of: pattern)
        var document = APIOperationDocument(registry: registry, pathNames: pathNames)
        let operation: JSONValue
        do {
            repeat try (each Input).document(in: &document)
            guard document.pathParameters.count == pathNames.count else {
                throw APISchemaError(
                    "the pattern has \(pathNames.count) parameters (\(pathNames.joined(separator: ", "))) but the handler takes \(document.pathParameters.count)"
                )
            }
            let schema = try Output.bodySchema(in: &document.registry)
            operation = document.operation(
                tags: tags, summary: summary, description: description, operationID: operationID,
                access: access,
                errors: errors,
                success: (Int(Output.successStatus.code), Output.successDescription, schema))
        } catch {
            preconditionFailure("API operation \(method) \(pattern) (\(operationID)): \(error)")
        }
        registry = document.registry
        operations.append((Self.openAPIPath(pattern), method.lowercased(), operation))
        routes.append(
            WebRoute(method: method, pattern: pattern, kind: .api, access: access, bodyLimit: bodyLimit) {
                context in
                let reader = APIRequestReader(context: context, pathNames: pathNames)
                return try handler(context, repeat try (each Input).read(from: reader)).response(in: context)
            })
    }

    static func parameterNames(of pattern: String) -> [String] {
        pattern.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// `/posts/:id` → `/posts/{id}`.
    static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }
}
