import Foundation

/// Operators on values: arithmetic, comparison, indexing, slicing.
enum Ops {
    static func unary(_ op: UnaryOp, _ x: Value) throws(EvalError) -> Value {
        switch (op, x) {
        case (.not, _): return .bool(!x.truth)
        case (.minus, .int(let i)):
            if i == .min { throw EvalError("integer overflow: -(\(i)) does not fit in 64 bits") }
            return .int(-i)
        case (.minus, .float(let f)): return .float(-f)
        case (.plus, .int), (.plus, .float): return x
        case (.invert, .int(let i)): return .int(~i)
        default:
            let symbol = op == .minus ? "-" : op == .plus ? "+" : "~"
            throw EvalError("unknown unary op: \(symbol)\(x.typeName)")
        }
    }

    static func overflow(_ x: Int64, _ op: String, _ y: Int64) -> EvalError {
        EvalError("integer overflow: \(x) \(op) \(y) does not fit in 64 bits")
    }

    static func binary(_ op: BinaryOp, _ x: Value, _ y: Value, meter: Meter?) throws(EvalError) -> Value {
        let limits = meter?.limits ?? .default
        switch op {
        case .eq: return .bool(try equal(x, y, meter: meter))
        case .ne: return .bool(!(try equal(x, y, meter: meter)))
        case .lt, .le, .gt, .ge:
            let c = try compare(x, y, op, meter: meter)
            switch op {
            case .lt: return .bool(c < 0)
            case .le: return .bool(c <= 0)
            case .gt: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .in: return .bool(try contains(y, x, meter: meter))
        case .notIn: return .bool(!(try contains(y, x, meter: meter)))
        default: break
        }
        switch (x, y) {
        case (.int(let a), .int(let b)):
            return try intBinary(op, a, b)
        case (.int, .float), (.float, .int), (.float, .float):
            if let result = try floatBinary(op, x.asDouble ?? 0, y.asDouble ?? 0) { return result }
        case (.string(let a), .string(let b)):
            if op == .add {
                let size = a.utf8.count + b.utf8.count
                if size > limits.maxCollectionSize {
                    throw EvalError("string concatenation exceeds \(limits.maxCollectionSize) bytes")
                }
                try meter?.allocate(bytes: size)
                return .string(a + b)
            }
            if op == .mod { return .string(try Format.percent(a, y, meter: meter)) }
        case (.string(let a), _) where op == .mod:
            return .string(try Format.percent(a, y, meter: meter))
        case (.list(let a), .list(let b)) where op == .add:
            try checkSize(a.count + b.count, limits)
            try meter?.allocate(elements: a.count + b.count)
            return .list(StarlarkList(a.elements + b.elements))
        case (.tuple(let a), .tuple(let b)) where op == .add:
            try checkSize(a.count + b.count, limits)
            try meter?.allocate(elements: a.count + b.count)
            return .tuple(a + b)
        case (.dict(let a), .dict(let b)) where op == .bitOr:
            try meter?.allocate(entries: a.count + b.count)
            let result = a.copy()
            for (k, v) in b.entries { try result.set(k, v) }
            return .dict(result)
        default:
            break
        }
        if op == .mul {
            switch (x, y) {
            case (.string(let s), .int(let n)), (.int(let n), .string(let s)):
                return .string(try repeatString(s, n, limits, meter: meter))
            case (.list(let l), .int(let n)), (.int(let n), .list(let l)):
                return .list(StarlarkList(try repeatArray(l.elements, n, limits, meter: meter)))
            case (.tuple(let t), .int(let n)), (.int(let n), .tuple(let t)):
                return .tuple(try repeatArray(t, n, limits, meter: meter))
            default: break
            }
        }
        throw EvalError("unknown binary op: \(x.typeName) \(op.rawValue) \(y.typeName)")
    }

    static func checkSize(_ count: Int, _ limits: Limits) throws(EvalError) {
        if count > limits.maxCollectionSize {
            throw EvalError(
                "result has \(count) elements, more than the limit of \(limits.maxCollectionSize)")
        }
    }

    static func repeatString(_ s: String, _ n: Int64, _ limits: Limits, meter: Meter?) throws(EvalError)
        -> String
    {
        if n <= 0 || s.isEmpty { return "" }
        let (total, overflow) = Int64(s.utf8.count).multipliedReportingOverflow(by: n)
        if overflow || total > Int64(limits.maxCollectionSize) {
            throw EvalError(
                "excessive repeat (\(s.utf8.count) * \(n) elements): repeat count \(n) too large (limit \(limits.maxCollectionSize))"
            )
        }
        try meter?.allocate(bytes: Int(total))
        return String(repeating: s, count: Int(n))
    }

    static func repeatArray(_ a: [Value], _ n: Int64, _ limits: Limits, meter: Meter?) throws(EvalError)
        -> [Value]
    {
        if n <= 0 || a.isEmpty { return [] }
        let (total, overflow) = Int64(a.count).multipliedReportingOverflow(by: n)
        if overflow || total > Int64(limits.maxCollectionSize) {
            throw EvalError(
                "excessive repeat (\(a.count) * \(n) elements): repeat count \(n) too large (limit \(limits.maxCollectionSize))"
            )
        }
        try meter?.allocate(elements: Int(total))
        var result: [Value] = []
        result.reserveCapacity(Int(total))
        for _ in 0..<n { result.append(contentsOf: a) }
        return result
    }

    static func intBinary(_ op: BinaryOp, _ a: Int64, _ b: Int64) throws(EvalError) -> Value {
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow(a, "+", b) }
            return .int(r)
        case .sub:
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow(a, "-", b) }
            return .int(r)
        case .mul:
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow(a, "*", b) }
            return .int(r)
        case .div:
            if b == 0 { throw EvalError("floating-point division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDiv:
            if b == 0 { throw EvalError("floored division by zero") }
            if a == .min && b == -1 { throw overflow(a, "//", b) }
            var q = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { q -= 1 }
            return .int(q)
        case .mod:
            if b == 0 { throw EvalError("integer modulo by zero") }
            if b == -1 { return .int(0) }
            var r = a % b
            if r != 0 && ((r < 0) != (b < 0)) { r += b }
            return .int(r)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .shiftLeft:
            if b < 0 { throw EvalError("negative shift count: \(b)") }
            if b >= 64 {
                if a == 0 { return .int(0) }
                throw EvalError("shift count too large: \(a) << \(b) does not fit in 64 bits")
            }
            let r = a << b
            if r >> b != a { throw EvalError("integer overflow: \(a) << \(b) does not fit in 64 bits") }
            return .int(r)
        case .shiftRight:
            if b < 0 { throw EvalError("negative shift count: \(b)") }
            if b >= 64 { return .int(a < 0 ? -1 : 0) }
            return .int(a >> b)
        default:
            throw EvalError("unknown binary op: int \(op.rawValue) int")
        }
    }

    static func floatBinary(_ op: BinaryOp, _ a: Double, _ b: Double) throws(EvalError) -> Value? {
        switch op {
        case .add: return .float(a + b)
        case .sub: return .float(a - b)
        case .mul: return .float(a * b)
        case .div:
            if b == 0 { throw EvalError("floating-point division by zero") }
            return .float(a / b)
        case .floorDiv:
            if b == 0 { throw EvalError("floored division by zero") }
            return .float((a / b).rounded(.down))
        case .mod:
            if b == 0 { throw EvalError("floating-point modulo by zero") }
            var r = fmod(a, b)
            if r != 0 && ((r < 0) != (b < 0)) { r += b }
            return .float(r)
        default: return nil
        }
    }

    // MARK: equality and ordering

    /// Starlark `==`. With a meter, each element pair compared is a step of work.
    static func equal(_ x: Value, _ y: Value, depth: Int = 0, meter: Meter? = nil) throws(EvalError) -> Bool {
        if depth > maxDepth { throw EvalError("comparison exceeded maximum recursion depth") }
        switch (x, y) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return compareIntFloat(a, b) == 0
        case (.string(let a), .string(let b)):
            try meter?.charge(bytes: min(a.utf8.count, b.utf8.count))
            return a == b
        case (.list(let a), .list(let b)):
            return try equalArrays(a.elements, b.elements, depth, meter)
        case (.tuple(let a), .tuple(let b)): return try equalArrays(a, b, depth, meter)
        case (.dict(let a), .dict(let b)):
            if a.count != b.count { return false }
            try meter?.charge(elements: a.count)
            for (k, v) in a.entries {
                guard let other = try b.get(k), try equal(v, other, depth: depth + 1, meter: meter) else {
                    return false
                }
            }
            return true
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)):
            if a === b { return true }
            guard a.name == b.name else { return false }
            switch (a.receiver, b.receiver) {
            case (nil, nil): return true
            case (.some(let r), .some(let s)): return identical(r, s)
            default: return false
            }
        case (.module(let a), .module(let b)): return a === b
        case (.range(let a), .range(let b)):
            if a.count != b.count { return false }
            if a.count == 0 { return true }
            return a.start == b.start && (a.count == 1 || a.step == b.step)
        default: return false
        }
    }

    static func identical(_ x: Value, _ y: Value) -> Bool {
        switch (x, y) {
        case (.list(let a), .list(let b)): return a === b
        case (.dict(let a), .dict(let b)): return a === b
        default: return (try? equal(x, y)) ?? false
        }
    }

    static let maxDepth = 400

    private static func equalArrays(_ a: [Value], _ b: [Value], _ depth: Int, _ meter: Meter?)
        throws(EvalError)
        -> Bool
    {
        if a.count != b.count { return false }
        try meter?.charge(elements: a.count)
        for (x, y) in zip(a, b) where !(try equal(x, y, depth: depth + 1, meter: meter)) { return false }
        return true
    }

    /// Exact comparison of an int with a float (no rounding of large ints).
    static func compareIntFloat(_ i: Int64, _ f: Double) -> Int? {
        if f.isNaN { return nil }
        if f >= 9223372036854775808.0 { return -1 }
        if f < -9223372036854775808.0 { return 1 }
        let t = f.rounded(.towardZero)
        let ti = Int64(t)
        if i != ti { return i < ti ? -1 : 1 }
        let frac = f - t
        return frac > 0 ? -1 : frac < 0 ? 1 : 0
    }

    /// Three-way comparison for `<` and friends. Like starlark-go, numbers are totally ordered:
    /// NaN equals itself and is greater than every other number.
    static func compare(_ x: Value, _ y: Value, _ op: BinaryOp, depth: Int = 0, meter: Meter? = nil)
        throws(EvalError)
        -> Int
    {
        if depth > maxDepth { throw EvalError("comparison exceeded maximum recursion depth") }
        func nanResult() -> Int {
            let xNaN = x.asDouble?.isNaN == true
            let yNaN = y.asDouble?.isNaN == true
            return xNaN && yNaN ? 0 : xNaN ? 1 : -1
        }
        switch (x, y) {
        case (.int(let a), .int(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.float(let a), .float(let b)):
            if a.isNaN || b.isNaN { return nanResult() }
            return a < b ? -1 : a > b ? 1 : 0
        case (.int(let a), .float(let b)):
            return compareIntFloat(a, b) ?? nanResult()
        case (.float(let a), .int(let b)):
            guard let c = compareIntFloat(b, a) else { return nanResult() }
            return -c
        case (.string(let a), .string(let b)):
            try meter?.charge(bytes: min(a.utf8.count, b.utf8.count))
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : a == b ? 0 : 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.list(let a), .list(let b)): return try compareArrays(a.elements, b.elements, op, depth, meter)
        case (.tuple(let a), .tuple(let b)): return try compareArrays(a, b, op, depth, meter)
        default:
            throw EvalError("\(x.typeName) \(op.rawValue) \(y.typeName) not implemented")
        }
    }

    private static func compareArrays(
        _ a: [Value], _ b: [Value], _ op: BinaryOp, _ depth: Int, _ meter: Meter?
    ) throws(EvalError) -> Int {
        try meter?.charge(elements: min(a.count, b.count))
        for (x, y) in zip(a, b) where !(try equal(x, y, depth: depth + 1, meter: meter)) {
            return try compare(x, y, op, depth: depth + 1, meter: meter)
        }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    /// Sort order for sorted(), min() and max().
    static func less(_ x: Value, _ y: Value, meter: Meter? = nil) throws(EvalError) -> Bool {
        try compare(x, y, .lt, meter: meter) < 0
    }

    static func contains(_ container: Value, _ item: Value, meter: Meter? = nil) throws(EvalError) -> Bool {
        switch container {
        case .list(let l):
            try meter?.charge(elements: l.count)
            for e in l.elements where try equal(e, item, meter: meter) { return true }
            return false
        case .tuple(let t):
            try meter?.charge(elements: t.count)
            for e in t where try equal(e, item, meter: meter) { return true }
            return false
        case .dict(let d):
            if (try? item.checkHashable()) == nil { return false }
            if case .string(let s) = item { try meter?.charge(bytes: s.utf8.count) }
            return try d.get(item) != nil
        case .string(let s):
            guard case .string(let sub) = item else {
                throw EvalError("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            try meter?.charge(bytes: s.utf8.count)
            return ByteSearch.first(sub, in: s) != nil
        case .range(let r):
            guard case .int(let i) = item else {
                if case .bool = item {
                    throw EvalError("'in <range>' requires integer as left operand, not bool")
                }
                if case .float(let f) = item, f.rounded() == f, abs(f) < 9.2e18 {
                    return try contains(container, .int(Int64(f)))
                }
                if case .float = item { return false }
                throw EvalError("'in <range>' requires integer as left operand, not \(item.typeName)")
            }
            if r.step > 0 ? (i < r.start || i >= r.stop) : (i > r.start || i <= r.stop) { return false }
            let distance = r.step > 0 ? UInt64(bitPattern: i &- r.start) : UInt64(bitPattern: r.start &- i)
            return distance % r.step.magnitude == 0
        default:
            throw EvalError("unknown binary op: \(item.typeName) in \(container.typeName)")
        }
    }
}
