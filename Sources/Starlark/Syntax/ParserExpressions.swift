extension Parser {
    // MARK: expressions

    static func terminatesExprList(_ kind: TokenKind) -> Bool {
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
        return try made(
            .tuple(list, first.span.through(list[list.count - 1].span), parenthesized: inParens), tallest)
    }

    mutating func parseTest() throws(SyntaxError) -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw error("expression nested too deeply (more than \(Self.maxNesting) levels)")
        }
        if tok == .kwLambda { return try parseLambda(allowCond: true) }
        let x = try parseTestPrec(0)
        if tok == .kwIf {
            var tallest = height
            let ifSpan = next().span
            let cond = try parseTestPrec(0)
            tallest = max(tallest, height)
            guard tok == .kwElse else {
                throw error("conditional expression without else clause", at: ifSpan)
            }
            next()
            let elseExpr = try parseTest()
            return try made(.conditional(cond: cond, then: x, else: elseExpr), max(tallest, height))
        }
        return x
    }

    mutating func parseTestNoCond() throws(SyntaxError) -> Expr {
        if tok == .kwLambda { return try parseLambda(allowCond: false) }
        return try parseTestPrec(0)
    }

    mutating func parseLambda(allowCond: Bool) throws(SyntaxError) -> Expr {
        let span = next().span
        let params = try parseParams(closing: .colon)
        let defaults = height
        try consume(.colon)
        let body = allowCond ? try parseTest() : try parseTestNoCond()
        let info = FunctionInfo(
            name: "lambda", span: span.through(body.span), params: params,
            body: [.returnStmt(body, body.span)],
            isLambda: true)
        // the lambda node, then its return statement, above the body
        return try made(.lambda(info), max(defaults, height), extra: 2)
    }

    static func precedence(_ kind: TokenKind) -> Int {
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

    mutating func parseTestPrec(_ prec: Int) throws(SyntaxError) -> Expr {
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

    mutating func parseBinopExpr(_ prec: Int) throws(SyntaxError) -> Expr {
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

    mutating func parsePrimaryWithSuffix() throws(SyntaxError) -> Expr {
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
    mutating func parseArgs() throws(SyntaxError) -> [Argument] {
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

    mutating func parsePrimary() throws(SyntaxError) -> Expr {
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
            if nesting > Self.maxNesting {
                throw error("expression nested too deeply (more than \(Self.maxNesting) levels)")
            }
            let x = try parsePrimaryWithSuffix()
            let op: UnaryOp = token.kind == .minus ? .minus : token.kind == .plus ? .plus : .invert
            return try made(.unary(op, x, token.span.through(x.span)), height)
        default:
            throw unexpected("primary expression")
        }
    }

    mutating func parseList() throws(SyntaxError) -> Expr {
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
                        isDict: false, body: first, value: nil, clauses: clauses,
                        span: open.span.through(close.span))),
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

    mutating func parseDict() throws(SyntaxError) -> Expr {
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
                        isDict: true, body: key, value: value, clauses: clauses,
                        span: open.span.through(close.span))),
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

    mutating func parseComprehensionClauses(closing: TokenKind, closeText: String) throws(SyntaxError)
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
