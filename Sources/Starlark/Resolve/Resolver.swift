/// Language options. PLN's config uses `.pln`; the conformance runner switches options per chunk.
///
/// ```swift
/// var dialect = Dialect.pln
/// dialect.globalReassign = false   // the spec's stricter rule
/// ```
public struct Dialect: Sendable, Hashable {
    /// Allow rebinding a global at top level (needed for top-level `for` loops and `if` overrides).
    public var globalReassign: Bool
    /// Allow `if` and `for` statements at top level.
    public var topLevelControl: Bool
    /// `load` binds globals (visible to other modules) instead of file-local names.
    public var loadBindsGlobally: Bool

    public init(globalReassign: Bool, topLevelControl: Bool, loadBindsGlobally: Bool = false) {
        self.globalReassign = globalReassign
        self.topLevelControl = topLevelControl
        self.loadBindsGlobally = loadBindsGlobally
    }

    /// PLN's dialect: top-level `if`/`for` and global rebinding allowed.
    public static let pln = Dialect(globalReassign: true, topLevelControl: true)
    /// The spec's (and starlark-go's default) rules.
    public static let standard = Dialect(globalReassign: false, topLevelControl: false)
}

struct ResolveError {
    var span: Span
    var message: String
}

/// Static analysis: binds every identifier to a local slot, captured cell, global slot, predeclared or
/// universal name, and reports every static error (not just the first).
final class Resolver {
    private final class Block {
        let parent: Block?
        let function: FunctionInfo
        let isFunctionBlock: Bool
        var bindings: [String: Binding] = [:]

        init(parent: Block?, function: FunctionInfo, isFunctionBlock: Bool) {
            self.parent = parent
            self.function = function
            self.isFunctionBlock = isFunctionBlock
        }
    }

    private let dialect: Dialect
    private let file: String
    private let isPredeclared: (String) -> Bool
    private let isUniversal: (String) -> Bool
    private let predeclaredNames: () -> [String]
    private(set) var errors: [ResolveError] = []

    private(set) var globalNames: [String] = []
    /// Global slots bound by `load` (file-local unless loadBindsGlobally).
    var fileLocalSlots: Set<Int> { Set(fileLocals.values.map(\.slot)) }
    private var globals: [String: (slot: Int, span: Span)] = [:]
    private var fileLocals: [String: (slot: Int, span: Span)] = [:]
    /// Uses waiting for their function's bindings to be complete.
    private var pendingUses: [(Identifier, Block)] = []
    private var pendingFunctions: [(FunctionInfo, Block)] = []
    private let toplevel: FunctionInfo
    private var loopDepth = 0
    private var ifDepth = 0

    init(
        file: String, dialect: Dialect, isPredeclared: @escaping (String) -> Bool,
        isUniversal: @escaping (String) -> Bool, predeclaredNames: @escaping () -> [String]
    ) {
        self.file = file
        self.dialect = dialect
        self.isPredeclared = isPredeclared
        self.isUniversal = isUniversal
        self.predeclaredNames = predeclaredNames
        self.toplevel = FunctionInfo(
            name: "<toplevel>", span: Span(Position(line: 1, column: 1)), params: [], body: [], isLambda: false)
    }

    private func error(_ span: Span, _ message: String) {
        errors.append(ResolveError(span: span, message: message))
    }

    /// Resolves a module; returns its top-level function info.
    func resolveModule(_ stmts: [Stmt]) -> FunctionInfo {
        toplevel.body = stmts
        let block = Block(parent: nil, function: toplevel, isFunctionBlock: true)
        resolveStatements(stmts, block)
        finishFunction(toplevel)
        errors.sort { $0.span.start < $1.span.start }
        return toplevel
    }

