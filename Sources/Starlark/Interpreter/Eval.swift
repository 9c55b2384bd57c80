enum Flow {
    case normal, breakLoop, continueLoop
    case returned(Value)
}

extension EvalError {
    /// Attaches a location if the error has none yet.
    func at(_ span: Span, _ frame: Frame) -> EvalError {
        if span.start.line == 0 || self.span != nil { return self }
        var e = self
        e.span = span
        e.file = frame.module.filename
        return e
    }
}

extension Interpreter {
    // MARK: statements

    func execBlock(_ stmts: [Stmt], _ frame: Frame) throws(EvalError) -> Flow {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxEvalDepth, let first = stmts.first { throw tooDeep(first.span, frame) }
        for stmt in stmts {
            let flow = try exec(stmt, frame)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func exec(_ stmt: Stmt, _ frame: Frame) throws(EvalError) -> Flow {
        try step()
        switch stmt {
        case .expr(let e):
            frame.position = e.span
            _ = try eval(e, frame)
        case .assign(let target, let value, _):
            frame.position = stmt.span
            let v = try eval(value, frame)
            try assign(target, v, frame)
        case .augmented(let target, let op, let value, let opSpan):
            frame.position = stmt.span
            try execAugmented(target, op, value, opSpan, frame)
        case .ifStmt(let cond, let then, let elseBody, _):
            frame.position = cond.span
            if try eval(cond, frame).truth {
                return try execBlock(then, frame)
            }
            return try execBlock(elseBody, frame)
        case .forStmt(let vars, let iterable, let body, _):
            frame.position = iterable.span
            let sequence = try eval(iterable, frame)
            var result = Flow.normal
            do {
                try iterate(sequence) { (element) throws(EvalError) -> Bool in
                    try step()
                    try assign(vars, element, frame)
                    let flow = try execBlock(body, frame)
                    switch flow {
                    case .normal, .continueLoop: return true
                    case .breakLoop: return false
                    case .returned:
                        result = flow
                        return false
                    }
                }
            } catch {
                throw error.at(iterable.span, frame)
            }
            return result
        case .whileStmt(_, _, let span):
            throw EvalError("dialect does not support while loops").at(span, frame)
        case .def(let id, let info):
            let function = try makeFunction(info, frame)
            try store(id, .function(function), frame)
        case .returnStmt(let value, _):
            guard let value else { return .returned(.none) }
            return .returned(try eval(value, frame))
        case .breakStmt:
            return .breakLoop
        case .continueStmt:
            return .continueLoop
        case .pass:
            break
        case .load(let load):
            frame.position = load.span
            let globals: [String: Value]
            do {
                globals = try self.load(load.module, from: frame)
            } catch {
                throw error.at(load.moduleSpan, frame)
            }
            for entry in load.names {
                guard let value = globals[entry.original] else {
                    var message = "\(entry.original) not found in module \(load.module)"
                    if let close = Suggest.closest(entry.original, among: Array(globals.keys)) {
                        message = "name \(entry.original) not found in module \(load.module) — did you mean \(close)?"
                    }
                    throw EvalError(message).at(entry.span, frame)
                }
                try store(entry.local, value, frame)
            }
        }
        return .normal
    }

    private func execAugmented(_ target: Expr, _ op: BinaryOp, _ value: Expr, _ opSpan: Span, _ frame: Frame)
        throws(EvalError)
    {
        switch target {
        case .identifier(let id):
            let old = try lookup(id, frame)
            let rhs = try eval(value, frame)
            let result = try augmentedBinary(op, old, rhs, opSpan, frame)
            try store(id, result, frame)
        case .index(let x, let i, let span):
            let container = try eval(x, frame)
            let key = try eval(i, frame)
            let old: Value
            do { old = try Ops.index(container, key) } catch { throw error.at(span, frame) }
            let rhs = try eval(value, frame)
            let result = try augmentedBinary(op, old, rhs, opSpan, frame)
            do { try Ops.setIndex(container, key, result) } catch { throw error.at(span, frame) }
        case .dot(let x, let name, let nameSpan):
            let object = try eval(x, frame)
            let old: Value
            do { old = try attribute(object, name) } catch { throw error.at(nameSpan, frame) }
            _ = old
            throw EvalError("can't assign to .\(name) field of \(object.typeName)").at(nameSpan, frame)
        case .paren(let inner, _):
            try execAugmented(inner, op, value, opSpan, frame)
        default:
            throw EvalError("can't assign to \(target.kindName)").at(target.span, frame)
        }
    }

    /// `x += y` on a list extends it in place.
    private func augmentedBinary(_ op: BinaryOp, _ x: Value, _ y: Value, _ span: Span, _ frame: Frame)
        throws(EvalError) -> Value
    {
        if op == .bitOr, case .dict(let target) = x, case .dict(let source) = y {
            do throws(EvalError) {
                for (k, v) in source.entries { try target.set(k, v) }
            } catch {
                throw error.at(span, frame)
            }
            return x
        }
        if op == .add, case .list(let list) = x {
            do throws(EvalError) {
                guard isIterable(y) else { throw EvalError("unknown binary op: list + \(y.typeName)") }
                if list.isFrozen { throw EvalError("cannot apply += to frozen list") }
                try list.checkMutable("apply += to")
                let items: [Value]
                switch y {
                case .list(let l): items = l.elements
                case .tuple(let t): items = t
                default: throw EvalError("unknown binary op: list += \(y.typeName)")
                }
                try meter.checkSize(list.count + items.count, "list")
                try meter.allocate(elements: items.count)
                list.elements.append(contentsOf: items)
            } catch {
                throw error.at(span, frame)
            }
            return x
        }
        do {
            return try Ops.binary(op, x, y, meter: meter)
        } catch {
            throw error.at(span, frame)
        }
    }

    func assign(_ target: Expr, _ value: Value, _ frame: Frame) throws(EvalError) {
        switch target {
        case .identifier(let id):
            try store(id, value, frame)
        case .index(let x, let i, let span):
            let container = try eval(x, frame)
            let key = try eval(i, frame)
            do { try Ops.setIndex(container, key, value) } catch { throw error.at(span, frame) }
        case .dot(let x, let name, let nameSpan):
            let object = try eval(x, frame)
            throw EvalError("can't assign to .\(name) field of \(object.typeName)").at(nameSpan, frame)
        case .tuple(let targets, let span, _), .list(let targets, let span):
            var items: [Value] = []
            switch value {
            case .list(let l): items = l.elements
            case .tuple(let t): items = t
            case .string, .int, .float, .bool, .none, .function, .builtin, .module:
                throw EvalError("got \(value.typeName) in sequence assignment").at(span, frame)
            default:
                do {
                    try iterate(value) { (v) throws(EvalError) -> Bool in
                        items.append(v)
                        return true
                    }
                } catch { throw error.at(span, frame) }
            }
            if items.count < targets.count {
                throw EvalError("too few values to unpack (got \(items.count), want \(targets.count))").at(span, frame)
            }
            if items.count > targets.count {
                throw EvalError("too many values to unpack (got \(items.count), want \(targets.count))").at(span, frame)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, frame) }
        case .paren(let inner, _):
            try assign(inner, value, frame)
        default:
            throw EvalError("can't assign to \(target.kindName)").at(target.span, frame)
        }
    }

    func store(_ id: Identifier, _ value: Value, _ frame: Frame) throws(EvalError) {
        switch id.binding {
        case .local(let slot): frame.cells[slot].value = value
        case .free(let index): frame.freeCells[index].value = value
        case .global(let slot): frame.module.globals[slot] = value
        default: throw EvalError("internal error: cannot assign to \(id.name)").at(id.span, frame)
        }
    }

    func lookup(_ id: Identifier, _ frame: Frame) throws(EvalError) -> Value {
        switch id.binding {
        case .local(let slot):
            if let v = frame.cells[slot].value { return v }
            throw EvalError("local variable \(id.name) referenced before assignment").at(id.span, frame)
        case .free(let index):
            if let v = frame.freeCells[index].value { return v }
            throw EvalError("local variable \(id.name) referenced before assignment").at(id.span, frame)
        case .global(let slot):
            if let v = frame.module.globals[slot] { return v }
            if frame.module.fileLocalSlots.contains(slot) {
                throw EvalError("local variable \(id.name) referenced before assignment").at(id.span, frame)
            }
            throw EvalError("global variable \(id.name) referenced before assignment").at(id.span, frame)
        case .predeclared(let name):
            if let v = frame.module.predeclared[name] { return v }
            throw EvalError("name \"\(name)\" is not defined").at(id.span, frame)
        case .universal(let name):
            if let v = Universe.lookup(name) { return v }
            throw EvalError("name \"\(name)\" is not defined").at(id.span, frame)
        case .unresolved:
            throw EvalError("name \"\(id.name)\" is not defined").at(id.span, frame)
        }
    }

    func makeFunction(_ info: FunctionInfo, _ frame: Frame) throws(EvalError) -> StarlarkFunction {
        var defaults: [Value?] = []
        for param in info.params {
            switch param {
            case .required: defaults.append(nil)
            case .optional(_, let expr): defaults.append(try eval(expr, frame))
            default: break
            }
        }
        var cells: [Cell] = []
        for free in info.freeVars {
            switch free.outer {
            case .local(let slot): cells.append(frame.cells[slot])
            case .free(let index): cells.append(frame.freeCells[index])
            default: cells.append(Cell())
            }
        }
        return StarlarkFunction(info: info, module: frame.module, defaults: defaults, freeCells: cells)
    }

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
    private func evalSimple(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
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
        guard case .conditional(let cond, let then, let elseExpr) = expr else { return try evalSimple(expr, frame) }
        return try eval(cond, frame).truth ? try eval(then, frame) : try eval(elseExpr, frame)
    }

    @inline(never)
    private func evalBinary(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .binary(let op, let x, let y, let opSpan) = expr else { return try evalSimple(expr, frame) }
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
        do { return try Ops.index(container, key) } catch { throw located(error, span, frame) }
    }

    @inline(never)
    private func evalSlice(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .slice(let x, let a, let b, let c, let span) = expr else { return try evalSimple(expr, frame) }
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
                        throw EvalError("list built by comprehension exceeds \(limits.maxCollectionSize) elements")
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

    @inline(never)
    private func evalCall(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .call(let calleeExpr, let argExprs, let span) = expr else { return try evalSimple(expr, frame) }
        let callee = try eval(calleeExpr, frame)
        var args: [Value] = []
        var argSpans: [Span] = []
        var kwargs: [(name: String, value: Value)] = []
        var kwSpans: [String: Span] = [:]
        for arg in argExprs {
            switch arg {
            case .positional(let e):
                args.append(try eval(e, frame))
                argSpans.append(e.span)
            case .keyword(let id, let e):
                kwargs.append((id.name, try eval(e, frame)))
                kwSpans[id.name] = id.span.through(e.span)
            case .star(let e, let s):
                let v = try eval(e, frame)
                switch v {
                case .list, .tuple, .range, .dict, .string, .stringView:
                    if case .string = v {
                        throw EvalError("argument after * must be iterable, not string").at(s, frame)
                    }
                    do {
                        try iterate(v) { (x) throws(EvalError) -> Bool in
                            args.append(x)
                            argSpans.append(s)
                            return true
                        }
                    } catch { throw error.at(s, frame) }
                default:
                    throw EvalError("argument after * must be iterable, not \(v.typeName)").at(s, frame)
                }
            case .starStar(let e, let s):
                let v = try eval(e, frame)
                guard case .dict(let d) = v else {
                    throw EvalError("argument after ** must be a mapping, not \(v.typeName)").at(s, frame)
                }
                for (k, value) in d.entries {
                    guard case .string(let name) = k else {
                        throw EvalError("keywords must be strings, not \(k.typeName)").at(s, frame)
                    }
                    kwargs.append((name, value))
                    kwSpans[name] = s
                }
            }
        }
        frame.position = span
        return try call(
            callee, args: args, kwargs: kwargs, span: span, frame: frame, argumentSpans: argSpans, keywordSpans: kwSpans)
    }

    /// Calls a function or builtin. `frame` is the caller's frame (for positions).
    func call(
        _ callee: Value, args: [Value], kwargs: [(name: String, value: Value)], span: Span, frame: Frame,
        argumentSpans: [Span] = [], keywordSpans: [String: Span] = [:]
    ) throws(EvalError) -> Value {
        try step()
        switch callee {
        case .builtin(let builtin):
            var seen = Set<String>()
            for (name, _) in kwargs where !seen.insert(name).inserted {
                throw EvalError("\(builtin.name): duplicate keyword arg: \"\(name)\"").at(span, frame)
            }
            var call = Call(
                interpreter: self, name: builtin.name, receiver: builtin.receiver, args: args, kwargs: kwargs,
                file: frame.module.filename, span: span, argumentSpans: argumentSpans, keywordSpans: keywordSpans)
            do {
                return try builtin.body(&call)
            } catch let error as EvalError {
                var e = error
                if e.underlying == nil && !e.tracebackCaptured && !e.isUnprefixed {
                    e.message = "\(builtin.name): \(e.message)"
                    e.isUnprefixed = true
                }
                throw e.at(span, frame)
            } catch let error as StarlarkError {
                var e = EvalError(error.message)
                e.underlying = error
                throw e
            } catch {
                throw EvalError("\(builtin.name): \(error)").at(span, frame)
            }
        case .function(let function):
            return try callFunction(
                function, args: args, kwargs: kwargs, span: span, frame: frame, keywordSpans: keywordSpans)
        default:
            throw EvalError("invalid call of non-function (\(callee.typeName))").at(span, frame)
        }
    }

    func callFunction(
        _ function: StarlarkFunction, args: [Value], kwargs: [(name: String, value: Value)], span: Span, frame: Frame,
        keywordSpans: [String: Span] = [:]
    ) throws(EvalError) -> Value {
        let info = function.info
        let id = ObjectIdentifier(info)
        if active.contains(id) {
            throw EvalError("function \(info.name) called recursively").at(span, frame)
        }
        if frames.count >= limits.maxCallDepth {
            throw EvalError("call stack depth exceeded the limit of \(limits.maxCallDepth)").at(span, frame)
        }
        let cells = (0..<info.localCount).map { _ in Cell() }
        do {
            try bindArguments(function, cells, args, kwargs)
        } catch {
            var e = error
            if let keyword = e.keyword, let keywordSpan = keywordSpans[keyword] {
                e.span = keywordSpan
                e.file = frame.module.filename
            }
            throw e.at(span, frame)
        }
        let callee = Frame(
            module: function.module, name: info.name, function: info, cells: cells, freeCells: function.freeCells)
        frames.append(callee)
        active.insert(id)
        defer {
            frames.removeLast()
            active.remove(id)
        }
        do {
            let flow = try execBlock(info.body, callee)
            if case .returned(let value) = flow { return value }
            return .none
        } catch {
            var e = error
            if !e.tracebackCaptured && e.underlying == nil { captureTraceback(&e) }
            throw e
        }
    }

    private func bindArguments(
        _ function: StarlarkFunction, _ cells: [Cell], _ args: [Value], _ kwargs: [(name: String, value: Value)]
    ) throws(EvalError) {
        let info = function.info
        let named = info.positionalCount + info.keywordOnlyCount
        var namedParams: [String] = []
        for param in info.params {
            switch param {
            case .required(let id), .optional(let id, _): namedParams.append(id.name)
            default: break
            }
        }
        let name = info.name
        if args.count > info.positionalCount && !info.hasVarargs {
            if info.positionalCount == 0 {
                throw EvalError("function \(name) accepts no positional arguments (\(args.count) given)")
            }
            throw EvalError(
                "function \(name) accepts at most \(info.positionalCount) positional argument\(info.positionalCount == 1 ? "" : "s") (\(args.count) given)"
            )
        }
        let positional = min(args.count, info.positionalCount)
        for i in 0..<positional { cells[i].value = args[i] }
        var slot = named
        if info.hasVarargs {
            cells[slot].value = .tuple(args.count > positional ? Array(args[positional...]) : [])
            slot += 1
        }
        var kwargsDict: StarlarkDict?
        if info.hasKwargs {
            kwargsDict = StarlarkDict()
            cells[slot].value = .dict(kwargsDict ?? StarlarkDict())
        }
        for (key, value) in kwargs {
            if let at = namedParams.firstIndex(of: key) {
                if cells[at].value != nil {
                    throw EvalError("function \(name) got multiple values for parameter \"\(key)\"", keyword: key)
                }
                cells[at].value = value
                continue
            }
            guard let kwargsDict else {
                var message = "function \(name) got an unexpected keyword argument \"\(key)\""
                if let close = Suggest.closest(key, among: namedParams) { message += " — did you mean \"\(close)\"?" }
                throw EvalError(message, keyword: key)
            }
            if try kwargsDict.get(.string(key)) != nil {
                throw EvalError("function \(name) got multiple values for parameter \"\(key)\"", keyword: key)
            }
            try kwargsDict.set(.string(key), value)
        }
        var missing: [String] = []
        for i in 0..<named where cells[i].value == nil {
            if let value = function.defaults[i] {
                cells[i].value = value
            } else {
                missing.append(namedParams[i])
            }
        }
        if !missing.isEmpty {
            let kind = missing.count == 1 ? "argument" : "arguments"
            throw EvalError("function \(name) missing \(missing.count) \(kind) (\(missing.joined(separator: ", ")))")
        }
    }
}
