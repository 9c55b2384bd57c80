/// Recursive-descent parser following starlark-go's grammar (LL(1)).
struct Parser {
    let tokens: [Token]
    var index = 0
    var nesting = 0
    /// Height of the expression the last expression-parsing function returned (a leaf is 1).
    var height = 0
    /// Blocks (indented suites) and `elif` branches open around the current statement.
    var blockDepth = 0
    /// Bounds on expression depth, so hostile input cannot exhaust the native stack in the
    /// recursive parser, resolver or evaluator.
    static let maxNesting = 100
    static let maxOperatorChain = 1000
    /// Bound on the height of an expression tree. Chains of calls, attributes, indexes and
    /// operators are built in loops, not by recursion, so `maxNesting` does not bound them; every
    /// later walk of the tree (resolver, evaluator, teardown) recurses once per level.
    static let maxExpressionDepth = 1000
    /// Bound on nested blocks plus `elif` branches (each `elif` nests one level in the tree).
    static let maxBlockDepth = 1000

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a file, reporting every syntax error: after an error the parser skips to the next
    /// top-level statement and carries on. A scanning error ends the scan; errors before it are
    /// still reported.
    static func parse(_ source: String) throws(SyntaxErrors) -> [Stmt] {
        let (tokens, scanError) = Lexer.tokenizePrefix(source)
        var parser = Parser(tokens: tokens)
        let stmts = parser.parseFile()
        if let scanError {
            // errors on the scanning error's line are artifacts of the truncated token stream
            let before = parser.errors.filter { $0.span.start.line < scanError.span.start.line }
            throw SyntaxErrors(errors: before + [scanError])
        }
        if !parser.errors.isEmpty { throw SyntaxErrors(errors: parser.errors) }
        return stmts
    }

    var errors: [SyntaxError] = []
    /// Indents minus outdents consumed so far.
    var indentLevel = 0
    /// After this many syntax errors the parser stops looking for more.
    static let maxErrors = 50

    var current: Token { tokens[index] }
    var tok: TokenKind { tokens[index].kind }

