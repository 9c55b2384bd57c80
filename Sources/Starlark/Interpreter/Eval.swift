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
                        message =
                            "name \(entry.original) not found in module \(load.module) — did you mean \(close)?"
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
            do { old = try Ops.index(container, key, meter: meter) } catch { throw error.at(span, frame) }
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
                throw EvalError("too few values to unpack (got \(items.count), want \(targets.count))").at(
                    span, frame)
            }
            if items.count > targets.count {
                throw EvalError("too many values to unpack (got \(items.count), want \(targets.count))").at(
                    span, frame)
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
}
