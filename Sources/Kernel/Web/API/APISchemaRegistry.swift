import Foundation

/// The JSON Schemas of a document's API types, derived from the types themselves: each
/// ``APIModel`` once under `components/schemas` (then referred to by `$ref`), the rest inline.
///
/// ```swift
/// var registry = APISchemaRegistry()
/// let schema = try registry.schema(for: PostResponse.self)   // {"$ref": "#/components/schemas/BlogPost"}
/// ```
public struct APISchemaRegistry: Sendable {
    public private(set) var components: [(name: String, schema: JSONValue)] = []
    /// Which type each component name was derived from, to refuse two types under one name.
    private var owners: [String: String] = [:]

    public init() {}

    /// The schema of `type`: a `$ref` for an ``APIModel``, the schema itself otherwise.
    public mutating func schema<T: Decodable>(for type: T.Type) throws -> JSONValue {
        let recorder = SchemaRecorder(registry: self)
        let schema = try recorder.record(type).schema
        self = recorder.registry
        return schema
    }

    /// The query parameters `type` declares, as OpenAPI Parameter Objects.
    public mutating func queryParameters<Q: APIQuery>(of type: Q.Type) throws -> [JSONValue] {
        try properties(of: type, location: "query").map { property in
            // A query parameter is left out, never null.
            var schema = SchemaRecorder.nonNullable(property.schema)
            if let range = Q.limitRange, property.name == "limit" {
                schema = SchemaHint(minimum: Int64(range.lowerBound), maximum: Int64(range.upperBound)).apply(
                    to: schema)
            }
            return parameter(property.name, in: "query", required: property.required, schema: schema)
        }
    }

    /// Each property of a keyed type: name, schema and whether it is required.
    mutating func properties<T: Decodable>(of type: T.Type, location: String) throws -> [SchemaRecorder
        .Property]
    {
        let recorder = SchemaRecorder(registry: self)
        let box = SchemaRecorder.Shape()
        _ = try recorder.walk(type, into: box)
        self = recorder.registry
        guard case .object(let properties) = box.kind else {
            throw APISchemaError("\(T.self) must be a struct of named \(location) parameters")
        }
        return properties
    }

    /// A Parameter Object; a description moves from the schema to the parameter.
    func parameter(_ name: String, in location: String, required: Bool, schema: JSONValue) -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(name)), ("in", .string(location))]
        if required { fields.append(("required", true)) }
        var schema = schema
        if case .object(let schemaFields) = schema, let description = schema["description"] {
            fields.append(("description", description))
            schema = .object(schemaFields.filter { $0.0 != "description" })
        }
        fields.append(("schema", schema))
        return .object(fields)
    }

    /// Adds a component by hand (the kernel's `ProblemDetails`, or a module's hand-written one).
    public mutating func add(_ name: String, _ schema: JSONValue, owner: String) throws {
        if let existing = owners[name] {
            if existing == owner { return }
            throw APISchemaError(
                "two API types are both named \"\(name)\" in the OpenAPI document (\(existing) and \(owner)): give one a different schemaName"
            )
        }
        owners[name] = owner
        components.append((name, schema))
    }

    func hasComponent(_ name: String, owner: String) -> Bool { owners[name] == owner }
}

/// Why a type's schema could not be derived: a programming error, reported at start-up.
public struct APISchemaError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
