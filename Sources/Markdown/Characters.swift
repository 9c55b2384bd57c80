// Byte-level character classes and the string transformations the spec defines (backslash
// escapes, character references, label normalisation, URL encoding, HTML escaping). The parser
// works on UTF-8 bytes: every syntax character is ASCII, and UTF-8 never puts an ASCII byte inside
// a multi-byte sequence, so slicing at ASCII positions always yields valid UTF-8.

enum Byte {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let bang: UInt8 = 0x21
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let backtick: UInt8 = 0x60
    static let tilde: UInt8 = 0x7E
}

@inline(__always) func isSpaceOrTab(_ c: UInt8) -> Bool { c == Byte.space || c == Byte.tab }

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

@inline(__always) func isASCIILetter(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
}

@inline(__always) func isASCIIAlphanumeric(_ c: UInt8) -> Bool { isASCIILetter(c) || isDigit(c) }

@inline(__always) func isHexDigit(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

@inline(__always) func asciiLowercase(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }

/// The characters a backslash can escape: ASCII punctuation.
@inline(__always) func isASCIIPunctuation(_ c: UInt8) -> Bool {
    (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
        || (c >= 0x7B && c <= 0x7E)
}

/// Whitespace for blank-line and trimming purposes: space, tab, newline, form feed, carriage return.
@inline(__always) func isASCIIWhitespace(_ c: UInt8) -> Bool {
    c == Byte.space || c == Byte.tab || c == Byte.newline || c == 0x0B || c == 0x0C
        || c == Byte.carriageReturn
}

/// The spec's "Unicode whitespace character": Zs, tab, line feed, form feed, carriage return.
func isUnicodeWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0C, 0x0D, 0x20: return true
    case 0..<0x80: return false
    default: return scalar.properties.generalCategory == .spaceSeparator
    }
}

/// The spec's "Unicode punctuation character" (0.31): general category P or S.
func isUnicodePunctuation(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 { return isASCIIPunctuation(UInt8(scalar.value)) }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
        .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
        .modifierSymbol, .otherSymbol:
        return true
    default:
        return false
    }
}

/// Decodes the scalar that starts at `index` (which must be a scalar boundary).
func scalar(in bytes: [UInt8], at index: Int) -> Unicode.Scalar? {
    guard index >= 0, index < bytes.count else { return nil }
    let lead = bytes[index]
    if lead < 0x80 { return Unicode.Scalar(lead) }
    var length = 0
    var value: UInt32 = 0
    if lead & 0xE0 == 0xC0 {
        length = 2
        value = UInt32(lead & 0x1F)
    } else if lead & 0xF0 == 0xE0 {
        length = 3
        value = UInt32(lead & 0x0F)
    } else if lead & 0xF8 == 0xF0 {
        length = 4
        value = UInt32(lead & 0x07)
    } else {
        return nil
    }
    guard index + length <= bytes.count else { return nil }
    for offset in 1..<length {
        value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
    }
    return Unicode.Scalar(value)
}

/// Decodes the scalar that ends just before `index`.
func scalar(in bytes: [UInt8], before index: Int) -> Unicode.Scalar? {
    var start = index - 1
    while start > 0, start > index - 4, bytes[start] & 0xC0 == 0x80 {
        start -= 1
    }
    return scalar(in: bytes, at: start)
}

func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
    output.append(contentsOf: String(Character(scalar)).utf8)
}

/// Appends `text` with `&`, `<`, `>` and `"` escaped, as the reference renderers do.
func appendEscapedHTML<C: Collection>(_ text: C, to output: inout [UInt8]) where C.Element == UInt8 {
    for c in text {
        switch c {
        case Byte.ampersand: output.append(contentsOf: "&amp;".utf8)
        case Byte.lessThan: output.append(contentsOf: "&lt;".utf8)
        case Byte.greaterThan: output.append(contentsOf: "&gt;".utf8)
        case Byte.quote: output.append(contentsOf: "&quot;".utf8)
        default: output.append(c)
        }
    }
}

