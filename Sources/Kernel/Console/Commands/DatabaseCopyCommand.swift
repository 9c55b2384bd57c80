import Foundation
import Storage

/// `pln admin database copy --to LOCATION`: moving a network between SQLite and PostgreSQL.
enum DatabaseCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "database", abstract: "Move the network's data to another database.",
            [.command(CopyDatabase.self, app)])
    }
}

struct CopyDatabase: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "copy",
        abstract: "Copy every row of this network's database into an empty one, and verify the counts.",
        discussion:
            "LOCATION is a postgres:// URL (an empty PostgreSQL database or schema) or a new SQLite file. Its schema is made by the same migrations, then every table is copied in batches, and the rows of every table are counted on both sides. Stop the servers first: rows written during the copy may be missed. Then point storage(url = …) or storage(path = …) at the copy. On PostgreSQL the copy runs with session_replication_role = replica (the database owner needs that right: a superuser, or GRANT SET ON PARAMETER in PostgreSQL 15)."
    )
    @Option(help: "The database to copy into: postgres://… or a SQLite file.", valueName: "LOCATION") var to =
        ""

    func run(_ app: CommandLineApp, console: Console) throws {
        guard !to.isEmpty else { throw ConsoleError.usage("--to is missing: name the database to copy into") }
        let config = try app.config()
        let source = try Database(location: config.storageLocation)
        if !Database.isPostgresURL(to) && FileManager.default.fileExists(atPath: to) {
            throw ConsoleError.failure(
                "\(to) exists", hint: "copy into a new file, or an empty PostgreSQL database")
        }
        let destination = try Database(location: to)
        let migrator = Kernel.migrator(for: app.registry)
        let applied = try migrator.status(of: source)
        guard applied.unknown.isEmpty else {
            throw ConsoleError.failure(
                "\(source.path) holds migrations this binary does not know: \(applied.unknown.joined(separator: ", "))"
            )
        }
        let existing = try migrator.status(of: destination)
        guard existing.applied.isEmpty else {
            throw ConsoleError.failure(
                "\(destination.path) is not empty (\(existing.applied.count) migrations applied)",
                hint: "copy into an empty database: nothing there is overwritten")
        }
        let copy = DatabaseCopy(from: source, to: destination)
        try copy.checkRights()
        let owners = Set(applied.applied.map { String($0.prefix { $0 != "/" }) })
        let made = try migrator.migrate(destination, owners: owners, now: app.clock.now)
        console.print("made the schema of \(destination.path): \(made.count) migrations")
        var lastTable = ""
        let reports = try copy.run { table, copied, total in
            if table != lastTable { lastTable = table }
            console.print("  \(table): \(copied) of \(total) rows")
        }
        let rows = reports.reduce(0) { $0 + $1.copiedRows }
        console.print(
            "copied \(rows) rows in \(reports.count) tables from \(source.path) to \(destination.path); every table's count matches"
        )
    }
}