    private func finishFunction(_ function: FunctionInfo) {
        // Resolve the uses belonging to this function (its bindings are now complete).
        let uses = pendingUses.filter { $0.1.function === function }
        pendingUses.removeAll { $0.1.function === function }
        for (id, block) in uses { resolveUse(id, block) }
        let nested = pendingFunctions.filter { $0.1.function === function }
        pendingFunctions.removeAll { $0.1.function === function }
        for (info, parent) in nested { resolveFunctionBody(info, parent) }
    }

    // MARK: binding

    private func bindGlobal(_ id: Identifier, isLoad: Bool = false) {
        let name = id.name
        if isLoad && !dialect.loadBindsGlobally {
            if let existing = globals[name] {
                if !dialect.globalReassign {
                    error(id.span, "cannot reassign top-level \(name)")
                    return
                }
                id.binding = .global(existing.slot)
                return
            }
            if let existing = fileLocals[name] {
                if !dialect.globalReassign {
                    error(id.span, "cannot reassign top-level \(name) declared at \(file):\(existing.span.start)")
                }
                id.binding = .global(existing.slot)
                return
            }
            let slot = globalNames.count
            globalNames.append(name)
            fileLocals[name] = (slot, id.span)
            id.binding = .global(slot)
            return
        }
        if let existing = fileLocals[name] {
            if !dialect.globalReassign {
                error(id.span, "cannot reassign local \(name) declared at \(file):\(existing.span.start)")
            }
            id.binding = .global(existing.slot)
            return
        }
        if let existing = globals[name] {
            if !dialect.globalReassign {
                error(id.span, "cannot reassign global \(name) declared at \(file):\(existing.span.start)")
            }
            id.binding = .global(existing.slot)
            return
        }
        let slot = globalNames.count
        globalNames.append(name)
        globals[name] = (slot, id.span)
        id.binding = .global(slot)
    }

    private func bind(_ id: Identifier, _ block: Block) {
        if block.isFunctionBlock && block.function === toplevel {
            bindGlobal(id)
            return
        }
        if let existing = block.bindings[id.name] {
            id.binding = existing
            return
        }
        let slot = block.function.localCount
        block.function.localCount += 1
        let binding = Binding.local(slot)
        block.bindings[id.name] = binding
        id.binding = binding
    }

    private func use(_ id: Identifier, _ block: Block) {
        if dialect.globalReassign && block.isFunctionBlock && block.function === toplevel {
            resolveUse(id, block)
            return
        }
        pendingUses.append((id, block))
    }

    private func resolveUse(_ id: Identifier, _ block: Block) {
        if let binding = lookup(id.name, block) {
            id.binding = binding
            return
        }
        var message = "name \"\(id.name)\" is not defined"
        // spellings carried over from JSON, YAML and other languages
        let foreign = ["null": "None", "nil": "None", "none": "None", "true": "True", "false": "False"]
        if let suggestion = foreign[id.name] ?? Suggest.closest(id.name, among: visibleNames(block)) {
            message += " — did you mean \"\(suggestion)\"?"
        }
        error(id.span, message)
    }

    private func visibleNames(_ block: Block) -> [String] {
        var names: [String] = []
        var b: Block? = block
        while let current = b {
            names += current.bindings.keys
            b = current.parent
        }
        names += globals.keys
        names += fileLocals.keys
        names += predeclaredNames()
        names += Universe.names
        return names
    }

    private func lookup(_ name: String, _ block: Block) -> Binding? {
        var b: Block? = block
        let function = block.function
        while let current = b, current.function === function {
            if let binding = current.bindings[name] { return binding }
            if current.isFunctionBlock {
                b = current.parent
                break
            }
            b = current.parent
        }
        if function === toplevel {
            if let g = fileLocals[name] { return .global(g.slot) }
            if let g = globals[name] { return .global(g.slot) }
            if isPredeclared(name) { return .predeclared(name) }
            if isUniversal(name) { return .universal(name) }
            return nil
        }
        guard let outerBlock = b, let outer = lookup(name, outerBlock) else { return nil }
        switch outer {
        case .local, .free:
            if let index = function.freeVars.firstIndex(where: { $0.name == name }) { return .free(index) }
            function.freeVars.append((name, outer))
            return .free(function.freeVars.count - 1)
        default:
            return outer
        }
    }

