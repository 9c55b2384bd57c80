import Foundation

/// A fragment of HTML that is safe to send: the only way to put text into a page. String
/// literals are written by us and kept as they are; every interpolated value is escaped,
/// unless it is itself `HTML`.
///
/// ```swift
/// let name = "<script>alert(1)</script>"
/// let item: HTML = "<li class=\"member\">\(name)</li>"   // the name is escaped
/// let list: HTML = "<ul>\(items)</ul>"                   // [HTML] joins without escaping
/// ```
public struct HTML: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }

    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Output of a trusted renderer (the Markdown renderer, which escapes raw HTML itself).
    /// Never pass member text here.
    public init(trustedRenderer output: String) { text = output }

    public static let empty: HTML = ""

    public var description: String { text }
    public var isEmpty: Bool { text.isEmpty }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(trustedRenderer: a.text + b.text) }
    public static func += (a: inout HTML, b: HTML) { a.text += b.text }

    /// Joins fragments.
    public static func join(_ parts: [HTML], separator: HTML = "") -> HTML {
        HTML(trustedRenderer: parts.map(\.text).joined(separator: separator.text))
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text is escaped for both element content and quoted attribute values.
        public mutating func appendInterpolation(_ value: String) { HTML.escape(value, into: &text) }
        public mutating func appendInterpolation(_ value: String?) { HTML.escape(value ?? "", into: &text) }
        public mutating func appendInterpolation<I: BinaryInteger>(_ value: I) { text += String(value) }
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }
        public mutating func appendInterpolation(_ value: HTML?) { text += value?.text ?? "" }
        public mutating func appendInterpolation(_ values: [HTML]) {
            for value in values { text += value.text }
        }

        /// A URL for href/src: only http(s), mailto and site-relative URLs survive; anything
        /// else (javascript:, data:, …) becomes "#".
        public mutating func appendInterpolation(url: String) { HTML.escape(HTML.safeURL(url), into: &text) }
    }

    public static func escape(_ value: String, into out: inout String) {
        // Most text has nothing to escape: append it whole. Otherwise copy the runs between
        // special bytes in one piece each (all five are ASCII, so byte offsets are safe cuts).
        // Native strings are scanned as contiguous bytes (perf: scanning through the UTF-8
        // view's indices was 4% of a group page's CPU).
        let utf8 = value.utf8
        func position(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var bytesOfValue = value  // withUTF8 needs a variable; a native string is not copied
        bytesOfValue.withUTF8 { bytes in
            var runStart = 0
            for offset in 0..<bytes.count {
                // The five special bytes are all below 0x3F: one comparison passes most bytes.
                guard bytes[offset] < 0x3F, let replacement = replacement(for: bytes[offset]) else {
                    continue
                }
                if runStart < offset { out += value[position(runStart)..<position(offset)] }
                out += replacement
                runStart = offset + 1
            }
            if runStart == 0 {
                out += value
            } else if runStart < bytes.count {
                out += value[position(runStart)..<utf8.endIndex]
            }
        }
    }

    @inline(__always)
    private static func replacement(for byte: UInt8) -> String? {
        switch byte {
        case 0x26: return "&amp;"
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x22: return "&quot;"
        case 0x27: return "&#39;"
        default: return nil
        }
    }

    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        escape(value, into: &out)
        return out
    }

    /// Keeps http, https, mailto and relative URLs; replaces every other scheme with "#".
    /// Surrounding white space and control or format characters are trimmed first, as
    /// `CharacterSet.whitespacesAndNewlines ∪ .controlCharacters` would, without building those
    /// sets per call (perf: 7% of a group page's CPU).
    public static func safeURL(_ url: String) -> String {
        let trimmed = trimmedForURL(url)
        if hasPrefixIgnoringASCIICase(trimmed, "http://") || hasPrefixIgnoringASCIICase(trimmed, "https://")
            || hasPrefixIgnoringASCIICase(trimmed, "mailto:")
        {
            return trimmed
        }
        if trimmed.hasPrefix("/") && !trimmed.hasPrefix("//") { return trimmed }
        if trimmed.hasPrefix("#") || trimmed.hasPrefix("?") { return trimmed }
        // A relative path without a scheme: no ':' before the first '/', '?' or '#'.
        if let colon = trimmed.firstIndex(of: ":") {
            let beforeColon = trimmed[..<colon]
            if !beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return "#" }
        }
        return trimmed.hasPrefix("//") ? "#" : trimmed
    }

    private static func trimmedForURL(_ url: String) -> String {
        // Printable ASCII at both ends (nearly every URL): nothing to trim.
        if let first = url.utf8.first, let last = url.utf8.last, (0x21...0x7E).contains(first),
            (0x21...0x7E).contains(last)
        {
            return url
        }
        let scalars = url.unicodeScalars
        func trimmable(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format: return true
            default: return false
            }
        }
        guard let start = scalars.firstIndex(where: { !trimmable($0) }),
            let end = scalars.lastIndex(where: { !trimmable($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    private static func hasPrefixIgnoringASCIICase(_ text: String, _ prefix: String) -> Bool {
        var characters = text.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = characters.next() else { return false }
            let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if lowered != expected { return false }
        }
        return true
    }
}
