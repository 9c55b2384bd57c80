import Foundation

typealias BuiltinBody = @Sendable (inout Call) throws -> Value

/// The names every Starlark program sees: None, True, False and the universal builtins.
enum Universe {
    static let functions: [String: BuiltinBody] = [
        "abs": abs, "all": all, "any": any, "bool": bool, "chr": chr, "ord": ord, "dict": dict, "dir": dir,
        "enumerate": enumerate,
        "fail": fail, "float": float, "getattr": getattr, "hasattr": hasattr, "hash": hash, "int": int,
        "len": len, "list": list, "max": { try minMax(&$0, wantMax: true) },
        "min": { try minMax(&$0, wantMax: false) }, "print": printBuiltin, "range": range, "repr": repr,
        "reversed": reversed, "sorted": sorted, "str": str, "tuple": tuple, "type": type, "zip": zip,
    ]

    static let names: [String] = ["None", "True", "False"] + functions.keys.sorted()
    static let nameSet = Set(names)

    static func lookup(_ name: String) -> Value? {
        switch name {
        case "None": return Value.none
        case "True": return .bool(true)
        case "False": return .bool(false)
        default:
            guard let body = functions[name] else { return nil }
            return .builtin(Builtin(name, body))
        }
    }

    // MARK: builtins

    static func one(_ call: Call) throws(EvalError) -> Value {
        try call.noKeywords()
        guard call.args.count == 1 else {
            throw call.error("got \(call.args.count) arguments, want 1")
        }
        return call.args[0]
    }

    static func abs(_ call: inout Call) throws -> Value {
        let x = try one(call)
        switch x {
        case .int(let i):
            if i == .min { throw EvalError("integer overflow: abs(\(i)) does not fit in 64 bits") }
            return .int(Swift.abs(i))
        case .float(let f): return .float(Swift.abs(f))
        default: throw EvalError("got \(x.typeName), want int or float")
        }
    }

    static func all(_ call: inout Call) throws -> Value {
        let x = try one(call)
        try call.interpreter.meter.charge(elements: lengthHint(x))
        var result = true
        do {
            try iterate(x) { (e) throws(EvalError) -> Bool in
                result = e.truth
                return result
            }
        } catch {
            throw EvalError("got \(x.typeName), want iterable")
        }
        return .bool(result)
    }

    static func any(_ call: inout Call) throws -> Value {
        let x = try one(call)
        try call.interpreter.meter.charge(elements: lengthHint(x))
        var result = false
        do {
            try iterate(x) { (e) throws(EvalError) -> Bool in
                result = e.truth
                return !result
            }
        } catch {
            throw EvalError("got \(x.typeName), want iterable")
        }
        return .bool(result)
    }

    static func bool(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
        return .bool(call.args.first?.truth ?? false)
    }

    static func chr(_ call: inout Call) throws -> Value {
        let x = try one(call)
        guard case .int(let code) = x else { throw EvalError("got \(x.typeName), want int") }
        if code < 0 { throw EvalError("Unicode code point \(code) out of range (<0)") }
        if code > 0x10FFFF {
            throw EvalError(
                "Unicode code point U+\(String(code, radix: 16, uppercase: true)) out of range (>0x10FFFF)")
        }
        guard let scalar = Unicode.Scalar(UInt32(code)) else { return .string("\u{FFFD}") }
        return .string(String(scalar))
    }

    static func ord(_ call: inout Call) throws -> Value {
        let x = try one(call)
        guard case .string(let s) = x else { throw EvalError("got \(x.typeName), want string") }
        let scalars = Array(s.unicodeScalars)
        guard scalars.count == 1 else {
            throw EvalError("string encodes \(scalars.count) Unicode code points, want 1")
        }
        return .int(Int64(scalars[0].value))
    }

    static func dict(_ call: inout Call) throws -> Value {
        if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
        let result = StarlarkDict()
        if let first = call.args.first {
            try Methods.updateDict(result, first, meter: call.interpreter.meter)
        }
        for (k, v) in call.kwargs { try result.set(.string(k), v) }
        return .dict(result)
    }