    // MARK: statements

    private func resolveStatements(_ stmts: [Stmt], _ block: Block) {
        for stmt in stmts { resolveStatement(stmt, block) }
    }

    private var atTopLevel: (Block) -> Bool { { $0.function === self.toplevel } }

    private func resolveStatement(_ stmt: Stmt, _ block: Block) {
        switch stmt {
        case .expr(let e):
            resolveExpr(e, block)
        case .assign(let target, let value, _):
            resolveExpr(value, block)
            assign(target, block, augmented: false)
        case .augmented(let target, _, let value, _):
            resolveExpr(value, block)
            switch target {
            case .list(_, let span):
                error(span, "can't use list expression in augmented assignment")
            case .tuple(_, let span, _):
                error(span, "can't use tuple expression in augmented assignment")
            default:
                resolveAugmentedTarget(target, block)
            }
        case .ifStmt(let cond, let then, let elseBody, let span):
            if atTopLevel(block) && !dialect.topLevelControl {
                error(span, "if statement not within a function")
            }
            resolveExpr(cond, block)
            ifDepth += 1
            resolveStatements(then, block)
            resolveStatements(elseBody, block)
            ifDepth -= 1
        case .forStmt(let vars, let iterable, let body, let span):
            if atTopLevel(block) && !dialect.topLevelControl {
                error(span, "for loop not within a function")
            }
            resolveExpr(iterable, block)
            assign(vars, block, augmented: false)
            loopDepth += 1
            resolveStatements(body, block)
            loopDepth -= 1
        case .whileStmt(let cond, let body, let span):
            error(span, "dialect does not support while loops; use a for loop over range()")
            resolveExpr(cond, block)
            loopDepth += 1
            resolveStatements(body, block)
            loopDepth -= 1
        case .def(let id, let info):
            bind(id, block)
            resolveFunction(info, block)
        case .returnStmt(let value, let span):
            if atTopLevel(block) { error(span, "return statement not within a function") }
            if let value { resolveExpr(value, block) }
        case .breakStmt(let span):
            if loopDepth == 0 { error(span, "break not in a loop") }
        case .continueStmt(let span):
            if loopDepth == 0 { error(span, "continue not in a loop") }
        case .pass:
            break
        case .load(let load):
            if !atTopLevel(block) {
                error(load.span, "load statement within a function")
            } else if loopDepth > 0 {
                error(load.span, "load statement within a loop")
            } else if ifDepth > 0 {
                error(load.span, "load statement within a conditional")
            }
            for entry in load.names {
                if entry.original.isEmpty || entry.local.name.isEmpty {
                    error(entry.span, "load: empty identifier")
                    continue
                }
                if entry.original.hasPrefix("_") {
                    error(entry.span, "load: names with leading underscores are not exported: \(entry.original)")
                    continue
                }
                if atTopLevel(block) {
                    bindGlobal(entry.local, isLoad: true)
                } else {
                    bind(entry.local, block)
                }
            }
        }
    }

    private func resolveAugmentedTarget(_ target: Expr, _ block: Block) {
        switch target {
        case .identifier(let id):
            // `x += 1` reads then rebinds x: one binding serves both.
            if block.isFunctionBlock && block.function === toplevel, let existing = globals[id.name] {
                if !dialect.globalReassign { error(id.span, "cannot reassign global \(id.name)") }
                id.binding = .global(existing.slot)
            } else {
                bind(id, block)
            }
        case .paren(let inner, _):
            resolveAugmentedTarget(inner, block)
        case .index, .dot:
            resolveExpr(target, block)
        default:
            error(target.span, "can't assign to \(target.kindName)")
        }
    }

