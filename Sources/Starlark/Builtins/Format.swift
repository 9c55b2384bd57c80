import Foundation

/// `%` string interpolation and `str.format`.
enum Format {
    static func percent(_ format: String, _ operand: Value, meter: Meter?) throws(EvalError) -> String {
        let limit = meter?.limits.maxCollectionSize ?? Limits.default.maxCollectionSize
        var args: [Value]
        var mapping: StarlarkDict?
        switch operand {
        case .tuple(let t): args = t
        case .dict(let d):
            mapping = d
            args = [operand]
        default: args = [operand]
        }
        var next = 0
        var out = ""
        let chars = Array(format.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < chars.count else { throw EvalError("incomplete format") }
            var value: Value?
            if chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else {
                    throw EvalError("incomplete format key")
                }
                var keyView = String.UnicodeScalarView()
                keyView.append(contentsOf: chars[(i + 1)..<close])
                let key = String(keyView)
                guard let mapping else { throw EvalError("format requires a mapping") }
                guard let v = try mapping.get(.string(key)) else {
                    throw EvalError("key \"\(key)\" not found")
                }
                value = v
                i = close + 1
                guard i < chars.count else { throw EvalError("incomplete format") }
            }
            let conv = chars[i]
            i += 1
            if conv == "%" {
                out += "%"
                continue
            }
            if value == nil {
                guard next < args.count else { throw EvalError("not enough arguments for format string") }
                value = args[next]
                next += 1
            }
            let v = value ?? .none
            if out.utf8.count > limit {
                throw EvalError(
                    "formatted string would be longer than the limit of \(limit) bytes for one value")
            }
            switch conv {
            case "s": out += try v.str(meter: meter)
            case "r": out += try v.repr(meter: meter)
            case "d", "i", "o", "x", "X":
                let n: Int64
                switch v {
                case .int(let x): n = x
                case .float(let f):
                    if f.isNaN { throw EvalError("cannot convert float NaN to integer") }
                    if f.isInfinite { throw EvalError("cannot convert float infinity to integer") }
                    let t = f.rounded(.towardZero)
                    guard t >= -9223372036854775808.0, t < 9223372036854775808.0 else {
                        throw EvalError("float \(FloatText.format(f, "g")) out of range for a 64-bit integer")
                    }
                    n = Int64(t)
                case .bool:
                    throw EvalError("cannot convert bool to int")
                default:
                    throw EvalError("%\(conv) format requires integer: \(v.typeName)")
                }
                let magnitude = n.magnitude
                let sign = n < 0 ? "-" : ""
                switch conv {
                case "o": out += sign + String(magnitude, radix: 8)
                case "x": out += sign + String(magnitude, radix: 16)
                case "X": out += sign + String(magnitude, radix: 16).uppercased()
                default: out += String(n)
                }
            case "e", "E", "f", "F", "g", "G":
                guard let f = v.asDouble, v.asBool == nil else {
                    throw EvalError("%\(conv) format requires float, not \(v.typeName)")
                }
                out += formatFloat(f, Character(conv))
            case "c":
                switch v {
                case .int(let code):
                    guard code >= 0, code <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(code)) else {
                        throw EvalError("%c format requires a valid Unicode code point, got \(code)")
                    }
                    out.unicodeScalars.append(scalar)
                case .string(let s):
                    guard s.unicodeScalars.count == 1 else {
                        throw EvalError("%c format requires a single-character string")
                    }
                    out += s
                default:
                    throw EvalError("%c format requires int or single-character string, not \(v.typeName)")
                }
            default:
                throw EvalError("unknown conversion %\(conv)")
            }
        }
        if mapping == nil && next < args.count {
            throw EvalError("too many arguments for format string")
        }
        try meter?.checkSize(out.utf8.count, "formatted string", unit: "bytes")
        try meter?.allocate(bytes: out.utf8.count)
        return out
    }

    static func formatFloat(_ f: Double, _ conv: Character) -> String {
        if f.isNaN { return "nan" }
        if f.isInfinite { return f > 0 ? "+inf" : "-inf" }
        switch conv {
        case "g", "G":
            return FloatText.format(f, conv)
        default:
            return String(format: "%.6\(conv)", f)
        }
    }

    static func format(
        _ format: String, _ args: [Value], _ kwargs: [(name: String, value: Value)], meter: Meter?
    ) throws(EvalError) -> String {
        let limit = meter?.limits.maxCollectionSize ?? Limits.default.maxCollectionSize
        var out = ""
        let chars = Array(format.unicodeScalars)
        var i = 0
        var auto = 0
        var manual = false
        var automatic = false
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" {
                    out += "}"
                    i += 2
                    continue
                }
                throw EvalError("single '}' in format")
            }
            if c != "{" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if i + 1 < chars.count && chars[i + 1] == "{" {
                out += "{"
                i += 2
                continue
            }
            guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
                throw EvalError("unmatched '{' in format")
            }
            var fieldView = String.UnicodeScalarView()
            fieldView.append(contentsOf: chars[(i + 1)..<close])
            var field = String(fieldView)
            if field.contains("{") { throw EvalError("nested replacement fields not supported") }
            i = close + 1
            var conversion = "s"
            if let colon = field.firstIndex(of: ":") {
                if !field[field.index(after: colon)...].isEmpty {
                    throw EvalError("format spec features not supported in replacement fields")
                }
                field = String(field[..<colon])
            }
            if let bang = field.firstIndex(of: "!") {
                conversion = String(field[field.index(after: bang)...])
                field = String(field[..<bang])
                guard conversion == "s" || conversion == "r" else {
                    throw EvalError("unknown conversion \"!\(conversion)\"")
                }
            }
            let value: Value
            if field.isEmpty {
                if manual { throw EvalError("cannot switch from manual field numbering to automatic") }
                automatic = true
                guard auto < args.count else { throw EvalError("tuple index out of range") }
                value = args[auto]
                auto += 1
            } else if field.allSatisfy({ $0.isASCII && $0.isNumber }) {
                if automatic { throw EvalError("cannot switch from automatic field numbering to manual") }
                manual = true
                guard let index = Int(field), index < args.count else {
                    throw EvalError("tuple index out of range")
                }
                value = args[index]
            } else {
                if field.contains(".") {
                    throw EvalError("attribute syntax x.y is not supported in replacement fields")
                }
                if field.contains("[") {
                    throw EvalError("element syntax a[i] is not supported in replacement fields")
                }
                guard let v = kwargs.first(where: { $0.name == field })?.value else {
                    var message = "keyword \(field) not found"
                    if let close = Suggest.closest(field, among: kwargs.map(\.name)) {
                        message += " — did you mean \(close)?"
                    }
                    throw EvalError(message)
                }
                value = v
            }
            if out.utf8.count > limit {
                throw EvalError(
                    "formatted string would be longer than the limit of \(limit) bytes for one value")
            }
            out += conversion == "r" ? try value.repr(meter: meter) : try value.str(meter: meter)
        }
        try meter?.checkSize(out.utf8.count, "formatted string", unit: "bytes")
        try meter?.allocate(bytes: out.utf8.count)
        return out
    }
}
