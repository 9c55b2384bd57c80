import Foundation

/// `pln admin outbox list|deliver`.
enum OutboxCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "outbox", abstract: "See and deliver outgoing mail.",
            [.command(ListOutbox.self, app), .command(DeliverOutbox.self, app)])
    }
}

/// The states a message in the outbox can be in.
enum OutboxStatus: String, CaseIterable, CommandArgument {
    case pending, sent, failed, withheld
}

struct ListOutbox: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "List messages in the outbox, newest first.")
    @Option(help: "Only pending, sent, failed or withheld messages.", valueName: "STATUS") var status:
        OutboxStatus?
    @Option(help: "At most this many.", valueName: "N") var limit = 50
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let messages = try app.kernel().services.outbox.list(status: status?.rawValue, limit: limit)
        if json {
            console.printJSON(
                .array(
                    messages.map {
                        .object([
                            ("id", .int($0.id)), ("to", .string($0.to)), ("subject", .string($0.subject)),
                            ("status", .string($0.status)), ("attempts", JSONValue($0.attempts)),
                            ("created_at", JSONValue($0.createdAt)), ("last_error", JSONValue($0.lastError)),
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
    }
}

struct DeliverOutbox: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "deliver", abstract: "Send every due message now through the configured sendmail command.")

    func run(_ app: CommandLineApp, console: Console) throws {
        let outbox = try app.kernel().services.outbox
        guard outbox.isDeliveryConfigured else {
            throw ConsoleError.failure(
                "no sendmail command is configured: messages stay in the outbox",
                hint: "set mail(sendmail = [\"/usr/sbin/sendmail\", \"-t\", \"-i\"]) in the config script")
        }
        let report = try outbox.deliverDue(limit: 10_000)
        console.print(
            "sent \(report.sent), failed \(report.failed) (will retry), gave up \(report.gaveUp), "
                + "withheld \(report.withheld) (recipient suspended or deleted)")
        if report.failed + report.gaveUp > 0 { throw ConsoleError.failure("some messages were not sent") }
    }
}
