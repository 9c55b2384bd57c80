/// Frees a function's syntax tree without deep recursion. Swift destroys an indirect enum
/// recursively, several native frames per level; the parser bounds a tree's height, but a host
/// may drop a function value (and with it the tree) on a thread with a small stack. Nodes are
/// taken apart from an explicit worklist instead, so that each node's own destruction is shallow.
enum SyntaxTeardown {
    static func release(_ body: inout [Stmt]) {
        var stmts = body
        body = []
        var exprs: [Expr] = []
        while true {
            if let stmt = stmts.popLast() {
                take(stmt, &stmts, &exprs)
            } else if let expr = exprs.popLast() {
                take(expr, &exprs)
            } else {
                return
            }
        }
    }

    private static func take(_ stmt: Stmt, _ stmts: inout [Stmt], _ exprs: inout [Expr]) {
        switch stmt {
        case .expr(let e): exprs.append(e)
        case .assign(let target, let value, _), .augmented(let target, _, let value, _):
            exprs.append(target)
            exprs.append(value)
        case .ifStmt(let cond, let then, let elseBody, _):
            exprs.append(cond)
            stmts.append(contentsOf: then)
            stmts.append(contentsOf: elseBody)
        case .forStmt(let vars, let iterable, let body, _):
            exprs.append(vars)
            exprs.append(iterable)
            stmts.append(contentsOf: body)
        case .whileStmt(let cond, let body, _):
            exprs.append(cond)
            stmts.append(contentsOf: body)
        case .returnStmt(let value, _):
            if let value { exprs.append(value) }
        case .def, .breakStmt, .continueStmt, .pass, .load:
            // a nested function's FunctionInfo frees its own body
            break
        }
    }

    private static func take(_ expr: Expr, _ exprs: inout [Expr]) {
        switch expr {
        case .identifier, .literal, .lambda: break
        case .list(let items, _), .tuple(let items, _, _): exprs.append(contentsOf: items)
        case .dict(let entries, _):
            for (key, value) in entries {
                exprs.append(key)
                exprs.append(value)
            }
        case .unary(_, let x, _), .dot(let x, _, _), .paren(let x, _): exprs.append(x)
        case .binary(_, let x, let y, _), .index(let x, let y, _):
            exprs.append(x)
            exprs.append(y)
        case .conditional(let cond, let then, let elseExpr):
            exprs.append(cond)
            exprs.append(then)
            exprs.append(elseExpr)
        case .slice(let x, let a, let b, let c, _):
            exprs.append(x)
            for part in [a, b, c] { if let part { exprs.append(part) } }
        case .call(let callee, let args, _):
            exprs.append(callee)
            for arg in args {
                switch arg {
                case .positional(let e), .keyword(_, let e), .star(let e, _), .starStar(let e, _):
                    exprs.append(e)
                }
            }
        case .comprehension(let comp):
            exprs.append(comp.body)
            if let value = comp.value { exprs.append(value) }
            for clause in comp.clauses {
                switch clause {
                case .forClause(let vars, let iterable, _):
                    exprs.append(vars)
                    exprs.append(iterable)
                case .ifClause(let cond, _): exprs.append(cond)
                }
            }
        }
    }
}
