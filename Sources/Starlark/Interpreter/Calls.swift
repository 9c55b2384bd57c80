extension Interpreter {
    // MARK: calls

    @inline(never)
    func evalCall(_ expr: Expr, _ frame: Frame) throws(EvalError) -> Value {
        guard case .call(let calleeExpr, let argExprs, let span) = expr else {
            return try evalSimple(expr, frame)
        }
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
            callee, args: args, kwargs: kwargs, span: span, frame: frame, argumentSpans: argSpans,
            keywordSpans: kwSpans)
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
                file: frame.module.filename, span: span, argumentSpans: argumentSpans,
                keywordSpans: keywordSpans)
            do {
                // a builtin reads (hashes, copies, parses) its string arguments
                for arg in args { if case .string(let s) = arg { try meter.charge(bytes: s.utf8.count) } }
                for (_, value) in kwargs {
                    if case .string(let s) = value { try meter.charge(bytes: s.utf8.count) }
                }
                if case .string(let s) = builtin.receiver {
                    // a string method scans its receiver (at most linearly): that is its work
                    try meter.charge(bytes: s.utf8.count)
                    let result = try builtin.body(&call)
                    if case .string(let made) = result, !Methods.chargesItsOwnResult.contains(builtin.name) {
                        try meter.allocate(bytes: made.utf8.count)
                    }
                    return result
                }
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
        _ function: StarlarkFunction, args: [Value], kwargs: [(name: String, value: Value)], span: Span,
        frame: Frame,
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
            module: function.module, name: info.name, function: info, cells: cells,
            freeCells: function.freeCells)
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
        _ function: StarlarkFunction, _ cells: [Cell], _ args: [Value],
        _ kwargs: [(name: String, value: Value)]
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
                    throw EvalError(
                        "function \(name) got multiple values for parameter \"\(key)\"", keyword: key)
                }
                cells[at].value = value
                continue
            }
            guard let kwargsDict else {
                var message = "function \(name) got an unexpected keyword argument \"\(key)\""
                if let close = Suggest.closest(key, among: namedParams) {
                    message += " — did you mean \"\(close)\"?"
                }
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
            throw EvalError(
                "function \(name) missing \(missing.count) \(kind) (\(missing.joined(separator: ", ")))")
        }
    }
}
