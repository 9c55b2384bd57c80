import Foundation
import Storage
import Synchronization

/// The `pln` command line: `serve`, `admin …`, `config …`, `starlark …`. Built from the
/// registry so modules add their own admin commands; runnable in-process for tests.
///
/// ```swift
/// let app = CommandLineApp(registry: registry)
/// exit(app.run(Array(CommandLine.arguments.dropFirst()), console: .standard()))
/// ```
public final class CommandLineApp: Sendable {
    public let registry: ModuleRegistry
    /// Loads the deployment config from a path (nil: the default `config/pln.star`).
    public let loadConfig: @Sendable (String?) throws -> DeploymentConfig
    /// Extra top-level commands the executable adds (e.g. `serve`).
    public let extraCommands: @Sendable (CommandLineApp) -> [CommandSpec]
    public let clock: any Clock
    private let booted = Mutex<Kernel?>(nil)
    private let configPath = Mutex<String?>(nil)

    public init(
        registry: ModuleRegistry, clock: any Clock = SystemClock(),
        loadConfig: @escaping @Sendable (String?) throws -> DeploymentConfig,
        extraCommands: @escaping @Sendable (CommandLineApp) -> [CommandSpec] = { _ in [] }
    ) {
        self.registry = registry
        self.clock = clock
        self.loadConfig = loadConfig
        self.extraCommands = extraCommands
    }

    /// The config file named by `--config`, if any.
    public var selectedConfigPath: String? { configPath.withLock { $0 } }

    public func config() throws -> DeploymentConfig { try loadConfig(selectedConfigPath) }

    /// Boots the kernel once per process (config, storage, migrations, modules).
    public func kernel(log: Logger = Logger(minimum: .warning)) throws -> Kernel {
        if let kernel = booted.withLock({ $0 }) { return kernel }
        let kernel = try Kernel.boot(config: try config(), registry: registry, clock: clock, log: log)
        booted.withLock { $0 = kernel }
        return kernel
    }

    /// Boots for `pln serve`: opens the database and refuses it when `PRAGMA quick_check` finds
    /// damage (before migrations or anything else writes to it), then boots the kernel on it.
    public func bootForServing(log: Logger) throws -> Kernel {
        let config = try config()
        let database = try Database(
            location: config.storageLocation, configuration: .init(readers: config.readerConnections))
        let problems: [String]
        let started = ContinuousClock.now
        defer {
            let elapsed = started.duration(to: .now).components
            let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
            log.info(
                "database quick check", ["path": database.path, "ms": String(format: "%.0f", milliseconds)])
        }
        do {
            problems = try database.quickCheck()
        } catch let error as StorageError where error.cause == .corrupt {
            problems = [error.message]  // damage bad enough that the check itself stops
        }
        guard problems.isEmpty else {
            let shown =
                problems.prefix(3).joined(separator: "; ")
                + (problems.count > 3 ? " … (\(problems.count) problems)" : "")
            throw ConsoleError.failure(
                "the database \(database.path) is damaged, so the server was not started: PRAGMA quick_check reports \(shown)",
                hint:
                    "run `pln admin check` for the full report, and restore the latest backup (made with `pln admin backup`)"
            )
        }
        return try Kernel.boot(config: config, registry: registry, database: database, clock: clock, log: log)
    }

    /// Runs a command line (without the program name) and returns the exit code.
    public func run(_ arguments: [String], console: Console) -> Int32 {
        var arguments = arguments
        if let index = arguments.firstIndex(where: { $0 == "--config" || $0.hasPrefix("--config=") }) {
            let argument = arguments.remove(at: index)
            if argument.hasPrefix("--config=") {
                configPath.withLock { $0 = String(argument.dropFirst("--config=".count)) }
            } else if index < arguments.count {
                let path = arguments.remove(at: index)
                configPath.withLock { $0 = path }
            } else {
                console.error("error: --config needs a file path")
                return 2
            }
        }
        var moduleCommands: [CommandSpec] = []
        if arguments.first == "admin", arguments.count < 2 || !kernelCommandNames.contains(arguments[1]) {
            do {
                moduleCommands = try kernel().context.commands
            } catch {
                let helpOnly = arguments.count < 2 || arguments[1].hasPrefix("-")
                if !helpOnly {
                    return console.report(
                        error, context: "cannot start",
                        fallbackHint: "run `pln config check` and `pln admin check` to see what is wrong")
                }
                console.error("note: module commands are not listed: \(Console.explain(error).message)")
            }
        }
        let root = CommandSpec(
            name: "pln", abstract: "PLN, a personal learning network for educators.",
            discussion: "Global option: --config FILE (default config/pln.star).",
            subcommands: extraCommands(self) + [
                CommandSpec(
                    name: "admin", abstract: "Administer this network.",
                    subcommands: kernelAdminCommands() + moduleCommands.sorted { $0.name < $1.name })
            ])
        return console.run(arguments, root: root)
    }

    private var kernelCommandNames: Set<String> {
        ["modules", "migrate", "backup", "check", "outbox", "jobs", "seed", "notifications", "search", "database"]
    }

    /// The kernel's own commands under `pln admin`, one type each (Console/Commands/).
    func kernelAdminCommands() -> [CommandSpec] {
        [
            ModulesCommands.group(self), .command(Migrate.self, self), .command(Backup.self, self),
            .command(Check.self, self), OutboxCommands.group(self), .command(Seed.self, self),
            JobsCommands.group(self), NotificationsCommands.group(self), SearchCommands.group(self),
            DatabaseCommands.group(self),
        ]
    }
}
