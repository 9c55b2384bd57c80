/// Where `@handle` mentions are in a run of text: `@` not preceded by a letter, digit, `_`,
/// `.` or `@` (so "ada@school.example" is no mention), then 1–40 letters, digits, `_`, `-` or
/// `.`, not ending in `.` or `-` ("@ada." mentions "ada").
enum Mentions {
    static func ranges(in text: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            if index > 0, isHandleByte(text[index - 1]) || text[index - 1] == UInt8(ascii: "@") {
                index += 1
                continue
            }
            var end = index + 1
            while end < text.count, isHandleByte(text[end]) || text[end] == UInt8(ascii: "-") { end += 1 }
            while end > index + 1, text[end - 1] == UInt8(ascii: ".") || text[end - 1] == UInt8(ascii: "-") {
                end -= 1
            }
            let length = end - index - 1
            if length >= 1, length <= 40, text[index + 1] != UInt8(ascii: ".") {
                found.append(index..<end)
            }
            index = max(end, index + 1)
        }
        return found
    }

    private static func isHandleByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}
