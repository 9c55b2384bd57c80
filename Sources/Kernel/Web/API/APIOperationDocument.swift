/// An error status an API operation can answer, besides those the kernel lists for it on its
/// own (401 when it needs sign-in, 403 when it needs a role, 404 when its path names something,
/// 400 and 422 when it takes a body, 422 when it takes query parameters).
///
/// ```swift
/// api.delete("/posts/:id", access: .members, summary: "Delete a post", operationID: "deletePost",
///            errors: [.forbidden], use: posts.delete)
/// ```
public enum APIError: Int, Sendable, CaseIterable, Comparable {
    case badRequest = 400
    case unauthorized = 401
    case forbidden = 403
    case notFound = 404
    case conflict = 409
    case payloadTooLarge = 413
    case unprocessable = 422
    case tooManyRequests = 429

    public static func < (a: APIError, b: APIError) -> Bool { a.rawValue < b.rawValue }

    /// What the status means here, for the document.
    public var summary: String {
        switch self {
        case .badRequest: return "The request could not be read (the body is not a JSON object)."
        case .unauthorized: return "Sign in first: no session, or no valid bearer token."
        case .forbidden: return "Signed in, but not allowed to do this."
        case .notFound: return "No such thing, or you may not see it."
        case .conflict: return "It conflicts with the current state."
        case .payloadTooLarge: return "The request body is too large."
        case .unprocessable: return "Invalid input: `errors` names each field and what is wrong with it."
        case .tooManyRequests: return "Too many requests: wait, then try again."
        }
    }
}

/// The OpenAPI description of one operation while its handler's arguments describe themselves
/// (see ``APIInput/document(in:)``): path parameters in the pattern's order, query parameters,
/// the request body, and the schemas they refer to.
public struct APIOperationDocument {
    public var registry: APISchemaRegistry
    let pathNames: [String]
    private(set) var pathParameters: [JSONValue] = []
    private(set) var queryParameters: [JSONValue] = []
    private(set) var requestBody: JSONValue?
    private(set) var requestBodyRequired = true

    init(registry: APISchemaRegistry, pathNames: [String]) {
        self.registry = registry
        self.pathNames = pathNames
    }

    /// The next path parameter of the pattern, with this schema.
    public mutating func addPathParameter(_ schema: JSONValue) throws {
        guard pathParameters.count < pathNames.count else {
            throw APISchemaError(
                "the handler takes more path arguments than the pattern has parameters (\(pathNames.count))")
        }
        let name = pathNames[pathParameters.count]
        pathParameters.append(registry.parameter(name, in: "path", required: true, schema: schema))
    }

    public mutating func addQueryParameters(_ parameters: [JSONValue]) {
        queryParameters += parameters
    }

    /// The request body's schema; `required: false` when a client may leave the body out.
    public mutating func setRequestBody(_ schema: JSONValue, required: Bool = true) throws {
        guard requestBody == nil else { throw APISchemaError("the handler takes two request bodies") }
        requestBody = schema
        requestBodyRequired = required
    }

    /// The Operation Object: what the handler takes, what it answers, and the errors it can
    /// answer, each a `ProblemDetails`.
    func operation(
        tags: [String], summary: String, description: String?, operationID: String, access: Access,
        errors: [APIError], success: (status: Int, description: String, schema: JSONValue?)
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tags", .array(tags.map(JSONValue.string))), ("summary", .string(summary)),
        ]
        if let description { fields.append(("description", .string(description))) }
        fields.append(("operationId", .string(operationID)))
        let parameters = pathParameters + queryParameters
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let requestBody {
            fields.append(
                (
                    "requestBody",
                    [
                        "required": .bool(requestBodyRequired),
                        "content": ["application/json": ["schema": requestBody]],
                    ]
                ))
        }
        var successResponse: [(String, JSONValue)] = [("description", .string(success.description))]
        if let schema = success.schema {
            successResponse.append(("content", ["application/json": ["schema": schema]]))
        }
        var responses: [(String, JSONValue)] = [(String(success.status), .object(successResponse))]
        for error in Self.errors(declared: errors, access: access, document: self) {
            responses.append(
                (
                    String(error.rawValue),
                    [
                        "description": .string(error.summary),
                        "content": ["application/problem+json": ["schema": APIDocument.problemReference]],
                    ]
                ))
        }
        fields.append(("responses", .object(responses)))
        if access != .anyone { fields.append(("security", [["bearer": []]])) }
        return .object(fields)
    }

    /// The errors listed: those declared, and those that follow from the operation's shape.
    static func errors(declared: [APIError], access: Access, document: APIOperationDocument) -> [APIError] {
        var errors = Set(declared)
        if access != .anyone { errors.insert(.unauthorized) }
        if access == .moderators || access == .admins { errors.insert(.forbidden) }
        if !document.pathNames.isEmpty { errors.insert(.notFound) }
        if document.requestBody != nil {
            errors.insert(.badRequest)
            errors.insert(.unprocessable)
        }
        if !document.queryParameters.isEmpty { errors.insert(.unprocessable) }
        return errors.sorted()
    }
}

/// Names the kernel's document uses.
public enum APIDocument {
    public static let problemSchemaName = "ProblemDetails"
    public static let problemReference: JSONValue = ["$ref": "#/components/schemas/ProblemDetails"]
    /// RFC 9457 problem details, as the kernel answers every API error.
    public static let problemSchema: JSONValue = [
        "type": "object",
        "description": "An error, as RFC 9457 problem details.",
        "properties": [
            "type": [
                "type": "string",
                "description": "A URI naming the problem type (about:blank: the status says it).",
            ],
            "title": ["type": "string", "description": "A short summary of the problem."],
            "status": ["type": "integer", "description": "The HTTP status code."],
            "detail": ["type": "string", "description": "What went wrong, for a person."],
            "errors": [
                "type": "array",
                "description": "On 422: each invalid field and what is wrong with it.",
                "items": [
                    "type": "object",
                    "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                    "required": ["field", "message"],
                ],
            ],
        ],
        "required": ["type", "title", "status", "detail"],
    ]
}