    static func dir(_ call: inout Call) throws -> Value {
        let x = try one(call)
        if case .module(let m) = x {
            return .list(
                StarlarkList(m.members.map { .string($0.0) }.sorted { $0.description < $1.description }))
        }
        return .list(StarlarkList(Methods.attributeNames(x).sorted().map { .string($0) }))
    }

    static func enumerate(_ call: inout Call) throws -> Value {
        let args = try call.parse("x", "start?")
        var start: Int64 = 0
        if let s = args[1] {
            guard case .int(let i) = s else {
                throw EvalError("for parameter start: got \(s.typeName), want int")
            }
            start = i
        }
        let items: [Value]
        guard isIterable(args[0] ?? .none) else {
            throw EvalError("got \((args[0] ?? .none).typeName), want iterable")
        }
        items = try elements(args[0] ?? .none, meter: call.interpreter.meter)
        if start.addingReportingOverflow(Int64(items.count)).overflow {
            throw EvalError("start \(start) + \(items.count) elements does not fit in 64 bits")
        }
        try call.interpreter.meter.allocate(elements: 3 * items.count)
        return .list(
            StarlarkList(items.enumerated().map { .tuple([.int(start + Int64($0.offset)), $0.element]) }))
    }

    static func fail(_ call: inout Call) throws -> Value {
        var sep = " "
        for (k, v) in call.kwargs {
            guard k == "sep" else { throw call.unexpectedKeyword(k, among: ["sep"]) }
            guard case .string(let s) = v else {
                throw EvalError("for parameter sep: got \(v.typeName), want string")
            }
            sep = s
        }
        let meter = call.interpreter.meter
        throw EvalError(
            try call.args.map { (v) throws(EvalError) in try v.str(meter: meter) }.joined(separator: sep))
    }

