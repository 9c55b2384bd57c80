import Foundation
import Storage

/// `pln admin migrate`, `backup` and `check`: the database's schema and integrity.
struct Migrate: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "migrate", abstract: "Apply pending migrations of the kernel and enabled modules.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let config = try app.config()
        let types = try app.registry.resolve(enabled: config.enabledModules)
        let database = try Database(location: config.storageLocation)
        let applied = try Kernel.migrator(for: app.registry).migrate(
            database, owners: Set(["kernel"] + types.map { $0.manifest.id }), now: app.clock.now)
        // A module enabled again after a purge starts its ids above those it handed out before,
        // as when `serve` boots.
        try Kernel.restoreIDFloors(in: database)
        if json {
            console.printJSON(.object([("applied", .array(applied.map(JSONValue.string)))]))
        } else {
            console.print(
                applied.isEmpty
                    ? "nothing to migrate" : applied.map { "applied \($0)" }.joined(separator: "\n"))
        }
    }
}

struct Backup: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "backup", abstract: "Copy the database to FILE, consistently, while the server runs.",
        discussion:
            "FILE must be a new or earlier backup: the database itself and its -wal, -shm and -journal files are refused, by any name (symlink, .., hard link). The copy is written to a temporary file beside FILE, checked with PRAGMA integrity_check, synced and renamed into place, so a failed backup leaves FILE as it was."
    )
    @Argument(help: "Where to write the copy.") var file: String

    func run(_ app: CommandLineApp, console: Console) throws {
        guard !file.isEmpty else {
            throw ConsoleError.usage("<file> is empty: name the file to write the copy to")
        }
        let config = try app.config()
        // Refuse before booting: booting migrates, and a wrong destination is a typo to
        // report at once, not after opening the database.
        try Database.checkBackupDestination(file, database: config.string("storage", "path"))
        let database = try app.kernel().services.database
        try database.backup(to: file)  // checks the copy's integrity before it replaces anything
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        console.print("backed up \(database.path) to \(file) (\(size) bytes, integrity ok)")
    }
}

struct Check: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "check", abstract: "Check the database's integrity and pending migrations.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let config = try app.config()
        let database = try Database(location: config.storageLocation)
        let problems: [String]
        do {
            problems = try database.integrityCheck()
        } catch let error as StorageError where error.cause == .corrupt {
            problems = [error.message]  // damage bad enough that the check itself stops
        }
        let types = try app.registry.resolve(enabled: config.enabledModules)
        let status = try Kernel.migrator(for: app.registry).status(
            of: database, pendingFor: Set(["kernel"] + types.map { $0.manifest.id }))
        if json {
            console.printJSON(
                .object([
                    ("integrity", .array(problems.isEmpty ? ["ok"] : problems.map(JSONValue.string))),
                    ("pending_migrations", .array(status.pending.map(JSONValue.string))),
                    ("unknown_migrations", .array(status.unknown.map(JSONValue.string))),
                ]))
        } else {
            console.print("integrity: " + (problems.isEmpty ? "ok" : problems.joined(separator: "; ")))
            console.print(
                "pending migrations: "
                    + (status.pending.isEmpty ? "none" : status.pending.joined(separator: ", ")))
            if !status.unknown.isEmpty {
                console.print(
                    "unknown migrations (a newer PLN wrote them): " + status.unknown.joined(separator: ", "))
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
    }
}
