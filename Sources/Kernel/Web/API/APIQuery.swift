/// The query parameters of an API operation, as a `Decodable` type: each property is one
/// parameter (snake_case), parsed from its text, documented with its schema, and a value that
/// does not parse answers 422 naming it. A `limit` is clamped into ``limitRange``, here and
/// nowhere else.
///
/// ```swift
/// struct PostListQuery: APIQuery {
///     var before: Int64?
///     var limit: Int?
///     static let limitRange: ClosedRange<Int>? = 1...100
/// }
/// ```
public protocol APIQuery: Decodable, Sendable, APIInput {
    /// The range a `limit` parameter is clamped into (and documented with); nil: none.
    static var limitRange: ClosedRange<Int>? { get }
    /// Descriptions and bounds of the parameters, keyed by property name.
    static var fieldHints: [String: SchemaHint] { get }
}

extension APIQuery {
    public static var limitRange: ClosedRange<Int>? { nil }
    public static var fieldHints: [String: SchemaHint] { [:] }

    /// A page size: what the caller asked for, else `fallback`, clamped into ``limitRange``.
    public static func limit(_ requested: Int?, default fallback: Int) -> Int {
        guard let range = limitRange else { return requested ?? fallback }
        return APIQueryLimit.clamp(requested ?? fallback, to: range)
    }
}

/// The one place a page size is clamped.
enum APIQueryLimit {
    static func clamp<T>(_ value: T, to range: ClosedRange<Int>) -> T {
        guard let number = value as? any BinaryInteger, let type = T.self as? any FixedWidthInteger.Type
        else {
            return value
        }
        let clamped = min(range.upperBound, max(range.lowerBound, Int(clamping: number)))
        return (type.init(clamping: clamped) as? T) ?? value
    }
}