    private func assign(_ target: Expr, _ block: Block, augmented: Bool) {
        switch target {
        case .identifier(let id):
            bind(id, block)
        case .index(let x, let i, _):
            resolveExpr(x, block)
            resolveExpr(i, block)
        case .dot(let x, _, _):
            resolveExpr(x, block)
        case .tuple(let items, _, _), .list(let items, _):
            for item in items { assign(item, block, augmented: augmented) }
        case .paren(let inner, _):
            assign(inner, block, augmented: augmented)
        default:
            error(target.span, "can't assign to \(target.kindName)")
        }
    }

    // MARK: functions

    private func resolveFunction(_ info: FunctionInfo, _ block: Block) {
        // defaults are evaluated in the enclosing scope
        for param in info.params {
            if case .optional(_, let expr) = param { resolveExpr(expr, block) }
        }
        checkParams(info)
        pendingFunctions.append((info, block))
    }

    private func checkParams(_ info: FunctionInfo) {
        var seenOptional = false
        var star: Span?
        var starStar = false
        var bareStar: Span?
        var keywordOnlyAfterBareStar = false
        var names = Set<String>()
        var positional = 0
        var keywordOnly = 0
        func checkName(_ id: Identifier) {
            if !names.insert(id.name).inserted { error(id.span, "duplicate parameter: \(id.name)") }
        }
        for param in info.params {
            switch param {
            case .required(let id), .optional(let id, _):
                if starStar { error(param.span, "parameter may not follow **kwargs") }
                if case .required = param {
                    if seenOptional && star == nil { error(param.span, "required parameter may not follow optional") }
                } else {
                    seenOptional = true
                }
                if star != nil {
                    keywordOnly += 1
                    keywordOnlyAfterBareStar = true
                } else {
                    positional += 1
                }
                checkName(id)
            case .star(let id, let span):
                if starStar {
                    error(span, "* parameter may not follow **kwargs")
                } else if star != nil {
                    error(span, "multiple * parameters not allowed")
                }
                if id == nil && star == nil { bareStar = span }
                star = span
                if let id { checkName(id) }
                info.hasVarargs = info.hasVarargs || id != nil
            case .starStar(let id, let span):
                if starStar { error(span, "multiple ** parameters not allowed") }
                starStar = true
                info.hasKwargs = true
                checkName(id)
            }
        }
        if let bareStar, !keywordOnlyAfterBareStar {
            error(bareStar, "bare * must be followed by keyword-only parameters")
        }
        info.positionalCount = positional
        info.keywordOnlyCount = keywordOnly
    }

    private func resolveFunctionBody(_ info: FunctionInfo, _ parent: Block) {
        let block = Block(parent: parent, function: info, isFunctionBlock: true)
        let savedLoop = loopDepth
        let savedIf = ifDepth
        loopDepth = 0
        ifDepth = 0
        // parameter slots: named params (positional, then keyword-only), then *args, then **kwargs
        var named: [Identifier] = []
        var varargs: Identifier?
        var kwargs: Identifier?
        for param in info.params {
            switch param {
            case .required(let id), .optional(let id, _): named.append(id)
            case .star(let id, _): if let id, varargs == nil { varargs = id }
            case .starStar(let id, _): if kwargs == nil { kwargs = id }
            }
        }
        for id in named + [varargs, kwargs].compactMap({ $0 }) {
            if block.bindings[id.name] != nil {
                id.binding = block.bindings[id.name] ?? .unresolved
                continue
            }
            bind(id, block)
        }
        resolveStatements(info.body, block)
        loopDepth = savedLoop
        ifDepth = savedIf
        finishFunction(info)
    }

    // MARK: expressions

