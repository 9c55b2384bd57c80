import Foundation

/// `pln admin search reindex|stats`.
enum SearchCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "search", abstract: "Rebuild and inspect the search index.",
            [.command(ReindexSearch.self, app), .command(SearchStats.self, app)])
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
        let seconds = Date().timeIntervalSince(started)
        if json {
            console.printJSON(
                .object([
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
                "reindexed \(report.reduce(0) { $0 + $1.done }) items in \(String(format: "%.1f", seconds)) s"
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
                ]))
        } else {
            console.table(
                ["KIND", "PUBLISHED", "DRAFTS", "HIDDEN"],
                stats.kinds.map { [$0.kind, String($0.published), String($0.drafts), String($0.hidden)] })
            console.print("\(stats.vocabulary) distinct words, \(stats.names) names")
        }
    }
}
