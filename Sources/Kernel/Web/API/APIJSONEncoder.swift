import Foundation

/// Encodes `Encodable` values as the API's JSON, straight into bytes: keys in snake_case and in
/// the order they are encoded (a struct's declaration order), `nil` written as `null`, dates as
/// RFC 3339 UTC strings, and strings escaped as ``JSONValue`` escapes them, so a converted
/// route answers the bytes it answered when it built a ``JSONValue``.
///
/// ```swift
/// let bytes = try APIJSONEncoder().encode(PostResponse(post, views: 3))
/// ```
public struct APIJSONEncoder: Sendable {
    public init() {}

    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let output = JSONOutput()
        try output.encodeValue(value, depth: 0)
        return output.bytes
    }
}

/// A `[String: Value]` dictionary: its keys are data, written as they are and sorted.
protocol JSONStringKeyedDictionary {
    func encodeEntries(to output: JSONOutput, depth: Int) throws
}

extension Dictionary: JSONStringKeyedDictionary where Key == String, Value: Encodable {
    func encodeEntries(to output: JSONOutput, depth: Int) throws {
        let serial = output.open(object: true)
        for key in keys.sorted() {
            output.beginElement(of: depth, serial: serial)
            JSONOutput.appendString(key, to: &output.bytes)
            output.bytes.append(0x3A)
            // Non-nil: a dictionary's values are present by construction.
            if let value = self[key] { try output.encodeValue(value, depth: depth + 1) }
        }
        output.close(downTo: depth)
    }
}

extension JSONOutput {
    /// Writes one value whose containers, if any, open at frame `depth`.
    func encodeValue<Value: Encodable>(_ value: Value, depth: Int) throws {
        // Type comparisons first: a cast costs several hundred instructions, and every item
        // of a list comes through here.
        if Value.self == Date.self { return write(unsafeBitCast(value, to: Date.self)) }
        if Value.self == URL.self { return write(unsafeBitCast(value, to: URL.self).absoluteString) }
        if let dictionary = value as? any JSONStringKeyedDictionary {
            return try dictionary.encodeEntries(to: self, depth: depth)
        }
        let start = bytes.count
        try value.encode(to: StreamEncoder(output: self, depth: depth))
        if frames.count > depth {
            close(downTo: depth)
        } else if bytes.count == start {
            // As Foundation: a value that encoded nothing is an empty object.
            _ = open(object: true)
            close(downTo: depth)
        }
    }
}

/// The `Encoder` handed to `encode(to:)`; its container is frame `depth` of the output.
struct StreamEncoder: Encoder {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedStream<Key>(output: output, index: depth, serial: frame(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedStream(output: output, index: depth, serial: frame(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleStream(output: output, depth: depth)
    }

    /// The container this value opened already (a second request, as when a type encodes
    /// another into the same object), or a new one.
    func frame(object: Bool) -> Int {
        if output.frames.count > depth {
            precondition(
                output.frames[depth].isObject == object,
                "APIJSONEncoder: one value asked for both a keyed and an unkeyed container")
            output.close(downTo: depth + 1)
            return output.frames[depth].serial
        }
        return output.open(object: object)
    }
}

private struct KeyedStream<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let index: Int
    let serial: Int
    var codingPath: [any CodingKey] { [] }

    private func begin(_ key: Key) {
        output.key(property: key.stringValue, of: index, serial: serial)
    }

    mutating func encodeNil(forKey key: Key) throws {
        begin(key)
        output.writeNull()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        begin(key)
        output.write(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        begin(key)
        output.write(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        begin(key)
        output.write(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        begin(key)
        output.write(Double(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    private func integer<Integer: BinaryInteger>(_ value: Integer, _ key: Key) throws {
        begin(key)
        output.write(value)
    }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        begin(key)
        try output.encodeValue(value, depth: index + 1)
    }

    // The API writes absent optionals as `null` (the default implementations leave the key out).
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        try optional(value, key)
    }

    private mutating func optional<Value: Encodable>(_ value: Value?, _ key: Key) throws {
        if let value {
            begin(key)
            try output.encodeValue(value, depth: index + 1)
        } else {
            try encodeNil(forKey: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        begin(key)
        return KeyedEncodingContainer(
            KeyedStream<NestedKey>(output: output, index: index + 1, serial: output.open(object: true)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        return UnkeyedStream(output: output, index: index + 1, serial: output.open(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        output.key("super", of: index, serial: serial)
        return StreamEncoder(output: output, depth: index + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        begin(key)
        return StreamEncoder(output: output, depth: index + 1)
    }
}

private struct UnkeyedStream: UnkeyedEncodingContainer {
    let output: JSONOutput
    let index: Int
    let serial: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { output.frames.count > index ? output.frames[index].count : 0 }

    private func begin() { output.beginElement(of: index, serial: serial) }

    mutating func encodeNil() throws {
        begin()
        output.writeNull()
    }
    mutating func encode(_ value: Bool) throws {
        begin()
        output.write(value)
    }
    mutating func encode(_ value: String) throws {
        begin()
        output.write(value)
    }
    mutating func encode(_ value: Double) throws {
        begin()
        output.write(value)
    }
    mutating func encode(_ value: Float) throws {
        begin()
        output.write(Double(value))
    }
    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }

    private func integer<Integer: BinaryInteger>(_ value: Integer) {
        begin()
        output.write(value)
    }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        begin()
        try output.encodeValue(value, depth: index + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        begin()
        return KeyedEncodingContainer(
            KeyedStream<NestedKey>(output: output, index: index + 1, serial: output.open(object: true)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        begin()
        return UnkeyedStream(output: output, index: index + 1, serial: output.open(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        begin()
        return StreamEncoder(output: output, depth: index + 1)
    }
}

private struct SingleStream: SingleValueEncodingContainer {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { output.writeNull() }
    mutating func encode(_ value: Bool) throws { output.write(value) }
    mutating func encode(_ value: String) throws { output.write(value) }
    mutating func encode(_ value: Double) throws { output.write(value) }
    mutating func encode(_ value: Float) throws { output.write(Double(value)) }
    mutating func encode(_ value: Int) throws { output.write(value) }
    mutating func encode(_ value: Int8) throws { output.write(value) }
    mutating func encode(_ value: Int16) throws { output.write(value) }
    mutating func encode(_ value: Int32) throws { output.write(value) }
    mutating func encode(_ value: Int64) throws { output.write(value) }
    mutating func encode(_ value: UInt) throws { output.write(value) }
    mutating func encode(_ value: UInt8) throws { output.write(value) }
    mutating func encode(_ value: UInt16) throws { output.write(value) }
    mutating func encode(_ value: UInt32) throws { output.write(value) }
    mutating func encode(_ value: UInt64) throws { output.write(value) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        try output.encodeValue(value, depth: depth)
    }
}
