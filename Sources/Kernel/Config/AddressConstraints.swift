import Foundation
import HTTP

/// Constraints for the network's addresses: URLs, mail addresses, host names, IP addresses.
///
/// ```swift
/// .init(name: "base_url", type: .string, default: .string("http://localhost:8080"),
///       doc: "The public address.", constraint: .baseURL)
/// ```
extension SettingConstraint {
    /// An absolute http(s) URL without query, fragment or trailing `/`: links are built as
    /// base_url + "/path".
    public static let baseURL = text("an absolute http:// or https:// URL, without a trailing /") { text in
        if let problem = httpURLProblem(text) { return problem }
        if text.hasSuffix("/") {
            var trimmed = text
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return SettingProblem(
                "must not end in / (links are built as base_url + \"/path\")", suggestion: trimmed)
        }
        return nil
    }

    /// Empty, a path on this site (`/assets/logo.png`), or an absolute http(s) URL.
    public static let siteLinkOrURL = text("empty, a path starting with /, or an http(s) URL") { text in
        if text.isEmpty { return nil }
        if text.hasPrefix("/") && !text.hasPrefix("//") {
            let valid = !text.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0 == " " || $0 == "\\"
            }
            return valid
                ? nil : SettingProblem("a path must not contain spaces, backslashes or control characters")
        }
        if text.contains("://") { return httpURLProblem(text) }
        return SettingProblem(
            "expected a path starting with / or an http(s) URL, got \"\(text)\"",
            suggestion: text.hasPrefix("//") ? "https:" + text : text.contains(":") ? nil : "/" + text)
    }

    /// A mail address (addr-spec: `name@domain`), without a display name.
    public static let emailAddress = text("a mail address like name@example.org") { text in
        if let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            let inner = String(text[text.index(after: open)..<close])
            if isMailAddress(inner) {
                return SettingProblem("give the address only, without a display name", suggestion: inner)
            }
        }
        if isMailAddress(text) { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return SettingProblem(
            "expected a mail address like name@example.org, got \"\(text)\"",
            suggestion: trimmed != text && isMailAddress(trimmed) ? trimmed : nil)
    }

    /// An address to listen on: an IP address or a host name.
    public static let listenAddress = text("an IP address or a host name") { text in
        if isIPAddress(text) || isHostName(text) { return nil }
        return SettingProblem(
            "expected an IP address (like 127.0.0.1, 0.0.0.0 or ::) or a host name, got \"\(text)\"")
    }

    /// IP addresses ("127.0.0.1", "::1") and CIDR ranges ("10.0.0.0/8", "fd00::/8"), read the way
    /// ``TrustedProxies`` reads them (addresses compare by value, whatever their spelling).
    public static let ipAddressRanges = each(
        text("an IP address or a CIDR range, like 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8") { text in
            do throws(IPAddressRange.ParseError) {
                _ = try IPAddressRange(parsing: text)
                return nil
            } catch {
                return SettingProblem(error.description, suggestion: error.suggestion)
            }
        })

    static func httpURLProblem(_ text: String) -> SettingProblem? {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            var guess = text.contains("://") ? nil : "https://" + text
            while guess?.hasSuffix("/") == true { guess?.removeLast() }
            return SettingProblem(
                "expected an absolute URL starting with http:// or https://, got \"\(text)\"",
                suggestion: guess.flatMap { httpURLProblem($0) == nil ? $0 : nil })
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            return SettingProblem("\"\(text)\" is not a valid URL (it needs a host, and no spaces)")
        }
        if components.user != nil || components.password != nil {
            return SettingProblem("the URL must not contain a user name or password")
        }
        if components.query != nil || components.fragment != nil {
            return SettingProblem("the URL must not have a query (?) or fragment (#)")
        }
        return nil
    }

    static func isMailAddress(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = String(text[text.index(after: at)...])
        let allowed = Set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")
        guard !local.isEmpty, local.count <= 64, local.allSatisfy({ allowed.contains($0) }),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            return isIPAddress(String(domain.dropFirst().dropLast()))
        }
        return isHostName(domain)
    }

    static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-")
                }
        }
    }

    static func isIPAddress(_ text: String) -> Bool { IPAddress(text) != nil }
}
