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
            path: config.string("storage", "path"), configuration: .init(readers: config.readerConnections))
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
        ["modules", "migrate", "backup", "check", "outbox", "jobs", "seed"]
    }

    func kernelAdminCommands() -> [CommandSpec] {
        [
            CommandSpec(
                name: "modules", abstract: "List, and purge the data of, feature modules.",
                subcommands: [
                    CommandSpec(
                        name: "list",
                        abstract:
                            "List compiled-in modules, their dependencies and whether they are enabled.",
                        arguments: [.flag("json", "Print JSON.")]
                    ) { [self] args, console in
                        let enabled = Set((try? config().enabledModules) ?? [])
                        if args.json {
                            console.printJSON(
                                .array(
                                    registry.manifests.map { manifest in
                                        .object([
                                            ("id", .string(manifest.id)), ("title", .string(manifest.title)),
                                            ("summary", .string(manifest.summary)),
                                            (
                                                "dependencies",
                                                .array(manifest.dependencies.map(JSONValue.string))
                                            ),
                                            ("enabled", .bool(enabled.contains(manifest.id))),
                                        ])
                                    }))
                        } else {
                            console.table(
                                ["MODULE", "ENABLED", "DEPENDS ON", "SUMMARY"],
                                registry.manifests.map {
                                    [
                                        $0.id, enabled.contains($0.id) ? "yes" : "no",
                                        $0.dependencies.isEmpty
                                            ? "-" : $0.dependencies.joined(separator: ", "), $0.summary,
                                    ]
                                })
                        }
                    },
                    CommandSpec(
                        name: "purge", abstract: "Delete every table and row of a disabled module.",
                        discussion:
                            "The module must be disabled in the config script. This cannot be undone: take a backup first.",
                        arguments: [
                            .positional("id", "The module's id."),
                            .flag("yes", "Do not ask for confirmation."),
                        ]
                    ) { [self] args, console in
                        let id = try args.required("id")
                        let config = try config()
                        let database = try kernel().services.database
                        if registry.module(id: id) != nil, !config.enabledModules.contains(id),
                            !args.flag("yes"),
                            !console.confirm(
                                "Delete every table and row of module \"\(id)\" in \(database.path)?")
                        {
                            throw ConsoleError.failure(
                                "nothing deleted", hint: "answer \"yes\", or pass --yes")
                        }
                        try Kernel.purge(moduleID: id, registry: registry, config: config, database: database)
                        console.print("purged module \(id)")
                    },
                ]),
            CommandSpec(
                name: "migrate", abstract: "Apply pending migrations of the kernel and enabled modules.",
                arguments: [.flag("json", "Print JSON.")]
            ) { [self] args, console in
                let config = try config()
                let types = try registry.resolve(enabled: config.enabledModules)
                let database = try Database(path: config.string("storage", "path"))
                let applied = try Kernel.migrator(for: registry).migrate(
                    database, owners: Set(["kernel"] + types.map { $0.manifest.id }), now: clock.now)
                if args.json {
                    console.printJSON(.object([("applied", .array(applied.map(JSONValue.string)))]))
                } else {
                    console.print(
                        applied.isEmpty
                            ? "nothing to migrate" : applied.map { "applied \($0)" }.joined(separator: "\n"))
                }
            },
            CommandSpec(
                name: "backup", abstract: "Copy the database to FILE, consistently, while the server runs.",
                discussion:
                    "FILE must be a new or earlier backup: the database itself and its -wal, -shm and -journal files are refused, by any name (symlink, .., hard link). The copy is written to a temporary file beside FILE, checked with PRAGMA integrity_check, synced and renamed into place, so a failed backup leaves FILE as it was.",
                arguments: [.positional("file", "Where to write the copy.")]
            ) { [self] args, console in
                let target = try args.required("file")
                guard !target.isEmpty else {
                    throw ConsoleError.usage("<file> is empty: name the file to write the copy to")
                }
                let config = try config()
                // Refuse before booting: booting migrates, and a wrong destination is a typo to
                // report at once, not after opening the database.
                try Database.checkBackupDestination(target, database: config.string("storage", "path"))
                let database = try kernel().services.database
                try database.backup(to: target)  // checks the copy's integrity before it replaces anything
                let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
                console.print("backed up \(database.path) to \(target) (\(size) bytes, integrity ok)")
            },
            CommandSpec(
                name: "check", abstract: "Check the database's integrity and pending migrations.",
                arguments: [.flag("json", "Print JSON.")]
            ) { [self] args, console in
                let config = try config()
                let database = try Database(path: config.string("storage", "path"))
                let problems: [String]
                do {
                    problems = try database.integrityCheck()
                } catch let error as StorageError where error.cause == .corrupt {
                    problems = [error.message]  // damage bad enough that the check itself stops
                }
                let types = try registry.resolve(enabled: config.enabledModules)
                let status = try Kernel.migrator(for: registry).status(
                    of: database, pendingFor: Set(["kernel"] + types.map { $0.manifest.id }))
                if args.json {
                    console.printJSON(
                        .object([
                            ("integrity", .array(problems.isEmpty ? ["ok"] : problems.map(JSONValue.string))),
                            ("pending_migrations", .array(status.pending.map(JSONValue.string))),
                            ("unknown_migrations", .array(status.unknown.map(JSONValue.string))),
                        ]))
                } else {
                    console.print(
                        "integrity: " + (problems.isEmpty ? "ok" : problems.joined(separator: "; ")))
                    console.print(
                        "pending migrations: "
                            + (status.pending.isEmpty ? "none" : status.pending.joined(separator: ", ")))
                    if !status.unknown.isEmpty {
                        console.print(
                            "unknown migrations (a newer PLN wrote them): "
                                + status.unknown.joined(separator: ", "))
                    }
                }
                if !problems.isEmpty || !status.unknown.isEmpty {
                    throw ConsoleError.failure(
                        "the database \(database.path) needs attention",
                        hint: problems.isEmpty
                            ? "upgrade pln: a newer version wrote those migrations"
                            : "stop the server and restore the latest backup (made with `pln admin backup`)")
                }
                if !status.pending.isEmpty {
                    throw ConsoleError.failure("migrations are pending", hint: "run `pln admin migrate`")
                }
            },
            CommandSpec(
                name: "outbox", abstract: "See and deliver outgoing mail.",
                subcommands: [
                    CommandSpec(
                        name: "list", abstract: "List messages in the outbox, newest first.",
                        arguments: [
                            .option("status", "Only pending, sent, failed or withheld messages.", valueName: "STATUS"),
                            .option("limit", "At most this many.", valueName: "N", default: "50"),
                            .flag("json", "Print JSON."),
                        ]
                    ) { [self] args, console in
                        if let status = args["status"], !["pending", "sent", "failed", "withheld"].contains(status) {
                            throw ConsoleError.usage("--status expects pending, sent, failed or withheld, got \"\(status)\"")
                        }
                        let messages = try kernel().services.outbox.list(
                            status: args["status"], limit: try args.integer("limit") ?? 50)
                        if args.json {
                            console.printJSON(
                                .array(
                                    messages.map {
                                        .object([
                                            ("id", .int($0.id)), ("to", .string($0.to)),
                                            ("subject", .string($0.subject)),
                                            ("status", .string($0.status)),
                                            ("attempts", JSONValue($0.attempts)),
                                            ("created_at", JSONValue($0.createdAt)),
                                            ("last_error", JSONValue($0.lastError)),
                                            ("body", .string($0.body)),
                                        ])
                                    }))
                        } else if messages.isEmpty {
                            console.print("the outbox is empty")
                        } else {
                            console.table(
                                ["ID", "STATUS", "TO", "SUBJECT"],
                                messages.map { [String($0.id), $0.status, $0.to, $0.subject] })
                        }
                    },
                    CommandSpec(
                        name: "deliver",
                        abstract: "Send every due message now through the configured sendmail command."
                    ) {
                        [self] _, console in
                        let outbox = try kernel().services.outbox
                        guard outbox.isDeliveryConfigured else {
                            throw ConsoleError.failure(
                                "no sendmail command is configured: messages stay in the outbox",
                                hint:
                                    "set mail(sendmail = [\"/usr/sbin/sendmail\", \"-t\", \"-i\"]) in the config script"
                            )
                        }
                        let report = try outbox.deliverDue(limit: 10_000)
                        console.print(
                            "sent \(report.sent), failed \(report.failed) (will retry), gave up \(report.gaveUp), "
                                + "withheld \(report.withheld) (recipient suspended or deleted)")
                        if report.failed + report.gaveUp > 0 { throw ConsoleError.failure("some messages were not sent") }
                    },
                ]),
            CommandSpec(
                name: "seed", abstract: "Fill an empty database with realistic, deterministic data.",
                discussion:
                    "small: 300 members; medium: 10,000 members and 100,000 activities; large: 100,000 members, 1,000,000 activities and 200,000 posts and comments. The same --seed gives the same data. Every seeded member's password is \"seeded password\".",
                arguments: [
                    .option("scale", "small, medium or large.", valueName: "SCALE", default: "small"),
                    .option("seed", "Random seed.", valueName: "N", default: "1"),
                    .flag("json", "Print JSON."),
                ]
            ) { [self] args, console in
                guard let scale = SeedScale(rawValue: args["scale"] ?? "") else {
                    throw ConsoleError.usage(
                        "--scale expects small, medium or large, got \"\(args["scale"] ?? "")\"")
                }
                guard let seed = UInt64(args["seed"] ?? "") else {
                    throw ConsoleError.usage("--seed expects a whole number")
                }
                // Seeding boots its own kernel on a clock a year back, which the seeders move
                // forward, so content made through module services carries seeded times.
                let seedClock = FixedClock(clock.now.addingTimeInterval(-365 * 86_400))
                let kernel = try Kernel.boot(
                    config: try config(), registry: registry, clock: seedClock, log: Logger(minimum: .warning)
                )
                let existing = try kernel.services.database.read {
                    try $0.scalar("SELECT count(*) FROM activities", as: Int.self) ?? 0
                }
                guard existing == 0 else {
                    throw ConsoleError.failure(
                        "the database \(kernel.services.database.path) already holds data: seeding is for empty databases",
                        hint: "point storage(path = …) at a new file, e.g. with --config")
                }
                let started = Date()
                let context = SeedContext(
                    scale: scale, seed: seed, services: kernel.services, clock: seedClock, now: clock.now
                ) { line in
                    if !args.json { console.print(line) }
                }
                for seeder in kernel.context.seeders.sorted(by: { $0.order < $1.order }) {
                    let moduleStart = Date()
                    try seeder.run(context)
                    context.log(
                        "seeded \(seeder.module) in \(String(format: "%.1f", Date().timeIntervalSince(moduleStart))) s"
                    )
                }
                // Mail and one-off jobs that seeding caused are not for real people.
                try kernel.services.database.write { db in
                    try db.execute("DELETE FROM outbox")
                    try db.execute("DELETE FROM jobs WHERE period_seconds IS NULL")
                }
                let counts = try kernel.services.database.read { db in
                    try db.query(
                        "SELECT module, count(*) AS n FROM activities GROUP BY module ORDER BY module"
                    ) {
                        (try $0.value("module") as String, try $0.value("n") as Int)
                    }
                }
                let seconds = Date().timeIntervalSince(started)
                if args.json {
                    console.printJSON(
                        .object([
                            ("scale", .string(scale.rawValue)), ("seconds", .double(seconds)),
                            ("activities", .object(counts.map { ($0.0, JSONValue($0.1)) })),
                            (
                                "facts",
                                .object(
                                    context.shared.sorted { $0.key < $1.key }.map {
                                        ($0.key, JSONValue($0.value))
                                    })
                            ),
                        ]))
                } else {
                    console.print(
                        "seeded \(scale.rawValue) in \(String(format: "%.1f", seconds)) s: "
                            + context.shared.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                            .joined(separator: ", "))
                    console.print("activities: " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
                }
            },
            CommandSpec(
                name: "jobs", abstract: "See and run background jobs (for cron-style set-ups).",
                subcommands: [
                    CommandSpec(name: "run", abstract: "Run every due job once, then exit.") {
                        [self] _, console in
                        let report = try kernel().services.jobs.runDue(limit: 10_000)
                        console.print("ran \(report.ran) jobs, \(report.failed) failed")
                        if report.failed > 0 {
                            throw ConsoleError.failure("some jobs failed; see the log above")
                        }
                    },
                    CommandSpec(
                        name: "list", abstract: "List queued and failed jobs.",
                        arguments: [.flag("json", "Print JSON.")]
                    ) {
                        [self] args, console in
                        let jobs = try kernel().services.jobs.list()
                        if args.json {
                            console.printJSON(
                                .array(
                                    jobs.map {
                                        .object([
                                            ("id", .int($0.id)), ("name", .string($0.name)),
                                            ("status", .string($0.status)),
                                            ("run_at", JSONValue($0.runAt)),
                                            ("last_error", JSONValue($0.lastError)),
                                        ])
                                    }))
                        } else {
                            console.table(
                                ["ID", "NAME", "STATUS", "RUN AT"],
                                jobs.map {
                                    [String($0.id), $0.name, $0.status, JSONValue.timestamp($0.runAt)]
                                })
                        }
                    },
                ]),
        ]
    }
}
