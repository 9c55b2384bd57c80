import Foundation

/// `[String: Value]`: an object whose keys are data.
protocol SchemaDictionary {
    static var valueType: any Decodable.Type { get }
    static var emptyValue: Any { get }
}
extension Dictionary: SchemaDictionary where Key == String, Value: Decodable {
    static var valueType: any Decodable.Type { Value.self }
    static var emptyValue: Any { [String: Value]() }
}

/// Walks a type's `init(from:)` with a decoder that answers every question with a stand-in
/// value and writes down what was asked: which keys, of which types, which of them optional.
final class SchemaRecorder {
    struct Property {
        var name: String
        var schema: JSONValue
        var required: Bool
    }

    /// What one value turned out to be.
    final class Shape {
        enum Kind {
            case unknown
            case scalar(JSONValue)
            case object([Property])
            case array(JSONValue)
        }
        var kind: Kind = .unknown
        /// Nested containers opened by key, filled after they are handed out.
        var pending: [(index: Int, shape: Shape)] = []
        /// A list's element opened as a container, filled after it is handed out.
        var pendingItems: Shape?

        func schema() -> JSONValue {
            switch kind {
            case .unknown: return [:]
            case .scalar(let schema): return schema
            case .array(let items): return ["type": "array", "items": pendingItems?.schema() ?? items]
            case .object(var properties):
                for (index, shape) in pending { properties[index].schema = shape.schema() }
                var fields: [(String, JSONValue)] = [
                    ("type", "object"),
                    ("properties", .object(properties.map { ($0.name, $0.schema) })),
                ]
                let required = properties.filter(\.required).map { JSONValue.string($0.name) }
                if !required.isEmpty { fields.append(("required", .array(required))) }
                return .object(fields)
            }
        }
    }

    var registry: APISchemaRegistry
    private var inProgress: Set<ObjectIdentifier> = []

    init(registry: APISchemaRegistry) { self.registry = registry }

    /// The schema of `type` and a stand-in value of it (nil while `type` is being recorded
    /// further up: a recursive type).
    func record<T: Decodable>(_ type: T.Type) throws -> (schema: JSONValue, value: T?) {
        if let scalar = Self.scalar(type) { return scalar }
        if let custom = type as? any APICustomSchema.Type {
            return (custom.jsonSchema, custom.schemaPlaceholder as? T)
        }
        if let enumeration = type as? any APIEnum.Type {
            return (Self.enumSchema(enumeration), Self.firstCase(of: enumeration) as? T)
        }
        if let dictionary = type as? any SchemaDictionary.Type {
            let values = try record(dictionary.valueType).schema
            return (["type": "object", "additionalProperties": values], dictionary.emptyValue as? T)
        }
        guard let model = type as? any APIModel.Type else {
            let shape = Shape()
            let value = try walk(type, into: shape)
            return (shape.schema(), value)
        }
        let name = model.schemaName
        let owner = String(reflecting: type)
        let reference: JSONValue = ["$ref": .string("#/components/schemas/\(name)")]
        if inProgress.contains(ObjectIdentifier(type)) { return (reference, nil) }
        inProgress.insert(ObjectIdentifier(type))
        defer { inProgress.remove(ObjectIdentifier(type)) }
        let shape = Shape()
        let value = try walk(type, into: shape)
        if !registry.hasComponent(name, owner: owner) {
            var schema = shape.schema()
            if let description = model.schemaDescription {
                schema = SchemaHint(description: description).apply(to: schema)
            }
            try registry.add(name, schema, owner: owner)
        }
        return (reference, value)
    }

    /// Runs `type`'s `init(from:)` against the recording decoder.
    func walk<T: Decodable>(_ type: T.Type, into shape: Shape) throws -> T {
        let hints =
            (type as? any APIModel.Type)?.fieldHints ?? (type as? any APIQuery.Type)?.fieldHints ?? [:]
        do {
            return try T(from: RecordingDecoder(recorder: self, shape: shape, hints: hints))
        } catch let error as APISchemaError {
            throw error
        } catch {
            throw APISchemaError(
                "the schema of \(String(reflecting: type)) cannot be derived from its init(from:) (\(error)); make its enums APIEnum, or give it APICustomSchema"
            )
        }
    }

