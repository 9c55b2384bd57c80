/// One frame of a runtime traceback.
///
/// ```swift
/// for frame in diagnostic.traceback { print("\(frame.file):\(frame.position): in \(frame.function)") }
/// ```
public struct TracebackFrame: Sendable, Hashable {
    public var file: String
    public var position: Position
    /// The function running in this frame; `<toplevel>` for module code.
    public var function: String

    public init(file: String, position: Position, function: String) {
        self.file = file
        self.position = position
        self.function = function
    }
}

/// One error found in a Starlark program, with its location and the source line it points at.
///
/// ```swift
/// let diagnostic = Diagnostic(file: "pln.star", span: Span(Position(line: 1, column: 1), length: 7),
///                             message: "name \"netwrok\" is not defined", sourceLine: "netwrok()")
/// print(diagnostic.rendered)
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Which stage found the error.
    public enum Phase: String, Sendable, Hashable {
        case syntax, resolve, runtime
    }

    public var phase: Phase
    public var file: String
    public var span: Span
    /// One sentence, without the location.
    public var message: String
    /// The source line the span starts on, without its newline (nil when unknown).
    public var sourceLine: String?
    /// Outermost call first; empty for static errors and for top-level runtime errors.
    public var traceback: [TracebackFrame]

    public init(
        phase: Phase = .runtime, file: String, span: Span, message: String, sourceLine: String? = nil,
        traceback: [TracebackFrame] = []
    ) {
        self.phase = phase
        self.file = file
        self.span = span
        self.message = message
        self.sourceLine = sourceLine
        self.traceback = traceback
    }

    public var line: Int { span.start.line }
    public var column: Int { span.start.column }

    /// Width of the caret marker on the first line of the span (at least 1).
    public var spanLength: Int {
        if span.end.line == span.start.line { return max(1, span.end.column - span.start.column) }
        let lineLength = sourceLine.map { $0.unicodeScalars.count } ?? span.start.column
        return max(1, lineLength - span.start.column + 1)
    }

    /// `file:line:col: error: message`, the source line with a caret under the span, and the
    /// traceback when the error happened inside a function.
    public var rendered: String {
        var out = "\(file):\(line):\(column): error: \(message)"
        if let sourceLine {
            let number = String(line)
            let width = max(number.count + 1, 5)
            let gutter = String(repeating: " ", count: width)
            out += "\n" + String(repeating: " ", count: width - number.count) + number + " | " + sourceLine
            var pad = ""
            for (index, scalar) in sourceLine.unicodeScalars.enumerated() where index < column - 1 {
                pad += scalar == "\t" ? "\t" : " "
            }
            if column - 1 > sourceLine.unicodeScalars.count {
                pad += String(repeating: " ", count: column - 1 - sourceLine.unicodeScalars.count)
            }
            let length = spanLength
            out += "\n" + gutter + " | " + pad + "^" + String(repeating: "~", count: length - 1)
        }
        if traceback.count > 1 || traceback.first.map({ $0.file != file }) == true {
            out += "\ntraceback (most recent call last):"
            for frame in traceback {
                out += "\n  \(frame.file):\(frame.position): in \(frame.function)"
            }
        }
        return out
    }

    public var description: String { rendered }
}

/// Every error a Starlark program produced: all static errors at once, or one runtime error.
///
/// ```swift
/// do { _ = try interpreter.execute(filename: "pln.star", source: text) }
/// catch { print(error) }  // file:line:col: error: …, source line, caret
/// ```
public struct StarlarkError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    /// The first diagnostic's message (useful for tests and short reports).
    public var message: String { diagnostics.first?.message ?? "" }

    public var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}
