import Foundation

/// `pln admin notifications send-digests [--dry-run]`.
enum NotificationsCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "notifications", abstract: "Members' notifications and digests.",
            [.command(SendDigests.self, app)])
    }
}

struct SendDigests: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "send-digests",
        abstract: "Send the daily and weekly digests due now (each member once per period).")
    @Flag(help: "Only say who would get one; send and record nothing.") var dryRun: Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let report = try app.kernel().services.notifications.sendDigests(dryRun: dryRun)
        if json {
            console.printJSON(try JSONValue(encoding: report))
            return
        }
        for entry in report.sent {
            console.print(
                "\(dryRun ? "would send" : "sent") \(entry.period) to member \(entry.memberID): \(entry.items) items"
            )
        }
        console.print(
            "\(report.sent.count) digests \(dryRun ? "due" : "sent"), \(report.alreadySent) already sent this period"
        )
    }
}
