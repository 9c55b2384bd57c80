import Foundation
import Storage
import Synchronization

/// Where a command writes, and how it asks for confirmation. Tests capture the output.
///
/// ```swift
/// let console = Console.capturing()
/// let code = console.run(["admin", "modules", "list"], root: root)
/// print(console.capturedOutput)
/// ```
public final class Console: Sendable {
    private let writeOut: @Sendable (String) -> Void
    private let writeError: @Sendable (String) -> Void
    private let readLine: @Sendable () -> String?
    private let box: CaptureBox?

    public init(
        out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void,
        readLine: @escaping @Sendable () -> String?
    ) {
        writeOut = out
        writeError = error
        self.readLine = readLine
        box = nil
    }

    private init(box: CaptureBox, readLine: @escaping @Sendable () -> String?) {
        writeOut = { box.append(out: $0) }
        writeError = { box.append(err: $0) }
        self.readLine = readLine
        self.box = box
    }

    /// The process's standard streams.
    public static func standard() -> Console {
        Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            error: { FileHandle.standardError.write(Data($0.utf8)) },
            readLine: { Swift.readLine() })
    }

    /// Keeps output in memory; `answers` are the lines typed at prompts.
    public static func capturing(answers: [String] = []) -> Console {
        let remaining = Mutex(answers)
        return Console(
            box: CaptureBox(), readLine: { remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
    }

    public var capturedOutput: String { box?.out ?? "" }
    public var capturedErrors: String { box?.err ?? "" }

    public func print(_ text: String = "") { writeOut(text + "\n") }
    public func error(_ text: String) { writeError(text + "\n") }

    /// Prints a JSON value followed by a newline.
    public func printJSON(_ value: JSONValue) { print(value.jsonText(pretty: true)) }

    /// Asks a yes/no question; only "y" or "yes" is a yes. No input (not a terminal) is a no.
    public func confirm(_ question: String) -> Bool {
        writeOut(question + " [y/N] ")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    /// Goes on only when `yes` (the command's --yes) or the operator answers yes; otherwise
    /// stops the command with exit code 1 and `refusal` ("nothing deleted").
    ///
    /// ```swift
    /// try console.requireConfirmation("Delete the group \(group.name)?", unless: yes)
    /// ```
    public func requireConfirmation(_ question: String, unless yes: Bool, refusal: String = "nothing deleted")
        throws
    {
        if yes || confirm(question) { return }
        throw ConsoleError.failure(refusal, hint: "answer \"yes\", or pass --yes")
    }

    /// Prints rows as aligned columns.
    public func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1
                    ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }

    // MARK: Running commands

    /// Runs the command `arguments` names under `root`; returns the exit code: 0 ok,
    /// 1 failure, 2 usage error. Errors go to standard error with a hint.
    public func run(_ arguments: [String], root: CommandSpec) -> Int32 {
        var path = [root]
        var remaining = arguments[...]
        while let next = remaining.first, !next.hasPrefix("-"), let current = path.last,
            !current.subcommands.isEmpty
        {
            guard let sub = current.subcommands.first(where: { $0.name == next }) else {
                let suggestion = closestMatch(to: next, among: current.subcommands.map(\.name))
                error(
                    "error: unknown command \"\(next)\" for \"\(path.map(\.name).joined(separator: " "))\""
                        + (suggestion.map { " — did you mean \"\($0)\"?" } ?? ""))
                error("hint: run `\(path.map(\.name).joined(separator: " ")) --help` to see the commands")
                return 2
            }
            path.append(sub)
            remaining.removeFirst()
        }
        guard let command = path.last else { return 2 }
        let commandPath = path.map(\.name).joined(separator: " ")
        if remaining.contains("--help") || remaining.contains("-h") || remaining.first == "help" {
            print(help(for: command, path: commandPath))
            return 0
        }
        guard let body = command.body else {
            if remaining.isEmpty {
                error(help(for: command, path: commandPath))
                return 2
            }
            error("error: \"\(remaining.first ?? "")\" is not an option of \"\(commandPath)\"")
            error("hint: run `\(commandPath) --help`")
            return 2
        }
        do {
            let parsed = try parse(Array(remaining), for: command)
            try body(parsed, self)
            return 0
        } catch let failure as ConsoleError {
            switch failure {
            case .usage(let message):
                error("error: \(message)")
                error("usage: \(usage(for: command, path: commandPath))")
                error("hint: run `\(commandPath) --help`")
                return 2
            case .failure(let message, let hint):
                error("error: \(message)")
                if let hint { error("hint: \(hint)") }
                return 1
            }
        } catch {
            return report(error)
        }
    }

    /// How an error reads on the console: its message, what to do, and the exit code (2 for
    /// usage errors, 1 for the rest). Storage errors name the file and the cause (read-only,
    /// locked, not a database, disk full …) with their remedy; see ``StorageError/cause``.
    public static func explain(_ error: any Error, context: String? = nil) -> (
        message: String, hint: String?, exitCode: Int32
    ) {
        let prefix = context.map { $0 + ": " } ?? ""
        switch error {
        case let error as ConsoleError:
            switch error {
            case .usage(let message): return (prefix + message, nil, 2)
            case .failure(let message, let hint): return (prefix + message, hint, 1)
            }
        case let error as StorageError:
            return (prefix + error.summary, error.remedy, 1)
        case let error as DomainError:
            switch error {
            case .notFound: return (prefix + "not found", nil, 1)
            case .invalid(let fields):
                return (prefix + fields.map { "\($0.field): \($0.message)" }.joined(separator: "\n"), nil, 1)
            case .forbidden(let message), .conflict(let message), .rateLimited(let message):
                return (prefix + message, nil, 1)
            }
        default:
            return (prefix + "\(error)", nil, 1)
        }
    }

    /// Prints `error` on standard error as "error: …" and "hint: …"; returns its exit code.
    @discardableResult
    public func report(_ failure: any Error, context: String? = nil, fallbackHint: String? = nil) -> Int32 {
        let explained = Self.explain(failure, context: context)
        error("error: \(explained.message)")
        if let hint = explained.hint ?? fallbackHint { error("hint: \(hint)") }
        return explained.exitCode
    }

    func parse(_ arguments: [String], for command: CommandSpec) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        let positionals = command.arguments.filter(\.isPositional)
        var positionalIndex = 0
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("--") && argument.count > 2 {
                var name = String(argument.dropFirst(2))
                var inlineValue: String?
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let spec = command.arguments.first(where: { $0.name == name && !$0.isPositional })
                else {
                    let names = command.arguments.filter { !$0.isPositional }.map(\.name)
                    throw ConsoleError.usage(
                        "unknown option --\(name)"
                            + (closestMatch(to: name, among: names).map { " — did you mean --\($0)?" } ?? ""))
                }
                switch spec.kind {
                case .flag:
                    if inlineValue != nil { throw ConsoleError.usage("--\(name) takes no value") }
                    parsed.flags.insert(name)
                case .option(let valueName, _):
                    if let inlineValue {
                        parsed.values[name] = inlineValue
                    } else if index < arguments.count {
                        parsed.values[name] = arguments[index]
                        index += 1
                    } else {
                        throw ConsoleError.usage("--\(name) needs a value (\(valueName))")
                    }
                case .positional: break
                }
            } else {
                guard positionalIndex < positionals.count else {
                    throw ConsoleError.usage("unexpected argument \"\(argument)\"")
                }
                parsed.values[positionals[positionalIndex].name] = argument
                positionalIndex += 1
            }
        }
        for spec in command.arguments {
            switch spec.kind {
            case .positional(let optional):
                if !optional && parsed.values[spec.name] == nil {
                    throw ConsoleError.usage("missing <\(spec.name)>: \(spec.help)")
                }
            case .option(_, let defaultValue):
                if parsed.values[spec.name] == nil, let defaultValue {
                    parsed.values[spec.name] = defaultValue
                }
            case .flag: break
            }
        }
        return parsed
    }

    func usage(for command: CommandSpec, path: String) -> String {
        if !command.subcommands.isEmpty { return "\(path) <command>" }
        var parts = [path]
        for spec in command.arguments {
            switch spec.kind {
            case .positional(let optional): parts.append(optional ? "[<\(spec.name)>]" : "<\(spec.name)>")
            case .option(let valueName, _): parts.append("[--\(spec.name) \(valueName)]")
            case .flag: parts.append("[--\(spec.name)]")
            }
        }
        return parts.joined(separator: " ")
    }

    public func help(for command: CommandSpec, path: String) -> String {
        var lines = ["\(path): \(command.abstract)"]
        if !command.discussion.isEmpty { lines += ["", command.discussion] }
        lines += ["", "usage: \(usage(for: command, path: path))"]
        if !command.subcommands.isEmpty {
            lines += ["", "commands:"]
            let width = command.subcommands.map(\.name.count).max() ?? 0
            for sub in command.subcommands {
                lines.append(
                    "  " + sub.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + sub.abstract)
            }
            lines += ["", "Run `\(path) <command> --help` for a command's arguments."]
        } else {
            var rows: [(String, String)] = []
            for spec in command.arguments {
                // A typed argument's allowed values, unless its help already names them all.
                let values =
                    spec.allowedValues.flatMap { values in
                        values.allSatisfy { spec.help.contains($0) }
                            ? nil : " (one of: " + values.joined(separator: ", ") + ")"
                    } ?? ""
                switch spec.kind {
                case .positional: rows.append(("<\(spec.name)>", spec.help + values))
                case .option(let valueName, let defaultValue):
                    rows.append(
                        (
                            "--\(spec.name) \(valueName)",
                            spec.help + values + (defaultValue.map { " (default: \($0))" } ?? "")
                        ))
                case .flag: rows.append(("--\(spec.name)", spec.help))
                }
            }
            rows.append(("--help", "Show this help."))
            let width = rows.map(\.0.count).max() ?? 0
            lines += ["", "arguments:"]
            for (name, text) in rows {
                lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text)
            }
        }
        return lines.joined(separator: "\n")
    }
}

private final class CaptureBox: Sendable {
    private let state = Mutex<(out: String, err: String)>(("", ""))
    func append(out text: String) { state.withLock { $0.out += text } }
    func append(err text: String) { state.withLock { $0.err += text } }
    var out: String { state.withLock { $0.out } }
    var err: String { state.withLock { $0.err } }
}
