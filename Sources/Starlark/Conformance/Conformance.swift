import Foundation

/// Runs starlark-go-style test files: chunks separated by `---` lines, `### regex` marking the line
/// where an error is expected, `# option:x` naming dialect options. Used by the test suite and by
/// `pln starlark run FILE --test`.
///
/// ```swift
/// let report = Conformance.runFile(path: "testdata/dict.star")
/// print(report.summary)   // dict.star: 4/5 passed, 0 skipped
/// ```
public enum Conformance {
    /// Leaves out a chunk (or, with `line: true`, single lines of a chunk) the dialect does not support.
    public struct Skip: Sendable, Hashable {
        public var file: String
        /// A distinctive substring of the chunk (or of the lines) to leave out.
        public var match: String
        public var reason: String
        /// When true, only the lines containing `match` are replaced by `pass`, not the whole chunk.
        public var line: Bool

        public init(file: String, match: String, reason: String, line: Bool = false) {
            self.file = file
            self.match = match
            self.reason = reason
            self.line = line
        }
    }

    /// What happened to one chunk.
    public enum Outcome: Sendable, Hashable {
        case passed
        case failed(String)
        case skipped(String)
    }

    /// One chunk's outcome and where it starts in the file.
    public struct ChunkResult: Sendable, Hashable {
        public var index: Int
        /// Line of the chunk's first line in the file.
        public var firstLine: Int
        public var outcome: Outcome
        /// Lines left out by line-level skips, with reasons.
        public var skippedLines: [String]
    }

    /// Every chunk of one file; `summary` is a one-line count.
    ///
    /// ```swift
    /// let report = Conformance.runFile(path: path)
    /// for chunk in report.failed { print(chunk.firstLine, chunk.outcome) }
    /// ```
    public struct FileReport: Sendable {
        public var file: String
        public var chunks: [ChunkResult]

        public var passed: Int { chunks.filter { $0.outcome == .passed }.count }
        public var skipped: Int {
            chunks.filter {
                if case .skipped = $0.outcome { return true }
                return false
            }.count
        }
        public var failed: [ChunkResult] {
            chunks.filter {
                if case .failed = $0.outcome { return true }
                return false
            }
        }
        /// Statements left out by line-level skips, across all chunks.
        public var skippedStatements: Int { chunks.map(\.skippedLines.count).reduce(0, +) }

        public var summary: String {
            "\(file): \(passed)/\(chunks.count - skipped) chunks passed, \(skipped) chunks skipped, "
                + "\(skippedStatements) statements skipped"
        }
    }

    /// Options this dialect can switch on per chunk; other options make the chunk skip itself.
    /// `set` is accepted but enables nothing: the caller must line-skip statements using sets.
    static let supportedOptions: Set<String> = [
        "globalreassign", "toplevelcontrol", "loadbindsglobally", "set",
    ]

    /// Runs every chunk of the file at `path`.
    public static func runFile(path: String, skips: [Skip] = []) -> FileReport {
        let name = (path as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let unreadable = ChunkResult(
                index: 0, firstLine: 1, outcome: .failed("cannot read \(path)"), skippedLines: [])
            return FileReport(file: name, chunks: [unreadable])
        }
        let directory = (path as NSString).deletingLastPathComponent
        let fileSkips = skips.filter { $0.file == name }
        var results: [ChunkResult] = []
        for (index, chunk) in splitChunks(text).enumerated() {
            if let skip = fileSkips.first(where: { !$0.line && chunk.text.contains($0.match) }) {
                results.append(
                    ChunkResult(
                        index: index, firstLine: chunk.firstLine, outcome: .skipped(skip.reason),
                        skippedLines: []))
                continue
            }
            var lines = chunk.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let skippedLines = applyLineSkips(fileSkips.filter(\.line), to: &lines)
            let outcome = runChunk(lines.joined(separator: "\n"), file: path, directory: directory)
            results.append(
                ChunkResult(
                    index: index, firstLine: chunk.firstLine, outcome: outcome, skippedLines: skippedLines))
        }
        return FileReport(file: name, chunks: results)
    }

