/// An ordered list of header fields with case-insensitive lookup by name.
///
/// Order and duplicates are kept as received, so the parser's view of a message is never
/// rewritten; lookups compare names ASCII-case-insensitively without allocating.
///
/// ```swift
/// var headers = HTTPHeaders([("Content-Type", "text/plain")])
/// headers.add("Set-Cookie", "a=1")
/// headers["content-type"]  // "text/plain"
/// ```
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field as it appears on the wire.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    var fieldsStorage: [Field]

    /// The fields in wire order.
    public var fields: [Field] { fieldsStorage }

    public init() { fieldsStorage = [] }

    public init(_ pairs: [(String, String)]) {
        fieldsStorage = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value for `name`, or nil. Setting replaces every field with that name.
    public subscript(name: String) -> String? {
        get {
            for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
            return nil
        }
        set {
            if let newValue { replaceOrAdd(name, newValue) } else { remove(name) }
        }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.lazy.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// Values for `name` split as a comma-separated list (RFC 9110 §5.6.1), trimmed, empties dropped.
    public func listValues(for name: String) -> [String] {
        var result: [String] = []
        for value in values(for: name) {
            for element in value.split(separator: ",", omittingEmptySubsequences: true) {
                let trimmed = element.trimmingHTTPWhitespace()
                if !trimmed.isEmpty { result.append(trimmed) }
            }
        }
        return result
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Appends a field, keeping any existing ones with the same name.
    public mutating func add(_ name: String, _ value: String) {
        fieldsStorage.append(Field(name: name, value: value))
    }

    /// Replaces the first field named `name` (removing later duplicates) or appends it.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        remove(name)
        fieldsStorage.append(Field(name: name, value: value))
    }

    public mutating func remove(_ name: String) {
        fieldsStorage.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fieldsStorage == rhs.fieldsStorage
    }
}

extension String {
    /// ASCII case-insensitive comparison, the rule for header names and tokens (RFC 9110 §5.1).
    @inlinable
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        for (a, b) in zip(lhs, rhs) where a != b {
            let la = (a >= 65 && a <= 90) ? a | 0x20 : a
            let lb = (b >= 65 && b <= 90) ? b | 0x20 : b
            if la != lb { return false }
        }
        return true
    }

    /// Drops leading and trailing SP / HTAB (HTTP's OWS), not other Unicode whitespace.
    func trimmingHTTPWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}

extension Substring {
    func trimmingHTTPWhitespace() -> String { String(self).trimmingHTTPWhitespace() }
}
