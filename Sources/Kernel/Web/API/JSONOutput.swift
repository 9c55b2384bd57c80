import Foundation

/// JSON text being written as bytes, with the containers still open: what ``APIJSONEncoder``
/// streams into, so a response is written once, without a tree of values in between.
///
/// Its stored properties opt out of Swift's run-time exclusivity checks: one response is written
/// by one thread, and no method holds an access to one across a call that could reach it again
/// (`appendString` gets `bytes` inout and touches nothing else). The checks were a tenth of an
/// API search's instructions (a `swift_beginAccess` for every key, comma and bracket).
final class JSONOutput {
    struct Frame {
        var isObject: Bool
        var count: Int
        var serial: Int
    }

    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) private(set) var frames: [Frame] = []
    @exclusivity(unchecked) private var nextSerial = 0
    /// A key was written and its value not yet: closing or the next key writes `null` first.
    @exclusivity(unchecked) private var awaitingValue = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    // MARK: Containers

    /// Opens an object or array as frame `frames.count`; returns its serial.
    func open(object: Bool) -> Int {
        awaitingValue = false
        nextSerial += 1
        frames.append(Frame(isObject: object, count: 0, serial: nextSerial))
        bytes.append(object ? 0x7B : 0x5B)
        return nextSerial
    }

    /// Closes every frame at `depth` and deeper.
    func close(downTo depth: Int) {
        if awaitingValue { writeNull() }
        while frames.count > depth {
            bytes.append(frames.removeLast().isObject ? 0x7D : 0x5D)
        }
    }

    /// Starts the next member of frame `index` (closing what a previous member left open).
    func beginElement(of index: Int, serial: Int) {
        close(downTo: index + 1)
        precondition(
            frames.count == index + 1 && frames[index].serial == serial,
            "APIJSONEncoder: a container was written to after the value holding it had moved on")
        if frames[index].count > 0 { bytes.append(0x2C) }
        frames[index].count += 1
    }

    /// Starts the member `key` of object frame `index`.
    func key(_ key: String, of index: Int, serial: Int) {
        beginElement(of: index, serial: serial)
        Self.appendString(key, to: &bytes)
        bytes.append(0x3A)
        awaitingValue = true
    }

    /// Each Swift property name's member key as written (`"author_id":`), made once per response:
    /// a list repeats the same few keys for every item, and converting and escaping each anew
    /// was an eighth of an API search's instructions. Looked up from where the last key was
    /// found (items write their keys in the same order), so a hit is one string comparison,
    /// which for the same literal compares only its two words; a dictionary's hashing cost as
    /// much as the conversion it saved.
    @exclusivity(unchecked) private var propertyKeys: [(name: String, written: [UInt8])] = []
    @exclusivity(unchecked) private var nextPropertyKey = 0

    /// Starts the member named by the Swift property `name`, in snake_case (``SnakeCase``), of
    /// object frame `index`.
    func key(property name: String, of index: Int, serial: Int) {
        beginElement(of: index, serial: serial)
        bytes.append(contentsOf: writtenKey(property: name))
        awaitingValue = true
    }

    private func writtenKey(property name: String) -> [UInt8] {
        let count = propertyKeys.count
        var position = nextPropertyKey
        for _ in 0..<count {
            if position == count { position = 0 }
            if propertyKeys[position].name == name {
                nextPropertyKey = position + 1
                return propertyKeys[position].written
            }
            position += 1
        }
        var written: [UInt8] = []
        Self.appendString(SnakeCase.convert(name), to: &written)
        written.append(0x3A)
        propertyKeys.append((name, written))
        nextPropertyKey = propertyKeys.count
        return written
    }

    // MARK: Scalars

    func writeNull() {
        awaitingValue = false
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    }

    func write(_ value: Bool) {
        awaitingValue = false
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    func write(_ value: String) {
        awaitingValue = false
        Self.appendString(value, to: &bytes)
    }

    func write<Integer: BinaryInteger>(_ value: Integer) {
        awaitingValue = false
        // Up to 20 digits: a small string, so no allocation.
        bytes.append(contentsOf: String(value).utf8)
    }

    func write(_ value: Double) {
        awaitingValue = false
        if value.isFinite {
            bytes.append(contentsOf: "\(value)".utf8)
        } else {
            writeNull()
        }
    }

    /// RFC 3339 in UTC to the second ("2026-11-29T06:45:50Z"), as ``JSONValue/timestamp(_:)``.
    func write(_ date: Date) {
        awaitingValue = false
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        bytes.append(0x22)
        let year = Int(parts.tm_year) + 1900
        if year >= 0 && year <= 9999 {
            digits(year / 100)
            digits(year % 100)
        } else {
            bytes.append(contentsOf: String(year).utf8)
        }
        bytes.append(0x2D)
        digits(Int(parts.tm_mon) + 1)
        bytes.append(0x2D)
        digits(Int(parts.tm_mday))
        bytes.append(0x54)
        digits(Int(parts.tm_hour))
        bytes.append(0x3A)
        digits(Int(parts.tm_min))
        bytes.append(0x3A)
        digits(Int(parts.tm_sec))
        bytes.append(contentsOf: [0x5A, 0x22])
    }

    private func digits(_ twoDigits: Int) {
        bytes.append(UInt8(0x30 + twoDigits / 10))
        bytes.append(UInt8(0x30 + twoDigits % 10))
    }

    /// Bit `b` set: the byte `b` (below 0x3F) is escaped (control characters, `"`, `&`, `<`, `>`).
    private static let lowEscapes: UInt64 =
        0xFFFF_FFFF | 1 << 0x22 | 1 << 0x26 | 1 << 0x3C | 1 << 0x3E

    /// A JSON string with the same escapes as ``JSONValue/writeString(_:to:)``: quotes,
    /// backslashes, control characters, `<`, `>`, `&` (safe inside HTML) and U+2028/U+2029.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                // Most bytes need nothing: one test for those below `?`, two for the rest.
                if byte < 0x3F ? (lowEscapes >> byte) & 1 == 0 : byte != 0x5C && byte != 0xE2 {
                    index += 1
                    continue
                }
                var escape: StaticString?
                var width = 1
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x3C: escape = "\\u003c"
                case 0x3E: escape = "\\u003e"
                case 0x26: escape = "\\u0026"
                case 0xE2 where index + 2 < count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0xA8:
                    escape = "\\u2028"
                    width = 3
                case 0xE2 where index + 2 < count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0xA9:
                    escape = "\\u2029"
                    width = 3
                default:
                    if byte >= 0x20 {
                        index += 1
                        continue
                    }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                if let escape {
                    escape.withUTF8Buffer { bytes.append(contentsOf: $0) }
                } else {
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [
                        0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
                    ])
                }
                index += width
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<count]))
        }
        bytes.append(0x22)
    }
}