/// Matches a character reference (`&name;`, `&#123;`, `&#x1F;`) at `start` (which holds `&`).
/// Returns the decoded bytes and the index after the `;`, or nil when the text is not a
/// recognised reference (the `&` is then literal).
func matchCharacterReference(_ s: [UInt8], at start: Int, end: Int) -> (decoded: [UInt8], end: Int)? {
    var i = start + 1
    guard i < end else { return nil }
    if s[i] == Byte.hash {
        i += 1
        var value: UInt32 = 0
        var digits = 0
        if i < end, s[i] == 0x78 || s[i] == 0x58 {
            i += 1
            while i < end, isHexDigit(s[i]), digits < 6 {
                let c = s[i]
                let digit: UInt32 =
                    isDigit(c) ? UInt32(c - 0x30) : UInt32(asciiLowercase(c) - 0x61 + 10)
                value = value * 16 + digit
                digits += 1
                i += 1
            }
        } else {
            while i < end, isDigit(s[i]), digits < 7 {
                value = value * 10 + UInt32(s[i] - 0x30)
                digits += 1
                i += 1
            }
        }
        guard digits > 0, i < end, s[i] == Byte.semicolon else { return nil }
        var decoded: [UInt8] = []
        // The spec replaces NUL, surrogates and out-of-range code points with U+FFFD.
        if value == 0 {
            appendUTF8("\u{FFFD}", to: &decoded)
        } else if let scalar = Unicode.Scalar(value) {
            appendUTF8(scalar, to: &decoded)
        } else {
            appendUTF8("\u{FFFD}", to: &decoded)
        }
        return (decoded, i + 1)
    }
    let nameStart = i
    guard isASCIILetter(s[i]) else { return nil }
    while i < end, isASCIIAlphanumeric(s[i]), i - nameStart < 32 {
        i += 1
    }
    guard i < end, s[i] == Byte.semicolon, i - nameStart >= 2 else { return nil }
    let name = String(decoding: s[nameStart..<i], as: UTF8.self)
    guard let value = namedCharacterReferences[name] else { return nil }
    return (Array(value.utf8), i + 1)
}

/// Resolves backslash escapes and character references, as in link destinations, titles and
/// info strings.
func unescapeString<C: Collection>(_ text: C) -> [UInt8] where C.Element == UInt8 {
    resolve(Array(text), backslashEscapes: true)
}

/// Resolves character references only, as in autolinks (where backslashes are literal).
func decodeCharacterReferences(_ text: [UInt8]) -> [UInt8] {
    resolve(text, backslashEscapes: false)
}

private func resolve(_ s: [UInt8], backslashEscapes: Bool) -> [UInt8] {
    guard (backslashEscapes && s.contains(Byte.backslash)) || s.contains(Byte.ampersand) else { return s }
    var output: [UInt8] = []
    output.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
        let c = s[i]
        if backslashEscapes, c == Byte.backslash, i + 1 < s.count, isASCIIPunctuation(s[i + 1]) {
            output.append(s[i + 1])
            i += 2
        } else if c == Byte.ampersand, let reference = matchCharacterReference(s, at: i, end: s.count) {
            output.append(contentsOf: reference.decoded)
            i = reference.end
        } else {
            output.append(c)
            i += 1
        }
    }
    return output
}

/// Characters kept as they are in a URL; everything else is percent-encoded (as the reference
/// implementations do with mdurl's encode).
private let urlSafeBytes: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for c in UInt8(0)...UInt8(127) where isASCIIAlphanumeric(c) {
        table[Int(c)] = true
    }
    for c in ";/?:@&=+$,-_.!~*'()#".utf8 {
        table[Int(c)] = true
    }
    return table
}()

private let hexDigits = Array("0123456789ABCDEF".utf8)

/// Percent-encodes a destination, keeping existing `%XX` escapes.
func normalizeURL(_ s: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
        let c = s[i]
        if c == 0x25, i + 2 < s.count, isHexDigit(s[i + 1]), isHexDigit(s[i + 2]) {
            output.append(contentsOf: s[i...(i + 2)])
            i += 3
            continue
        }
        if urlSafeBytes[Int(c)] {
            output.append(c)
        } else {
            output.append(0x25)
            output.append(hexDigits[Int(c >> 4)])
            output.append(hexDigits[Int(c & 0x0F)])
        }
        i += 1
    }
    return output
}

/// The longest link label the spec allows, in characters between the brackets.
let maximumLabelLength = 999

/// The matching key of a link label (without its brackets): trimmed, inner whitespace collapsed,
/// Unicode case-folded. Returns nil for a label that cannot match (empty or too long).
func normalizeLabel<C: Collection>(_ label: C) -> String? where C.Element == UInt8 {
    var collapsed: [UInt8] = []
    var pendingSpace = false
    var characters = 0
    for c in label {
        if c & 0xC0 != 0x80 { characters += 1 }
        if c == Byte.space || c == Byte.tab || c == Byte.newline || c == Byte.carriageReturn {
            pendingSpace = !collapsed.isEmpty
        } else {
            if pendingSpace {
                collapsed.append(Byte.space)
                pendingSpace = false
            }
            collapsed.append(c)
        }
    }
    guard !collapsed.isEmpty, characters <= maximumLabelLength else { return nil }
    // Lowercasing then uppercasing is how the reference implementation approximates Unicode case
    // folding (so that "ẞ" matches "SS").
    return String(decoding: collapsed, as: UTF8.self).lowercased().uppercased()
}
