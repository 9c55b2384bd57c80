import Foundation

/// Resource limits that keep a runaway or hostile script from hanging or exhausting the host.
///
/// ```swift
/// var limits = Limits.default
/// limits.maxSteps = 100_000
/// ```
public struct Limits: Sendable, Hashable {
    /// Steps executed, across all loaded modules: statements, loop iterations and calls, plus
    /// the work inside operators and builtins (an element visited, 64 bytes of string).
    public var maxSteps: Int
    /// Nested calls.
    public var maxCallDepth: Int
    /// Elements of a list/tuple, or bytes of a string, built by one operation.
    public var maxCollectionSize: Int
    /// Bytes of strings, lists and dicts made, counted approximately as they are made (never
    /// refunded), across all loaded modules.
    public var maxAllocatedBytes: Int
    /// Size of one source file.
    public var maxSourceBytes: Int

    public init(
        maxSteps: Int = 10_000_000, maxCallDepth: Int = 200, maxCollectionSize: Int = 10_000_000,
        maxAllocatedBytes: Int = 256 << 20, maxSourceBytes: Int = 4 << 20
    ) {
        self.maxSteps = maxSteps
        self.maxCallDepth = maxCallDepth
        self.maxCollectionSize = maxCollectionSize
        self.maxAllocatedBytes = maxAllocatedBytes
        self.maxSourceBytes = maxSourceBytes
    }

    public static let `default` = Limits()
}

/// A module being executed or already loaded.
final class ModuleState {
    let filename: String
    let lines: [String]
    var globals: [Value?]
    let globalNames: [String]
    let predeclared: [String: Value]
    var fileLocalSlots: Set<Int> = []

    init(filename: String, source: String, globalNames: [String], predeclared: [String: Value]) {
        self.filename = filename
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        self.globals = [Value?](repeating: nil, count: globalNames.count)
        self.globalNames = globalNames
        self.predeclared = predeclared
    }

    deinit {
        var contents = globals.compactMap { $0 }
        globals = []
        Teardown.release(&contents)
    }

    func line(_ number: Int) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }
}

final class Frame {
    let module: ModuleState
    let name: String
    let function: FunctionInfo
    var cells: [Cell]
    let freeCells: [Cell]
    /// The statement or call being executed, for tracebacks.
    var position: Span

    init(module: ModuleState, name: String, function: FunctionInfo, cells: [Cell], freeCells: [Cell]) {
        self.module = module
        self.name = name
        self.function = function
        self.cells = cells
        self.freeCells = freeCells
        self.position = function.span
    }
}

/// Runs Starlark programs. One interpreter runs one program and the modules it loads
/// (sharing the step budget and module cache); it is not thread-safe.
///
/// ```swift
/// let interpreter = Interpreter(load: { module, from in (try String(contentsOfFile: module), module) })
/// let globals = try interpreter.execute(filename: "pln.star", source: text, predeclared: ["env": .builtin(env)])
/// print(globals["port"]?.asInt ?? 0)
/// ```
///
/// The host API in brief:
/// - `predeclared` names are `Value`s, usually `.builtin(Builtin("name") { call in … })`. A builtin
///   reads `call.args` / `call.kwargs` (or `try call.parse("name", "port?")`), sees where it was
///   called (`call.file`, `call.span`, `call.keywordSpans[name]`, `call.argumentSpans[i]`), and fails
///   with `throw call.error("message", keyword: "port")`; the error is rendered at that keyword
///   as `file:line:col: error: name: message`, with the source line and a caret.
/// - Every failure is a `StarlarkError` whose `diagnostics` carry file, span, message, source
///   line and traceback; `description` is the rendered text. Static errors come all at once.
/// - Globals come back frozen, in definition order with `executeOrdered`. `Value` has `asInt`,
///   `asString`, `asList`, `asDict` (whose `entries` keep insertion order) and friends.
/// - `Suggest.closest(_:among:)` gives the same "did you mean" the interpreter uses.
public final class Interpreter {
    /// Loads a module: given the string in `load("…")` and the loading file's name, returns the
    /// module's source and the filename to report in errors (also the module cache key).
    public typealias Loader = (_ module: String, _ from: String) throws -> (source: String, filename: String)

    public var limits: Limits {
        didSet { meter.limits = limits }
    }
    public var dialect: Dialect
    /// Where `print()` goes; defaults to standard output.
    public var printHandler: (String) -> Void = { print($0) }
    let loader: Loader?
    /// Steps spent so far (see `Limits.maxSteps`).
    public var steps: Int { meter.steps }
    /// What the program has spent against `limits`.
    let meter: Meter
    /// Expression, block and call levels being evaluated (see `maxEvalDepth`).
    var depth = 0
    var frames: [Frame] = []
    private var moduleCache: [String: [String: Value]] = [:]
    private var loading: [String] = []
    private var loadPredeclared: [String: Value] = [:]
    /// Functions currently running, to reject recursion.
    var active: Set<ObjectIdentifier> = []
    private var onLargeStack = false

