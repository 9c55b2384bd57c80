/// The syntax of a Host field value and of an absolute-form target's authority:
/// `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 9110 §7.2), where `uri-host` is RFC 3986's
/// `IP-literal / IPv4address / reg-name` (§3.2.2) and `port` is digits only (§3.2.3).
///
/// ```swift
/// HostSyntax.isValid("example.org:8080")   // true
/// HostSyntax.isValid("[2001:db8::1]:443")  // true
/// HostSyntax.isValid("localhos%t")         // false: "%" must start a percent-encoding
/// HostSyntax.isValid("localhos:t")         // false: the port is not digits
/// ```
enum HostSyntax {
    /// True when `value` is a valid Host. An empty value is allowed only with `allowEmpty`: RFC
    /// 9112 §3.2 lets a client send an empty Host when the target URI has no authority, but an
    /// "http" URI must not have an empty host (RFC 9110 §4.2.1), so `:80` is always refused.
    static func isValid(_ value: String, allowEmpty: Bool = false) -> Bool {
        var value = value
        return value.withUTF8 { isValid($0, allowEmpty: allowEmpty) }
    }

    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, allowEmpty: Bool) -> Bool {
        if bytes.isEmpty { return allowEmpty }
        let hostEnd: Int
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                isIPLiteralBody(String(decoding: bytes[1..<close], as: UTF8.self))
            else { return false }
            hostEnd = close + 1
        } else {
            var index = 0
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2])
                    else {
                        return false
                    }
                    index += 3
                } else {
                    guard isUnreserved(byte) || isSubDelimiter(byte) else { return false }
                    index += 1
                }
            }
            guard index > 0 else { return false }
            hostEnd = index
        }
        if hostEnd == bytes.count { return true }
        guard bytes[hostEnd] == UInt8(ascii: ":") else { return false }
        return bytes[(hostEnd + 1)...].allSatisfy(HTTPSyntax.isDigit)
    }

    /// What lies between "[" and "]": an IPv6 address or an IPvFuture (`v1.x`). Zone
    /// identifiers are not allowed in HTTP.
    static func isIPLiteralBody(_ body: String) -> Bool {
        if let first = body.utf8.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V") {
            let rest = body.utf8.dropFirst()
            guard let dot = rest.firstIndex(of: UInt8(ascii: ".")) else { return false }
            let version = rest[..<dot]
            let tail = rest[rest.index(after: dot)...]
            return !version.isEmpty && version.allSatisfy(isHexDigit) && !tail.isEmpty
                && tail.allSatisfy { isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") }
        }
        return isIPv6(body)
    }

    /// RFC 3986's IPv6address: eight groups of 1–4 hex digits, or fewer with one "::", the last
    /// two groups optionally written as an IPv4 address.
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String, mayEndInIPv4: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (offset, piece) in pieces.enumerated() {
                if offset == pieces.count - 1, mayEndInIPv4, piece.contains(".") {
                    guard isIPv4(piece) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(piece.utf8.count), piece.utf8.allSatisfy(isHexDigit) else {
                        return nil
                    }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(text, mayEndInIPv4: true) == 8
        }
        guard let left = groups(halves[0], mayEndInIPv4: false),
            let right = groups(halves[1], mayEndInIPv4: true)
        else { return false }
        return left + right <= 7
    }

    /// Four dec-octets (0–255, no leading zeros) separated by dots.
    static func isIPv4(_ text: Substring) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        return octets.allSatisfy { octet in
            guard (1...3).contains(octet.utf8.count), octet.utf8.allSatisfy(HTTPSyntax.isDigit),
                octet.utf8.count == 1 || octet.utf8.first != UInt8(ascii: "0"), let value = Int(octet)
            else { return false }
            return value <= 255
        }
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        HTTPSyntax.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    /// unreserved (RFC 3986 §2.3).
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// sub-delims (RFC 3986 §2.2).
    @inline(__always)
    static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            true
        default: false
        }
    }
}
