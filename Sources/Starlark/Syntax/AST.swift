/// How the resolver bound an identifier.
enum Binding {
    case unresolved
    /// A slot in the current frame's cells.
    case local(Int)
    /// An index into the running function's captured cells.
    case free(Int)
    /// A slot in the module's globals.
    case global(Int)
    case predeclared(String)
    case universal(String)
}

final class Identifier {
    let name: String
    let span: Span
    var binding: Binding = .unresolved

    init(name: String, span: Span) {
        self.name = name
        self.span = span
    }
}

/// Resolved facts about a function body (or the module's top level).
final class FunctionInfo {
    var name: String
    let span: Span
    var params: [Parameter]
    var body: [Stmt]
    /// Number of local slots (parameters first, then other locals and comprehension variables).
    var localCount = 0
    /// For each captured variable, where it lives in the enclosing frame.
    var freeVars: [(name: String, outer: Binding)] = []
    /// Derived from params by the resolver.
    var positionalCount = 0  // named params before * / *args
    var keywordOnlyCount = 0
    var hasVarargs = false
    var hasKwargs = false
    var isLambda: Bool

    init(name: String, span: Span, params: [Parameter], body: [Stmt], isLambda: Bool) {
        self.name = name
        self.span = span
        self.params = params
        self.body = body
        self.isLambda = isLambda
    }

    deinit { SyntaxTeardown.release(&body) }
}

enum Parameter {
    case required(Identifier)
    case optional(Identifier, Expr)
    case star(Identifier?, Span)  // *args or bare *
    case starStar(Identifier, Span)

    var span: Span {
        switch self {
        case .required(let id): return id.span
        case .optional(let id, let expr): return id.span.through(expr.span)
        case .star(_, let span), .starStar(_, let span): return span
        }
    }
}

enum Argument {
    case positional(Expr)
    case keyword(Identifier, Expr)
    case star(Expr, Span)
    case starStar(Expr, Span)

    var span: Span {
        switch self {
        case .positional(let e): return e.span
        case .keyword(let id, let e): return id.span.through(e.span)
        case .star(_, let s), .starStar(_, let s): return s
        }
    }
}

enum UnaryOp { case plus, minus, not, invert }

enum BinaryOp: String {
    case add = "+"
    case sub = "-"
    case mul = "*"
    case div = "/"
    case floorDiv = "//"
    case mod = "%"
    case bitAnd = "&"
    case bitOr = "|"
    case bitXor = "^"
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case eq = "=="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
    case `in` = "in"
    case notIn = "not in"
    case and = "and"
    case or = "or"
}

enum ComprehensionClause {
    case forClause(vars: Expr, iterable: Expr, span: Span)
    case ifClause(Expr, span: Span)
}

final class Comprehension {
    let isDict: Bool
    /// The element (list) or key (dict).
    let body: Expr
    /// The value, for dict comprehensions.
    let value: Expr?
    let clauses: [ComprehensionClause]
    let span: Span

    init(isDict: Bool, body: Expr, value: Expr?, clauses: [ComprehensionClause], span: Span) {
        self.isDict = isDict
        self.body = body
        self.value = value
        self.clauses = clauses
        self.span = span
    }
}

indirect enum Expr {
    case identifier(Identifier)
    case literal(Value, Span)
    case list([Expr], Span)
    case tuple([Expr], Span, parenthesized: Bool)
    case dict([(Expr, Expr)], Span)
    case unary(UnaryOp, Expr, Span)
    case binary(BinaryOp, Expr, Expr, opSpan: Span)
    case conditional(cond: Expr, then: Expr, else: Expr)
    case dot(Expr, name: String, nameSpan: Span)
    case index(Expr, Expr, Span)
    case slice(Expr, Expr?, Expr?, Expr?, Span)
    case call(Expr, [Argument], Span)  // span: from callee start to ')'
    case comprehension(Comprehension)
    case lambda(FunctionInfo)
    case paren(Expr, Span)

    var span: Span {
        switch self {
        case .identifier(let id): return id.span
        case .literal(_, let s), .list(_, let s), .tuple(_, let s, _), .dict(_, let s), .unary(_, _, let s),
            .index(_, _, let s), .slice(_, _, _, _, let s), .call(_, _, let s), .paren(_, let s):
            return s
        case .binary(_, let l, let r, _): return l.span.through(r.span)
        case .conditional(let c, let t, let e): return t.span.through(e.span).union(c.span)
        case .dot(let x, _, let nameSpan): return x.span.through(nameSpan)
        case .comprehension(let c): return c.span
        case .lambda(let f): return f.span
        }
    }

    /// The name starlark-go uses for this kind of expression in "can't assign to" errors.
    var kindName: String {
        switch self {
        case .identifier: return "identifier"
        case .literal: return "literal"
        case .list: return "listexpr"
        case .tuple: return "tupleexpr"
        case .dict: return "dictexpr"
        case .unary: return "unaryexpr"
        case .binary: return "binaryexpr"
        case .conditional: return "condexpr"
        case .dot: return "dotexpr"
        case .index: return "indexexpr"
        case .slice: return "sliceexpr"
        case .call: return "callexpr"
        case .comprehension: return "comprehension"
        case .lambda: return "lambdaexpr"
        case .paren(let inner, _): return inner.kindName
        }
    }
}

extension Span {
    func union(_ other: Span) -> Span {
        Span(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }
}

final class LoadStmt {
    let module: String
    let moduleSpan: Span
    /// (local name, original name, span of the operand)
    let names: [(local: Identifier, original: String, span: Span)]
    let span: Span

    init(
        module: String, moduleSpan: Span, names: [(local: Identifier, original: String, span: Span)],
        span: Span
    ) {
        self.module = module
        self.moduleSpan = moduleSpan
        self.names = names
        self.span = span
    }
}

indirect enum Stmt {
    case expr(Expr)
    case assign(target: Expr, value: Expr, opSpan: Span)
    case augmented(target: Expr, op: BinaryOp, value: Expr, opSpan: Span)
    case ifStmt(cond: Expr, then: [Stmt], else: [Stmt], span: Span)
    case forStmt(vars: Expr, iterable: Expr, body: [Stmt], span: Span)
    case whileStmt(cond: Expr, body: [Stmt], span: Span)
    case def(Identifier, FunctionInfo)
    case returnStmt(Expr?, Span)
    case breakStmt(Span)
    case continueStmt(Span)
    case pass(Span)
    case load(LoadStmt)

    var span: Span {
        switch self {
        case .expr(let e): return e.span
        case .assign(let t, let v, _), .augmented(let t, _, let v, _): return t.span.through(v.span)
        case .ifStmt(_, _, _, let s), .forStmt(_, _, _, let s), .whileStmt(_, _, let s),
            .returnStmt(_, let s),
            .breakStmt(let s), .continueStmt(let s), .pass(let s):
            return s
        case .def(let id, _): return id.span
        case .load(let l): return l.span
        }
    }
}