    /// Splits a file at `---` lines. Each chunk is padded with blank lines so that its line
    /// numbers are the file's.
    static func splitChunks(_ text: String) -> [(firstLine: Int, text: String)] {
        var chunks: [(firstLine: Int, text: String)] = []
        var current: [String] = []
        var firstLine = 1
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "---" {
                chunks.append((firstLine, current.joined(separator: "\n")))
                firstLine = offset + 2
                current = Array(repeating: "", count: offset + 1)
                continue
            }
            current.append(String(line))
        }
        chunks.append((firstLine, current.joined(separator: "\n")))
        return chunks
    }

    /// Blanks the statements matched by line-level skips; returns "line N: reason" for each.
    static func applyLineSkips(_ skips: [Skip], to lines: inout [String]) -> [String] {
        var skipped: [String] = []
        for skip in skips {
            let matchLines = skip.match.split(separator: "\n", omittingEmptySubsequences: false).count
            var i = 0
            while i < lines.count {
                let matched =
                    matchLines > 1
                    ? lines[i...].prefix(matchLines).joined(separator: "\n").hasPrefix(skip.match)
                    : lines[i].contains(skip.match)
                if matched {
                    skipped.append("line \(i + 1): \(skip.reason)")
                    i = blankStatement(&lines, at: i)
                } else {
                    i += 1
                }
            }
        }
        return skipped
    }

    private enum Mode { case parse, resolve, execute }

    /// Replaces the statement starting at `index` with `pass`: its continuation lines (open
    /// brackets) and, for a compound statement, its indented body. Returns the next line index.
    static func blankStatement(_ lines: inout [String], at index: Int) -> Int {
        let indent = lines[index].prefix { $0 == " " || $0 == "\t" }
        var balance = 0
        var inTripleQuote = false
        var i = index
        repeat {
            if lines[i].components(separatedBy: "\"\"\"").count % 2 == 0 { inTripleQuote.toggle() }
            for c in lines[i] {
                if "([{".contains(c) { balance += 1 } else if ")]}".contains(c) { balance -= 1 }
            }
            lines[i] = i == index ? indent + "pass" : ""
            i += 1
        } while (balance > 0 || inTripleQuote) && i < lines.count
        while i < lines.count {
            let line = lines[i]
            let lineIndent = line.prefix { $0 == " " || $0 == "\t" }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || lineIndent.count > indent.count {
                // a nested statement may span lines of lower indentation (a triple-quoted string)
                let start = i
                i = blankStatement(&lines, at: i)
                lines[start] = ""
            } else {
                break
            }
        }
        return i
    }

    /// Expected errors: line number → regex.
    static func expectations(_ source: String) -> [Int: String] {
        var result: [Int: String] = [:]
        for (i, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: "###") else { continue }
            var rest = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if let hash = rest.range(of: "  #") { rest = String(rest[..<hash.lowerBound]) }
            guard let quote = rest.first else { continue }
            if quote == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                result[i + 1] = String(rest[rest.index(after: rest.startIndex)..<end])
            } else if quote == "\"" {
                var pattern = ""
                var escaped = false
                for c in rest.dropFirst() {
                    if escaped {
                        pattern.append(c == "n" ? "\n" : c == "t" ? "\t" : c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        pattern.append(c)
                    }
                }
                result[i + 1] = pattern
            }
        }
        return result
    }

    /// starlark-go phrases some messages differently; this maps their expected patterns to ours.
    static func translate(_ pattern: String) -> String {
        var p = pattern
        if let match = p.range(of: #"^undefined: (\w+)"#, options: .regularExpression) {
            let name = String(p[match].dropFirst("undefined: ".count))
            var rest = String(p[match.upperBound...])
            rest = rest.replacingOccurrences(
                of: #" \\\(did you mean (\w+)\\\?\\\)"#, with: #" — did you mean "$1"\\?"#,
                options: .regularExpression)
            p = "name \"\(name)\" is not defined" + rest
        }
        p = p.replacingOccurrences(of: "method .did you mean", with: "method — did you mean")
        p = p.replacingOccurrences(
            of: #"did you mean (\\?\.)?(\w+)"#, with: #"did you mean "?$1$2"?"#, options: .regularExpression)
        return p
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        // ICU rejects a lone brace that RE2 (starlark-go's regex engine) takes literally.
        let regex =
            (try? NSRegularExpression(pattern: pattern))
            ?? (try? NSRegularExpression(
                pattern: pattern.replacingOccurrences(of: "{", with: "\\{").replacingOccurrences(
                    of: "}", with: "\\}")))
        guard let regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func runChunk(_ source: String, file: String, directory: String) -> Outcome {
        let options = Set(
            source.split(separator: "\n").flatMap { line -> [String] in
                line.split(separator: " ").compactMap { word in
                    word.hasPrefix("option:") ? String(word.dropFirst("option:".count)) : nil
                }
            })
        if let unsupported = options.subtracting(supportedOptions).sorted().first {
            return .skipped("needs option:\(unsupported), which PLN's dialect leaves out")
        }
        let base = (file as NSString).lastPathComponent
        let mode: Mode = base.hasPrefix("syntax_") ? .parse : base == "resolve.star" ? .resolve : .execute
        let dialect = Dialect(
            globalReassign: options.contains("globalreassign"),
            topLevelControl: options.contains("toplevelcontrol"),
            loadBindsGlobally: options.contains("loadbindsglobally"))
        let expected = expectations(source).mapValues(translate)
        var failures: [String] = []
        let interpreter = Interpreter(
            dialect: dialect,
            load: { module, _ in
                let path = (directory as NSString).appendingPathComponent(module)
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw EvalError("cannot read \(module)")
                }
                return (text, module)
            })
        interpreter.printHandler = { _ in }
        var errors: [Diagnostic] = []
        let sink = FailureSink()
        do {
            switch mode {
            case .parse:
                try interpreter.parseOnly(filename: file, source: source)
            case .resolve:
                try interpreter.check(
                    filename: file, source: source, predeclared: ["M": .none, "U": .none])
            case .execute:
                _ = try interpreter.execute(filename: file, source: source, predeclared: predeclared(sink))
            }
        } catch {
            errors = error.diagnostics
        }
        var matched = Set<Int>()
        for diagnostic in errors {
            var lines =
                [diagnostic.line] + diagnostic.traceback.filter { $0.file == file }.map(\.position.line)
            lines = lines.filter { expected[$0] != nil }
            guard let line = lines.first(where: { matches(expected[$0] ?? "", diagnostic.message) }) else {
                if let line = lines.first {
                    failures.append(
                        "line \(line): error \"\(diagnostic.message)\" does not match /\(expected[line] ?? "")/"
                    )
                } else {
                    failures.append(
                        "unexpected error: \(diagnostic.file):\(diagnostic.line):\(diagnostic.column): \(diagnostic.message)"
                    )
                }
                continue
            }
            matched.insert(line)
        }
        failures += sink.messages
        if mode != .execute || errors.isEmpty {
            for line in expected.keys.sorted() where !matched.contains(line) {
                failures.append("line \(line): expected an error matching /\(expected[line] ?? "")/")
            }
        } else if matched.isEmpty && !expected.isEmpty && failures.isEmpty {
            failures.append("expected error not reported")
        }
        return failures.isEmpty ? .passed : .failed(failures.joined(separator: "\n"))
    }

    final class FailureSink {
        var messages: [String] = []
    }

    /// The host functions starlark-go's tests expect: error, catch, matches, module, _freeze, _floateq.
    static func predeclared(_ sink: FailureSink) -> [String: Value] {
        let error = Builtin("error") { call in
            let args = try call.parse("msg")
            let line = call.interpreter.callStack.first?.position.line ?? 0
            sink.messages.append("error() called at line \(line): \((args[0] ?? .none).description)")
            return .none
        }
        let catchBuiltin = Builtin("catch") { call in
            let args = try call.parse("f")
            do throws(EvalError) {
                _ = try call.interpreter.call(args[0] ?? .none, args: [])
                return .none
            } catch {
                return .string(error.underlying?.message ?? error.message)
            }
        }
        let matchesBuiltin = Builtin("matches") { call in
            let args = try call.parse("pattern", "str")
            guard case .string(let pattern) = args[0] ?? .none, case .string(let text) = args[1] ?? .none
            else {
                throw EvalError("want (string, string)")
            }
            return .bool(matches(translate(pattern), text))
        }
        let module = Builtin("module") { call in
            guard call.args.count == 1, case .string(let name) = call.args[0] else {
                throw EvalError("want a module name")
            }
            return .module(StarlarkModule(name: name, members: call.kwargs.map { ($0.name, $0.value) }))
        }
        let freeze = Builtin("freeze") { call in
            let args = try call.parse("x")
            args[0]?.freeze()
            return args[0] ?? .none
        }
        let floateq = Builtin("floateq") { call in
            let args = try call.parse("x", "y")
            guard let x = args[0]?.asDouble, let y = args[1]?.asDouble else { throw EvalError("want floats") }
            if x == y || (x.isNaN && y.isNaN) { return .bool(true) }
            return .bool(x.nextUp == y || x.nextDown == y)
        }
        return [
            "error": .builtin(error), "catch": .builtin(catchBuiltin), "matches": .builtin(matchesBuiltin),
            "module": .builtin(module), "_freeze": .builtin(freeze), "_floateq": .builtin(floateq),
        ]
    }
}
