/// A Starlark value. Lists and dicts are reference types (shared, mutable until frozen).
///
/// ```swift
/// let value: Value = .list(StarlarkList([.int(1), .string("a")]))
/// if case .list(let list) = value { print(list.count) }   // 2
/// print(Value.string("hi").asString ?? "")               // hi
/// ```
public enum Value {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case list(StarlarkList)
    case tuple([Value])
    case dict(StarlarkDict)
    case function(StarlarkFunction)
    case builtin(Builtin)
    case module(StarlarkModule)
    case range(StarlarkRange)
    /// The iterable views returned by `s.elems()`, `s.codepoints()` and their `_ords` variants.
    case stringView(StringView)

    /// The Starlark type name, as returned by `type(x)`.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .function: return "function"
        case .builtin: return "builtin_function_or_method"
        case .module(let m): return m.typeName
        case .range: return "range"
        case .stringView(let v): return v.kind.isElements ? "string.elems" : "string.codepoints"
        }
    }

    /// Truth value, as used by `if`, `and`, `or`, `not` and `bool()`.
    public var truth: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return l.count > 0
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .range(let r): return r.count > 0
        case .stringView(let v): return !v.string.isEmpty
        case .function, .builtin, .module: return true
        }
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
    public var asBool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    public var asInt: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }
    /// Ints convert to Double too.
    public var asDouble: Double? {
        switch self {
        case .float(let f): return f
        case .int(let i): return Double(i)
        default: return nil
        }
    }
    public var asString: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    /// Elements of a list or tuple.
    public var asList: [Value]? {
        switch self {
        case .list(let l): return l.elements
        case .tuple(let t): return t
        default: return nil
        }
    }
    public var asDict: StarlarkDict? {
        if case .dict(let d) = self { return d }
        return nil
    }
    /// Whether the value can be called (function or builtin).
    public var isCallable: Bool {
        switch self {
        case .function, .builtin: return true
        default: return false
        }
    }
}

/// A mutable Starlark list.
///
/// ```swift
/// let list = StarlarkList([.int(1)])
/// try list.append(.int(2))
/// ```
public final class StarlarkList {
    public internal(set) var elements: [Value]
    public internal(set) var isFrozen = false
    var iterators = 0

    public init(_ elements: [Value] = []) { self.elements = elements }

    deinit { Teardown.release(&elements) }

    public var count: Int { elements.count }

    func checkMutable(_ verb: String) throws(EvalError) {
        if isFrozen { throw EvalError("cannot \(verb) frozen list") }
        if iterators > 0 { throw EvalError("cannot \(verb) list during iteration") }
    }

    /// Appends, failing if the list is frozen or being iterated.
    public func append(_ value: Value) throws(EvalError) {
        try checkMutable("append to")
        elements.append(value)
    }
}

/// A host- or script-defined namespace with named members, like the `assert` module.
///
/// ```swift
/// let pln = StarlarkModule(name: "pln", members: [("version", .string("1.0"))])
/// ```
public final class StarlarkModule {
    public let name: String
    public let typeName: String
    public private(set) var members: [(String, Value)]

    public init(name: String, typeName: String = "module", members: [(String, Value)]) {
        self.name = name
        self.typeName = typeName
        self.members = members
    }

    public subscript(name: String) -> Value? {
        members.first { $0.0 == name }?.1
    }
}

/// The lazy sequence returned by `range()`.
///
/// ```swift
/// if case .range(let r) = value { print(r.count, r[0]) }
/// ```
public struct StarlarkRange {
    public let start: Int64
    public let stop: Int64
    public let step: Int64

    /// Number of elements; ranges too long to count in an Int are rejected by `range()`.
    public var count: Int { Int(clamping: Self.count(start: start, stop: stop, step: step)) }

    /// Exact element count, computed without overflow.
    static func count(start: Int64, stop: Int64, step: Int64) -> UInt64 {
        if step > 0 {
            if start >= stop { return 0 }
            return (UInt64(bitPattern: stop &- start) - 1) / UInt64(step) + 1
        }
        if start <= stop { return 0 }
        return (UInt64(bitPattern: start &- stop) - 1) / step.magnitude + 1
    }

    public subscript(index: Int) -> Int64 { start &+ Int64(index) &* step }
}

extension Value: Equatable {
    /// Starlark's `==` (values that cannot be compared, such as cyclic lists, are unequal).
    public static func == (lhs: Value, rhs: Value) -> Bool {
        (try? Ops.equal(lhs, rhs)) ?? false
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal makes a (new, mutable) list.
    public init(arrayLiteral elements: Value...) { self = .list(StarlarkList(elements)) }
}

extension Value {
    /// A new dict with the given entries in order (later duplicates overwrite earlier ones).
    public static func makeDict(_ entries: [(String, Value)]) -> Value {
        let dict = StarlarkDict()
        for (key, value) in entries { try? dict.set(.string(key), value) }
        return .dict(dict)
    }
}

/// An iterable view of a string's elements (UTF-8 bytes) or code points, as substrings or as ints.
///
/// ```swift
/// if case .stringView(let view) = value { print(view.string, view.kind) }   // "abc" codepoints
/// ```
public struct StringView {
    public enum Kind: String {
        case elems, elemOrds = "elem_ords", codepoints, codepointOrds = "codepoint_ords"

        var isElements: Bool { self == .elems || self == .elemOrds }
    }

    public let string: String
    public let kind: Kind

    /// Elements views are indexable and have a length; code point views are only iterable.
    var count: Int? { kind.isElements ? string.utf8.count : nil }

    subscript(index: Int) -> Value {
        let byte = string.utf8[string.utf8.index(string.utf8.startIndex, offsetBy: index)]
        return kind == .elemOrds ? .int(Int64(byte)) : .string(String(decoding: [byte], as: UTF8.self))
    }

    var values: [Value] {
        switch kind {
        case .elems: return string.utf8.map { .string(String(decoding: [$0], as: UTF8.self)) }
        case .elemOrds: return string.utf8.map { .int(Int64($0)) }
        case .codepoints: return string.unicodeScalars.map { .string(String($0)) }
        case .codepointOrds: return string.unicodeScalars.map { .int(Int64($0.value)) }
        }
    }
}
