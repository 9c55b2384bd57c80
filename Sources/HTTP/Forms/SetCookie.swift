/// A `Set-Cookie` value (RFC 6265 §4.1) with safe defaults: HttpOnly, SameSite=Lax, Path=/.
///
/// ```swift
/// var cookie = SetCookie(name: "session", value: token)
/// cookie.secure = true
/// cookie.maxAge = 60 * 60 * 24 * 30
/// response.setCookie(cookie)   // session=…; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax
/// ```
public struct SetCookie: Sendable, Equatable {
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    public var name: String
    public var value: String
    public var path: String? = "/"
    public var domain: String?
    /// Seconds; 0 or negative expires the cookie immediately.
    public var maxAge: Int?
    public var expires: String?
    public var secure = false
    public var httpOnly = true
    public var sameSite: SameSite? = .lax

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// A cookie that deletes `name` in the browser.
    public static func expired(name: String, path: String? = "/") -> SetCookie {
        var cookie = SetCookie(name: name, value: "")
        cookie.path = path
        cookie.maxAge = 0
        cookie.expires = "Thu, 01 Jan 1970 00:00:00 GMT"
        return cookie
    }

    /// The serialised value. Characters a cookie-value may not hold (RFC 6265 §4.1.1: CTLs,
    /// whitespace, `"`, `,`, `;`, `\`) are percent-encoded so a value can never inject an attribute.
    public var headerValue: String {
        var parts = ["\(Self.sanitizeName(name))=\(Self.sanitizeValue(value))"]
        if let path { parts.append("Path=\(Self.sanitizeAttribute(path))") }
        if let domain { parts.append("Domain=\(Self.sanitizeAttribute(domain))") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let expires { parts.append("Expires=\(Self.sanitizeAttribute(expires))") }
        if secure || sameSite == SameSite.none { parts.append("Secure") }
        if httpOnly { parts.append("HttpOnly") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }

    private static func sanitizeName(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.filter { $0.isASCII && HTTPSyntax.isTokenByte(UInt8($0.value)) }))
    }

    private static func sanitizeValue(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let allowed =
                byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
                || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
            if allowed && byte != UInt8(ascii: "%") {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += String(format: byte)
            }
        }
        return out
    }

    private static func sanitizeAttribute(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && $0 != ";" }))
    }
}

extension String {
    fileprivate init(format byte: UInt8) {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        self = "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
    }
}
