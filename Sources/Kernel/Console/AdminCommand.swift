/// A console command as a type, the swift-argument-parser way: a configuration, arguments as
/// typed properties (``Argument``, ``Option``, ``Flag``), and `run`. Help, usage, `--help` and
/// usage errors (exit 2) come from the declaration; values arrive converted.
///
/// ```swift
/// struct ListPosts: AdminCommand {
///     static let configuration = CommandConfiguration(name: "list", abstract: "List posts.")
///     @Option(help: "At most this many.", valueName: "N") var limit = 50
///     @Flag(help: "Print JSON.") var json: Bool
///     func run(_ blog: BlogService, console: Console) throws { … }
/// }
/// context.adminCommand(.group("blog", abstract: "Blog posts.", [.command(ListPosts.self, blog)]))
/// ```
public protocol AdminCommand: Sendable {
    /// What `run` needs besides its arguments: a module's service, the app, or nothing (`Void`).
    associatedtype Dependencies: Sendable = Void
    static var configuration: CommandConfiguration { get }
    init()
    func run(_ dependencies: Dependencies, console: Console) throws
}

/// A command's name and what help says about it.
public struct CommandConfiguration: Sendable {
    public var name: String
    public var abstract: String
    public var discussion: String

    public init(name: String, abstract: String, discussion: String = "") {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
    }
}

extension AdminCommand {
    /// The declared arguments, in declaration order, with the property they fill.
    static func declarations(of command: Self) -> [(property: String, declaration: any CommandDeclaration)] {
        Mirror(reflecting: command).children.compactMap { child in
            guard let label = child.label, label.hasPrefix("_"),
                let declaration = child.value as? any CommandDeclaration
            else { return nil }
            return (kebabCase(String(label.dropFirst())), declaration)
        }
    }

    /// `needsOwner` → `needs-owner`.
    static func kebabCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension CommandSpec {
    /// The command `type` declares, run with `dependencies`.
    public static func command<Command: AdminCommand>(
        _ type: Command.Type, _ dependencies: Command.Dependencies
    ) -> CommandSpec {
        let configuration = Command.configuration
        let arguments = Command.declarations(of: Command()).map { $0.declaration.spec(property: $0.property) }
        return CommandSpec(
            name: configuration.name, abstract: configuration.abstract,
            discussion: configuration.discussion, arguments: arguments
        ) { parsed, console in
            let command = Command()
            for (property, declaration) in Command.declarations(of: command) {
                try declaration.bind(parsed, property: property)
            }
            try command.run(dependencies, console: console)
        }
    }

    /// A command that needs nothing but its arguments.
    public static func command<Command: AdminCommand>(_ type: Command.Type) -> CommandSpec
    where Command.Dependencies == Void {
        command(type, ())
    }

    /// A noun grouping commands: `pln admin <name> <command>`.
    public static func group(
        _ name: String, abstract: String, discussion: String = "", _ subcommands: [CommandSpec]
    ) -> CommandSpec {
        CommandSpec(name: name, abstract: abstract, discussion: discussion, subcommands: subcommands)
    }
}
