import Foundation

extension SeedScale: CommandArgument {}

/// `pln admin seed`: realistic, deterministic data for an empty database.
struct Seed: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "seed", abstract: "Fill an empty database with realistic, deterministic data.",
        discussion:
            "small: 300 members; medium: 10,000 members and 100,000 activities; large: 100,000 members, 1,000,000 activities and 200,000 posts and comments. The same --seed gives the same data. Every seeded member's password is \"seeded password\"."
    )
    @Option(help: "small, medium or large.", valueName: "SCALE") var scale = SeedScale.small
    @Option(help: "Random seed.", valueName: "N") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        // Seeding boots its own kernel on a clock a year back, which the seeders move
        // forward, so content made through module services carries seeded times.
        let seedClock = FixedClock(app.clock.now.addingTimeInterval(-365 * 86_400))
        let kernel = try Kernel.boot(
            config: try app.config(), registry: app.registry, clock: seedClock, log: Logger(minimum: .warning)
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
        let json = self.json
        let context = SeedContext(
            scale: scale, seed: seed, services: kernel.services, clock: seedClock, now: app.clock.now
        ) { line in
            if !json { console.print(line) }
        }
        for seeder in kernel.context.seeders.sorted(by: { $0.order < $1.order }) {
            let moduleStart = Date()
            try seeder.run(context)
            context.log(
                "seeded \(seeder.module) in \(String(format: "%.1f", Date().timeIntervalSince(moduleStart))) s"
            )
        }
        // Seeders may write rows in bulk, past the services that keep the index in step.
        let indexStart = Date()
        let indexed = try kernel.services.search.rebuild(restart: true, batchSize: 2_000)
        context.log(
            "indexed \(indexed.reduce(0) { $0 + $1.done }) items for search in \(String(format: "%.1f", Date().timeIntervalSince(indexStart))) s"
        )
        // The rebuild's many transactions left the index in parts; the nightly job would merge them.
        let compactStart = Date()
        let steps = try kernel.services.search.compact()
        context.log(
            "merged the search index in \(steps) step\(steps == 1 ? "" : "s"), \(String(format: "%.1f", Date().timeIntervalSince(compactStart))) s"
        )
        // Mail and one-off jobs that seeding caused are not for real people.
        try kernel.services.database.write { db in
            try db.execute("DELETE FROM outbox")
            try db.execute("DELETE FROM jobs WHERE period_seconds IS NULL")
        }
        let counts = try kernel.services.database.read { db in
            try db.query("SELECT module, count(*) AS n FROM activities GROUP BY module ORDER BY module") {
                (try $0.value("module") as String, try $0.value("n") as Int)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            console.printJSON(
                .object([
                    ("scale", .string(scale.rawValue)), ("seconds", .double(seconds)),
                    ("activities", .object(counts.map { ($0.0, JSONValue($0.1)) })),
                    (
                        "facts",
                        .object(
                            context.shared.sorted { $0.key < $1.key }.map { ($0.key, JSONValue($0.value)) })
                    ),
                ]))
        } else {
            console.print(
                "seeded \(scale.rawValue) in \(String(format: "%.1f", seconds)) s: "
                    + context.shared.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                    .joined(separator: ", "))
            console.print("activities: " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
    }
}
