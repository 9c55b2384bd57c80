// Recognisers for the spec's raw HTML syntax (section 6.6) and HTML block conditions (4.6),
// written as byte scanners instead of regular expressions so that their cost is linear.

/// Whitespace allowed inside tags: spaces, tabs and line endings.
@inline(__always) private func isTagWhitespace(_ c: UInt8) -> Bool {
    c == Byte.space || c == Byte.tab || c == Byte.newline || c == Byte.carriageReturn || c == 0x0C
}

private func skipTagWhitespace(_ s: [UInt8], _ i: Int, _ end: Int) -> Int {
    var i = i
    while i < end, isTagWhitespace(s[i]) { i += 1 }
    return i
}

/// Scans a tag name at `i`; returns the index after it.
private func scanTagName(_ s: [UInt8], _ i: Int, _ end: Int) -> Int? {
    guard i < end, isASCIILetter(s[i]) else { return nil }
    var i = i + 1
    while i < end, isASCIIAlphanumeric(s[i]) || s[i] == Byte.minus { i += 1 }
    return i
}

/// An open tag starting at `start` (`<`): returns the index after its `>`.
func scanOpenTag(_ s: [UInt8], at start: Int, end: Int) -> Int? {
    guard var i = scanTagName(s, start + 1, end) else { return nil }
    while true {
        let beforeWhitespace = i
        i = skipTagWhitespace(s, i, end)
        guard i > beforeWhitespace, i < end,
            isASCIILetter(s[i]) || s[i] == Byte.underscore || s[i] == Byte.colon
        else {
            i = beforeWhitespace
            break
        }
        i += 1
        while i < end,
            isASCIIAlphanumeric(s[i]) || s[i] == Byte.underscore || s[i] == Byte.colon
                || s[i] == Byte.dot || s[i] == Byte.minus
        {
            i += 1
        }
        // Optional value specification.
        let afterName = i
        var j = skipTagWhitespace(s, i, end)
        guard j < end, s[j] == Byte.equals else {
            i = afterName
            continue
        }
        j = skipTagWhitespace(s, j + 1, end)
        guard j < end else { return nil }
        let quote = s[j]
        if quote == Byte.quote || quote == Byte.apostrophe {
            var k = j + 1
            while k < end, s[k] != quote { k += 1 }
            guard k < end else { return nil }
            i = k + 1
        } else {
            var k = j
            while k < end {
                let c = s[k]
                if c <= Byte.space || c == Byte.quote || c == Byte.apostrophe || c == Byte.equals
                    || c == Byte.lessThan || c == Byte.greaterThan || c == Byte.backtick
                {
                    break
                }
                k += 1
            }
            guard k > j else { return nil }
            i = k
        }
    }
    i = skipTagWhitespace(s, i, end)
    if i < end, s[i] == Byte.slash { i += 1 }
    guard i < end, s[i] == Byte.greaterThan else { return nil }
    return i + 1
}

/// A closing tag starting at `start` (`<`): returns the index after its `>`.
func scanClosingTag(_ s: [UInt8], at start: Int, end: Int) -> Int? {
    guard start + 1 < end, s[start + 1] == Byte.slash, var i = scanTagName(s, start + 2, end) else {
        return nil
    }
    i = skipTagWhitespace(s, i, end)
    guard i < end, s[i] == Byte.greaterThan else { return nil }
    return i + 1
}

/// Finds `needle` in `s[from..<end]`; returns the index after the match.
func find(_ needle: [UInt8], in s: [UInt8], from: Int, end: Int) -> Int? {
    guard let first = needle.first, end - from >= needle.count else { return nil }
    var i = from
    let last = end - needle.count
    while i <= last {
        if s[i] == first {
            var matched = true
            for k in 1..<needle.count where s[i + k] != needle[k] {
                matched = false
                break
            }
            if matched { return i + needle.count }
        }
        i += 1
    }
    return nil
}

/// Inline raw HTML scanning. Remembers which terminators are absent from the rest of the
/// subject, so that many unterminated `<!--` or `<?` cost one scan instead of one each.
struct InlineHTMLScanner {
    private var missingCommentEnd = false
    private var missingProcessingEnd = false
    private var missingCDATAEnd = false
    private var missingDeclarationEnd = false

    private static let commentEnd = Array("-->".utf8)
    private static let processingEnd = Array("?>".utf8)
    private static let cdataStart = Array("[CDATA[".utf8)
    private static let cdataEnd = Array("]]>".utf8)

