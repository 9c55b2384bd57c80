import Foundation

/// A value as SQLite stores it. Every Swift value bound to a statement becomes one of these, so
/// no value is ever spliced into SQL text.
///
/// ```swift
/// let values: [DatabaseValue] = [42, "Ada", nil, Date().databaseValue]
/// ```
public enum DatabaseValue: Sendable, Hashable, CustomDebugStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var debugDescription: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value):
            let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
            return "\"" + shown.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .blob(let bytes): return "<\(bytes.count) bytes>"
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

/// A Swift type that can be bound to a statement parameter.
public protocol DatabaseValueConvertible: Sendable {
    var databaseValue: DatabaseValue { get }
}

/// A Swift type that can be read from a result column.
public protocol ColumnDecodable {
    /// Decodes the value, or returns nil when the stored value has the wrong type or is NULL.
    static func decode(_ value: DatabaseValue) -> Self?
}

extension DatabaseValue: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { self }
    public static func decode(_ value: DatabaseValue) -> DatabaseValue? { value }
}

extension Int: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public static func decode(_ value: DatabaseValue) -> Int? {
        switch value {
        case .integer(let v): return Int(v)
        case .real(let v): return Int(exactly: v)
        default: return nil
        }
    }
}

extension Int64: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .integer(self) }
    public static func decode(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        default: return nil
        }
    }
}

extension Double: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .real(self) }
    public static func decode(_ value: DatabaseValue) -> Double? {
        switch value {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        default: return nil
        }
    }
}

extension Bool: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public static func decode(_ value: DatabaseValue) -> Bool? {
        if case .integer(let v) = value { return v != 0 }
        return nil
    }
}

extension String: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .text(self) }
    public static func decode(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let v): return v
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        default: return nil
        }
    }
}

/// Dates are stored as integer milliseconds since 1970 (UTC): compact, indexable, and the same
/// in SQLite and PostgreSQL (BIGINT).
extension Date: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue {
        .integer(Int64((timeIntervalSince1970 * 1000).rounded()))
    }
    public static func decode(_ value: DatabaseValue) -> Date? {
        switch value {
        case .integer(let ms): return Date(timeIntervalSince1970: Double(ms) / 1000)
        case .real(let ms): return Date(timeIntervalSince1970: ms / 1000)
        default: return nil
        }
    }
}

extension Data: DatabaseValueConvertible, ColumnDecodable {
    public var databaseValue: DatabaseValue { .blob([UInt8](self)) }
    public static func decode(_ value: DatabaseValue) -> Data? {
        switch value {
        case .blob(let bytes): return Data(bytes)
        case .text(let text): return Data(text.utf8)
        default: return nil
        }
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    public var databaseValue: DatabaseValue { .blob(self) }
}

extension Array: ColumnDecodable where Element == UInt8 {
    public static func decode(_ value: DatabaseValue) -> [UInt8]? {
        switch value {
        case .blob(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: return nil
        }
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        switch self {
        case .none: return .null
        case .some(let wrapped): return wrapped.databaseValue
        }
    }
}
