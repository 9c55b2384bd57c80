/// A position in a source file: 1-based line and column (columns count Unicode scalars).
///
/// ```swift
/// let position = Position(line: 3, column: 9)
/// print(position)  // 3:9
/// ```
public struct Position: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A span of source text on one line or across lines; `end` is exclusive.
///
/// ```swift
/// let span = Span(Position(line: 3, column: 9), length: 7)   // 3:9 up to 3:16
/// ```
public struct Span: Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    public init(_ position: Position, length: Int = 1) {
        self.start = position
        self.end = Position(line: position.line, column: position.column + max(length, 1))
    }

    func through(_ other: Span) -> Span { Span(start: start, end: other.end) }
}

enum TokenKind: Equatable, Sendable {
    case eof, newline, indent, outdent
    case identifier, int, float, string
    // keywords
    case kwAnd, kwBreak, kwContinue, kwDef, kwElif, kwElse, kwFor, kwIf, kwIn, kwLambda, kwLoad
    case kwNot, kwOr, kwPass, kwReturn, kwWhile
    // punctuation
    case plus, minus, star, slash, slashSlash, percent, ampersand, pipe, caret, ltlt, gtgt, tilde
    case dot, comma, eq, semi, colon, lparen, rparen, lbrack, rbrack, lbrace, rbrace
    case lt, gt, ge, le, eqeq, neq
    case plusEq, minusEq, starEq, slashEq, slashSlashEq, percentEq, ampersandEq, pipeEq, caretEq
    case ltltEq, gtgtEq, starStar

    static let keywords: [String: TokenKind] = [
        "and": .kwAnd, "break": .kwBreak, "continue": .kwContinue, "def": .kwDef, "elif": .kwElif,
        "else": .kwElse, "for": .kwFor, "if": .kwIf, "in": .kwIn, "lambda": .kwLambda, "load": .kwLoad,
        "not": .kwNot, "or": .kwOr, "pass": .kwPass, "return": .kwReturn, "while": .kwWhile,
    ]

    var text: String {
        switch self {
        case .eof: return "end of file"
        case .newline: return "newline"
        case .indent: return "indent"
        case .outdent: return "outdent"
        case .identifier: return "identifier"
        case .int: return "int literal"
        case .float: return "float literal"
        case .string: return "string literal"
        case .kwAnd: return "and"
        case .kwBreak: return "break"
        case .kwContinue: return "continue"
        case .kwDef: return "def"
        case .kwElif: return "elif"
        case .kwElse: return "else"
        case .kwFor: return "for"
        case .kwIf: return "if"
        case .kwIn: return "in"
        case .kwLambda: return "lambda"
        case .kwLoad: return "load"
        case .kwNot: return "not"
        case .kwOr: return "or"
        case .kwPass: return "pass"
        case .kwReturn: return "return"
        case .kwWhile: return "while"
        default: return "'\(symbol)'"
        }
    }

    var symbol: String {
        switch self {
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .slashSlash: return "//"
        case .percent: return "%"
        case .ampersand: return "&"
        case .pipe: return "|"
        case .caret: return "^"
        case .ltlt: return "<<"
        case .gtgt: return ">>"
        case .tilde: return "~"
        case .dot: return "."
        case .comma: return ","
        case .eq: return "="
        case .semi: return ";"
        case .colon: return ":"
        case .lparen: return "("
        case .rparen: return ")"
        case .lbrack: return "["
        case .rbrack: return "]"
        case .lbrace: return "{"
        case .rbrace: return "}"
        case .lt: return "<"
        case .gt: return ">"
        case .ge: return ">="
        case .le: return "<="
        case .eqeq: return "=="
        case .neq: return "!="
        case .plusEq: return "+="
        case .minusEq: return "-="
        case .starEq: return "*="
        case .slashEq: return "/="
        case .slashSlashEq: return "//="
        case .percentEq: return "%="
        case .ampersandEq: return "&="
        case .pipeEq: return "|="
        case .caretEq: return "^="
        case .ltltEq: return "<<="
        case .gtgtEq: return ">>="
        case .starStar: return "**"
        case .kwIn: return "in"
        case .kwNot: return "not"
        case .kwAnd: return "and"
        case .kwOr: return "or"
        default: return text
        }
    }
}

struct Token: Sendable {
    var kind: TokenKind
    var span: Span
    /// Identifier name, or decoded string value.
    var text: String = ""
    var intValue: Int64 = 0
    var floatValue: Double = 0
    /// The literal's source text, for error messages.
    var raw: String = ""
}
