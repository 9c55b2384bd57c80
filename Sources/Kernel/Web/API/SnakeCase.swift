/// The API's key spelling: Swift property names in snake_case, runs of capitals kept as one
/// word (`authorID` → `author_id`, `embedURL` → `embed_url`, `line2Text` → `line2_text`).
///
/// ```swift
/// SnakeCase.convert("bodyHTML")   // "body_html"
/// ```
public enum SnakeCase {
    public static func convert(_ name: String) -> String {
        // Most keys are one lower-case word already: no copy for them.
        guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return name }
        let bytes = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for (index, byte) in bytes.enumerated() {
            guard isUpper(byte) else {
                out.append(byte)
                continue
            }
            if index > 0 {
                let previous = bytes[index - 1]
                let nextIsLower =
                    index + 1 < bytes.count && isLowerOrDigit(bytes[index + 1]) && !isDigit(bytes[index + 1])
                if isLowerOrDigit(previous) || (isUpper(previous) && nextIsLower) {
                    out.append(0x5F)
                }
            }
            out.append(byte + 0x20)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLowerOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || isDigit(byte)
    }
}