    private func resolveExpr(_ expr: Expr, _ block: Block) {
        switch expr {
        case .identifier(let id):
            use(id, block)
        case .literal:
            break
        case .list(let items, _), .tuple(let items, _, _):
            for item in items { resolveExpr(item, block) }
        case .dict(let entries, _):
            for (k, v) in entries {
                resolveExpr(k, block)
                resolveExpr(v, block)
            }
        case .unary(_, let x, _):
            resolveExpr(x, block)
        case .binary(_, let x, let y, _):
            resolveExpr(x, block)
            resolveExpr(y, block)
        case .conditional(let c, let t, let e):
            resolveExpr(c, block)
            resolveExpr(t, block)
            resolveExpr(e, block)
        case .dot(let x, _, _):
            resolveExpr(x, block)
        case .index(let x, let i, _):
            resolveExpr(x, block)
            resolveExpr(i, block)
        case .slice(let x, let a, let b, let c, _):
            resolveExpr(x, block)
            for part in [a, b, c] { if let part { resolveExpr(part, block) } }
        case .call(let callee, let args, _):
            resolveExpr(callee, block)
            checkArguments(args)
            for arg in args {
                switch arg {
                case .positional(let e), .keyword(_, let e), .star(let e, _), .starStar(let e, _):
                    resolveExpr(e, block)
                }
            }
        case .comprehension(let comp):
            resolveComprehension(comp, block)
        case .lambda(let info):
            resolveFunction(info, block)
        case .paren(let inner, _):
            resolveExpr(inner, block)
        }
    }

    private func checkArguments(_ args: [Argument]) {
        var seenNamed = false
        var seenStar = false
        var seenStarStar = false
        var keywords = Set<String>()
        for arg in args {
            switch arg {
            case .positional(let e):
                if seenStarStar {
                    error(e.span, "argument may not follow **kwargs")
                } else if seenStar {
                    error(e.span, "positional argument may not follow *args")
                } else if seenNamed {
                    error(e.span, "positional argument may not follow named")
                }
            case .keyword(let id, _):
                if seenStarStar {
                    error(id.span, "argument may not follow **kwargs")
                } else if seenStar {
                    error(id.span, "keyword argument may not follow *args")
                }
                if !keywords.insert(id.name).inserted {
                    error(id.span, "keyword argument \"\(id.name)\" is repeated")
                }
                seenNamed = true
            case .star(_, let span):
                if seenStarStar {
                    error(span, "*args may not follow **kwargs")
                } else if seenStar {
                    error(span, "multiple *args not allowed")
                }
                seenStar = true
            case .starStar(_, let span):
                if seenStarStar { error(span, "multiple **kwargs not allowed") }
                seenStarStar = true
            }
        }
    }

    private func resolveComprehension(_ comp: Comprehension, _ block: Block) {
        let inner = Block(parent: block, function: block.function, isFunctionBlock: false)
        var first = true
        // Comprehension variables are locals of the enclosing function even at top level.
        for clause in comp.clauses {
            switch clause {
            case .forClause(let vars, let iterable, _):
                resolveExpr(iterable, first ? block : inner)
                assignComprehension(vars, inner)
            case .ifClause(let cond, _):
                resolveExpr(cond, inner)
            }
            first = false
        }
        resolveExpr(comp.body, inner)
        if let value = comp.value { resolveExpr(value, inner) }
    }

    private func assignComprehension(_ target: Expr, _ block: Block) {
        switch target {
        case .identifier(let id):
            if let existing = block.bindings[id.name] {
                id.binding = existing
                return
            }
            let slot = block.function.localCount
            block.function.localCount += 1
                block.bindings[id.name] = .local(slot)
            id.binding = .local(slot)
        case .tuple(let items, _, _), .list(let items, _):
            for item in items { assignComprehension(item, block) }
        case .paren(let inner, _):
            assignComprehension(inner, block)
        default:
            resolveExpr(target, block)
            if case .index = target { return }
            if case .dot = target { return }
            error(target.span, "can't assign to \(target.kindName)")
        }
    }
}
