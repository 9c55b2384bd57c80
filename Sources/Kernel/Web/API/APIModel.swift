/// A JSON API body: a `Codable` type that the API decodes requests into or encodes responses
/// from, and whose JSON Schema the OpenAPI document derives from its `init(from:)`. Keys are the
/// property names in snake_case (`authorID` → `author_id`); optionals are `null` when absent.
///
/// ```swift
/// struct NewStatusRequest: APIModel {
///     var body: String
///     static let fieldHints: [String: SchemaHint] = ["body": .init(maxLength: 500)]
/// }
/// ```
public protocol APIModel: Codable, Sendable, APIInput, APIResponse {
    /// Its name under `components/schemas` (default: the type's name). Unique in the document.
    static var schemaName: String { get }
    /// What the type is, for the document.
    static var schemaDescription: String? { get }
    /// Extra schema facts and error messages, keyed by property name (as in `CodingKeys`).
    static var fieldHints: [String: SchemaHint] { get }
}

extension APIModel {
    public static var schemaName: String { String(describing: Self.self) }
    public static var schemaDescription: String? { nil }
    public static var fieldHints: [String: SchemaHint] { [:] }
}

/// A string enum of the API: its schema lists the cases, and a request naming another value
/// gets a 422 that lists them.
///
/// ```swift
/// extension BlogPost.Status: APIEnum {}   // "draft" | "published"
/// ```
public protocol APIEnum: Codable, Sendable, CaseIterable, RawRepresentable where RawValue == String {}

/// A type that states its own JSON Schema, for values whose JSON is not their `init(from:)`'s
/// shape (say, a list that also accepts a comma-separated string).
///
/// ```swift
/// extension TagList: APICustomSchema {
///     static var jsonSchema: JSONValue { ["type": "array", "items": ["type": "string"]] }
/// }
/// ```
public protocol APICustomSchema: Decodable {
    static var jsonSchema: JSONValue { get }
    /// A value to stand in while the schema of a type holding this one is derived.
    static var schemaPlaceholder: Self { get }
}

/// Schema facts a type's declaration cannot say, for one property: a description, a format,
/// bounds, and the message a request gets when the value is missing or of the wrong type.
///
/// ```swift
/// ["title": .init(maxLength: 200), "body": .init(description: "Markdown source.")]
/// ```
public struct SchemaHint: Sendable, Equatable {
    public var description: String?
    public var format: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minimum: Int64?
    public var maximum: Int64?
    /// Replaces the generic "Must be a string." (and "Required.") in problem details.
    public var message: String?

    public init(
        description: String? = nil, format: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        minimum: Int64? = nil, maximum: Int64? = nil, message: String? = nil
    ) {
        self.description = description
        self.format = format
        self.minLength = minLength
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.message = message
    }

    /// Only a description.
    public static func description(_ text: String) -> SchemaHint { SchemaHint(description: text) }

    /// Adds these facts to a property's schema (a `$ref` is wrapped so the facts apply beside it).
    func apply(to schema: JSONValue) -> JSONValue {
        var extra: [(String, JSONValue)] = []
        if let description { extra.append(("description", .string(description))) }
        if let format { extra.append(("format", .string(format))) }
        if let minLength { extra.append(("minLength", JSONValue(minLength))) }
        if let maxLength { extra.append(("maxLength", JSONValue(maxLength))) }
        if let minimum { extra.append(("minimum", .int(minimum))) }
        if let maximum { extra.append(("maximum", .int(maximum))) }
        guard !extra.isEmpty, case .object(var fields) = schema else { return schema }
        for (key, value) in extra {
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                fields[index].1 = value
            } else {
                fields.append((key, value))
            }
        }
        return .object(fields)
    }
}
