import HTTP

/// The one gate for redirecting to a target the client supplied (`next` after signing in, after
/// accepting the Terms, any "return to" field): only a path on this site passes.
///
/// ```swift
/// let next = RedirectTarget.sameSitePath(form["next"]) ?? "/"
/// return ctx.redirect(to: next)
/// RedirectTarget.sameSitePath("//evil.example/")   // nil
/// ```
public enum RedirectTarget {
    /// `candidate` when it is a same-site path, otherwise nil. A same-site path starts with
    /// one `/` followed by neither `/` nor `\` (browsers read `//host` and `/\host` as another
    /// site), holds only visible ASCII (no space, control character or backslash anywhere), and
    /// its percent-decoded form holds no control character and does not start with `//` or
    /// `/\` either (so `%0d%0a`, `%09` and `/%2F/host` are refused too). A scheme (`https:`,
    /// `javascript:`) cannot pass, since the path must start with `/`.
    public static func sameSitePath(_ candidate: String?) -> String? {
        guard let candidate, candidate.utf8.count <= 2048, isSameSitePath(candidate) else { return nil }
        guard let decoded = PercentDecoding.decode(candidate), isSameSitePath(decoded, decoded: true) else {
            return nil
        }
        return candidate
    }

    private static func isSameSitePath(_ path: String, decoded: Bool = false) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return false }
        if decoded {
            return !path.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\\" }
        }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
    }
}
