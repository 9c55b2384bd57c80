/// Cookie header parsing (RFC 6265 §5.4 / §4.2.1).
///
/// ```swift
/// Cookies.parse(["session=abc; theme=dark"])  // ["session": "abc", "theme": "dark"]
/// ```
public enum Cookies {
    /// Parses every Cookie header value. Pairs without `=` or with an empty name are skipped; the
    /// first occurrence of a name wins (the most specific path is sent first); a value in double
    /// quotes is unquoted.
    public static func parse(_ headerValues: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for header in headerValues {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingHTTPWhitespace()
                var value = pair[pair.index(after: equals)...].trimmingHTTPWhitespace()
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                if result[name] == nil { result[name] = value }
            }
        }
        return result
    }

    public static func parse(_ headerValue: String) -> [String: String] { parse([headerValue]) }
}
