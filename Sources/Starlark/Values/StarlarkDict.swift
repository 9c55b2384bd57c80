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
///
/// Entries live in insertion order in `slots`; removing one leaves a hole that is skipped, and
/// the slots are compacted once holes outnumber entries, so removals cost O(1) amortized.
public final class StarlarkDict {
    private var slots: [(key: Value, value: Value)?] = []
    private var index: [HashKey: Int] = [:]
    private var holes = 0
    /// No entry lives before this slot (for `firstKey`).
    private var firstLive = 0
    public internal(set) var isFrozen = false
    var iterators = 0

    public init() {}

    deinit {
        var contents = takeAll()
        Teardown.release(&contents)
    }

    /// Empties the dict, returning its keys and values (for `Teardown`).
    func takeAll() -> [Value] {
        var contents: [Value] = []
        contents.reserveCapacity(2 * count)
        for case (let key, let value)? in slots {
            contents.append(key)
            contents.append(value)
        }
        slots = []
        index = [:]
        holes = 0
        firstLive = 0
        return contents
    }

    public var count: Int { slots.count - holes }

    /// Keys in insertion order.
    public var keys: [Value] { slots.compactMap { $0?.key } }

    /// Values in insertion order.
    public var values: [Value] { slots.compactMap { $0?.value } }

    /// Key/value pairs in insertion order.
    public var entries: [(key: Value, value: Value)] { slots.compactMap { $0 } }

    /// The first key in insertion order.
    var firstKey: Value? {
        while firstLive < slots.count {
            if let entry = slots[firstLive] { return entry.key }
            firstLive += 1
        }
        return nil
    }

    public func get(_ key: Value) throws(EvalError) -> Value? {
        try key.checkHashable()
        guard let at = index[HashKey(value: key)] else { return nil }
        return slots[at]?.value
    }

    /// Convenience lookup by string key.
    public subscript(key: String) -> Value? {
        guard let at = index[HashKey(value: .string(key))] else { return nil }
        return slots[at]?.value
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
            slots[at]?.value = value
        } else {
            index[hashKey] = slots.count
            slots.append((key, value))
        }
    }

    @discardableResult
    public func remove(_ key: Value) throws(EvalError) -> Value? {
        try key.checkHashable()
        try checkMutable("delete from")
        guard let at = index.removeValue(forKey: HashKey(value: key)), let entry = slots[at] else {
            return nil
        }
        slots[at] = nil
        holes += 1
        if holes > 16 && holes > slots.count / 2 { compact() }
        return entry.value
    }

    private func compact() {
        slots = slots.filter { $0 != nil }
        holes = 0
        firstLive = 0
        index.removeAll(keepingCapacity: true)
        for (at, entry) in slots.enumerated() {
            if let entry { index[HashKey(value: entry.key)] = at }
        }
    }

    public func removeAll() throws(EvalError) {
        try checkMutable("clear")
        slots.removeAll()
        index.removeAll()
        holes = 0
        firstLive = 0
    }

    func copy() -> StarlarkDict {
        let d = StarlarkDict()
        d.slots = slots
        d.index = index
        d.holes = holes
        d.firstLive = firstLive
        return d
    }
}
