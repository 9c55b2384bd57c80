import Foundation

extension Value: CustomStringConvertible {
    /// `str(x)`: strings are unquoted; everything else as `repr`.
    public var description: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// `repr(x)`. Text beyond `Limits.default.maxCollectionSize` bytes is cut off and ends in
    /// `...` (lists that share elements can have a repr far larger than memory).
    public var repr: String {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        if !writeRepr(&out, &seen, limit: Limits.default.maxCollectionSize) { out += "..." }
        return out
    }

    /// `repr(x)` for a running program: fails, rather than cut off, when the text would be longer
    /// than one value may be; the text made is charged to the meter.
    func repr(meter: Meter?) throws(EvalError) -> String {
        let limit = meter?.limits.maxCollectionSize ?? Limits.default.maxCollectionSize
        var out = ""
        var seen = Set<ObjectIdentifier>()
        if !writeRepr(&out, &seen, limit: limit) {
            throw EvalError(
                "the text of this \(typeName) would be longer than the limit of \(limit) bytes for one value")
        }
        try meter?.allocate(bytes: out.utf8.count)
        return out
    }

    /// `str(x)` for a running program (see `repr(meter:)`).
    func str(meter: Meter?) throws(EvalError) -> String {
        if case .string(let s) = self { return s }
        return try repr(meter: meter)
    }

    /// Appends the repr; returns false (with `out` cut short) once `out` is longer than `limit`.
    func writeRepr(_ out: inout String, _ seen: inout Set<ObjectIdentifier>, depth: Int = 0, limit: Int)
        -> Bool
    {
        if out.utf8.count > limit { return false }
        // Values nested this deep are abbreviated rather than recursed into.
        if depth > 500 {
            out += "..."
            return true
        }
        switch self {
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .float(let f): out += FloatText.format(f, "g")
        case .string(let s): out += quote(s)
        case .list(let l):
            let id = ObjectIdentifier(l)
            if seen.contains(id) {
                out += "[...]"
                return true
            }
            seen.insert(id)
            defer { seen.remove(id) }
            out += "["
            for (i, e) in l.elements.enumerated() {
                if i > 0 { out += ", " }
                if !e.writeRepr(&out, &seen, depth: depth + 1, limit: limit) { return false }
            }
            out += "]"
        case .tuple(let t):
            out += "("
            for (i, e) in t.enumerated() {
                if i > 0 { out += ", " }
                if !e.writeRepr(&out, &seen, depth: depth + 1, limit: limit) { return false }
            }
            out += t.count == 1 ? ",)" : ")"
        case .dict(let d):
            let id = ObjectIdentifier(d)
            if seen.contains(id) {
                out += "{...}"
                return true
            }
            seen.insert(id)
            defer { seen.remove(id) }
            out += "{"
            for (i, (k, v)) in d.entries.enumerated() {
                if i > 0 { out += ", " }
                if !k.writeRepr(&out, &seen, depth: depth + 1, limit: limit) { return false }
                out += ": "
                if !v.writeRepr(&out, &seen, depth: depth + 1, limit: limit) { return false }
            }
            out += "}"
        case .function(let f): out += "<function \(f.name)>"
        case .builtin(let b):
            if let receiver = b.receiver {
                out += "<built-in method \(b.name) of \(receiver.typeName) value>"
            } else {
                out += "<built-in function \(b.name)>"
            }
        case .module(let m):
            if m.typeName == "module" {
                out += "<module \"\(m.name)\">"
            } else {
                out += "\(m.name)("
                for (i, (k, v)) in m.members.enumerated() {
                    if i > 0 { out += ", " }
                    out += "\(k) = "
                    if !v.writeRepr(&out, &seen, depth: depth + 1, limit: limit) { return false }
                }
                out += ")"
            }
        case .stringView(let v):
            out += quote(v.string) + ".\(v.kind.rawValue)()"
        case .range(let r):
            if r.step == 1 {
                out += r.start == 0 ? "range(\(r.stop))" : "range(\(r.start), \(r.stop))"
            } else {
                out += "range(\(r.start), \(r.stop), \(r.step))"
            }
        }
        return out.utf8.count <= limit
    }
}

/// Quotes a string the way starlark-go does (Go's strconv.Quote).
func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += String(format: "\\x%02x", scalar.value)
            } else if scalar.value > 0x7f && !isPrintable(scalar) {
                out +=
                    scalar.value > 0xffff
                    ? String(format: "\\U%08x", scalar.value) : String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

private func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
    case .spaceSeparator:
        return scalar == " "
    default:
        return true
    }
}

enum FloatText {
    /// Shortest round-trip decimal digits and exponent: value = 0.d1d2d3... × 10^exponent.
    static func shortest(_ f: Double) -> (digits: [UInt8], point: Int) {
        // Swift's description is the shortest round-trip representation.
        let text = "\(abs(f))"
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for c in mantissa {
            if c == "." {
                seenPoint = true
                continue
            }
            guard let d = c.asciiValue else { continue }
            digits.append(d - 48)
            if !seenPoint { point += 1 }
        }
        // strip leading zeros
        while let first = digits.first, first == 0, digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == 0, digits.count > 1 { digits.removeLast() }
        if digits == [0] { return ([0], 1) }
        return (digits, point + exponent)
    }

    /// Formats like Go's strconv.FormatFloat with -1 precision ('g'), or %e/%f with 6 digits.
    static func format(_ f: Double, _ conv: Character) -> String {
        if f.isNaN { return "nan" }
        if f.isInfinite { return f > 0 ? "+inf" : "-inf" }
        switch conv {
        case "g", "G":
            let sign = f.sign == .minus ? "-" : ""
            let (digits, point) = shortest(f)
            let exp = point - 1
            var out: String
            if exp < -4 || exp >= 6 {
                var m = String(digits[0])
                if digits.count > 1 { m += "." + digits[1...].map { String($0) }.joined() }
                let e = abs(exp)
                out = m + (conv == "g" ? "e" : "E") + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
            } else if point <= 0 {
                out = "0." + String(repeating: "0", count: -point) + digits.map { String($0) }.joined()
            } else if point >= digits.count {
                out =
                    digits.map { String($0) }.joined() + String(repeating: "0", count: point - digits.count)
                    + ".0"
            } else {
                let s = digits.map { String($0) }.joined()
                out = String(s.prefix(point)) + "." + String(s.dropFirst(point))
            }
            return sign + out
        default:
            return String(format: "%\(conv)", f)
        }
    }
}