    /// Raw HTML at `start` (`<`): returns the index after it.
    mutating func scan(_ s: [UInt8], at start: Int, end: Int) -> Int? {
        guard start + 1 < end else { return nil }
        let c = s[start + 1]
        if isASCIILetter(c) { return scanOpenTag(s, at: start, end: end) }
        if c == Byte.slash { return scanClosingTag(s, at: start, end: end) }
        if c == Byte.question {
            if missingProcessingEnd { return nil }
            if let after = find(Self.processingEnd, in: s, from: start + 2, end: end) { return after }
            missingProcessingEnd = true
            return nil
        }
        guard c == Byte.bang, start + 2 < end else { return nil }
        let d = s[start + 2]
        if d == Byte.minus {
            guard start + 3 < end, s[start + 3] == Byte.minus else { return nil }
            // "<!-->" and "<!--->" are complete (empty) comments in CommonMark 0.31.
            if start + 4 < end, s[start + 4] == Byte.greaterThan { return start + 5 }
            if start + 5 < end, s[start + 4] == Byte.minus, s[start + 5] == Byte.greaterThan {
                return start + 6
            }
            if missingCommentEnd { return nil }
            if let after = find(Self.commentEnd, in: s, from: start + 4, end: end) { return after }
            missingCommentEnd = true
            return nil
        }
        if d == Byte.openBracket {
            guard start + 2 + Self.cdataStart.count <= end,
                Array(s[(start + 2)..<(start + 2 + Self.cdataStart.count)]) == Self.cdataStart
            else { return nil }
            if missingCDATAEnd { return nil }
            if let after = find(Self.cdataEnd, in: s, from: start + 2 + Self.cdataStart.count, end: end) {
                return after
            }
            missingCDATAEnd = true
            return nil
        }
        if isASCIILetter(d) {
            if missingDeclarationEnd { return nil }
            var i = start + 3
            while i < end, s[i] != Byte.greaterThan { i += 1 }
            if i < end { return i + 1 }
            missingDeclarationEnd = true
            return nil
        }
        return nil
    }
}

private let blockTagNames: Set<String> = [
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav",
    "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
]

private let rawTextTagNames: Set<String> = ["script", "pre", "textarea", "style"]

private func lowercasedName(_ s: [UInt8], _ from: Int, _ to: Int) -> String {
    String(decoding: s[from..<to].map(asciiLowercase), as: UTF8.self)
}

/// The HTML block start condition (1–7) that the line meets at `start` (which holds `<`), or 0.
/// Condition 7 cannot interrupt a paragraph.
func htmlBlockStart(_ s: [UInt8], at start: Int, canInterruptParagraph: Bool) -> Int {
    let end = s.count
    guard start + 1 < end else { return 0 }
    let c = s[start + 1]
    if c == Byte.bang {
        guard start + 2 < end else { return 0 }
        let d = s[start + 2]
        if d == Byte.minus, start + 3 < end, s[start + 3] == Byte.minus { return 2 }
        if isASCIILetter(d) { return 4 }
        if d == Byte.openBracket, start + 9 <= end, Array(s[(start + 2)..<(start + 9)]) == Array("[CDATA[".utf8) {
            return 5
        }
        return 0
    }
    if c == Byte.question { return 3 }
    let isClosing = c == Byte.slash
    let nameStart = isClosing ? start + 2 : start + 1
    guard let nameEnd = scanTagName(s, nameStart, end) else { return 0 }
    let name = lowercasedName(s, nameStart, nameEnd)
    let following: UInt8? = nameEnd < end ? s[nameEnd] : nil
    if !isClosing, rawTextTagNames.contains(name) {
        if following == nil || following == Byte.greaterThan || isASCIIWhitespace(following ?? 0) {
            return 1
        }
    }
    if blockTagNames.contains(name) {
        if let following {
            if isASCIIWhitespace(following) || following == Byte.greaterThan { return 6 }
            if following == Byte.slash, nameEnd + 1 < end, s[nameEnd + 1] == Byte.greaterThan { return 6 }
        } else {
            return 6
        }
    }
    // The spec's prose excludes pre, script, style and textarea here; the reference
    // implementations (cmark, commonmark.js) only reach this point for the closing tags and
    // other shapes of those names and accept them, and so does this one.
    guard canInterruptParagraph else { return 0 }
    let tagEnd =
        isClosing ? scanClosingTag(s, at: start, end: end) : scanOpenTag(s, at: start, end: end)
    guard var i = tagEnd else { return 0 }
    while i < end, isSpaceOrTab(s[i]) { i += 1 }
    return i == end ? 7 : 0
}

private let rawTextEndTags = ["</script>", "</pre>", "</textarea>", "</style>"].map { Array($0.utf8) }

/// Whether `line[from...]` meets the end condition of an HTML block of `type` (1–5).
func htmlBlockEnds(_ type: Int, _ line: [UInt8], from: Int) -> Bool {
    switch type {
    case 1:
        let lowered = line[from...].map(asciiLowercase)
        return rawTextEndTags.contains { find($0, in: lowered, from: 0, end: lowered.count) != nil }
    case 2: return find(Array("-->".utf8), in: line, from: from, end: line.count) != nil
    case 3: return find(Array("?>".utf8), in: line, from: from, end: line.count) != nil
    case 4: return line[from...].contains(Byte.greaterThan)
    case 5: return find(Array("]]>".utf8), in: line, from: from, end: line.count) != nil
    default: return false
    }
}