    static func enumSchema<E: APIEnum>(_ type: E.Type) -> JSONValue {
        ["type": "string", "enum": .array(type.allCases.map { .string($0.rawValue) })]
    }

    static func firstCase<E: APIEnum>(of type: E.Type) -> Any? { type.allCases.first }

    static func scalar<T>(_ type: T.Type) -> (schema: JSONValue, value: T?)? {
        switch type {
        case is String.Type: return (["type": "string"], "" as? T)
        case is Bool.Type: return (["type": "boolean"], false as? T)
        case let integer as any FixedWidthInteger.Type: return (["type": "integer"], integer.zero as? T)
        case is Double.Type: return (["type": "number"], 0.0 as? T)
        case is Float.Type: return (["type": "number"], Float(0) as? T)
        case is Date.Type:
            return (["type": "string", "format": "date-time"], Date(timeIntervalSince1970: 0) as? T)
        case is URL.Type:
            return (["type": "string", "format": "uri"], URL(string: "https://example.org/") as? T)
        default: return nil
        }
    }

    /// The schema that also allows `null`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var fields) = schema else { return schema }
        if let index = fields.firstIndex(where: { $0.0 == "type" }) {
            switch fields[index].1 {
            case .string(let name): fields[index].1 = [.string(name), "null"]
            case .array(let names) where !names.contains("null"): fields[index].1 = .array(names + ["null"])
            default: break
            }
            if let list = fields.firstIndex(where: { $0.0 == "enum" }),
                case .array(let values) = fields[list].1,
                !values.contains(.null)
            {
                fields[list].1 = .array(values + [.null])
            }
            return .object(fields)
        }
        if let index = fields.firstIndex(where: { $0.0 == "anyOf" }),
            case .array(let choices) = fields[index].1
        {
            if !choices.contains(["type": "null"]) { fields[index].1 = .array(choices + [["type": "null"]]) }
            return .object(fields)
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    /// The schema without the `null` that ``nullable(_:)`` added.
    static func nonNullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var fields) = schema else { return schema }
        for (index, field) in fields.enumerated() {
            switch (field.0, field.1) {
            case ("type", .array(let names)):
                let rest = names.filter { $0 != "null" }
                fields[index].1 = rest.count == 1 ? rest[0] : .array(rest)
            case ("enum", .array(let values)):
                fields[index].1 = .array(values.filter { $0 != .null })
            case ("anyOf", .array(let choices)):
                let rest = choices.filter { $0 != ["type": "null"] }
                if rest.count == 1, case .object(let only) = rest[0] {
                    return .object(only + fields.filter { $0.0 != "anyOf" })
                }
                fields[index].1 = .array(rest)
            default: break
            }
        }
        return .object(fields)
    }
}

private struct RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let shape: SchemaRecorder.Shape
    let hints: [String: SchemaHint]
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .unknown = shape.kind { shape.kind = .object([]) }
        return KeyedDecodingContainer(RecordingKeyed<Key>(recorder: recorder, shape: shape, hints: hints))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyed(recorder: recorder, shape: shape)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingle(recorder: recorder, shape: shape)
    }
}

