import Foundation

/// `pln admin search reindex|compact|stats`.
enum SearchCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "search", abstract: "Rebuild and inspect the search index.",
            [
                .command(ReindexSearch.self, app), .command(CompactSearch.self, app),
                .command(SearchStats.self, app),
            ])
    }
}

struct ReindexSearch: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "reindex",
        abstract:
            "Index every item again from the modules' tables (resumes an interrupted run unless --restart).")
    @Option(help: "Only this kind (e.g. blog_post, member).", valueName: "KIND") var kind: String?
    @Option(help: "Items per transaction.", valueName: "N") var batch = 500
    @Flag(help: "Start from the first item even if an earlier run stopped part way.") var restart: Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        guard batch >= 1 && batch <= 10_000 else {
            throw ConsoleError.usage("--batch must be between 1 and 10000")
        }
        let search = try app.kernel().services.search
        let started = Date()
        let report = try search.rebuild(kind: kind, restart: restart, batchSize: batch) { progress in
            if !json {
                console.print(
                    "\(progress.kind): \(progress.done) items\(progress.finished ? ", done" : " (up to id \(progress.lastID))")"
                )
            }
        }
        // A rebuild writes the index in many transactions, so in many parts: merge them.
        let merged = try search.compact(pause: 0.02)
        let seconds = Date().timeIntervalSince(started)
        if json {
            console.printJSON(
                .object([
                    ("merge_steps", .int(Int64(merged))),
                    (
                        "kinds",
                        .array(
                            report.map {
                                .object([("kind", .string($0.kind)), ("items", .int(Int64($0.done)))])
                            })
                    ),
                    ("seconds", .string(String(format: "%.2f", seconds))),
                ]))
        } else {
            console.print(
                "reindexed \(report.reduce(0) { $0 + $1.done }) items and merged the index (\(merged) step\(merged == 1 ? "" : "s")) in \(String(format: "%.1f", seconds)) s"
            )
        }
    }
}

struct SearchStats: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "stats", abstract: "Count what the index holds, by kind and state.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let search = try app.kernel().services.search
        let stats = try search.statistics()
        let parts = try search.parts()
        if json {
            console.printJSON(
                .object([
                    (
                        "kinds",
                        .array(
                            stats.kinds.map {
                                .object([
                                    ("kind", .string($0.kind)), ("published", .int(Int64($0.published))),
                                    ("drafts", .int(Int64($0.drafts))), ("hidden", .int(Int64($0.hidden))),
                                ])
                            })
                    ),
                    ("vocabulary", .int(Int64(stats.vocabulary))), ("names", .int(Int64(stats.names))),
                    ("parts", parts.map { .int(Int64($0)) } ?? .null),
                ]))
        } else {
            console.table(
                ["KIND", "PUBLISHED", "DRAFTS", "HIDDEN"],
                stats.kinds.map { [$0.kind, String($0.published), String($0.drafts), String($0.hidden)] })
            console.print("\(stats.vocabulary) distinct words, \(stats.names) names")
            if let parts {
                console.print(
                    parts == 1
                        ? "the index is in 1 part"
                        : "the index is in \(parts) parts (`pln admin search compact` merges them)")
            }
        }
    }
}

struct CompactSearch: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "compact",
        abstract:
            "Merge the index's parts into one, in short steps (pln serve does the same every night at 03:00)."
    )
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let search = try app.kernel().services.search
        let before = try search.parts()
        let started = Date()
        let steps = try search.compact(pause: 0.02)
        let seconds = Date().timeIntervalSince(started)
        let after = try search.parts()
        if json {
            console.printJSON(
                .object([
                    ("parts_before", before.map { .int(Int64($0)) } ?? .null),
                    ("parts_after", after.map { .int(Int64($0)) } ?? .null),
                    ("steps", .int(Int64(steps))), ("seconds", .string(String(format: "%.2f", seconds))),
                ]))
        } else if let before, let after {
            console.print(
                "merged the index from \(before) part\(before == 1 ? "" : "s") into \(after) in \(steps) step\(steps == 1 ? "" : "s"), \(String(format: "%.1f", seconds)) s"
            )
        } else {
            console.print("this database's index has no parts to merge")
        }
    }
}
