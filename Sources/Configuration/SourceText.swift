import Starlark

/// A config file's text, to find where the items of a list, tuple or dict literal are written:
/// the interpreter's values carry no positions, and an error in the third profile question
/// should point at the third question, not at `profile_questions =`.
///
/// Only plain literals are taken apart; for anything else (a variable, `a + b`, a
/// comprehension) the methods answer nil and the caller points at the whole expression.
///
/// ```swift
/// let text = SourceText("x(a = [1, 22])")
/// let value = text.valueSpan(after: keywordSpan)   // the span of [1, 22]
/// text.itemSpans(of: value!)                        // spans of 1 and 22
/// ```
struct SourceText {
    private let scalars: [Unicode.Scalar]
    private let lineStarts: [Int]

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
        var starts = [0]
        for (index, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(index + 1) }
        lineStarts = starts
    }

    /// The text of a line (1-based), without its line break.
    func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        return String(String.UnicodeScalarView(scalars[start..<max(start, end)]))
    }

    /// The span of the value in `name = value` or `"key": value`, given the span of the whole.
    func valueSpan(after span: Span) -> Span? {
        guard var index = offset(of: span.start), let end = offset(of: span.end) else { return nil }
        if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" {
            guard let after = stringEnd(from: index) else { return nil }
            index = after
        } else {
            while index < scalars.count, isIdentifierPart(scalars[index]) { index += 1 }
        }
        index = skipBlank(from: index)
        guard index < scalars.count, scalars[index] == "=" || scalars[index] == ":" else { return nil }
        index = skipBlank(from: index + 1)
        guard index < end else { return nil }
        return Span(start: position(of: index), end: span.end)
    }

    /// The spans of the items of the list or tuple literal that is exactly `span`.
    func itemSpans(of span: Span) -> [Span]? {
        guard let start = offset(of: span.start), start < scalars.count,
            scalars[start] == "[" || scalars[start] == "(",
            let pieces = topLevelPieces(from: start, end: offset(of: span.end))
        else { return nil }
        return pieces.map { Span(start: position(of: $0.lowerBound), end: position(of: $0.upperBound)) }
    }

    /// The span of the entry `"key": value` of the dict literal that is exactly `span`.
    func entrySpan(of key: String, in span: Span) -> Span? {
        guard let start = offset(of: span.start), start < scalars.count, scalars[start] == "{",
            let pieces = topLevelPieces(from: start, end: offset(of: span.end))
        else { return nil }
        for piece in pieces {
            let first = piece.lowerBound
            guard scalars[first] == "\"" || scalars[first] == "'", let after = stringEnd(from: first),
                after - first >= 2
            else { continue }
            let body = scalars[(first + 1)..<(after - 1)]
            if !body.contains("\\"), String(String.UnicodeScalarView(body)) == key {
                return Span(start: position(of: piece.lowerBound), end: position(of: piece.upperBound))
            }
        }
        return nil
    }

    // MARK: Scanning

    private func offset(of position: Position) -> Int? {
        guard position.line >= 1, position.line <= lineStarts.count else { return nil }
        let offset = lineStarts[position.line - 1] + position.column - 1
        return offset <= scalars.count ? offset : nil
    }

    private func position(of offset: Int) -> Position {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return Position(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The items between the bracket at `open` and its partner, each trimmed of blanks and
    /// comments; nil when the literal is a comprehension, is unbalanced, or is followed by
    /// more expression before `end`.
    private func topLevelPieces(from open: Int, end: Int?) -> [Range<Int>]? {
        let closer: Unicode.Scalar = scalars[open] == "[" ? "]" : scalars[open] == "(" ? ")" : "}"
        var pieces: [Range<Int>] = []
        var pieceStart: Int?
        var pieceEnd = 0
        var depth = 1
        var index = open + 1
        func mark(_ from: Int, _ to: Int) {
            if pieceStart == nil { pieceStart = from }
            pieceEnd = to
        }
        func flush() {
            if let start = pieceStart { pieces.append(start..<pieceEnd) }
            pieceStart = nil
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "#":
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            case "\"", "'":
                guard let after = stringEnd(from: index) else { return nil }
                mark(index, after)
                index = after
                continue
            case "[", "(", "{":
                depth += 1
                mark(index, index + 1)
            case "]", ")", "}":
                depth -= 1
                if depth == 0 {
                    guard scalar == closer else { return nil }
                    flush()
                    let rest = skipBlank(from: index + 1)
                    if let end, rest < end { return nil }
                    return pieces
                }
                mark(index, index + 1)
            case ",":
                if depth == 1 { flush() } else { mark(index, index + 1) }
            case " ", "\t", "\n", "\r", "\\":
                break
            default:
                if isIdentifierPart(scalar), index == 0 || !isIdentifierPart(scalars[index - 1]) {
                    var wordEnd = index
                    while wordEnd < scalars.count, isIdentifierPart(scalars[wordEnd]) { wordEnd += 1 }
                    if depth == 1, String(String.UnicodeScalarView(scalars[index..<wordEnd])) == "for" {
                        return nil
                    }
                    mark(index, wordEnd)
                    index = wordEnd
                    continue
                }
                mark(index, index + 1)
            }
            index += 1
        }
        return nil
    }

    /// The offset just after the string literal that starts at `start` (a quote).
    private func stringEnd(from start: Int) -> Int? {
        let quote = scalars[start]
        let triple = start + 2 < scalars.count && scalars[start + 1] == quote && scalars[start + 2] == quote
        var index = start + (triple ? 3 : 1)
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if scalar == "\n" && !triple { return nil }
            if scalar == quote {
                if !triple { return index + 1 }
                if index + 2 < scalars.count, scalars[index + 1] == quote, scalars[index + 2] == quote {
                    return index + 3
                }
            }
            index += 1
        }
        return nil
    }

    /// Past spaces, line breaks, line continuations and comments.
    private func skipBlank(from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case " ", "\t", "\n", "\r", "\\": index += 1
            case "#": while index < scalars.count, scalars[index] != "\n" { index += 1 }
            default: return index
            }
        }
        return index
    }

    private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}
