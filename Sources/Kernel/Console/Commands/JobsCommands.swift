import Foundation

/// `pln admin jobs run|list`.
enum JobsCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "jobs", abstract: "See and run background jobs (for cron-style set-ups).",
            [.command(RunJobs.self, app), .command(ListJobs.self, app)])
    }
}

struct RunJobs: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "run", abstract: "Run every due job once, then exit.")

    func run(_ app: CommandLineApp, console: Console) throws {
        let report = try app.kernel().services.jobs.runDue(limit: 10_000)
        console.print("ran \(report.ran) jobs, \(report.failed) failed")
        if report.failed > 0 { throw ConsoleError.failure("some jobs failed; see the log above") }
    }
}

struct ListJobs: AdminCommand {
    static let configuration = CommandConfiguration(name: "list", abstract: "List queued and failed jobs.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let jobs = try app.kernel().services.jobs.list()
        if json {
            console.printJSON(
                .array(
                    jobs.map {
                        .object([
                            ("id", .int($0.id)), ("name", .string($0.name)), ("status", .string($0.status)),
                            ("run_at", JSONValue($0.runAt)), ("last_error", JSONValue($0.lastError)),
                        ])
                    }))
        } else {
            console.table(
                ["ID", "NAME", "STATUS", "RUN AT"],
                jobs.map { [String($0.id), $0.name, $0.status, JSONValue.timestamp($0.runAt)] })
        }
    }
}
