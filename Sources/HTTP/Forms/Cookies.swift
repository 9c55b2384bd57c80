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
            // Byte by byte: `;`, `=`, `"`, space and tab are ASCII, so byte offsets cut the
            // header's UTF-8 at scalar boundaries (perf: splitting by `Character` was 4% of a
            // signed-in page's CPU, parsed twice a request).
            var header = header
            header.withUTF8 { bytes in
                var start = 0
                while start <= bytes.count {
                    var end = start
                    while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
                    pair(bytes, start, end, into: &result)
                    start = end + 1
                }
            }
        }
        return result
    }

    /// Adds the `name=value` pair in `bytes[start..<end]` unless its name is already there.
    private static func pair(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into result: inout [String: String]
    ) {
        var equals = start
        while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
        guard equals < end else { return }
        let (nameStart, nameEnd) = trimmed(bytes, start, equals)
        guard nameStart < nameEnd else { return }
        var (valueStart, valueEnd) = trimmed(bytes, equals + 1, end)
        if valueEnd - valueStart >= 2 && bytes[valueStart] == UInt8(ascii: "\"")
            && bytes[valueEnd - 1] == UInt8(ascii: "\"")
        {
            valueStart += 1
            valueEnd -= 1
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
        if result[name] != nil { return }
        result[name] = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
    }

    /// `start..<end` without HTTP white space (space, tab) at either end.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var start = start
        var end = end
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return (start, end)
    }

    public static func parse(_ headerValue: String) -> [String: String] { parse([headerValue]) }
}
