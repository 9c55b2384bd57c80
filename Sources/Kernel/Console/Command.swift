import Foundation

/// One argument a command declares. Help, usage and errors come from these declarations.
public struct ArgumentSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A value by position; `optional` ones may be left out.
        case positional(optional: Bool)
        /// `--name VALUE`, with a default when left out.
        case option(valueName: String, default: String?)
        /// `--name`, true when present.
        case flag
    }
    public var name: String
    public var kind: Kind
    public var help: String
    /// The values a typed argument accepts (``CommandArgument/allowedValues``); help lists them.
    public var allowedValues: [String]? = nil

    public var isPositional: Bool {
        if case .positional = kind { return true } else { return false }
    }

    public static func positional(_ name: String, _ help: String, optional: Bool = false) -> ArgumentSpec {
        ArgumentSpec(name: name, kind: .positional(optional: optional), help: help)
    }
    public static func option(
        _ name: String, _ help: String, valueName: String = "VALUE", default: String? = nil
    )
        -> ArgumentSpec
    {
        ArgumentSpec(name: name, kind: .option(valueName: valueName, default: `default`), help: help)
    }
    public static func flag(_ name: String, _ help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, kind: .flag, help: help)
    }
}

/// Parsed arguments, looked up by their declared names.
public struct ParsedArguments: Sendable {
    public var values: [String: String] = [:]
    public var flags: Set<String> = []
    public var json: Bool { flags.contains("json") }

    public subscript(_ name: String) -> String? { values[name] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// A required value; the parser guarantees declared required positionals are present.
    public func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw ConsoleError.usage("missing <\(name)>") }
        return value
    }

    public func integer(_ name: String) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            throw ConsoleError.usage("--\(name) expects a whole number, got \"\(text)\"")
        }
        return value
    }
}

/// A console command: a name, what it does, the arguments it declares, and either subcommands
/// or a body. Modules add theirs under `pln admin`.
///
/// ```swift
/// CommandSpec(name: "list", abstract: "List members.", arguments: [.flag("json", "JSON output")]) { args, console in
///     console.print("…")
/// }
/// ```
public struct CommandSpec: Sendable {
    public typealias Body = @Sendable (ParsedArguments, Console) throws -> Void
    public var name: String
    public var abstract: String
    public var discussion: String
    public var arguments: [ArgumentSpec]
    public var subcommands: [CommandSpec]
    public var body: Body?

    public init(
        name: String, abstract: String, discussion: String = "", arguments: [ArgumentSpec] = [],
        body: Body? = nil
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.subcommands = []
        self.body = body
    }

    public init(name: String, abstract: String, discussion: String = "", subcommands: [CommandSpec]) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = []
        self.subcommands = subcommands
        self.body = nil
    }
}

/// Errors a command reports. `usage` exits 2, `failure` exits 1.
public enum ConsoleError: Error, CustomStringConvertible, Equatable {
    case usage(String)
    case failure(String, hint: String? = nil)

    public var description: String {
        switch self {
        case .usage(let message): return message
        case .failure(let message, let hint): return message + (hint.map { "\nhint: \($0)" } ?? "")
        }
    }
}
