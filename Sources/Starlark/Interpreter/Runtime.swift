/// Calls `body` with each element of an iterable; `body` returns false to stop early.
/// Lists and dicts reject mutation while being iterated.
func iterate(_ value: Value, _ body: (Value) throws(EvalError) -> Bool) throws(EvalError) {
    switch value {
    case .list(let l):
        l.iterators += 1
        defer { l.iterators -= 1 }
        var i = 0
        while i < l.elements.count {
            if !(try body(l.elements[i])) { return }
            i += 1
        }
    case .tuple(let t):
        for e in t where !(try body(e)) { return }
    case .dict(let d):
        d.iterators += 1
        defer { d.iterators -= 1 }
        for k in d.keys where !(try body(k)) { return }
    case .stringView(let v):
        // one element at a time: a loop that stops early does not pay for the whole string
        switch v.kind {
        case .elems:
            for byte in v.string.utf8
            where !(try body(.string(String(decoding: CollectionOfOne(byte), as: UTF8.self)))) {
                return
            }
        case .elemOrds:
            for byte in v.string.utf8 where !(try body(.int(Int64(byte)))) { return }
        case .codepoints:
            for scalar in v.string.unicodeScalars where !(try body(.string(String(scalar)))) { return }
        case .codepointOrds:
            for scalar in v.string.unicodeScalars where !(try body(.int(Int64(scalar.value)))) { return }
        }
    case .range(let r):
        var i = 0
        let n = r.count
        while i < n {
            if !(try body(.int(r[i]))) { return }
            i += 1
        }
    default:
        throw EvalError("\(value.typeName) value is not iterable")
    }
}

/// Collects an iterable's elements, or fails with "got T, want iterable". A range or a string
/// view is materialized (and charged to the meter) only up to the one-value size limit.
func elements(_ value: Value, meter: Meter?) throws(EvalError) -> [Value] {
    let limit = meter?.limits.maxCollectionSize ?? Limits.default.maxCollectionSize
    switch value {
    case .list(let l): return l.elements
    case .tuple(let t): return t
    case .dict(let d): return d.keys
    case .range(let r):
        if r.count > limit {
            throw EvalError(
                "\(value.repr) has \(r.count) elements, more than the limit of \(limit) for one value")
        }
        try meter?.allocate(elements: r.count)
        return (0..<r.count).map { .int(r[$0]) }
    case .stringView(let v):
        let count = v.kind.isElements ? v.string.utf8.count : v.string.unicodeScalars.count
        if count > limit {
            throw EvalError(
                "\(v.kind.rawValue) of a string of \(count) elements, more than the limit of \(limit)")
        }
        try meter?.allocate(elements: count)
        return v.values
    default: throw EvalError("got \(value.typeName), want iterable")
    }
}

/// How many elements iterating `value` visits at most (0 for what is not iterable).
func lengthHint(_ value: Value) -> Int {
    switch value {
    case .list(let l): return l.count
    case .tuple(let t): return t.count
    case .dict(let d): return d.count
    case .range(let r): return r.count
    case .stringView(let v): return v.string.utf8.count
    default: return 0
    }
}

func isIterable(_ value: Value) -> Bool {
    switch value {
    case .list, .tuple, .dict, .range, .stringView: return true
    default: return false
    }
}

/// Makes a value and everything reachable from it immutable. Iterative, so deeply nested
/// values cannot overflow the stack.
func freezeValue(_ root: Value) {
    var pending = [root]
    while let value = pending.popLast() {
        switch value {
        case .list(let l):
            if l.isFrozen { continue }
            l.isFrozen = true
            pending.append(contentsOf: l.elements)
        case .dict(let d):
            if d.isFrozen { continue }
            d.isFrozen = true
            pending.append(contentsOf: d.keys)
            pending.append(contentsOf: d.values)
        case .tuple(let t):
            pending.append(contentsOf: t)
        case .function(let f):
            if f.isFrozen { continue }
            f.isFrozen = true
            pending.append(contentsOf: f.defaults.compactMap { $0 })
            pending.append(contentsOf: f.freeCells.compactMap(\.value))
        case .module(let m):
            pending.append(contentsOf: m.members.map(\.1))
        default:
            break
        }
    }
}

extension Value {
    /// Makes the value and everything reachable from it immutable (as a loaded module's values are).
    public func freeze() { freezeValue(self) }
}

extension Interpreter {
    /// Looks up `object.name`: a module member or a bound method.
    /// `suggest: false` leaves out the "did you mean", for callers that discard the error
    /// (`getattr` with a default), since finding it scans a dict's keys.
    func attribute(_ object: Value, _ name: String, suggest: Bool = true) throws(EvalError) -> Value {
        if case .module(let m) = object {
            if let v = m[name] { return v }
        } else if let method = Methods.lookup(object, name) {
            return .builtin(method)
        }
        var message = "\(object.typeName) has no .\(name) field or method"
        if !suggest { throw EvalError(message) }
        if let close = Suggest.closest(name, among: Methods.attributeNames(object)) {
            message += " — did you mean .\(close)?"
        } else if case .dict(let dict) = object {
            // config authors often write d.key for d["key"]
            let keys = dict.keys.compactMap(\.asString)
            if let key = keys.contains(name) ? name : Suggest.closest(name, among: keys) {
                message += " — did you mean [\(quote(key))]?"
            }
        }
        throw EvalError(message)
    }

    /// Calls a Starlark function or builtin from host code (e.g. a callback passed to a builtin).
    ///
    /// ```swift
    /// let result = try call.interpreter.call(callback, args: [.int(1)])
    /// ```
    public func call(_ callee: Value, args: [Value], kwargs: [(name: String, value: Value)] = [])
        throws(EvalError)
        -> Value
    {
        guard let frame = frames.last else { throw EvalError("no Starlark code is running") }
        return try call(callee, args: args, kwargs: kwargs, span: frame.position, frame: frame)
    }
}