    public init(limits: Limits = .default, dialect: Dialect = .pln, load: Loader? = nil) {
        self.limits = limits
        self.meter = Meter(limits: limits)
        self.dialect = dialect
        self.loader = load
    }

    /// Parses without resolving; throws every syntax error found.
    public func parseOnly(filename: String, source: String) throws(StarlarkError) {
        let result = OnLargeStack.run { () -> Result<Void, StarlarkError> in
            do throws(StarlarkError) {
                _ = try self.parse(filename: filename, source: source)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    private func parse(filename: String, source: String) throws(StarlarkError) -> [Stmt] {
        let size = source.utf8.count
        if size > limits.maxSourceBytes {
            throw StarlarkError(
                Diagnostic(
                    phase: .syntax, file: filename, span: Span(Position(line: 1, column: 1)),
                    message:
                        "source file is \(Meter.describe(size)), more than the limit of \(Meter.describe(limits.maxSourceBytes))"
                ))
        }
        do {
            return try Parser.parse(source)
        } catch {
            let lines = ModuleState(filename: filename, source: source, globalNames: [], predeclared: [:])
            throw StarlarkError(
                error.errors.map {
                    Diagnostic(
                        phase: .syntax, file: filename, span: $0.span, message: $0.message,
                        sourceLine: lines.line($0.span.start.line))
                })
        }
    }

    /// The running Starlark frames, outermost first, each at its current statement or call.
    public var callStack: [TracebackFrame] {
        frames.map {
            TracebackFrame(file: $0.module.filename, position: $0.position.start, function: $0.name)
        }
    }

    /// Parses and resolves without running; throws every static error found.
    public func check(filename: String, source: String, predeclared: [String: Value] = [:])
        throws(StarlarkError)
    {
        let result = OnLargeStack.run { () -> Result<Void, StarlarkError> in
            do throws(StarlarkError) {
                _ = try self.compile(filename: filename, source: source, predeclared: predeclared)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    private func compile(filename: String, source: String, predeclared: [String: Value]) throws(StarlarkError)
        -> (FunctionInfo, ModuleState)
    {
        let lines = ModuleState(filename: filename, source: source, globalNames: [], predeclared: [:])
        let stmts = try parse(filename: filename, source: source)
        let resolver = Resolver(
            file: filename, dialect: dialect, isPredeclared: { predeclared[$0] != nil },
            isUniversal: { Universe.nameSet.contains($0) }, predeclaredNames: { Array(predeclared.keys) })
        let toplevel = resolver.resolveModule(stmts)
        if !resolver.errors.isEmpty {
            throw StarlarkError(
                resolver.errors.map {
                    Diagnostic(
                        phase: .resolve, file: filename, span: $0.span, message: $0.message,
                        sourceLine: lines.line($0.span.start.line))
                })
        }
        let module = ModuleState(
            filename: filename, source: source, globalNames: resolver.globalNames, predeclared: predeclared)
        module.fileLocalSlots = resolver.fileLocalSlots
        return (toplevel, module)
    }

    /// Runs a program and returns its globals (frozen). `predeclared` names are visible to the
    /// program and to the modules it loads.
    public func execute(filename: String, source: String, predeclared: [String: Value] = [:])
        throws(StarlarkError)
        -> [String: Value]
    {
        try executeOrdered(filename: filename, source: source, predeclared: predeclared).reduce(into: [:]) {
            $0[$1.name] = $1.value
        }
    }

    /// Like `execute`, with globals in the order they were first bound.
    public func executeOrdered(filename: String, source: String, predeclared: [String: Value] = [:])
        throws(StarlarkError) -> [(name: String, value: Value)]
    {
        if onLargeStack {
            return try executeModule(filename: filename, source: source, predeclared: predeclared)
        }
        let outcome = OnLargeStack.run { () -> Result<[(name: String, value: Value)], StarlarkError> in
            self.onLargeStack = true
            defer { self.onLargeStack = false }
            do throws(StarlarkError) {
                return .success(
                    try self.executeModule(filename: filename, source: source, predeclared: predeclared))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private func executeModule(filename: String, source: String, predeclared: [String: Value])
        throws(StarlarkError) -> [(name: String, value: Value)]
    {
        loadPredeclared = predeclared
        loading.append(filename)
        defer { loading.removeLast() }
        let (toplevel, module) = try compile(filename: filename, source: source, predeclared: predeclared)
        let frame = Frame(
            module: module, name: "<toplevel>", function: toplevel,
            cells: (0..<toplevel.localCount).map { _ in Cell() }, freeCells: [])
        frames.append(frame)
        defer { frames.removeLast() }
        do {
            _ = try execBlock(toplevel.body, frame)
        } catch {
            throw makeError(error)
        }
        var result: [(name: String, value: Value)] = []
        for (slot, name) in module.globalNames.enumerated() {
            // names bound by load() are file-local: not exported
            if module.fileLocalSlots.contains(slot) && !dialect.loadBindsGlobally { continue }
            if let value = module.globals[slot] {
                freezeValue(value)
                result.append((name, value))
            }
        }
        if let deep = result.first(where: { Teardown.hasDeepTupleChain($0.value) }) {
            var values = result.map(\.value)
            result = []
            Teardown.release(&values)
            throw StarlarkError(
                Diagnostic(
                    phase: .runtime, file: filename, span: Span(Position(line: 1, column: 1)),
                    message:
                        "global \(deep.name) holds tuples nested more than \(Teardown.maxTupleChain) levels deep",
                    sourceLine: module.line(1)))
        }
        return result
    }

    /// Converts a runtime error to a rendered diagnostic.
    func makeError(_ error: EvalError) -> StarlarkError {
        if let underlying = error.underlying { return underlying }
        var e = error
        if !e.tracebackCaptured { captureTraceback(&e) }
        let file = e.file ?? frames.last?.module.filename ?? "<unknown>"
        let span = e.span ?? frames.last?.position ?? Span(Position(line: 1, column: 1))
        return StarlarkError(
            Diagnostic(
                phase: .runtime, file: file, span: span, message: e.message,
                sourceLine: sourceLine(file, span.start.line),
                traceback: e.traceback))
    }

    private var sources: [String: ModuleState] {
        var map: [String: ModuleState] = [:]
        for frame in frames { map[frame.module.filename] = frame.module }
        return map
    }

    private func sourceLine(_ file: String, _ line: Int) -> String? {
        sources[file]?.line(line)
    }

    func captureTraceback(_ error: inout EvalError) {
        error.tracebackCaptured = true
        if error.span == nil, let last = frames.last {
            error.span = last.position
            error.file = last.module.filename
        }
        var traceback: [TracebackFrame] = []
        for (i, frame) in frames.enumerated() {
            let position =
                i == frames.count - 1 ? (error.span?.start ?? frame.position.start) : frame.position.start
            traceback.append(
                TracebackFrame(file: frame.module.filename, position: position, function: frame.name))
        }
        error.traceback = traceback
    }

    @inline(__always)
    func step() throws(EvalError) {
        try meter.step()
    }

    // MARK: load

    func load(_ name: String, from frame: Frame) throws(EvalError) -> [String: Value] {
        guard let loader else { throw EvalError("load is not available: the host provided no loader") }
        let source: String
        let filename: String
        do {
            (source, filename) = try loader(name, frame.module.filename)
        } catch let error as EvalError {
            throw error
        } catch {
            throw EvalError("cannot load \(name): \(error)")
        }
        if let cached = moduleCache[filename] { return cached }
        if let at = loading.firstIndex(of: filename) {
            let cycle = (loading[at...] + [filename]).joined(separator: " -> ")
            throw EvalError("cannot load \(name): load cycle: \(cycle)")
        }
        let savedFrames = frames
        frames = []
        defer { frames = savedFrames }
        do {
            let globals = try execute(filename: filename, source: source, predeclared: loadPredeclared)
            moduleCache[filename] = globals
            return globals
        } catch {
            frames = savedFrames
            var wrapped = EvalError("cannot load \(name)")
            // the loaded module's errors keep their own location; the load site joins the traceback
            let loadSite = callStack
            var inner = error
            for i in inner.diagnostics.indices {
                inner.diagnostics[i].traceback = loadSite + inner.diagnostics[i].traceback
            }
            wrapped.underlying = inner
            throw wrapped
        }
    }
}

/// Runs work on a thread with a large stack and waits for it. A tree-walking evaluator uses
/// several native frames per Starlark call; a 512 KiB worker-thread stack would overflow long
/// before `Limits.maxCallDepth` is reached, so evaluation never runs on the caller's stack.
enum OnLargeStack {
    static let stackSize = 256 << 20

    /// Holds the work and its result while the worker runs. Unchecked because exactly one thread
    /// touches it at a time: the caller blocks on the semaphore until the worker is done.
    private final class Job<T>: @unchecked Sendable {
        let work: () -> T
        var result: T?
        let done = DispatchSemaphore(value: 0)
        init(_ work: @escaping () -> T) { self.work = work }
    }

    static func run<T>(_ work: @escaping () -> T) -> T {
        let job = Job(work)
        let thread = Thread {
            job.result = job.work()
            job.done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        job.done.wait()
        guard let result = job.result else { return work() }
        return result
    }
}
