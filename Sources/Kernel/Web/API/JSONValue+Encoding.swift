import Foundation

extension JSONValue {
    /// The value an API type encodes to, keys in the API's order: for console `--json` output
    /// and exports that show the same JSON as the API.
    ///
    /// ```swift
    /// console.printJSON(try JSONValue(encoding: PostResponse(post, views: 3)))
    /// ```
    public init<Value: Encodable>(encoding value: Value) throws {
        var reader = OrderedJSONReader(bytes: try APIJSONEncoder().encode(value))
        self = try reader.document()
    }
}

/// Reads JSON text keeping the order of object keys (``JSONValue/parse(_:)`` sorts them).
struct OrderedJSONReader {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "malformed JSON at byte \(offset)" }
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw Malformed(offset: index) }
        return value
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw Malformed(offset: index) }
        index += 1
    }

    private mutating func literal(_ text: String, _ value: JSONValue) throws -> JSONValue {
        let expected = Array(text.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected
        else {
            throw Malformed(offset: index)
        }
        index += expected.count
        return value
    }

    private mutating func value() throws -> JSONValue {
        skipSpace()
        guard index < bytes.count else { throw Malformed(offset: index) }
        switch bytes[index] {
        case 0x7B:
            index += 1
            var fields: [(String, JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == 0x7D {
                index += 1
                return .object(fields)
            }
            repeat {
                skipSpace()
                let key = try string()
                try expect(0x3A)
                fields.append((key, try value()))
                skipSpace()
                guard index < bytes.count else { throw Malformed(offset: index) }
                index += 1
                if bytes[index - 1] == 0x7D { return .object(fields) }
                guard bytes[index - 1] == 0x2C else { throw Malformed(offset: index - 1) }
            } while true
        case 0x5B:
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == 0x5D {
                index += 1
                return .array(items)
            }
            repeat {
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw Malformed(offset: index) }
                index += 1
                if bytes[index - 1] == 0x5D { return .array(items) }
                guard bytes[index - 1] == 0x2C else { throw Malformed(offset: index - 1) }
            } while true
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", true)
        case 0x66: return try literal("false", false)
        case 0x6E: return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let integer = Int64(text) { return .int(integer) }
        if let double = Double(text) { return .double(double) }
        throw Malformed(offset: start)
    }

    private mutating func string() throws -> String {
        guard index < bytes.count, bytes[index] == 0x22 else { throw Malformed(offset: index) }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22: return String(decoding: out, as: UTF8.self)
            case 0x5C:
                guard index < bytes.count else { throw Malformed(offset: index) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x75:
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == 0x5C,
                        bytes[index + 1] == 0x75
                    {
                        index += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let character = Unicode.Scalar(scalar) else { throw Malformed(offset: index) }
                    out.append(contentsOf: Array(String(Character(character)).utf8))
                default: out.append(escape)
                }
            default: out.append(byte)
            }
        }
        throw Malformed(offset: index)
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - index >= 4,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw Malformed(offset: index) }
        index += 4
        return value
    }
}
