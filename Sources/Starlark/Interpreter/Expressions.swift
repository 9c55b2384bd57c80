extension Interpreter {
    // MARK: expressions

    func eval(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        // Compound cases bind their operands in functions of their own: every level of a deep
        // expression adds this function's frame to the native stack, so it must stay small.
        switch expr {
        case .identifier(let id):
            return try lookup(id, frame)
        case .literal(let value, _):
            return value
        case .paren(let inner, _):
            return try eval(inner, frame)
        default:
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxEvalDepth { throw tooDeep(expr, frame) }
            return try evalCompound(expr, frame)
        }
    }

    @inline(never)
    private func evalCompound(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        switch expr {
        case .binary: return try evalBinary(expr, frame)
        case .call: return try evalCall(expr, frame)
        case .dot: return try evalDot(expr, frame)
        case .index: return try evalIndex(expr, frame)
        case .unary: return try evalUnary(expr, frame)
        case .conditional: return try evalConditional(expr, frame)
        case .list, .tuple, .dict: return try evalDisplay(expr, frame)
        case .slice: return try evalSlice(expr, frame)
        case .comprehension: return try evalComprehension(expr, frame)
        case .lambda: return try evalLambda(expr, frame)
        case .identifier, .literal, .paren: return try evalSimple(expr, frame)
        }
    }

    /// Evaluation nesting beyond this (expression levels plus blocks, summed over the active
    /// calls) is refused, so that the native stack of `OnLargeStack` cannot overflow.
    static let maxEvalDepth = 10_000

    @inline(never)
    func tooDeep(_ expr: Expr, _ frame: Frame) -> EvalError {
        tooDeep(expr.span, frame)
    }

    @inline(never)
    func tooDeep(_ span: Span, _ frame: Frame) -> EvalError {
        EvalError(
            "evaluation nested too deeply (more than \(Self.maxEvalDepth) levels of expressions, blocks and calls)"
        ).at(span, frame)
    }

    @inline(never)
    func evalSimple(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        switch expr {
        case .identifier(let id): return try lookup(id, frame)
        case .literal(let value, _): return value
        case .paren(let inner, _): return try eval(inner, frame)
        default: throw EvalError("internal error: not a simple expression")
        }
    }

    @inline(never)
    private func located(_ error: EvalError, _ span: Span, _ frame: Frame) -> EvalError {
        error.at(span, frame)
    }

    @inline(never)
    private func evalDisplay(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        switch expr {
        case .list(let items, _):
            let values = try evalItems(items, frame)
            try meter.allocate(elements: values.count)
            return .list(StarlarkList(values))
        case .tuple(let items, _, _):
            let values = try evalItems(items, frame)
            try meter.allocate(elements: values.count)
            return .tuple(values)
        case .dict(let entries, _):
            return try evalDict(entries, frame)
        default:
            return try evalSimple(expr, frame)
        }
    }

    private func evalItems(_ items: [Expr], _ frame: Frame) throws(EvalError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try eval(item, frame)) }
        return values
    }

    private func evalDict(_ entries: [(Expr, Expr)], _ frame: Frame) throws(EvalError) -> Value {
        let dict = StarlarkDict()
        for (k, v) in entries {
            let key = try eval(k, frame)
            let value = try eval(v, frame)
            do throws(EvalError) {
                if try dict.get(key) != nil {
                    throw EvalError("duplicate key: \(key.repr)")
                }
                try dict.set(key, value)
            } catch {
                throw error.at(k.span, frame)
            }
        }
        try meter.allocate(entries: dict.count)
        return .dict(dict)
    }

    @inline(never)
    private func evalUnary(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .unary(let op, let x, let span) = expr else { return try evalSimple(expr, frame) }
        let v = try eval(x, frame)
        do { return try Ops.unary(op, v) } catch { throw located(error, span, frame) }
    }

    @inline(never)
    private func evalConditional(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .conditional(let cond, let then, let elseExpr) = expr else {
            return try evalSimple(expr, frame)
        }
        return try eval(cond, frame).truth ? try eval(then, frame) : try eval(elseExpr, frame)
    }

    @inline(never)
    private func evalBinary(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .binary(let op, let x, let y, let opSpan) = expr else {
            return try evalSimple(expr, frame)
        }
        switch op {
        case .and:
            let l = try eval(x, frame)
            return l.truth ? try eval(y, frame) : l
        case .or:
            let l = try eval(x, frame)
            return l.truth ? l : try eval(y, frame)
        default:
            let l = try eval(x, frame)
            let r = try eval(y, frame)
            return try applyBinary(op, l, r, x, y, opSpan, frame)
        }
    }

    @inline(never)
    private func applyBinary(
        _ op: BinaryOp, _ l: Value, _ r: Value, _ x: Expr, _ y: Expr, _ opSpan: Span, _ frame: Frame
    ) throws(EvalError) -> Value {
        do { return try Ops.binary(op, l, r, meter: meter) } catch {
            throw error.at(x.span.through(y.span).union(opSpan), frame)
        }
    }

    @inline(never)
    private func evalDot(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .dot(let x, let name, let nameSpan) = expr else { return try evalSimple(expr, frame) }
        let object = try eval(x, frame)
        do { return try attribute(object, name) } catch { throw located(error, nameSpan, frame) }
    }

    @inline(never)
    private func evalIndex(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .index(let x, let i, let span) = expr else { return try evalSimple(expr, frame) }
        let container = try eval(x, frame)
        let key = try eval(i, frame)
        do { return try Ops.index(container, key, meter: meter) } catch { throw located(error, span, frame) }
    }

    @inline(never)
    private func evalSlice(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .slice(let x, let a, let b, let c, let span) = expr else {
            return try evalSimple(expr, frame)
        }
        let container = try eval(x, frame)
        let start = try a.map { (e) throws(EvalError) in try eval(e, frame) } ?? Value.none
        let stop = try b.map { (e) throws(EvalError) in try eval(e, frame) } ?? Value.none
        let stride = try c.map { (e) throws(EvalError) in try eval(e, frame) } ?? Value.none
        do { return try Ops.slice(container, start, stop, stride, meter: meter) } catch {
            throw located(error, span, frame)
        }
    }

    @inline(never)
    private func evalLambda(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .lambda(let info) = expr else { return try evalSimple(expr, frame) }
        return .function(try makeFunction(info, frame))
    }

    @inline(never)
    private func evalComprehension(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .comprehension(let comp) = expr else { return try evalSimple(expr, frame) }
        let list = StarlarkList()
        let dict = StarlarkDict()
        func run(_ index: Int) throws(EvalError) {
            if index == comp.clauses.count {
                if comp.isDict, let valueExpr = comp.value {
                    let key = try eval(comp.body, frame)
                    let value = try eval(valueExpr, frame)
                    do { try dict.set(key, value) } catch { throw error.at(comp.body.span, frame) }
                } else {
                    list.elements.append(try eval(comp.body, frame))
                    try meter.allocate(bytes: Meter.bytesPerElement)
                    if list.elements.count > limits.maxCollectionSize {
                        throw EvalError(
                            "list built by comprehension exceeds \(limits.maxCollectionSize) elements"
                        )
                        .at(comp.span, frame)
                    }
                }
                return
            }
            switch comp.clauses[index] {
            case .forClause(let vars, let iterable, _):
                let sequence = try eval(iterable, frame)
                do {
                    try iterate(sequence) { (element) throws(EvalError) -> Bool in
                        try step()
                        try assign(vars, element, frame)
                        try run(index + 1)
                        return true
                    }
                } catch {
                    throw error.at(iterable.span, frame)
                }
            case .ifClause(let cond, _):
                if try eval(cond, frame).truth { try run(index + 1) }
            }
        }
        try run(0)
        return comp.isDict ? .dict(dict) : .list(list)
    }
}
