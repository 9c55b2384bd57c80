/// A Value wrapper with Starlark's equality and hashing, for use as a Swift dictionary key.
/// Only hashable values (checked by `Value.checkHashable`) may be wrapped.
struct HashKey: Hashable {
    let value: Value

    static func == (lhs: HashKey, rhs: HashKey) -> Bool {
        if case .float(let a) = lhs.value, case .float(let b) = rhs.value, a.isNaN && b.isNaN { return true }
        return (try? Ops.equal(lhs.value, rhs.value)) ?? false
    }

    func hash(into hasher: inout Hasher) {
        value.hashInto(&hasher)
    }
}

extension Value {
    func hashInto(_ hasher: inout Hasher) {
        switch self {
        case .none: hasher.combine(0)
        case .bool(let b): hasher.combine(b ? 1 : 0)
        case .int(let i): hasher.combine(i)
        case .float(let f):
            if f.rounded() == f, f >= -9.2e18, f <= 9.2e18 {
                hasher.combine(Int64(f))
            } else if f.isNaN {
                hasher.combine(-7)
            } else {
                hasher.combine(f)
            }
        case .string(let s): hasher.combine(s)
        case .tuple(let items):
            hasher.combine(items.count)
            for item in items { item.hashInto(&hasher) }
        case .function(let f): hasher.combine(ObjectIdentifier(f))
        case .builtin(let b): hasher.combine(b.name)
        default: hasher.combine(99)
        }
    }

    /// Fails for values that cannot be dict keys.
    func checkHashable(depth: Int = 0) throws(EvalError) {
        if depth > 100 { throw EvalError("tuple nested too deeply to be used as a key") }
        switch self {
        case .list, .dict: throw EvalError("unhashable type: \(typeName)")
        case .module, .range, .stringView: throw EvalError("unhashable: \(typeName)")
        case .tuple(let items):
            for item in items { try item.checkHashable(depth: depth + 1) }
        default: return
        }
    }
}

/// An insertion-ordered Starlark dict.
///
/// ```swift
/// let dict = StarlarkDict()
/// try dict.set(.string("port"), .int(8080))
/// for (key, value) in dict.entries { print(key, value) }
/// ```
public final class StarlarkDict {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]
    public internal(set) var isFrozen = false
    var iterators = 0

    public init() {}

    deinit {
        var contents = takeAll()
        Teardown.release(&contents)
    }

    /// Empties the dict, returning its keys and values (for `Teardown`).
    func takeAll() -> [Value] {
        let contents = keys + values
        keys = []
        values = []
        index = [:]
        return contents
    }

    public var count: Int { keys.count }

    /// Key/value pairs in insertion order.
    public var entries: [(key: Value, value: Value)] {
        (0..<keys.count).map { (keys[$0], values[$0]) }
    }

    public func get(_ key: Value) throws(EvalError) -> Value? {
        try key.checkHashable()
        guard let at = index[HashKey(value: key)] else { return nil }
        return values[at]
    }

    /// Convenience lookup by string key.
    public subscript(key: String) -> Value? {
        guard let at = index[HashKey(value: .string(key))] else { return nil }
        return values[at]
    }

    func checkMutable(_ verb: String) throws(EvalError) {
        if isFrozen { throw EvalError("cannot \(verb) frozen hash table") }
        if iterators > 0 { throw EvalError("cannot \(verb) hash table during iteration") }
    }

    public func set(_ key: Value, _ value: Value) throws(EvalError) {
        try key.checkHashable()
        try checkMutable("insert into")
        let hashKey = HashKey(value: key)
        if let at = index[hashKey] {
            values[at] = value
        } else {
            index[hashKey] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    @discardableResult
    public func remove(_ key: Value) throws(EvalError) -> Value? {
        try key.checkHashable()
        try checkMutable("delete from")
        let hashKey = HashKey(value: key)
        guard let at = index[hashKey] else { return nil }
        let value = values[at]
        keys.remove(at: at)
        values.remove(at: at)
        index.removeValue(forKey: hashKey)
        for i in at..<keys.count { index[HashKey(value: keys[i])] = i }
        return value
    }

    public func removeAll() throws(EvalError) {
        try checkMutable("clear")
        keys.removeAll()
        values.removeAll()
        index.removeAll()
    }

    func copy() -> StarlarkDict {
        let d = StarlarkDict()
        d.keys = keys
        d.values = values
        d.index = index
        return d
    }
}