private struct RecordingKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    let shape: SchemaRecorder.Shape
    let hints: [String: SchemaHint]
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    @discardableResult
    private func note(_ key: Key, _ schema: JSONValue, required: Bool) -> Int {
        guard case .object(var properties) = shape.kind else { return 0 }
        var schema = required ? schema : SchemaRecorder.nullable(schema)
        if let hint = hints[key.stringValue] { schema = hint.apply(to: schema) }
        let name = SnakeCase.convert(key.stringValue)
        let property = SchemaRecorder.Property(name: name, schema: schema, required: required)
        if let index = properties.firstIndex(where: { $0.name == name }) {
            properties[index] = property
            shape.kind = .object(properties)
            return index
        }
        properties.append(property)
        shape.kind = .object(properties)
        return properties.count - 1
    }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (schema, value) = try recorder.record(type)
        note(key, schema, required: true)
        guard let value else {
            throw APISchemaError(
                "\(T.self) holds itself through the required key \"\(key.stringValue)\": make it optional")
        }
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        note(key, try recorder.record(type).schema, required: false)
        return nil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decode(type as String.Type, key)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decode(type as Double.Type, key)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try decode(type as UInt16.Type, key)
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try decode(type as UInt32.Type, key)
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try decode(type as UInt64.Type, key)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let nested = SchemaRecorder.Shape()
        nested.kind = .object([])
        shape.pending.append((note(key, [:], required: true), nested))
        return KeyedDecodingContainer(
            RecordingKeyed<NestedKey>(recorder: recorder, shape: nested, hints: [:]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let nested = SchemaRecorder.Shape()
        shape.pending.append((note(key, [:], required: true), nested))
        return RecordingUnkeyed(recorder: recorder, shape: nested)
    }

    func superDecoder() throws -> any Decoder {
        RecordingDecoder(recorder: recorder, shape: shape, hints: hints)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        let nested = SchemaRecorder.Shape()
        shape.pending.append((note(key, [:], required: true), nested))
        return RecordingDecoder(recorder: recorder, shape: nested, hints: [:])
    }
}

/// A list: one element is asked for, its schema is the items'.
private struct RecordingUnkeyed: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    let shape: SchemaRecorder.Shape
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(recorder: SchemaRecorder, shape: SchemaRecorder.Shape) {
        self.recorder = recorder
        self.shape = shape
        shape.kind = .array([:])
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        let (schema, value) = try recorder.record(type)
        shape.kind = .array(schema)
        guard let value else {
            throw APISchemaError("\(T.self) holds a list of itself: give it APICustomSchema")
        }
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, ()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, ()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, ()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, ()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(type as Int8.Type, ()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(type as Int16.Type, ()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(type as Int32.Type, ()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Int64.Type, ()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(type as UInt.Type, ()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type as UInt8.Type, ()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type as UInt16.Type, ()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type as UInt32.Type, ()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type as UInt64.Type, ()) }

    private mutating func decode<T: Decodable>(_ type: T.Type, _: Void) throws -> T { try decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        currentIndex += 1
        let nested = SchemaRecorder.Shape()
        nested.kind = .object([])
        shape.pendingItems = nested
        return KeyedDecodingContainer(
            RecordingKeyed<NestedKey>(recorder: recorder, shape: nested, hints: [:]))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        let nested = SchemaRecorder.Shape()
        shape.pendingItems = nested
        return RecordingUnkeyed(recorder: recorder, shape: nested)
    }

    mutating func superDecoder() throws -> any Decoder {
        currentIndex += 1
        let nested = SchemaRecorder.Shape()
        shape.pendingItems = nested
        return RecordingDecoder(recorder: recorder, shape: nested, hints: [:])
    }
}

private struct RecordingSingle: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    let shape: SchemaRecorder.Shape
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try recorder.record(type)
        shape.kind = .scalar(schema)
        guard let value else { throw APISchemaError("\(T.self) wraps itself: give it APICustomSchema") }
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, ()) }
    func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, ()) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, ()) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, ()) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, ()) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(type as Int8.Type, ()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(type as Int16.Type, ()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(type as Int32.Type, ()) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Int64.Type, ()) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(type as UInt.Type, ()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type as UInt8.Type, ()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type as UInt16.Type, ()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type as UInt32.Type, ()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type as UInt64.Type, ()) }

    private func decode<T: Decodable>(_ type: T.Type, _: Void) throws -> T { try decode(type) }
}