    static func float(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
        guard let x = call.args.first else { return .float(0) }
        switch x {
        case .float: return x
        case .int(let i): return .float(Double(i))
        case .bool(let b): return .float(b ? 1 : 0)
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces).lowercased()
            switch t {
            case "nan", "+nan", "-nan": return .float(.nan)
            case "inf", "+inf", "infinity", "+infinity": return .float(.infinity)
            case "-inf", "-infinity": return .float(-.infinity)
            default: break
            }
            guard !t.isEmpty, t.allSatisfy({ "0123456789.eE+-".contains($0) }), let f = Double(t) else {
                throw EvalError("invalid float literal: \(s)")
            }
            if f.isInfinite { throw EvalError("floating-point number too large: \(s)") }
            return .float(f)
        default:
            throw EvalError("got \(x.typeName), want number or string")
        }
    }

    static func getattr(_ call: inout Call) throws -> Value {
        let args = try call.parse("x", "name", "default?")
        guard case .string(let name) = args[1] ?? .none else {
            throw EvalError("for parameter name: want string")
        }
        do {
            return try call.interpreter.attribute(args[0] ?? .none, name, suggest: args[2] == nil)
        } catch {
            if let d = args[2] { return d }
            throw error
        }
    }

    static func hasattr(_ call: inout Call) throws -> Value {
        let args = try call.parse("x", "name")
        guard case .string(let name) = args[1] ?? .none else {
            throw EvalError("for parameter name: want string")
        }
        let x = args[0] ?? .none
        if case .module(let m) = x { return .bool(m[name] != nil) }
        return .bool(Methods.attributeNames(x).contains(name))
    }

    static func hash(_ call: inout Call) throws -> Value {
        let x = try one(call)
        guard case .string(let s) = x else { throw EvalError("got \(x.typeName), want string") }
        // Java's String.hashCode over UTF-16, as the spec requires for strings.
        var h: Int32 = 0
        for unit in s.utf16 { h = h &* 31 &+ Int32(unit) }
        return .int(Int64(h))
    }

    static func int(_ call: inout Call) throws -> Value {
        let args = try call.parse("x?", "base?")
        guard let x = args[0] else { throw EvalError("missing argument for x") }
        if let baseValue = args[1] {
            guard case .string(let s) = x else {
                throw EvalError("can't convert non-string with explicit base")
            }
            guard case .int(let b) = baseValue else {
                throw EvalError("for parameter base: got \(baseValue.typeName), want int")
            }
            return .int(try parseInt(s, base: Swift.Int(b)))
        }
        switch x {
        case .int: return x
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f):
            if f.isNaN { throw EvalError("cannot convert float NaN to integer") }
            if f.isInfinite { throw EvalError("cannot convert float infinity to integer") }
            let t = f.rounded(.towardZero)
            guard t >= -9223372036854775808.0, t < 9223372036854775808.0 else {
                throw EvalError("float \(FloatText.format(f, "g")) out of range for a 64-bit integer")
            }
            return .int(Int64(t))
        case .string(let s):
            return .int(try parseInt(s, base: 10))
        default:
            throw EvalError("got \(x.typeName), want int, float, bool or string")
        }
    }

    static func parseInt(_ text: String, base requested: Int) throws(EvalError) -> Int64 {
        var s = Substring(text)
        let invalid = EvalError("invalid literal with base \(requested): \(text)")
        if requested != 0 && (requested < 2 || requested > 36) {
            throw EvalError("base must be an integer >= 2 && <= 36")
        }
        var negative = false
        if s.hasPrefix("+") || s.hasPrefix("-") {
            negative = s.hasPrefix("-")
            s = s.dropFirst()
        }
        var base = requested
        let lower = s.lowercased()
        if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") {
            let prefixBase = lower.hasPrefix("0x") ? 16 : lower.hasPrefix("0o") ? 8 : 2
            if base == 0 || base == prefixBase {
                base = prefixBase
                s = s.dropFirst(2)
            } else if Swift.Int(String(lower.dropFirst().prefix(1)), radix: base) == nil {
                throw invalid
            }
        } else if base == 0 {
            if s.count > 1 && s.hasPrefix("0") { throw invalid }
            base = 10
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isHexDigit || $0.isLetter && $0.isASCII }) else {
            throw invalid
        }
        guard let magnitude = UInt64(s, radix: base) else {
            if s.allSatisfy({ Swift.Int(String($0), radix: base) != nil }) {
                throw EvalError("integer \(text) does not fit in 64 bits")
            }
            throw invalid
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 {
                throw EvalError("integer \(text) does not fit in 64 bits")
            }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw EvalError("integer \(text) does not fit in 64 bits")
        }
        return Int64(magnitude)
    }

    static func len(_ call: inout Call) throws -> Value {
        let x = try one(call)
        switch x {
        case .string(let s): return .int(Int64(s.utf8.count))
        case .list(let l): return .int(Int64(l.count))
        case .tuple(let t): return .int(Int64(t.count))
        case .dict(let d): return .int(Int64(d.count))
        case .range(let r): return .int(Int64(r.count))
        case .stringView(let v):
            guard let count = v.count else { throw EvalError("value of type \(x.typeName) has no len") }
            return .int(Int64(count))
        default: throw EvalError("value of type \(x.typeName) has no len")
        }
    }

    static func list(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
        guard let x = call.args.first else { return .list(StarlarkList()) }
        let items = try elements(x, meter: call.interpreter.meter)
        try call.interpreter.meter.allocate(elements: items.count)
        return .list(StarlarkList(items))
    }

    static func tuple(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
        guard let x = call.args.first else { return .tuple([]) }
        if case .tuple = x { return x }
        let items = try elements(x, meter: call.interpreter.meter)
        try call.interpreter.meter.allocate(elements: items.count)
        return .tuple(items)
    }

    static func minMax(_ call: inout Call, wantMax: Bool) throws -> Value {
        var key: Value?
        var defaultValue: Value?
        for (k, v) in call.kwargs {
            switch k {
            case "key": key = v.isNone ? nil : v
            case "default": defaultValue = v
            default: throw call.unexpectedKeyword(k, among: ["key", "default"])
            }
        }
        let items: [Value]
        if call.args.count == 0 {
            throw EvalError("\(wantMax ? "max" : "min") requires at least one positional argument")
        } else if call.args.count == 1 {
            guard isIterable(call.args[0]) else {
                throw EvalError("\(call.args[0].typeName) value is not iterable")
            }
            items = try elements(call.args[0], meter: call.interpreter.meter)
        } else {
            items = call.args
        }
        if items.isEmpty {
            if let defaultValue { return defaultValue }
            throw EvalError("empty sequence")
        }
        try call.interpreter.meter.charge(elements: items.count)
        var best = items[0]
        var bestKey =
            try key.map { (k) throws -> Value in try call.interpreter.call(k, args: [best]) } ?? best
        for item in items.dropFirst() {
            let itemKey =
                try key.map { (k) throws -> Value in try call.interpreter.call(k, args: [item]) } ?? item
            let c = try Ops.compare(itemKey, bestKey, .lt, meter: call.interpreter.meter)
            if wantMax ? c > 0 : c < 0 {
                best = item
                bestKey = itemKey
            }
        }
        return best
    }

    static func printBuiltin(_ call: inout Call) throws -> Value {
        var sep = " "
        for (k, v) in call.kwargs {
            guard k == "sep" else { throw call.unexpectedKeyword(k, among: ["sep"]) }
            guard case .string(let s) = v else {
                throw EvalError("for parameter sep: got \(v.typeName), want string")
            }
            sep = s
        }
        call.interpreter.printHandler(
            try call.args.map { (v) throws(EvalError) in try v.str(meter: call.interpreter.meter) }.joined(
                separator: sep))
        return .none
    }

    static func range(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        var ints: [Int64] = []
        for (i, a) in call.args.enumerated() {
            guard case .int(let v) = a else {
                throw EvalError(
                    "for parameter \(["start", "stop", "step"][Swift.min(i, 2)]): got \(a.typeName), want int"
                )
            }
            ints.append(v)
        }
        let start: Int64
        let stop: Int64
        var step: Int64 = 1
        switch ints.count {
        case 1: (start, stop) = (0, ints[0])
        case 2: (start, stop) = (ints[0], ints[1])
        case 3:
            (start, stop, step) = (ints[0], ints[1], ints[2])
            if step == 0 { throw EvalError("step argument must not be zero") }
        default:
            throw EvalError("got \(ints.count) arguments, want 1 to 3")
        }
        if StarlarkRange.count(start: start, stop: stop, step: step) > UInt64(Int64.max) {
            throw EvalError("range(\(start), \(stop), \(step)) has too many elements")
        }
        return .range(StarlarkRange(start: start, stop: stop, step: step))
    }

    static func repr(_ call: inout Call) throws -> Value {
        .string(try one(call).repr(meter: call.interpreter.meter))
    }

    static func str(_ call: inout Call) throws -> Value {
        .string(try one(call).str(meter: call.interpreter.meter))
    }

    static func reversed(_ call: inout Call) throws -> Value {
        let x = try one(call)
        guard isIterable(x) else {
            throw EvalError("got \(x.typeName), want iterable")
        }
        let items = try elements(x, meter: call.interpreter.meter)
        try call.interpreter.meter.allocate(elements: items.count)
        return .list(StarlarkList(items.reversed()))
    }

    static func type(_ call: inout Call) throws -> Value { .string(try one(call).typeName) }

    static func zip(_ call: inout Call) throws -> Value {
        try call.noKeywords()
        var lists: [[Value]] = []
        for (i, a) in call.args.enumerated() {
            guard isIterable(a) else {
                throw EvalError("argument #\(i + 1) is not iterable: \(a.typeName)")
            }
            lists.append(try elements(a, meter: call.interpreter.meter))
        }
        let n = lists.map(\.count).min() ?? 0
        try call.interpreter.meter.allocate(elements: n * (lists.count + 1))
        return .list(StarlarkList((0..<n).map { i in .tuple(lists.map { $0[i] }) }))
    }
}
