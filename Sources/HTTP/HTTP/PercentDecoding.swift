/// Percent-decoding (RFC 3986 §2.1) for paths, query strings and form bodies.
///
/// Strict decoding rejects malformed escapes and invalid UTF-8 (used for request paths, where a
/// lenient guess could route a request somewhere unintended); lenient decoding keeps malformed
/// escapes literally and repairs UTF-8, which is what browsers do for form data.
///
/// ```swift
/// PercentDecoding.decode("caf%C3%A9")                          // "café"
/// PercentDecoding.decode("100%zz")                             // nil
/// PercentDecoding.decodeLeniently("a+b%zz", plusAsSpace: true) // "a b%zz"
/// ```
public enum PercentDecoding {
    /// Decodes strictly: nil on a malformed escape, on invalid UTF-8, or on a decoded NUL.
    public static func decode(_ string: some StringProtocol, plusAsSpace: Bool = false) -> String? {
        let view = string.utf8
        guard view.contains(UInt8(ascii: "%")) || (plusAsSpace && view.contains(UInt8(ascii: "+"))) else {
            return view.contains(0) ? nil : String(string)
        }
        var utf8 = Array(view)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count,
                    let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
                else { return nil }
                let decoded = high << 4 | low
                if decoded == 0 { return nil }
                out.append(decoded)
                index += 3
            } else {
                if byte == 0 { return nil }
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        utf8 = out
        return String(validating: utf8, as: UTF8.self)
    }

    /// Decodes leniently: malformed escapes stay literal; invalid UTF-8 becomes U+FFFD.
    public static func decodeLeniently(_ string: some StringProtocol, plusAsSpace: Bool = false) -> String {
        let utf8 = Array(string.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes everything outside RFC 3986 `unreserved` (for building query strings and links).
    public static func encode(_ string: String) -> String {
        // Written into one allocation of the largest size it can take (perf: appending scalar by
        // scalar cost 100 instructions a byte, and a page of search results encodes its query
        // in every tab's link).
        let hex: StaticString = "0123456789ABCDEF"
        return String(unsafeUninitializedCapacity: string.utf8.count * 3) { out in
            var count = 0
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"), UInt8(ascii: "~"):
                    out[count] = byte
                    count += 1
                default:
                    out[count] = UInt8(ascii: "%")
                    out[count + 1] = hex.utf8Start[Int(byte >> 4)]
                    out[count + 2] = hex.utf8Start[Int(byte & 0xF)]
                    count += 3
                }
            }
            return count
        }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
