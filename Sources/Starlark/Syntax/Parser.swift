/// Recursive-descent parser following starlark-go's grammar (LL(1)).
struct Parser {
    private let tokens: [Token]
    private var index = 0
    private var nesting = 0
    /// Height of the expression the last expression-parsing function returned (a leaf is 1).
    private var height = 0
    /// Blocks (indented suites) and `elif` branches open around the current statement.
    private var blockDepth = 0
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

    private init(tokens: [Token]) { self.tokens = tokens }

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

    private var errors: [SyntaxError] = []
    /// Indents minus outdents consumed so far.
    private var indentLevel = 0
    /// After this many syntax errors the parser stops looking for more.
    static let maxErrors = 50

    private var current: Token { tokens[index] }
    private var tok: TokenKind { tokens[index].kind }

    @discardableResult
    private mutating func next() -> Token {
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

    private func error(_ message: String, at span: Span? = nil) -> SyntaxError {
        SyntaxError(span: span ?? current.span, message: message)
    }

    /// Records `childHeight + extra` as the height of the expression being returned; fails when
    /// the tree would grow taller than `maxExpressionDepth`.
    private mutating func made(_ expr: Expr, _ childHeight: Int, extra: Int = 1) throws(SyntaxError) -> Expr {
        height = try checkedHeight(childHeight + extra)
        return expr
    }

    private func checkedHeight(_ h: Int) throws(SyntaxError) -> Int {
        if h > Self.maxExpressionDepth {
            throw error("expression nested too deeply (more than \(Self.maxExpressionDepth) levels)")
        }
        return h
    }

    private mutating func enterBlock() throws(SyntaxError) {
        blockDepth += 1
        if blockDepth > Self.maxBlockDepth {
            throw error("statements nested too deeply (more than \(Self.maxBlockDepth) levels of blocks and elif branches)")
        }
    }

    private func unexpected(_ want: String) -> SyntaxError {
        error("got \(tok.text), want \(want)")
    }

    @discardableResult
    private mutating func consume(_ kind: TokenKind) throws(SyntaxError) -> Token {
        if tok != kind { throw unexpected(kind.text) }
        return next()
    }

    private mutating func parseFile() -> [Stmt] {
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

    private mutating func skipToNextTopLevelStatement() {
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

    private mutating func parseStatement(into stmts: inout [Stmt]) throws(SyntaxError) {
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

    private mutating func parseIdent() throws(SyntaxError) -> Identifier {
        guard tok == .identifier else { throw error("not an identifier") }
        let token = next()
        return Identifier(name: token.text, span: token.span)
    }

    private mutating func parseDef() throws(SyntaxError) -> Stmt {
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
    private mutating func parseParams(closing: TokenKind) throws(SyntaxError) -> [Parameter] {
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
                params.append(op.kind == .star ? .star(id, op.span.through(id.span)) : .starStar(id, op.span.through(id.span)))
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

    private mutating func parseIf() throws(SyntaxError) -> Stmt {
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

    private mutating func parseFor() throws(SyntaxError) -> Stmt {
        let span = next().span
        let vars = try parseForLoopVariables()
        try consume(.kwIn)
        let iterable = try parseExpr(inParens: false)
        try consume(.colon)
        let body = try parseSuite()
        return .forStmt(vars: vars, iterable: iterable, body: body, span: span)
    }

    private mutating func parseForLoopVariables() throws(SyntaxError) -> Expr {
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
        return try made(.tuple(list, first.span.through(list[list.count - 1].span), parenthesized: false), tallest)
    }

    private mutating func parseSuite() throws(SyntaxError) -> [Stmt] {
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

    private mutating func parseSimpleStatement(into stmts: inout [Stmt]) throws(SyntaxError) {
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

    private mutating func parseSmallStatement() throws(SyntaxError) -> Stmt {
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

    private mutating func parseLoad() throws(SyntaxError) -> Stmt {
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
                    throw error("load operand must be \"\(id.name)\" or \(id.name)=\"originalname\"", at: id.span)
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
                module: moduleToken.text, moduleSpan: moduleToken.span, names: names, span: loadSpan.through(close.span)))
    }

    // MARK: expressions

    private static func terminatesExprList(_ kind: TokenKind) -> Bool {
        switch kind {
        case .eof, .newline, .eq, .rbrace, .rbrack, .rparen, .semi: return true
        default: return false
        }
    }

    mutating func parseExpr(inParens: Bool) throws(SyntaxError) -> Expr {
        let first = try parseTest()
        if tok != .comma { return first }
        var tallest = height
        var list = [first]
        while tok == .comma {
            let comma = next()
            if Self.terminatesExprList(tok) {
                if !inParens { throw error("unparenthesized tuple with trailing comma", at: comma.span) }
                break
            }
            list.append(try parseTest())
            tallest = max(tallest, height)
        }
        return try made(.tuple(list, first.span.through(list[list.count - 1].span), parenthesized: inParens), tallest)
    }

    private mutating func parseTest() throws(SyntaxError) -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting { throw error("expression nested too deeply (more than \(Self.maxNesting) levels)") }
        if tok == .kwLambda { return try parseLambda(allowCond: true) }
        let x = try parseTestPrec(0)
        if tok == .kwIf {
            var tallest = height
            let ifSpan = next().span
            let cond = try parseTestPrec(0)
            tallest = max(tallest, height)
            guard tok == .kwElse else { throw error("conditional expression without else clause", at: ifSpan) }
            next()
            let elseExpr = try parseTest()
            return try made(.conditional(cond: cond, then: x, else: elseExpr), max(tallest, height))
        }
        return x
    }

    private mutating func parseTestNoCond() throws(SyntaxError) -> Expr {
        if tok == .kwLambda { return try parseLambda(allowCond: false) }
        return try parseTestPrec(0)
    }

    private mutating func parseLambda(allowCond: Bool) throws(SyntaxError) -> Expr {
        let span = next().span
        let params = try parseParams(closing: .colon)
        let defaults = height
        try consume(.colon)
        let body = allowCond ? try parseTest() : try parseTestNoCond()
        let info = FunctionInfo(
            name: "lambda", span: span.through(body.span), params: params, body: [.returnStmt(body, body.span)],
            isLambda: true)
        // the lambda node, then its return statement, above the body
        return try made(.lambda(info), max(defaults, height), extra: 2)
    }

    private static func precedence(_ kind: TokenKind) -> Int {
        switch kind {
        case .kwOr: return 1
        case .kwAnd: return 2
        case .eqeq, .neq, .lt, .gt, .le, .ge, .kwIn: return 4
        case .pipe: return 5
        case .caret: return 6
        case .ampersand: return 7
        case .ltlt, .gtgt: return 8
        case .plus, .minus: return 9
        case .star, .slash, .slashSlash, .percent: return 10
        default: return -1
        }
    }

    private mutating func parseTestPrec(_ prec: Int) throws(SyntaxError) -> Expr {
        if prec > 10 { return try parsePrimaryWithSuffix() }
        if tok == .kwNot && prec == 3 {
            let span = next().span
            nesting += 1
            defer { nesting -= 1 }
            if nesting > Self.maxNesting {
                throw error("expression nested too deeply (more than \(Self.maxNesting) levels)")
            }
            let x = try parseTestPrec(prec)
            return try made(.unary(.not, x, span.through(x.span)), height)
        }
        return try parseBinopExpr(prec)
    }

    private mutating func parseBinopExpr(_ prec: Int) throws(SyntaxError) -> Expr {
        var x = try parseTestPrec(prec + 1)
        var tallest = height
        var firstOp: String?
        var chain = 0
        defer { height = tallest }
        while true {
            chain += 1
            if chain > Self.maxOperatorChain {
                throw error("expression too long (more than \(Self.maxOperatorChain) operators in a row)")
            }
            var kind = tok
            var opSpan = current.span
            var notIn = false
            if tok == .kwNot {
                // only `not in` may appear here
                if Self.precedence(.kwIn) < prec { return x }
                next()
                guard tok == .kwIn else { throw unexpected("in") }
                opSpan = opSpan.through(current.span)
                kind = .kwIn
                notIn = true
            }
            let opPrec = Self.precedence(kind)
            if opPrec < prec || opPrec < 0 { return x }
            let opName = notIn ? "not in" : kind.symbol
            if opPrec == 4, let firstOp {
                throw error("\(firstOp) does not associate with \(opName) (use parens)")
            }
            next()
            let y = try parseTestPrec(opPrec + 1)
            tallest = try checkedHeight(max(tallest, height) + 1)
            let op: BinaryOp
            switch kind {
            case .kwOr: op = .or
            case .kwAnd: op = .and
            case .eqeq: op = .eq
            case .neq: op = .ne
            case .lt: op = .lt
            case .gt: op = .gt
            case .le: op = .le
            case .ge: op = .ge
            case .kwIn: op = notIn ? .notIn : .in
            case .pipe: op = .bitOr
            case .caret: op = .bitXor
            case .ampersand: op = .bitAnd
            case .ltlt: op = .shiftLeft
            case .gtgt: op = .shiftRight
            case .plus: op = .add
            case .minus: op = .sub
            case .star: op = .mul
            case .slash: op = .div
            case .slashSlash: op = .floorDiv
            default: op = .mod
            }
            if opPrec == 4 { firstOp = opName }
            x = .binary(op, x, y, opSpan: opSpan)
        }
    }

    private mutating func parsePrimaryWithSuffix() throws(SyntaxError) -> Expr {
        var x = try parsePrimary()
        var tallest = height
        defer { height = tallest }
        while true {
            switch tok {
            case .dot:
                next()
                let name = try parseIdent()
                tallest = try checkedHeight(tallest + 1)
                x = .dot(x, name: name.name, nameSpan: name.span)
            case .lbrack:
                next()
                var args: [Expr?] = [nil, nil, nil]
                var operands = tallest
                if tok != .colon {
                    let y = try parseExpr(inParens: false)
                    operands = max(operands, height)
                    if tok == .rbrack {
                        let close = next()
                        tallest = try checkedHeight(operands + 1)
                        x = .index(x, y, x.span.through(close.span))
                        continue
                    }
                    args[0] = y
                }
                for i in 1...2 {
                    if tok == .colon {
                        next()
                        if tok != .colon && tok != .rbrack {
                            args[i] = try parseTest()
                            operands = max(operands, height)
                        }
                    }
                }
                let close = try consume(.rbrack)
                tallest = try checkedHeight(operands + 1)
                x = .slice(x, args[0], args[1], args[2], x.span.through(close.span))
            case .lparen:
                next()
                let args = try parseArgs()
                let close = try consume(.rparen)
                tallest = try checkedHeight(max(tallest, height) + 1)
                x = .call(x, args, x.span.through(close.span))
            default:
                return x
            }
        }
    }

    /// Parses call arguments; `height` is then the tallest argument's (0 if none).
    private mutating func parseArgs() throws(SyntaxError) -> [Argument] {
        var args: [Argument] = []
        var tallest = 0
        defer { height = tallest }
        while tok != .rparen {
            if !args.isEmpty {
                guard tok == .comma else { throw unexpected("')'") }
                next()
            }
            if tok == .rparen { break }
            if tok == .star || tok == .starStar {
                let op = next()
                let value = try parseTest()
                tallest = max(tallest, height)
                let span = op.span.through(value.span)
                args.append(op.kind == .star ? .star(value, span) : .starStar(value, span))
                continue
            }
            let x = try parseTest()
            tallest = max(tallest, height)
            if tok == .eq {
                guard case .identifier(let id) = x else {
                    throw error("keyword argument must have form name=expr", at: x.span)
                }
                next()
                args.append(.keyword(id, try parseTest()))
                tallest = max(tallest, height)
                continue
            }
            args.append(.positional(x))
        }
        return args
    }

    private mutating func parsePrimary() throws(SyntaxError) -> Expr {
        let token = current
        switch tok {
        case .identifier:
            next()
            height = 1
            return .identifier(Identifier(name: token.text, span: token.span))
        case .int:
            next()
            height = 1
            return .literal(.int(token.intValue), token.span)
        case .float:
            next()
            height = 1
            return .literal(.float(token.floatValue), token.span)
        case .string:
            next()
            height = 1
            return .literal(.string(token.text), token.span)
        case .lbrack:
            return try parseList()
        case .lbrace:
            return try parseDict()
        case .lparen:
            next()
            if tok == .rparen {
                let close = next()
                height = 1
                return .tuple([], token.span.through(close.span), parenthesized: true)
            }
            let e = try parseExpr(inParens: true)
            let close = try consume(.rparen)
            let span = token.span.through(close.span)
            if case .tuple(let items, _, _) = e { return .tuple(items, span, parenthesized: true) }
            return try made(.paren(e, span), height)
        case .minus, .plus, .tilde:
            next()
            nesting += 1
            defer { nesting -= 1 }
            if nesting > Self.maxNesting { throw error("expression nested too deeply (more than \(Self.maxNesting) levels)") }
            let x = try parsePrimaryWithSuffix()
            let op: UnaryOp = token.kind == .minus ? .minus : token.kind == .plus ? .plus : .invert
            return try made(.unary(op, x, token.span.through(x.span)), height)
        default:
            throw unexpected("primary expression")
        }
    }

    private mutating func parseList() throws(SyntaxError) -> Expr {
        let open = next()
        if tok == .rbrack {
            let close = next()
            height = 1
            return .list([], open.span.through(close.span))
        }
        let first = try parseTest()
        var tallest = height
        if tok == .kwFor {
            let clauses = try parseComprehensionClauses(closing: .rbrack, closeText: "']'")
            let close = try consume(.rbrack)
            // the evaluator recurses once per clause
            return try made(
                .comprehension(
                    Comprehension(
                        isDict: false, body: first, value: nil, clauses: clauses, span: open.span.through(close.span))),
                max(tallest, height), extra: clauses.count + 1)
        }
        var items = [first]
        while tok == .comma {
            next()
            if tok == .rbrack { break }
            items.append(try parseTest())
            tallest = max(tallest, height)
        }
        guard tok == .rbrack else { throw unexpected("']', for, or if") }
        let close = next()
        return try made(.list(items, open.span.through(close.span)), tallest)
    }

    private mutating func parseDict() throws(SyntaxError) -> Expr {
        let open = next()
        if tok == .rbrace {
            let close = next()
            height = 1
            return .dict([], open.span.through(close.span))
        }
        let key = try parseTest()
        var tallest = height
        try consume(.colon)
        let value = try parseTest()
        tallest = max(tallest, height)
        if tok == .kwFor {
            let clauses = try parseComprehensionClauses(closing: .rbrace, closeText: "'}'")
            let close = try consume(.rbrace)
            return try made(
                .comprehension(
                    Comprehension(
                        isDict: true, body: key, value: value, clauses: clauses, span: open.span.through(close.span))),
                max(tallest, height), extra: clauses.count + 1)
        }
        var entries = [(key, value)]
        while tok == .comma {
            next()
            if tok == .rbrace { break }
            let k = try parseTest()
            tallest = max(tallest, height)
            try consume(.colon)
            entries.append((k, try parseTest()))
            tallest = max(tallest, height)
        }
        guard tok == .rbrace else { throw unexpected("'}', for, or if") }
        let close = next()
        return try made(.dict(entries, open.span.through(close.span)), tallest)
    }

    private mutating func parseComprehensionClauses(closing: TokenKind, closeText: String) throws(SyntaxError)
        -> [ComprehensionClause]
    {
        var clauses: [ComprehensionClause] = []
        var tallest = 0
        while true {
            if tok == .kwFor {
                let span = next().span
                let vars = try parseForLoopVariables()
                tallest = max(tallest, height)
                try consume(.kwIn)
                let iterable = try parseTestPrec(0)
                tallest = max(tallest, height)
                clauses.append(.forClause(vars: vars, iterable: iterable, span: span))
            } else if tok == .kwIf {
                let span = next().span
                clauses.append(.ifClause(try parseTestNoCond(), span: span))
                tallest = max(tallest, height)
            } else if tok == closing {
                height = tallest
                return clauses
            } else {
                throw unexpected("\(closeText), for, or if")
            }
        }
    }
}
