import Foundation

/// Decodes request input (a JSON body, or query or path values as strings) into `Decodable`
/// types, with the API's key spelling (snake_case) and errors a client can act on: every field
/// that is missing or of the wrong type is named in one 422, with the message its
/// ``SchemaHint`` gives or a generic one ("Must be a whole number.").
///
/// ```swift
/// let input = try APIValueDecoder.decode(PostRequest.self, fromBody: request.body)
/// let query = try APIValueDecoder.decode(PostListQuery.self, fromStrings: request.queryItems…)
/// ```
public enum APIValueDecoder {
    /// A JSON object body; 400 when it is not JSON or not an object, 422 naming the fields.
    public static func decode<Value: Decodable>(_ type: Value.Type, fromBody body: [UInt8]) throws -> Value {
        let json: JSONValue
        do {
            json = try JSONValue.parse(String(decoding: body, as: UTF8.self))
        } catch {
            throw WebError.badRequest("The request body is not valid JSON.")
        }
        guard case .object = json else {
            throw WebError.badRequest("The request body must be a JSON object.")
        }
        return try decode(type, from: json, state: DecodingState(strings: false, limitRange: nil))
    }

    /// Named string values (a query string, route parameters): numbers, booleans and enums are
    /// parsed from their text, an empty value counts as absent, and `limit` is clamped into
    /// `limitRange` when one is given.
    public static func decode<Value: Decodable>(
        _ type: Value.Type, fromStrings values: [(name: String, value: String)],
        limitRange: ClosedRange<Int>? = nil
    ) throws -> Value {
        let object = JSONValue.object(
            values.filter { !$0.value.isEmpty }.map { ($0.name, .string($0.value)) })
        return try decode(type, from: object, state: DecodingState(strings: true, limitRange: limitRange))
    }

    private static func decode<Value: Decodable>(
        _ type: Value.Type, from json: JSONValue, state: DecodingState
    )
        throws -> Value
    {
        let decoder = ValueDecoder(value: json, path: [], hints: hints(of: type), state: state)
        do {
            let value = try Value(from: decoder)
            if !state.errors.isEmpty { throw DomainError.invalid(state.errors) }
            return value
        } catch is DecodingAbort {
            throw DomainError.invalid(state.errors)
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(state.errors + errors.filter { !state.errors.contains($0) })
        } catch let error as WebError {
            throw error
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError.invalid(state.errors + [FieldError(field: "", message: describe(error))])
        }
    }

    static func hints(of type: Any.Type) -> [String: SchemaHint] {
        (type as? any APIModel.Type)?.fieldHints ?? (type as? any APIQuery.Type)?.fieldHints ?? [:]
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "Not valid here."
        }
    }

    /// What a value of this type must look like, for a problem's message.
    static func expectation(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "Must be a string."
        case is Bool.Type: return "Must be true or false."
        case is any BinaryInteger.Type: return "Must be a whole number."
        case is Double.Type, is Float.Type: return "Must be a number."
        case is Date.Type: return "Must be a date and time (RFC 3339)."
        case let enumeration as any APIEnum.Type: return "Must be " + enumeration.quotedCases + "."
        case is any APICustomSchema.Type, is any APIModel.Type: return "Not valid here."
        default:
            if String(describing: type).hasPrefix("Array<") { return "Must be a list." }
            return "Not valid here."
        }
    }
}

extension APIEnum {
    /// `"draft" or "published"`.
    static var quotedCases: String {
        let names = allCases.map { "\"\($0.rawValue)\"" }
        return names.count > 1
            ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
    }
}

/// Thrown to stop decoding once a field that nothing can stand in for has failed; the failure
/// is already in ``DecodingState/errors``.
struct DecodingAbort: Error {}

final class DecodingState {
    let strings: Bool
    let limitRange: ClosedRange<Int>?
    var errors: [FieldError] = []
    init(strings: Bool, limitRange: ClosedRange<Int>?) {
        self.strings = strings
        self.limitRange = limitRange
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let path: [String]
    let hints: [String: SchemaHint]
    let state: DecodingState
    var codingPath: [any CodingKey] { path.map(PathKey.init) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else {
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "Must be an object."))
        }
        return KeyedDecodingContainer(KeyedValues<Key>(fields: fields, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw DecodingError.typeMismatch(
                [JSONValue].self, .init(codingPath: codingPath, debugDescription: "Must be a list."))
        }
        return UnkeyedValues(items: items, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoder: self) }

    func child(_ value: JSONValue, at key: String, type: Any.Type) -> ValueDecoder {
        ValueDecoder(value: value, path: path + [key], hints: APIValueDecoder.hints(of: type), state: state)
    }

    /// A scalar of `type` from `value`, or nil when it is not one.
    func scalar<T>(_ type: T.Type, from value: JSONValue) -> T? {
        switch value {
        case .string(let text):
            if T.self == String.self { return text as? T }
            guard state.strings else { return nil }
            if T.self == Bool.self {
                switch text.lowercased() {
                case "true", "1", "yes", "on": return true as? T
                case "false", "0", "no", "off": return false as? T
                default: return nil
                }
            }
            if let integer = T.self as? any FixedWidthInteger.Type {
                return integer.init(text, radix: 10) as? T
            }
            if T.self == Double.self { return Double(text) as? T }
            if T.self == Float.self { return Float(text) as? T }
            return nil
        case .bool(let flag): return T.self == Bool.self ? flag as? T : nil
        case .int(let number):
            if let integer = T.self as? any FixedWidthInteger.Type {
                return integer.init(exactly: number) as? T
            }
            if T.self == Double.self { return Double(number) as? T }
            if T.self == Float.self { return Float(number) as? T }
            return nil
        case .double(let number):
            if let integer = T.self as? any FixedWidthInteger.Type {
                return integer.init(exactly: number) as? T
            }
            if T.self == Double.self { return number as? T }
            if T.self == Float.self { return Float(number) as? T }
            return nil
        default: return nil
        }
    }

