import Foundation

/// String methods. Strings are indexed by UTF-8 byte, like starlark-go.
extension Methods {
    /// String methods that charge the meter for the string they make (before making it); the
    /// interpreter charges the others' results.
    static let chargesItsOwnResult: Set<String> = ["join", "replace", "format", "strip", "lstrip", "rstrip"]

    static func receiverString(_ r: Value) -> String {
        if case .string(let s) = r { return s }
        return ""
    }

    static func stringArg(_ v: Value?, _ name: String) throws(EvalError) -> String {
        guard case .string(let s) = v ?? .none else {
            throw EvalError("for parameter \(name): got \((v ?? .none).typeName), want string")
        }
        return s
    }

    static func bytesToString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Finds `needle` in `haystack[lo..<hi]`; returns the byte offset.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], _ lo: Int, _ hi: Int, last: Bool) -> Int? {
        let search = ByteSearch(needle)
        return last
            ? search.last(in: haystack, from: lo, to: hi) : search.first(in: haystack, from: lo, to: hi)
    }

    static func findMethod(_ r: Value, _ call: inout Call, last: Bool, raising: Bool) throws -> Value {
        let args = try call.parse("sub", "start?", "end?")
        let s = Array(receiverString(r).utf8)
        let sub = Array(try stringArg(args[0], "sub").utf8)
        let (lo, hi) = try bounds(s.count, args[1], args[2])
        try call.interpreter.meter.charge(bytes: s.count)
        if let i = find(s, sub, lo, hi, last: last) { return .int(Int64(i)) }
        if raising { throw EvalError("substring not found") }
        return .int(-1)
    }

    static func isWhitespace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }

    static func strip(_ r: Value, _ call: inout Call, left: Bool, right: Bool) throws -> Value {
        let args = try call.parse("chars?")
        let scalars = Array(receiverString(r).unicodeScalars)
        var test: (Unicode.Scalar) -> Bool = isWhitespace
        if let chars = args[0], !chars.isNone, !(try stringArg(chars, "chars")).isEmpty {
            let set = Set(try stringArg(chars, "chars").unicodeScalars)
            test = { set.contains($0) }
        }
        var lo = 0
        var hi = scalars.count
        if left {
            while lo < hi && test(scalars[lo]) { lo += 1 }
        }
        if right {
            while hi > lo && test(scalars[hi - 1]) { hi -= 1 }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[lo..<hi])
        let result = String(out)
        try call.interpreter.meter.allocate(bytes: result.utf8.count)
        return .string(result)
    }

    static func split(_ r: Value, _ call: inout Call, fromRight: Bool) throws -> Value {
        let args = try call.parse("sep?", "maxsplit?")
        let s = receiverString(r)
        var maxSplit = -1
        if let m = args[1], !m.isNone {
            guard case .int(let i) = m else {
                throw EvalError("for parameter maxsplit: got \(m.typeName), want int")
            }
            maxSplit = Int(i)
        }
        let meter = call.interpreter.meter
        try meter.allocate(bytes: s.utf8.count)
        if let sepValue = args[0], !sepValue.isNone {
            let sep = try stringArg(sepValue, "sep")
            if sep.isEmpty { throw EvalError("empty separator") }
            let bytes = Array(s.utf8)
            let sepBytes = Array(sep.utf8)
            let search = ByteSearch(sepBytes)
            var parts: [String] = []
            if fromRight {
                var hi = bytes.count
                while maxSplit < 0 || parts.count < maxSplit,
                    let i = search.last(in: bytes, from: 0, to: hi)
                {
                    parts.append(bytesToString(bytes[(i + sepBytes.count)..<hi]))
                    hi = i
                }
                parts.append(bytesToString(bytes[0..<hi]))
                parts.reverse()
            } else {
                var lo = 0
                while maxSplit < 0 || parts.count < maxSplit,
                    let i = search.first(in: bytes, from: lo, to: bytes.count)
                {
                    parts.append(bytesToString(bytes[lo..<i]))
                    lo = i + sepBytes.count
                }
                parts.append(bytesToString(bytes[lo...]))
            }
            try meter.allocate(elements: parts.count)
            return .list(StarlarkList(parts.map { .string($0) }))
        }
        // whitespace split
        var scalars = Array(s.unicodeScalars)
        if fromRight { scalars.reverse() }
        var parts: [String] = []
        var i = 0
        while i < scalars.count {
            while i < scalars.count && isWhitespace(scalars[i]) { i += 1 }
            if i >= scalars.count { break }
            if maxSplit >= 0 && parts.count == maxSplit {
                // the unsplit remainder keeps its inner and trailing whitespace
                var rest = Array(scalars[i...])
                if fromRight { rest.reverse() }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: rest)
                parts.append(String(view))
                break
            }
            var j = i
            while j < scalars.count && !isWhitespace(scalars[j]) { j += 1 }
            var word = Array(scalars[i..<j])
            if fromRight { word.reverse() }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: word)
            parts.append(String(view))
            i = j
        }
        if fromRight { parts.reverse() }
        try meter.allocate(elements: parts.count)
        return .list(StarlarkList(parts.map { .string($0) }))
    }

    static func partition(_ r: Value, _ call: inout Call, last: Bool) throws -> Value {
        let args = try call.parse("sep")
        let sep = try stringArg(args[0], "sep")
        if sep.isEmpty { throw EvalError("empty separator") }
        let bytes = Array(receiverString(r).utf8)
        let sepBytes = Array(sep.utf8)
        guard let i = find(bytes, sepBytes, 0, bytes.count, last: last) else {
            let whole = Value.string(receiverString(r))
            return last
                ? .tuple([.string(""), .string(""), whole]) : .tuple([whole, .string(""), .string("")])
        }
        return .tuple([
            .string(bytesToString(bytes[..<i])), .string(sep),
            .string(bytesToString(bytes[(i + sepBytes.count)...])),
        ])
    }

    static func predicate(_ r: Value, _ call: inout Call, _ test: (Unicode.Scalar) -> Bool) throws -> Value {
        _ = try call.parse()
        let s = receiverString(r)
        return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(test))
    }

    static func casedPredicate(_ r: Value, _ call: inout Call, upper: Bool) throws -> Value {
        _ = try call.parse()
        var cased = false
        for c in receiverString(r).unicodeScalars {
            if c.properties.isLowercase {
                if upper { return .bool(false) }
                cased = true
            } else if c.properties.isUppercase {
                if !upper { return .bool(false) }
                cased = true
            } else if c.properties.isCased {
                // titlecase letters (ǅ) are neither upper nor lower
                return .bool(false)
            }
        }
        return .bool(cased)
    }

    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            let isLetter = c.properties.isCased || c.properties.isAlphabetic
            if isLetter {
                out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
            } else {
                out.unicodeScalars.append(c)
            }
            previousCased = c.properties.isCased
        }
        return out
    }

    static let stringMethods: [String: MethodBody] = [
        "capitalize": { r, call in
            _ = try call.parse()
            let s = receiverString(r)
            guard let first = s.unicodeScalars.first else { return r }
            return .string(String(first).uppercased() + String(s.unicodeScalars.dropFirst()).lowercased())
        },
        "count": { r, call in
            let args = try call.parse("sub", "start?", "end?")
            let s = Array(receiverString(r).utf8)
            let sub = Array(try stringArg(args[0], "sub").utf8)
            var (lo, hi) = try bounds(s.count, args[1], args[2])
            if sub.isEmpty { return .int(Int64(max(0, hi - lo) + 1)) }
            try call.interpreter.meter.charge(bytes: s.count)
            let search = ByteSearch(sub)
            var n = 0
            while let i = search.first(in: s, from: lo, to: hi) {
                n += 1
                lo = i + sub.count
            }
            return .int(Int64(n))
        },
        "elems": { r, call in
            _ = try call.parse()
            return .stringView(StringView(string: receiverString(r), kind: .elems))
        },
        "elem_ords": { r, call in
            _ = try call.parse()
            return .stringView(StringView(string: receiverString(r), kind: .elemOrds))
        },
        "codepoints": { r, call in
            _ = try call.parse()
            return .stringView(StringView(string: receiverString(r), kind: .codepoints))
        },
        "codepoint_ords": { r, call in
            _ = try call.parse()
            return .stringView(StringView(string: receiverString(r), kind: .codepointOrds))
        },
        "endswith": { r, call in
            let args = try call.parse("suffix", "start?", "end?")
            let s = Array(receiverString(r).utf8)
            let (lo, hi) = try bounds(s.count, args[1], args[2])
            let slice = lo <= hi ? Array(s[lo..<hi]) : []
            var suffixes: [String] = []
            if case .tuple(let t) = args[0] ?? .none {
                for (i, v) in t.enumerated() {
                    guard case .string(let text) = v else {
                        throw EvalError("want string, got \(v.typeName), for element \(i)")
                    }
                    suffixes.append(text)
                }
            } else if case .string(let text) = args[0] ?? .none {
                suffixes = [text]
            } else {
                throw EvalError("got \((args[0] ?? .none).typeName), want string or tuple of string")
            }
            return .bool(
                suffixes.contains {
                    slice.count >= $0.utf8.count && slice.suffix($0.utf8.count).elementsEqual($0.utf8)
                })
        },
        "startswith": { r, call in
            let args = try call.parse("prefix", "start?", "end?")
            let s = Array(receiverString(r).utf8)
            let (lo, hi) = try bounds(s.count, args[1], args[2])
            let slice = lo <= hi ? Array(s[lo..<hi]) : []
            var prefixes: [String] = []
            if case .tuple(let t) = args[0] ?? .none {
                for (i, v) in t.enumerated() {
                    guard case .string(let text) = v else {
                        throw EvalError("want string, got \(v.typeName), for element \(i)")
                    }
                    prefixes.append(text)
                }
            } else if case .string(let text) = args[0] ?? .none {
                prefixes = [text]
            } else {
                throw EvalError("got \((args[0] ?? .none).typeName), want string or tuple of string")
            }
            return .bool(
                prefixes.contains {
                    slice.count >= $0.utf8.count && slice.prefix($0.utf8.count).elementsEqual($0.utf8)
                })
        },
        "find": { r, call in try findMethod(r, &call, last: false, raising: false) },
        "rfind": { r, call in try findMethod(r, &call, last: true, raising: false) },
        "index": { r, call in try findMethod(r, &call, last: false, raising: true) },
        "rindex": { r, call in try findMethod(r, &call, last: true, raising: true) },
        "format": { r, call in
            .string(
                try Format.format(receiverString(r), call.args, call.kwargs, meter: call.interpreter.meter))
        },
        "isalnum": { r, call in
            try predicate(r, &call) { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        },
        "isalpha": { r, call in try predicate(r, &call) { $0.properties.isAlphabetic } },
        "isdigit": { r, call in
            try predicate(r, &call) {
                $0.properties.numericType == .decimal || $0.properties.numericType == .digit
            }
        },
        "isspace": { r, call in try predicate(r, &call) { $0.properties.isWhitespace } },
        "islower": { r, call in try casedPredicate(r, &call, upper: false) },
        "isupper": { r, call in try casedPredicate(r, &call, upper: true) },
        "istitle": { r, call in
            _ = try call.parse()
            var previousCased = false
            var sawCased = false
            for c in receiverString(r).unicodeScalars {
                if c.properties.isUppercase || (c.properties.isCased && !c.properties.isLowercase) {
                    // a word must start with its titlecase form (ǅ, not Ǆ)
                    if previousCased || c.properties.titlecaseMapping != String(c) { return .bool(false) }
                    previousCased = true
                    sawCased = true
                } else if c.properties.isLowercase {
                    if !previousCased { return .bool(false) }
                    previousCased = true
                    sawCased = true
                } else {
                    previousCased = false
                }
            }
            return .bool(sawCased)
        },
        "join": { r, call in
            // positional only, as in starlark-go
            try call.noKeywords()
            guard call.args.count == 1 else { throw call.error("got \(call.args.count) arguments, want 1") }
            let x = call.args[0]
            let items: [Value]
            guard isIterable(x) else { throw EvalError("for parameter 1: got \(x.typeName), want iterable") }
            let meter = call.interpreter.meter
            items = try elements(x, meter: meter)
            let separator = receiverString(r)
            // add up the result's length before making it: it is refused, never built, when too long
            var total = 0
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw EvalError("in list, want string, got \(item.typeName)")
                }
                total += s.utf8.count + (i > 0 ? separator.utf8.count : 0)
                try meter.checkSize(total, "joined string", unit: "bytes")
                parts.append(s)
            }
            try meter.allocate(bytes: total)
            return .string(parts.joined(separator: separator))
        },
        "lower": { r, call in
            _ = try call.parse()
            return .string(receiverString(r).lowercased())
        },
        "upper": { r, call in
            _ = try call.parse()
            return .string(receiverString(r).uppercased())
        },
        "title": { r, call in
            _ = try call.parse()
            return .string(title(receiverString(r)))
        },
        "lstrip": { r, call in try strip(r, &call, left: true, right: false) },
        "rstrip": { r, call in try strip(r, &call, left: false, right: true) },
        "strip": { r, call in try strip(r, &call, left: true, right: true) },
        "partition": { r, call in try partition(r, &call, last: false) },
        "rpartition": { r, call in try partition(r, &call, last: true) },
        "removeprefix": { r, call in
            let args = try call.parse("prefix")
            let s = receiverString(r)
            let p = try stringArg(args[0], "prefix")
            return s.utf8.starts(with: p.utf8)
                ? .string(bytesToString(Array(s.utf8).dropFirst(p.utf8.count))) : r
        },
        "removesuffix": { r, call in
            let args = try call.parse("suffix")
            let s = receiverString(r)
            let p = try stringArg(args[0], "suffix")
            let bytes = Array(s.utf8)
            return bytes.count >= p.utf8.count && bytes.suffix(p.utf8.count).elementsEqual(p.utf8)
                ? .string(bytesToString(bytes.dropLast(p.utf8.count))) : r
        },
        "replace": { r, call in
            let args = try call.parse("old", "new", "count?")
            let s = Array(receiverString(r).utf8)
            let old = Array(try stringArg(args[0], "old").utf8)
            let new = Array(try stringArg(args[1], "new").utf8)
            var limit = Int.max
            if let c = args[2], !c.isNone {
                guard case .int(let n) = c else {
                    throw EvalError("for parameter count: got \(c.typeName), want int")
                }
                if n >= 0 { limit = Int(n) }
            }
            let meter = call.interpreter.meter
            try meter.charge(bytes: s.count)
            var out: [UInt8] = []
            var i = 0
            var n = 0
            if old.isEmpty {
                // insert `new` between every byte, like Python
                while n < limit && i <= s.count {
                    out += new
                    if i < s.count { out.append(s[i]) }
                    i += 1
                    n += 1
                    try meter.checkSize(out.count, "replaced string", unit: "bytes")
                }
                if i < s.count { out += s[i...] }
                try meter.checkSize(out.count, "replaced string", unit: "bytes")
                try meter.allocate(bytes: out.count)
                return .string(bytesToString(out))
            }
            let search = ByteSearch(old)
            while n < limit, let at = search.first(in: s, from: i, to: s.count) {
                out += s[i..<at]
                out += new
                i = at + old.count
                n += 1
                try meter.checkSize(out.count, "replaced string", unit: "bytes")
            }
            out += s[i...]
            try meter.checkSize(out.count, "replaced string", unit: "bytes")
            try meter.allocate(bytes: out.count)
            return .string(bytesToString(out))
        },
        "split": { r, call in try split(r, &call, fromRight: false) },
        "rsplit": { r, call in try split(r, &call, fromRight: true) },
        "splitlines": { r, call in
            let args = try call.parse("keepends?")
            var keep = false
            if let k = args[0] {
                guard case .bool(let b) = k else {
                    throw EvalError("for parameter keepends: got \(k.typeName), want bool")
                }
                keep = b
            }
            var lines: [Value] = []
            var current = ""
            let scalars = Array(receiverString(r).unicodeScalars)
            var i = 0
            while i < scalars.count {
                let c = scalars[i]
                if c == "\n" || c == "\r" {
                    var ending = String(c)
                    if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" {
                        ending = "\r\n"
                        i += 1
                    }
                    lines.append(.string(keep ? current + ending : current))
                    current = ""
                } else {
                    current.unicodeScalars.append(c)
                }
                i += 1
            }
            if !current.isEmpty { lines.append(.string(current)) }
            return .list(StarlarkList(lines))
        },
    ]
}
