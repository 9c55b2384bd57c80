struct SyntaxError: Error {
    var span: Span
    var message: String
}

struct SyntaxErrors: Error {
    var errors: [SyntaxError]
}

/// Turns source text into tokens, including INDENT/OUTDENT and NEWLINE tokens.
struct Lexer {
    private let chars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0  // bracket nesting
    private var indents: [Int] = [0]
    private var atLineStart = true
    private var tokens: [Token] = []

    init(_ source: String) {
        chars = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source)
        return try lexer.run()
    }

    /// Tokens up to the first scanning error (closed off with newline, outdents and EOF so the
    /// parser can still check the text before it), and that error.
    static func tokenizePrefix(_ source: String) -> (tokens: [Token], error: SyntaxError?) {
        var lexer = Lexer(source)
        do {
            return (try lexer.run(), nil)
        } catch {
            var tokens = lexer.tokens
            let end = error.span.start
            if let last = tokens.last, last.kind != .newline {
                tokens.append(Token(kind: .newline, span: Span(end)))
            }
            for _ in 1..<lexer.indents.count { tokens.append(Token(kind: .outdent, span: Span(end))) }
            tokens.append(Token(kind: .eof, span: Span(end)))
            return (tokens, error)
        }
    }

    private var position: Position { Position(line: line, column: index - lineStart + 1) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let at = index + offset
        return at < chars.count ? chars[at] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let c = chars[index]
        index += 1
        if c == "\n" {
            line += 1
            lineStart = index
        }
        return c
    }

    private mutating func emit(_ kind: TokenKind, _ start: Position, text: String = "") {
        tokens.append(Token(kind: kind, span: Span(start: start, end: position), text: text))
    }

    private mutating func run() throws(SyntaxError) -> [Token] {
        while true {
            if atLineStart {
                atLineStart = false
                if try handleIndentation() { continue }
            }
            // skip blanks, comments, line continuations
            while let c = peek() {
                if c == " " || c == "\t" || c == "\r" {
                    index += 1
                } else if c == "\\" && peek(1) == "\n" {
                    index += 1
                    _ = advance()
                } else if c == "\\" && peek(1) == "\r" && peek(2) == "\n" {
                    index += 2
                    _ = advance()
                } else if c == "#" {
                    while let d = peek(), d != "\n" { index += 1 }
                } else {
                    break
                }
            }
            let start = position
            guard let c = peek() else {
                if depth == 0, let last = tokens.last, last.kind != .newline, last.kind != .outdent,
                    last.kind != .indent
                {
                    emit(.newline, start)
                }
                while indents.count > 1 {
                    indents.removeLast()
                    emit(.outdent, start)
                }
                emit(.eof, start)
                return tokens
            }
            if c == "\n" {
                _ = advance()
                if depth == 0 {
                    if let last = tokens.last, last.kind != .newline {
                        tokens.append(Token(kind: .newline, span: Span(start, length: 1)))
                    }
                    atLineStart = true
                }
                continue
            }
            if isIdentStart(c) {
                // string prefixes
                if c == "r" || c == "R", let q = peek(1), q == "'" || q == "\"" {
                    index += 1
                    try scanString(raw: true, start: start)
                    continue
                }
                if c == "b" || c == "B", let q = peek(1), q == "'" || q == "\"" {
                    throw SyntaxError(
                        span: Span(start, length: 2), message: "bytes literals are not supported")
                }
                var name = ""
                while let d = peek(), isIdentContinue(d) {
                    name.unicodeScalars.append(d)
                    index += 1
                }
                if let keyword = TokenKind.keywords[name] {
                    emit(keyword, start, text: name)
                } else {
                    emit(.identifier, start, text: name)
                }
                continue
            }
            if c == "'" || c == "\"" {
                try scanString(raw: false, start: start)
                continue
            }
            if isDigit(c) || (c == "." && peek(1).map(isDigit) == true) {
                try scanNumber(start: start)
                continue
            }
            try scanPunctuation(c, start: start)
        }
    }

    /// Returns true when the line was blank (and consumed).
    private mutating func handleIndentation() throws(SyntaxError) -> Bool {
        var column = 0
        var scan = index
        while scan < chars.count {
            let c = chars[scan]
            if c == " " {
                column += 1
            } else if c == "\t" {
                column += 8 - column % 8
            } else if c == "\r" {
                // ignore
            } else {
                break
            }
            scan += 1
        }
        // blank or comment-only line: no indentation change
        if scan >= chars.count {
            index = scan
            return false
        }
        let c = chars[scan]
        if c == "\n" || c == "#" || depth > 0 {
            index = scan
            return false
        }
        if c == "\\" && scan + 1 < chars.count && chars[scan + 1] == "\n" {
            index = scan
            return false
        }
        index = scan
        let start = position
        if column > indents[indents.count - 1] {
            indents.append(column)
            tokens.append(Token(kind: .indent, span: Span(start, length: 1)))
        } else if column < indents[indents.count - 1] {
            while column < indents[indents.count - 1] {
                indents.removeLast()
                tokens.append(Token(kind: .outdent, span: Span(start, length: 1)))
            }
            if column != indents[indents.count - 1] {
                throw SyntaxError(
                    span: Span(start, length: 1),
                    message: "unindent does not match any outer indentation level")
            }
        }
        return false
    }

    private func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
            || (c.value > 127 && c.properties.isAlphabetic)
    }

    private func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || isDigit(c) || (c.value > 127 && c.properties.numericType != nil)
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// Whether the identifier characters at the current position spell a keyword.
    private func keywordFollows() -> Bool {
        var word = ""
        var at = index
        while at < chars.count, isIdentContinue(chars[at]), word.unicodeScalars.count < 8 {
            word.unicodeScalars.append(chars[at])
            at += 1
        }
        if at < chars.count && isIdentContinue(chars[at]) { return false }
        return TokenKind.keywords[word] != nil
    }

    private mutating func scanNumber(start: Position) throws(SyntaxError) {
        let begin = index
        var isFloat = false
        if peek() == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
            index += 2
            while let d = peek(), isIdentContinue(d) { index += 1 }
            let raw = String(String.UnicodeScalarView(chars[begin..<index]))
            let radix: Int = (p == "x" || p == "X") ? 16 : (p == "o" || p == "O") ? 8 : 2
            let digits = raw.dropFirst(2)
            guard !digits.isEmpty, let value = Int64(digits, radix: radix) else {
                if !digits.isEmpty,
                    digits.allSatisfy({ $0.isHexDigit && Int(String($0), radix: radix) != nil })
                {
                    throw SyntaxError(
                        span: Span(start: start, end: position),
                        message: "integer literal \(raw) is too large: integers are 64-bit in this dialect")
                }
                throw SyntaxError(
                    span: Span(start: start, end: position), message: "invalid int literal \(raw)")
            }
            var token = Token(kind: .int, span: Span(start: start, end: position), raw: raw)
            token.intValue = value
            tokens.append(token)
            return
        }
        while let d = peek(), isDigit(d) { index += 1 }
        if peek() == "." {
            isFloat = true
            index += 1
            while let d = peek(), isDigit(d) { index += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            let save = index
            index += 1
            if let s = peek(), s == "+" || s == "-" { index += 1 }
            if let d = peek(), isDigit(d) {
                isFloat = true
                while let d = peek(), isDigit(d) { index += 1 }
            } else {
                index = save
            }
        }
        let raw = String(String.UnicodeScalarView(chars[begin..<index]))
        let span = Span(start: start, end: position)
        if let d = peek(), isIdentStart(d), !keywordFollows() {
            // a keyword may follow directly (`0in[1, 2]`, `1if x else 2`), as in Python
            throw SyntaxError(
                span: Span(position, length: 1), message: "invalid character after number literal")
        }
        if isFloat {
            guard let value = Double(raw.hasPrefix(".") ? "0" + raw : raw) else {
                throw SyntaxError(span: span, message: "invalid float literal \(raw)")
            }
            if value.isInfinite {
                throw SyntaxError(span: span, message: "floating-point number too large: \(raw)")
            }
            var token = Token(kind: .float, span: span, raw: raw)
            token.floatValue = value
            tokens.append(token)
            return
        }
        if raw.count > 1 && raw.hasPrefix("0") {
            if raw.allSatisfy({ $0 == "0" }) {
                tokens.append(Token(kind: .int, span: span, raw: raw))
                return
            }
            throw SyntaxError(
                span: span, message: "obsolete form of octal literal \(raw); use 0o\(raw.drop { $0 == "0" })")
        }
        guard let value = Int64(raw) else {
            throw SyntaxError(
                span: span,
                message: "integer literal \(raw) is too large: integers are 64-bit in this dialect")
        }
        var token = Token(kind: .int, span: span, raw: raw)
        token.intValue = value
        tokens.append(token)
    }

    private mutating func scanString(raw: Bool, start: Position) throws(SyntaxError) {
        let quote = advance()
        var triple = false
        if peek() == quote && peek(1) == quote {
            index += 2
            triple = true
        }
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw SyntaxError(
                    span: Span(start, length: triple ? 3 : 1), message: "unexpected end of file in string")
            }
            if c == quote {
                if !triple {
                    index += 1
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    index += 3
                    break
                }
                value.append(advance())
                continue
            }
            if c == "\n" && !triple {
                throw SyntaxError(
                    span: Span(start: start, end: position), message: "unexpected newline in string")
            }
            if c == "\r" && peek(1) == "\n" {
                index += 1
                continue
            }
            if c != "\\" {
                value.append(advance())
                continue
            }
            // escape
            let escapeStart = position
            index += 1
            guard let e = peek() else { continue }
            if raw {
                if e == "\n" {
                    value.append("\\")
                    value.append(advance())
                    continue
                }
                value.append("\\")
                value.append(advance())
                continue
            }
            switch e {
            case "\n":
                _ = advance()
            case "\r":
                index += 1
                if peek() == "\n" { _ = advance() }
            case "a":
                index += 1
                value.append("\u{07}")
            case "b":
                index += 1
                value.append("\u{08}")
            case "f":
                index += 1
                value.append("\u{0C}")
            case "n":
                index += 1
                value.append("\n")
            case "r":
                index += 1
                value.append("\r")
            case "t":
                index += 1
                value.append("\t")
            case "v":
                index += 1
                value.append("\u{0B}")
            case "\\":
                index += 1
                value.append("\\")
            case "'":
                index += 1
                value.append("'")
            case "\"":
                index += 1
                value.append("\"")
            case "0"..."7":
                var code: UInt32 = 0
                var count = 0
                while count < 3, let d = peek(), d >= "0" && d <= "7" {
                    code = code * 8 + (d.value - 48)
                    index += 1
                    count += 1
                }
                guard code < 256, let scalar = Unicode.Scalar(code) else {
                    throw SyntaxError(
                        span: Span(start: escapeStart, end: position),
                        message: "invalid escape sequence: octal \\\(code) out of range")
                }
                value.append(scalar)
            case "x", "u", "U":
                index += 1
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                var hex = ""
                for _ in 0..<count {
                    guard let d = peek(), d.properties.isASCIIHexDigit else {
                        throw SyntaxError(
                            span: Span(start: escapeStart, end: position),
                            message: "invalid escape sequence \\\(e)\(hex): want \(count) hex digits")
                    }
                    hex.unicodeScalars.append(d)
                    index += 1
                }
                guard let code = UInt32(hex, radix: 16), e != "x" || code < 128,
                    let scalar = Unicode.Scalar(code)
                else {
                    let why = e == "x" ? "non-ASCII \\x escape; use \\u" : "invalid Unicode code point"
                    throw SyntaxError(
                        span: Span(start: escapeStart, end: position),
                        message: "invalid escape sequence \\\(e)\(hex) (\(why))")
                }
                value.append(scalar)
            default:
                throw SyntaxError(
                    span: Span(escapeStart, length: 2), message: "invalid escape sequence \\\(e)")
            }
        }
        tokens.append(Token(kind: .string, span: Span(start: start, end: position), text: String(value)))
    }

    private mutating func scanPunctuation(_ c: Unicode.Scalar, start: Position) throws(SyntaxError) {
        index += 1
        func take(_ next: Unicode.Scalar) -> Bool {
            if peek() == next {
                index += 1
                return true
            }
            return false
        }
        let kind: TokenKind
        switch c {
        case "(", "[", "{":
            depth += 1
            kind = c == "(" ? .lparen : c == "[" ? .lbrack : .lbrace
        case ")", "]", "}":
            if depth == 0 {
                throw SyntaxError(span: Span(start, length: 1), message: "unexpected '\(c)'")
            }
            depth -= 1
            kind = c == ")" ? .rparen : c == "]" ? .rbrack : .rbrace
        case "+": kind = take("=") ? .plusEq : .plus
        case "-": kind = take("=") ? .minusEq : .minus
        case "*": kind = take("*") ? .starStar : take("=") ? .starEq : .star
        case "/":
            if take("/") {
                kind = take("=") ? .slashSlashEq : .slashSlash
            } else {
                kind = take("=") ? .slashEq : .slash
            }
        case "%": kind = take("=") ? .percentEq : .percent
        case "&": kind = take("=") ? .ampersandEq : .ampersand
        case "|": kind = take("=") ? .pipeEq : .pipe
        case "^": kind = take("=") ? .caretEq : .caret
        case "~": kind = .tilde
        case ".": kind = .dot
        case ",": kind = .comma
        case ";": kind = .semi
        case ":": kind = .colon
        case "=": kind = take("=") ? .eqeq : .eq
        case "!":
            guard take("=") else {
                throw SyntaxError(span: Span(start, length: 1), message: "unexpected input character '!'")
            }
            kind = .neq
        case "<":
            if take("<") { kind = take("=") ? .ltltEq : .ltlt } else { kind = take("=") ? .le : .lt }
        case ">":
            if take(">") { kind = take("=") ? .gtgtEq : .gtgt } else { kind = take("=") ? .ge : .gt }
        default:
            throw SyntaxError(
                span: Span(start, length: 1),
                message: "invalid character '\(c.escaped(asASCII: false))' in source")
        }
        emit(kind, start)
    }
}
