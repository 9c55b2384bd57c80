import Foundation

/// Indexing and slicing of strings, lists, tuples, dicts and ranges.
extension Ops {
    static func normalizeIndex(_ index: Value, count: Int, what: String) throws(EvalError) -> Int {
        guard case .int(let i) = index else {
            throw EvalError("\(what) index: got \(index.typeName), want int")
        }
        var at = i
        if at < 0 { at += Int64(count) }
        if at < 0 || at >= Int64(count) {
            if count == 0 { throw EvalError("\(what) index \(i) out of range: empty \(what)") }
            throw EvalError("\(what) index \(i) out of range [\(-count):\(count - 1)]")
        }
        return Int(at)
    }

    static func index(_ container: Value, _ key: Value, meter: Meter? = nil) throws(EvalError) -> Value {
        switch container {
        case .list(let l):
            return l.elements[try normalizeIndex(key, count: l.count, what: "list")]
        case .tuple(let t):
            return t[try normalizeIndex(key, count: t.count, what: "tuple")]
        case .string(let s):
            let i = try normalizeIndex(key, count: s.utf8.count, what: "string")
            let byte = s.utf8[s.utf8.index(s.utf8.startIndex, offsetBy: i)]
            return .string(String(decoding: CollectionOfOne(byte), as: UTF8.self))
        case .range(let r):
            return .int(r[try normalizeIndex(key, count: r.count, what: "range")])
        case .stringView(let v) where v.count != nil:
            return v[try normalizeIndex(key, count: v.count ?? 0, what: v.kind.rawValue)]
        case .dict(let d):
            // hashing a string key reads all of it
            if case .string(let s) = key { try meter?.charge(bytes: s.utf8.count) }
            guard let value = try d.get(key) else {
                var message = "key \(key.repr) not in dict"
                if case .string(let k) = key {
                    let names = d.keys.compactMap(\.asString)
                    if let close = Suggest.closest(k, among: names) {
                        message += " — did you mean \"\(close)\"?"
                    }
                }
                throw EvalError(message)
            }
            return value
        default:
            throw EvalError("unhandled index operation \(container.typeName)[\(key.typeName)]")
        }
    }

    static func setIndex(_ container: Value, _ key: Value, _ value: Value) throws(EvalError) {
        switch container {
        case .list(let l):
            let i = try normalizeIndex(key, count: l.count, what: "list")
            if l.isFrozen { throw EvalError("cannot assign to element of frozen list") }
            if l.iterators > 0 { throw EvalError("cannot assign to element of list during iteration") }
            l.elements[i] = value
        case .dict(let d):
            try d.set(key, value)
        default:
            throw EvalError("\(container.typeName) value does not support item assignment")
        }
    }

    /// Resolves Python slice bounds for a sequence of `count` elements: the first index, the
    /// stride and the number of elements taken (index `k` of the slice is `first + k * step`).
    /// Computed, not enumerated, so a slice of a huge range costs nothing.
    static func sliceBounds(_ count: Int, _ start: Value, _ stop: Value, _ step: Value) throws(EvalError)
        -> (first: Int, step: Int64, count: Int)
    {
        var stride: Int64 = 1
        if case .int(let s) = step {
            if s == 0 { throw EvalError("zero is not a valid slice step") }
            stride = s
        } else if !step.isNone {
            throw EvalError("invalid slice step: got \(step.typeName), want int")
        }
        let n = Int64(count)
        func bound(_ v: Value, _ defaultValue: Int64) throws(EvalError) -> Int64 {
            switch v {
            case .none: return defaultValue
            case .int(var i):
                if i < 0 { i = i.addingReportingOverflow(n).partialValue }
                if stride > 0 { return min(max(i, 0), n) }
                return min(max(i, -1), n - 1)
            default: throw EvalError("invalid slice index: got \(v.typeName), want int")
            }
        }
        let lo: Int64
        do { lo = try bound(start, stride > 0 ? 0 : n - 1) } catch {
            throw EvalError("invalid start index: got \(start.typeName), want int")
        }
        let hi: Int64
        do { hi = try bound(stop, stride > 0 ? n : -1) } catch {
            throw EvalError("invalid end index: got \(stop.typeName), want int")
        }
        // lo and hi lie in [-1, n], so their distance fits; a huge stride just takes one element
        let distance: Int64 = stride > 0 ? hi - lo : lo - hi
        if distance <= 0 { return (Int(lo), stride, 0) }
        let taken = (UInt64(distance) - 1) / stride.magnitude + 1
        return (Int(lo), stride, Int(taken))
    }

    static func slice(_ container: Value, _ start: Value, _ stop: Value, _ step: Value, meter: Meter?)
        throws(EvalError)
        -> Value
    {
        func pick<T>(_ items: [T], _ bounds: (first: Int, step: Int64, count: Int)) -> [T] {
            if bounds.step == 1 { return Array(items[bounds.first..<(bounds.first + bounds.count)]) }
            var result: [T] = []
            result.reserveCapacity(bounds.count)
            let step = Int(bounds.step)
            var i = bounds.first
            for _ in 0..<bounds.count {
                result.append(items[i])
                i &+= step
            }
            return result
        }
        switch container {
        case .list(let l):
            let bounds = try sliceBounds(l.count, start, stop, step)
            try meter?.allocate(elements: bounds.count)
            return .list(StarlarkList(pick(l.elements, bounds)))
        case .tuple(let t):
            let bounds = try sliceBounds(t.count, start, stop, step)
            try meter?.allocate(elements: bounds.count)
            return .tuple(pick(t, bounds))
        case .string(let s):
            let bounds = try sliceBounds(s.utf8.count, start, stop, step)
            try meter?.allocate(bytes: bounds.count)
            if bounds.step == 1 {
                let utf8 = s.utf8
                let from = utf8.index(utf8.startIndex, offsetBy: bounds.first)
                let to = utf8.index(from, offsetBy: bounds.count)
                return .string(String(decoding: utf8[from..<to], as: UTF8.self))
            }
            return .string(String(decoding: pick(Array(s.utf8), bounds), as: UTF8.self))
        case .range(let r):
            let bounds = try sliceBounds(r.count, start, stop, step)
            if bounds.count == 0 { return .range(StarlarkRange(start: 0, stop: 0, step: 1)) }
            let first = r[bounds.first]
            var stride = r.step
            if bounds.count > 1 {
                let (product, overflow) = r.step.multipliedReportingOverflow(by: bounds.step)
                if overflow { throw EvalError("range slice step does not fit in 64 bits") }
                stride = product
            }
            let last = r[bounds.first + (bounds.count - 1) * Int(bounds.step)]
            return .range(StarlarkRange(start: first, stop: last + (stride > 0 ? 1 : -1), step: stride))
        default:
            throw EvalError("invalid slice operand \(container.typeName)")
        }
    }
}
