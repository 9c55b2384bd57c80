/// A runtime error raised by evaluation or by a builtin. Builtins throw it (usually via
/// `call.error(...)`); the interpreter adds the position and traceback.
///
/// ```swift
/// throw EvalError("port must be between 1 and 65535")
/// ```
public struct EvalError: Error {
    public var message: String
    /// Where the error points; nil means "the current call site or expression".
    public var span: Span?
    public var file: String?
    /// When set, the builtin's name is not prefixed to the message.
    public var isUnprefixed = false
    var traceback: [TracebackFrame] = []
    var tracebackCaptured = false
    /// An error from another module (a failed `load`), passed through unchanged.
    var underlying: StarlarkError?
    /// The keyword argument the error is about, for pointing at it.
    var keyword: String?

    public init(_ message: String) { self.message = message }

    init(_ message: String, keyword: String) {
        self.message = message
        self.keyword = keyword
    }

    public init(_ message: String, file: String, span: Span) {
        self.message = message
        self.file = file
        self.span = span
    }
}

/// A variable cell; captured by closures so that they see later assignments.
final class Cell {
    var value: Value?
    init(_ value: Value? = nil) { self.value = value }

    deinit {
        guard let value else { return }
        var contents = [value]
        self.value = nil
        Teardown.release(&contents)
    }
}

/// A function defined in Starlark (`def` or `lambda`). Hosts call it with `Interpreter.call`.
///
/// ```swift
/// if case .function(let f) = value { print(f.name, f.parameterNames, "\(f.file):\(f.position)") }
/// ```
public final class StarlarkFunction {
    let info: FunctionInfo
    let module: ModuleState
    /// Default values of the named parameters, by parameter index (nil = required).
    var defaults: [Value?]
    let freeCells: [Cell]
    var isFrozen = false

    init(info: FunctionInfo, module: ModuleState, defaults: [Value?], freeCells: [Cell]) {
        self.info = info
        self.module = module
        self.defaults = defaults
        self.freeCells = freeCells
    }

    public var name: String { info.name }
    /// Where the function was defined.
    public var file: String { module.filename }
    public var position: Position { info.span.start }
    /// Names of the declared parameters, in order (`*args` and `**kwargs` included without stars).
    public var parameterNames: [String] {
        info.params.compactMap { param in
            switch param {
            case .required(let id), .optional(let id, _), .starStar(let id, _): return id.name
            case .star(let id, _): return id?.name
            }
        }
    }
}

/// A function implemented in Swift. The host's config API is a set of builtins.
///
/// ```swift
/// let env = Builtin("env") { call in
///     let args = try call.parse("name", "default?")
///     return args[1] ?? .none
/// }
/// ```
public final class Builtin {
    public let name: String
    /// The value a method is bound to (`"a".upper` has receiver `"a"`).
    public let receiver: Value?
    let body: (inout Call) throws -> Value

    public init(_ name: String, _ body: @escaping (inout Call) throws -> Value) {
        self.name = name
        self.receiver = nil
        self.body = body
    }

    init(method name: String, receiver: Value, _ body: @escaping (inout Call) throws -> Value) {
        self.name = name
        self.receiver = receiver
        self.body = body
    }
}

/// What a builtin receives: arguments, their source positions and the call site.
///
/// ```swift
/// let network = Builtin("network") { call in
///     let args = try call.parse("name", "port?")
///     print(call.file, call.span.start, call.keywordSpans["port"] as Any)
///     return .none
/// }
/// ```
public struct Call {
    public let interpreter: Interpreter
    public let name: String
    public let receiver: Value?
    public var args: [Value]
    public var kwargs: [(name: String, value: Value)]
    /// File of the calling code.
    public let file: String
    /// The call expression, from the callee's first character through `)`.
    public let span: Span
    /// Spans of the positional argument expressions (empty for calls built by the runtime).
    public let argumentSpans: [Span]
    /// Spans of `name=value` arguments by name.
    public let keywordSpans: [String: Span]

    init(
        interpreter: Interpreter, name: String, receiver: Value?, args: [Value],
        kwargs: [(name: String, value: Value)], file: String, span: Span, argumentSpans: [Span] = [],
        keywordSpans: [String: Span] = [:]
    ) {
        self.interpreter = interpreter
        self.name = name
        self.receiver = receiver
        self.args = args
        self.kwargs = kwargs
        self.file = file
        self.span = span
        self.argumentSpans = argumentSpans
        self.keywordSpans = keywordSpans
    }

    /// An error pointing at a keyword argument, a positional argument, or the call.
    public func error(_ message: String, keyword: String? = nil, argument: Int? = nil) -> EvalError {
        var error = EvalError(message)
        if let keyword, let span = keywordSpans[keyword] {
            error.span = span
            error.file = file
        } else if let argument, argument < argumentSpans.count {
            error.span = argumentSpans[argument]
            error.file = file
        }
        return error
    }

    /// Matches arguments to parameter names: positional arguments fill the names in order,
    /// keyword arguments match by name. A name ending in `?` is optional. Returns one slot per
    /// name (nil when an optional argument was not given).
    ///
    /// ```swift
    /// let args = try call.parse("name", "port?")   // network("x", port = 80)
    /// ```
    public func parse(_ names: String...) throws(EvalError) -> [Value?] {
        try parse(names)
    }

    public func parse(_ names: [String]) throws(EvalError) -> [Value?] {
        let bare = names.map { $0.hasSuffix("?") ? String($0.dropLast()) : $0 }
        var slots = [Value?](repeating: nil, count: names.count)
        if args.count > names.count {
            if names.isEmpty {
                throw error("got \(args.count) arguments, want none")
            }
            throw error("got \(args.count) arguments, want at most \(names.count)")
        }
        for (i, arg) in args.enumerated() { slots[i] = arg }
        for (key, value) in kwargs {
            guard let at = bare.firstIndex(of: key) else { throw unexpectedKeyword(key, among: bare) }
            if slots[at] != nil { throw error("got multiple values for parameter \"\(key)\"", keyword: key) }
            slots[at] = value
        }
        for (i, name) in names.enumerated() where !name.hasSuffix("?") && slots[i] == nil {
            throw error("missing argument for \(name)")
        }
        return slots
    }

    /// An error pointing at the argument that supplied parameter `name`, given the parameter
    /// names in `parse` order (a `?` suffix is ignored): its keyword if passed by name, else its
    /// positional argument, else the call.
    ///
    /// ```swift
    /// let names = ["name", "port?"]
    /// let args = try call.parse(names)
    /// if let port = args[1], port.asInt == nil {
    ///     throw call.error("port: got \(port.typeName), want int", parameter: "port", among: names)
    /// }
    /// ```
    public func error(_ message: String, parameter name: String, among names: [String]) -> EvalError {
        if keywordSpans[name] != nil { return error(message, keyword: name) }
        let bare = names.map { $0.hasSuffix("?") ? String($0.dropLast()) : $0 }
        if let index = bare.firstIndex(of: name), index < args.count { return error(message, argument: index) }
        return error(message)
    }

    /// "unknown keyword argument "nmae" — did you mean "name"?", pointing at the argument.
    public func unexpectedKeyword(_ name: String, among accepted: [String]) -> EvalError {
        var message = "unexpected keyword argument \"\(name)\""
        if let close = Suggest.closest(name, among: accepted) { message += " — did you mean \"\(close)\"?" }
        return error(message, keyword: name)
    }

    /// Fails unless the call has no keyword arguments.
    public func noKeywords() throws(EvalError) {
        if let first = kwargs.first {
            throw error("unexpected keyword arguments", keyword: first.name)
        }
    }
}
