import Foundation

typealias MethodBody = @Sendable (_ receiver: Value, _ call: inout Call) throws -> Value

/// Methods of strings, lists and dicts.
enum Methods {
    static func table(for value: Value) -> [String: MethodBody] {
        switch value {
        case .string: return stringMethods
        case .list: return listMethods
        case .dict: return dictMethods
        default: return [:]
        }
    }

    static func lookup(_ value: Value, _ name: String) -> Builtin? {
        guard let body = table(for: value)[name] else { return nil }
        return Builtin(method: name, receiver: value) { call in try body(value, &call) }
    }

    static func attributeNames(_ value: Value) -> [String] {
        if case .module(let m) = value { return m.members.map(\.0) }
        return Array(table(for: value).keys)
    }

    // MARK: list

    static let listMethods: [String: MethodBody] = [
        "append": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("x")
            try l.append(args[0] ?? .none)
            try call.interpreter.meter.allocate(elements: 1)
            return .none
        },
        "clear": { r, call in
            guard case .list(let l) = r else { return .none }
            _ = try call.parse()
            try l.checkMutable("clear")
            l.elements.removeAll()
            return .none
        },
        "extend": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("iterable")
            try l.checkMutable("extend")
            let x = args[0] ?? .none
            let items: [Value]
            guard isIterable(x) else {
                throw EvalError("got \(x.typeName), want iterable")
            }
            items = try elements(x, meter: call.interpreter.meter)
            try call.interpreter.meter.checkSize(l.count + items.count, "extended list")
            try call.interpreter.meter.allocate(elements: items.count)
            l.elements.append(contentsOf: items)
            return .none
        },
        "index": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("x", "start?", "end?")
            let (lo, hi) = try bounds(l.count, args[1], args[2])
            let meter = call.interpreter.meter
            try meter.charge(elements: hi - lo)
            var i = lo
            while i < hi {
                if try Ops.equal(l.elements[i], args[0] ?? .none, meter: meter) { return .int(Int64(i)) }
                i += 1
            }
            throw EvalError("value not in list")
        },
        "insert": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("index", "x")
            try l.checkMutable("insert into")
            guard case .int(var i) = args[0] ?? .none else {
                throw EvalError("for parameter index: want int")
            }
            let n = Int64(l.count)
            if i < 0 { i += n }
            i = min(max(i, 0), n)
            // moving the elements after i is work
            try call.interpreter.meter.charge(elements: l.count - Int(i))
            l.elements.insert(args[1] ?? .none, at: Int(i))
            return .none
        },
        "pop": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("i?")
            var i = Int64(l.count - 1)
            if let v = args[0] {
                guard case .int(let x) = v else {
                    throw EvalError("for parameter i: got \(v.typeName), want int")
                }
                i = x < 0 ? x + Int64(l.count) : x
                if i < 0 || i >= Int64(l.count) {
                    throw EvalError("index \(x) out of range [\(-l.count):\(l.count - 1)]")
                }
            }
            if l.count == 0 { throw EvalError("pop from empty list") }
            try l.checkMutable("pop from")
            try call.interpreter.meter.charge(elements: l.count - Int(i))
            return l.elements.remove(at: Int(i))
        },
        "remove": { r, call in
            guard case .list(let l) = r else { return .none }
            let args = try call.parse("x")
            try l.checkMutable("remove from")
            let meter = call.interpreter.meter
            try meter.charge(elements: l.count)
            for (i, e) in l.elements.enumerated() where try Ops.equal(e, args[0] ?? .none, meter: meter) {
                l.elements.remove(at: i)
                return .none
            }
            throw EvalError("element not found")
        },
    ]

    /// Resolves optional start/end arguments (None allowed, negative counts from the end).
    static func bounds(_ count: Int, _ start: Value?, _ end: Value?) throws(EvalError) -> (Int, Int) {
        func clamp(_ v: Value?, _ defaultValue: Int) throws(EvalError) -> Int {
            guard let v, !v.isNone else { return defaultValue }
            guard case .int(var i) = v else { throw EvalError("got \(v.typeName), want int") }
            if i < 0 { i += Int64(count) }
            return Int(min(max(i, 0), Int64(count)))
        }
        return (try clamp(start, 0), try clamp(end, count))
    }

    // MARK: dict

    static func updateDict(_ d: StarlarkDict, _ source: Value, meter: Meter?) throws(EvalError) {
        try meter?.allocate(entries: lengthHint(source))
        if case .dict(let other) = source {
            for (k, v) in other.entries { try d.set(k, v) }
            return
        }
        let items: [Value]
        guard isIterable(source) else {
            throw EvalError("got \(source.typeName), want iterable")
        }
        items = try elements(source, meter: nil)
        for (i, item) in items.enumerated() {
            let pair: [Value]
            switch item {
            case .tuple(let t): pair = t
            case .list(let l): pair = l.elements
            default:
                throw EvalError("dictionary update sequence element #\(i) is not iterable (\(item.typeName))")
            }
            guard pair.count == 2 else {
                throw EvalError("dictionary update sequence element #\(i) has length \(pair.count), want 2")
            }
            try d.set(pair[0], pair[1])
        }
    }

    static let dictMethods: [String: MethodBody] = [
        "clear": { r, call in
            guard case .dict(let d) = r else { return .none }
            _ = try call.parse()
            try d.removeAll()
            return .none
        },
        "get": { r, call in
            guard case .dict(let d) = r else { return .none }
            try call.noKeywords()
            guard call.args.count >= 1 && call.args.count <= 2 else {
                throw call.error("got \(call.args.count) arguments, want 1 or 2")
            }
            return try d.get(call.args[0]) ?? (call.args.count > 1 ? call.args[1] : .none)
        },
        "items": { r, call in
            guard case .dict(let d) = r else { return .none }
            _ = try call.parse()
            try call.interpreter.meter.allocate(elements: 3 * d.count)
            return .list(StarlarkList(d.entries.map { .tuple([$0.key, $0.value]) }))
        },
        "keys": { r, call in
            guard case .dict(let d) = r else { return .none }
            _ = try call.parse()
            try call.interpreter.meter.allocate(elements: d.count)
            return .list(StarlarkList(d.keys))
        },
        "values": { r, call in
            guard case .dict(let d) = r else { return .none }
            _ = try call.parse()
            try call.interpreter.meter.allocate(elements: d.count)
            return .list(StarlarkList(d.values))
        },
        "pop": { r, call in
            guard case .dict(let d) = r else { return .none }
            let args = try call.parse("key", "default?")
            let key = args[0] ?? .none
            if let v = try d.remove(key) { return v }
            if let fallback = args[1] { return fallback }
            throw EvalError("missing key \(key.repr)")
        },
        "popitem": { r, call in
            guard case .dict(let d) = r else { return .none }
            _ = try call.parse()
            guard let first = d.firstKey else { throw EvalError("empty dict") }
            let v = try d.remove(first) ?? .none
            return .tuple([first, v])
        },
        "setdefault": { r, call in
            guard case .dict(let d) = r else { return .none }
            let args = try call.parse("key", "default?")
            let key = args[0] ?? .none
            if let v = try d.get(key) { return v }
            let v = args[1] ?? .none
            try d.set(key, v)
            return v
        },
        "update": { r, call in
            guard case .dict(let d) = r else { return .none }
            if call.args.count > 1 { throw call.error("got \(call.args.count) arguments, want at most 1") }
            if let first = call.args.first { try updateDict(d, first, meter: call.interpreter.meter) }
            for (k, v) in call.kwargs { try d.set(.string(k), v) }
            return .none
        },
    ]
}