    @discardableResult
    mutating func next() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 {
            index += 1
            if token.kind == .indent {
                indentLevel += 1
            } else if token.kind == .outdent {
                indentLevel -= 1
            }
        }
        return token
    }

    func error(_ message: String, at span: Span? = nil) -> SyntaxError {
        SyntaxError(span: span ?? current.span, message: message)
    }

    /// Records `childHeight + extra` as the height of the expression being returned; fails when
    /// the tree would grow taller than `maxExpressionDepth`.
    mutating func made(_ expr: Expr, _ childHeight: Int, extra: Int = 1) throws(SyntaxError) -> Expr {
        height = try checkedHeight(childHeight + extra)
        return expr
    }

    func checkedHeight(_ h: Int) throws(SyntaxError) -> Int {
        if h > Self.maxExpressionDepth {
            throw error("expression nested too deeply (more than \(Self.maxExpressionDepth) levels)")
        }
        return h
    }

    mutating func enterBlock() throws(SyntaxError) {
        blockDepth += 1
        if blockDepth > Self.maxBlockDepth {
            throw error(
                "statements nested too deeply (more than \(Self.maxBlockDepth) levels of blocks and elif branches)"
            )
        }
    }

    func unexpected(_ want: String) -> SyntaxError {
        error("got \(tok.text), want \(want)")
    }

    @discardableResult
    mutating func consume(_ kind: TokenKind) throws(SyntaxError) -> Token {
        if tok != kind { throw unexpected(kind.text) }
        return next()
    }

    mutating func parseFile() -> [Stmt] {
        var stmts: [Stmt] = []
        while tok != .eof {
            if tok == .newline {
                next()
                continue
            }
            do {
                try parseStatement(into: &stmts)
            } catch {
                errors.append(error)
                if errors.count >= Self.maxErrors { break }
                skipToNextTopLevelStatement()
            }
        }
        return stmts
    }

    mutating func skipToNextTopLevelStatement() {
        var level = indentLevel
        while tok != .eof {
            let token = next()
            switch token.kind {
            case .indent: level += 1
            case .outdent:
                level -= 1
                if level <= 0 && tok != .indent { return }
            case .newline:
                if level <= 0 && tok != .indent && tok != .outdent { return }
            default: break
            }
        }
    }

    mutating func parseStatement(into stmts: inout [Stmt]) throws(SyntaxError) {
        switch tok {
        case .kwDef: stmts.append(try parseDef())
        case .kwIf: stmts.append(try parseIf())
        case .kwFor: stmts.append(try parseFor())
        case .kwWhile:
            let start = next().span
            let cond = try parseTest()
            try consume(.colon)
            let body = try parseSuite()
            stmts.append(.whileStmt(cond: cond, body: body, span: start))
        case .indent:
            throw error("unexpected indentation")
        default:
            try parseSimpleStatement(into: &stmts)
        }
    }

    mutating func parseIdent() throws(SyntaxError) -> Identifier {
        guard tok == .identifier else { throw error("not an identifier") }
        let token = next()
        return Identifier(name: token.text, span: token.span)
    }

    mutating func parseDef() throws(SyntaxError) -> Stmt {
        let defSpan = next().span
        let name = try parseIdent()
        try consume(.lparen)
        let params = try parseParams(closing: .rparen)
        try consume(.rparen)
        try consume(.colon)
        let body = try parseSuite()
        let info = FunctionInfo(
            name: name.name, span: defSpan.through(name.span), params: params, body: body, isLambda: false)
        return .def(name, info)
    }

    /// Parses parameters; `height` is then the tallest default value's (0 if none).
    mutating func parseParams(closing: TokenKind) throws(SyntaxError) -> [Parameter] {
        var params: [Parameter] = []
        var tallest = 0
        defer { height = tallest }
        while tok != closing {
            if !params.isEmpty { try consume(.comma) }
            if tok == closing { break }
            if tok == .star || tok == .starStar {
                let op = next()
                if op.kind == .star && tok != .identifier {
                    params.append(.star(nil, op.span))
                    continue
                }
                let id = try parseIdent()
                params.append(
                    op.kind == .star
                        ? .star(id, op.span.through(id.span)) : .starStar(id, op.span.through(id.span)))
                continue
            }
            let id = try parseIdent()
            if tok == .eq {
                next()
                params.append(.optional(id, try parseTest()))
                tallest = max(tallest, height)
            } else {
                params.append(.required(id))
            }
        }
        return params
    }

    mutating func parseIf() throws(SyntaxError) -> Stmt {
        let span = next().span
        let cond = try parseTest()
        try consume(.colon)
        let then = try parseSuite()
        var elseBody: [Stmt] = []
        if tok == .kwElif {
            try enterBlock()
            defer { blockDepth -= 1 }
            elseBody = [try parseIf()]
        } else if tok == .kwElse {
            next()
            try consume(.colon)
            elseBody = try parseSuite()
        }
        return .ifStmt(cond: cond, then: then, else: elseBody, span: span)
    }

    mutating func parseFor() throws(SyntaxError) -> Stmt {
        let span = next().span
        let vars = try parseForLoopVariables()
        try consume(.kwIn)
        let iterable = try parseExpr(inParens: false)
        try consume(.colon)
        let body = try parseSuite()
        return .forStmt(vars: vars, iterable: iterable, body: body, span: span)
    }

    mutating func parseForLoopVariables() throws(SyntaxError) -> Expr {
        let first = try parsePrimaryWithSuffix()
        if tok != .comma { return first }
        var tallest = height
        var list = [first]
        while tok == .comma {
            next()
            if tok == .kwIn { break }
            list.append(try parsePrimaryWithSuffix())
            tallest = max(tallest, height)
        }
        return try made(
            .tuple(list, first.span.through(list[list.count - 1].span), parenthesized: false), tallest)
    }

    mutating func parseSuite() throws(SyntaxError) -> [Stmt] {
        try enterBlock()
        defer { blockDepth -= 1 }
        var stmts: [Stmt] = []
        if tok == .newline {
            next()
            guard tok == .indent else { throw unexpected("indent") }
            next()
            while tok != .outdent && tok != .eof {
                if tok == .newline {
                    next()
                    continue
                }
                try parseStatement(into: &stmts)
            }
            if tok == .outdent { next() }
            return stmts
        }
        try parseSimpleStatement(into: &stmts)
        return stmts
    }

    mutating func parseSimpleStatement(into stmts: inout [Stmt]) throws(SyntaxError) {
        while true {
            stmts.append(try parseSmallStatement())
            if tok != .semi { break }
            next()
            if tok == .newline || tok == .eof { break }
        }
        if tok == .eof { return }
        if tok != .newline { throw unexpected("newline") }
        next()
    }

    mutating func parseSmallStatement() throws(SyntaxError) -> Stmt {
        switch tok {
        case .kwReturn:
            let span = next().span
            if tok == .newline || tok == .eof || tok == .semi { return .returnStmt(nil, span) }
            let value = try parseExpr(inParens: false)
            return .returnStmt(value, span.through(value.span))
        case .kwBreak: return .breakStmt(next().span)
        case .kwContinue: return .continueStmt(next().span)
        case .kwPass: return .pass(next().span)
        case .kwLoad: return try parseLoad()
        default: break
        }
        let target = try parseExpr(inParens: false)
        let augmented: [TokenKind: BinaryOp] = [
            .plusEq: .add, .minusEq: .sub, .starEq: .mul, .slashEq: .div, .slashSlashEq: .floorDiv,
            .percentEq: .mod, .ampersandEq: .bitAnd, .pipeEq: .bitOr, .caretEq: .bitXor, .ltltEq: .shiftLeft,
            .gtgtEq: .shiftRight,
        ]
        if tok == .eq {
            let opSpan = next().span
            let value = try parseExpr(inParens: false)
            return .assign(target: target, value: value, opSpan: opSpan)
        }
        if let op = augmented[tok] {
            let opSpan = next().span
            let value = try parseExpr(inParens: false)
            return .augmented(target: target, op: op, value: value, opSpan: opSpan)
        }
        return .expr(target)
    }

    mutating func parseLoad() throws(SyntaxError) -> Stmt {
        let loadSpan = next().span
        try consume(.lparen)
        guard tok == .string else { throw error("first operand of load statement must be a string literal") }
        let moduleToken = next()
        var names: [(local: Identifier, original: String, span: Span)] = []
        while tok != .rparen {
            try consume(.comma)
            if tok == .rparen { break }
            switch tok {
            case .string:
                let token = next()
                names.append((Identifier(name: token.text, span: token.span), token.text, token.span))
            case .identifier:
                let id = try parseIdent()
                guard tok == .eq else {
                    throw error(
                        "load operand must be \"\(id.name)\" or \(id.name)=\"originalname\"", at: id.span)
                }
                next()
                guard tok == .string else {
                    throw error(
                        "original name of loaded symbol must be quoted: \(id.name)=\"originalname\"",
                        at: current.span)
                }
                let original = next()
                names.append((id, original.text, id.span.through(original.span)))
            default:
                throw error("load operand must be \"name\" or localname=\"name\" (got \(tok.text))")
            }
        }
        let close = try consume(.rparen)
        if names.isEmpty {
            throw error("load statement must import at least 1 symbol", at: loadSpan.through(close.span))
        }
        return .load(
            LoadStmt(
                module: moduleToken.text, moduleSpan: moduleToken.span, names: names,
                span: loadSpan.through(close.span)))
    }
}
