/// Short ASCII texts (timestamps, dates) written byte by byte into one allocation: every page
/// prints dozens of them, and string interpolation of integers was a few percent of a page's
/// CPU (perf on the group page).
///
/// ```swift
/// let text = ASCIIText.make(capacity: 20) { out in
///     out.digits(2026, width: 4); out.byte(0x2D); out.digits(3, width: 2)
/// }  // "2026-03"
/// ```
struct ASCIIText {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// A string of at most `capacity` bytes, written by `body`. Writing past the capacity
    /// stops the program (a programming error, as an array index out of range is).
    static func make(capacity: Int, _ body: (inout ASCIIText) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var text = ASCIIText(buffer)
            body(&text)
            return text.count
        }
    }

    mutating func byte(_ value: UInt8) {
        precondition(count < buffer.count, "ASCIIText: capacity exceeded")
        buffer[count] = value
        count += 1
    }

    /// The bytes of `text` (which the caller knows to be short).
    mutating func text(_ text: String) {
        // Copied in one piece when the string's bytes are contiguous (literals and native
        // strings): byte by byte through the UTF-8 view cost 300 instructions for "</time>".
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            precondition(count + bytes.count <= buffer.count, "ASCIIText: capacity exceeded")
            (buffer.baseAddress! + count).update(from: source, count: bytes.count)
            count += bytes.count
        }
        if copied == nil { for value in text.utf8 { byte(value) } }
    }

    /// `value` in decimal, with leading zeros up to `width` digits; a minus sign first when
    /// negative.
    mutating func digits(_ value: Int, width: Int = 1) {
        if value < 0 { byte(0x2D) }
        let magnitude = value.magnitude
        var length = 1
        var rest = magnitude / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        for _ in length..<max(width, length) { byte(0x30) }
        precondition(count + length <= buffer.count, "ASCIIText: capacity exceeded")
        rest = magnitude
        for position in stride(from: count + length - 1, through: count, by: -1) {
            buffer[position] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
        count += length
    }
}