    /// A `Decodable` of any type from `value`: dates parsed from RFC 3339, the rest by their
    /// own `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue, at key: String) throws -> T {
        if T.self == Date.self {
            guard case .string(let text) = value, let date = try? Date(text, strategy: .iso8601) as? T else {
                throw DecodingError.typeMismatch(
                    Date.self,
                    .init(codingPath: codingPath, debugDescription: "Must be a date and time (RFC 3339)."))
            }
            return date
        }
        return try T(from: child(value, at: key, type: T.self))
    }
}

private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int? { Int(stringValue) }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue) }
}

private struct KeyedValues<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [(String, JSONValue)]
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { fields.compactMap { Key(stringValue: $0.0) } }

    private func name(_ key: Key) -> String { SnakeCase.convert(key.stringValue) }

    private func lookup(_ key: Key) -> JSONValue? {
        let name = name(key)
        return fields.first { $0.0 == name }?.1
    }

    private func field(_ key: Key) -> String { (decoder.path + [name(key)]).joined(separator: ".") }

    private func fail(_ key: Key, _ message: String) {
        decoder.state.errors.append(
            FieldError(field: field(key), message: decoder.hints[key.stringValue]?.message ?? message))
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = lookup(key) else { return true }
        return value == .null
    }

    /// A scalar field: a wrong or missing one is recorded and a stand-in returned, so one
    /// answer names every such field.
    private func scalar<T>(_ type: T.Type, _ key: Key, placeholder: T) -> T {
        guard let value = lookup(key), value != .null else {
            fail(key, "Required.")
            return placeholder
        }
        guard var result = decoder.scalar(type, from: value) else {
            fail(key, APIValueDecoder.expectation(of: type))
            return placeholder
        }
        if let range = decoder.state.limitRange, decoder.path.isEmpty, name(key) == "limit" {
            result = APIQueryLimit.clamp(result, to: range)
        }
        return result
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { scalar(type, key, placeholder: false) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { scalar(type, key, placeholder: "") }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { scalar(type, key, placeholder: 0) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { scalar(type, key, placeholder: 0) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { scalar(type, key, placeholder: 0) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { scalar(type, key, placeholder: 0) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { scalar(type, key, placeholder: 0) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { scalar(type, key, placeholder: 0) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { scalar(type, key, placeholder: 0) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { scalar(type, key, placeholder: 0) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { scalar(type, key, placeholder: 0) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { scalar(type, key, placeholder: 0) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { scalar(type, key, placeholder: 0) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { scalar(type, key, placeholder: 0) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = lookup(key), value != .null else {
            fail(key, "Required.")
            throw DecodingAbort()
        }
        do {
            return try decoder.decodeValue(type, from: value, at: name(key))
        } catch let abort as DecodingAbort {
            throw abort
        } catch let error as WebError {
            throw error
        } catch let error as DomainError {
            throw error
        } catch {
            fail(key, APIValueDecoder.expectation(of: type))
            throw DecodingAbort()
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(lookup(key) ?? .null, at: name(key), type: Any.self).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(lookup(key) ?? .null, at: name(key), type: Any.self).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder.child(lookup(key) ?? .null, at: name(key), type: Any.self)
    }
}

private struct UnkeyedValues: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    var currentIndex = 0

    init(items: [JSONValue], decoder: ValueDecoder) {
        self.items = items
        self.decoder = decoder
    }

    private mutating func next<T>(_ type: T.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "The list ended."))
        }
        defer { currentIndex += 1 }
        return items[currentIndex]
    }

    private mutating func scalar<T>(_ type: T.Type) throws -> T {
        let value = try next(type)
        guard let result = decoder.scalar(type, from: value) else {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: APIValueDecoder.expectation(of: type)))
        }
        return result
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, items[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = currentIndex
        return try decoder.decodeValue(type, from: try next(type), at: String(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let index = currentIndex
        return try decoder.child(try next(Any.self), at: String(index), type: Any.self).container(
            keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let index = currentIndex
        return try decoder.child(try next(Any.self), at: String(index), type: Any.self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let index = currentIndex
        return decoder.child(try next(Any.self), at: String(index), type: Any.self)
    }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    private func scalar<T>(_ type: T.Type) throws -> T {
        guard let result = decoder.scalar(type, from: decoder.value) else {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: APIValueDecoder.expectation(of: type)))
        }
        return result
    }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self { return try decoder.decodeValue(type, from: decoder.value, at: "") }
        return try T(
            from: ValueDecoder(
                value: decoder.value, path: decoder.path, hints: APIValueDecoder.hints(of: T.self),
                state: decoder.state))
    }
}
