import Foundation
import Kernel
import Membership

/// `pln admin moderation queue|show|act|member|audit`: the same actions as the pages, logged
/// the same way (the actor is "console").
enum ModerationCommands {
    /// `moderation …`, plus the nouns the issue names: `reports list|show|resolve` and `audit`.
    static func all(_ moderation: ModerationService) -> [CommandSpec] {
        var list = CommandSpec.command(QueueCommand.self, moderation)
        list.name = "list"
        var resolve = CommandSpec.command(ActOnCase.self, moderation)
        resolve.name = "resolve"
        resolve.abstract = "Resolve a case with an action (the same as `moderation act`)."
        return [
            command(moderation),
            .group(
                "reports", abstract: "Reports, gathered into cases (the moderation queue).",
                [list, .command(ShowCase.self, moderation), resolve]),
            .command(AuditCommand.self, moderation),
        ]
    }

    static func command(_ moderation: ModerationService) -> CommandSpec {
        .group(
            "moderation", abstract: "Review reports and act on them.",
            [
                .command(QueueCommand.self, moderation), .command(ShowCase.self, moderation),
                .command(ActOnCase.self, moderation), .command(ActOnMember.self, moderation),
                .command(AuditCommand.self, moderation),
            ])
    }

    static func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch DomainError.notFound {
            throw ConsoleError.failure(
                "not found", hint: "list cases with `pln admin moderation queue --status all`")
        }
    }

    static func printEntry(_ entry: AuditEntry, _ console: Console, json: Bool) throws {
        if json {
            console.printJSON(try ModerationAPI.auditJSON(entry))
        } else {
            console.print(
                "#\(entry.id) \(JSONValue.timestamp(entry.createdAt)) \(entry.actorName): \(entry.action.rawValue) \(entry.targetTitle)"
                    + (entry.reason.isEmpty ? "" : " — \(entry.reason)")
                    + (entry.detail.isEmpty ? "" : " [\(entry.detail)]"))
        }
    }
}

/// A case's number on the command line: a whole number above zero.
struct CaseNumber: CommandArgument {
    let value: Int64
    init?(argument: String) {
        guard let value = Int64(argument), value > 0 else { return nil }
        self.value = value
    }
    static var expectation: String { "a case number" }
    var argumentText: String { String(value) }
}

/// An action a moderator may choose (everything but `hold`, which only screening takes).
struct ModeratorAction: CommandArgument {
    let kind: ModerationActionKind
    init?(argument: String) {
        guard let kind = ModerationActionKind(rawValue: argument), kind != .hold else { return nil }
        self.kind = kind
    }
    static var allowedValues: [String]? { ModerationActionKind.moderatorChoices.map(\.rawValue) }
    static var expectation: String { "one of " + (allowedValues ?? []).joined(separator: ", ") }
    var argumentText: String { kind.rawValue }
}

/// Which cases the queue lists (``QueueFilter/statuses``).
struct QueueStatus: CommandArgument {
    static let active = QueueStatus(name: "active")
    let name: String
    private init(name: String) { self.name = name }
    init?(argument: String) {
        guard QueueFilter.statuses.contains(argument) else { return nil }
        name = argument
    }
    static var allowedValues: [String]? { QueueFilter.statuses }
    static var expectation: String { "one of " + QueueFilter.statuses.joined(separator: ", ") }
    var argumentText: String { name }
}

extension ReportCategory: CommandArgument {
    public static var expectation: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

struct QueueCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "queue", abstract: "List cases: safeguarding concerns first, then newest.")
    @Option(help: "active, open, awaiting_approval, resolved or all.", valueName: "STATUS")
    var status = QueueStatus.active
    @Option(help: "spam, harassment, safeguarding, inappropriate, copyright or other.", valueName: "CATEGORY")
    var category: ReportCategory?
    @Option(help: "Only one content kind (status, profile, blog_post …).", valueName: "KIND") var kind:
        String?
    @Option(help: "At most this many.", valueName: "N") var limit = 50
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ moderation: ModerationService, console: Console) throws {
        let page = try ModerationCommands.run {
            try moderation.queue(
                QueueFilter(status: status.name, category: category, kind: kind), limit: limit)
        }
        if json {
            console.printJSON(.array(try page.cases.map(ModerationAPI.caseJSON)))
        } else {
            console.table(
                ["CASE", "KIND", "STATUS", "REPORTS", "SAFEGUARDING", "TITLE"],
                page.cases.map {
                    [
                        String($0.id), $0.kind, $0.status.rawValue, String($0.reportCount),
                        $0.isSafeguarding ? "yes" : "", $0.title,
                    ]
                })
        }
    }
}

struct ShowCase: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "show", abstract: "Show one case with its reports, notes and actions.")
    @Argument(name: "case", help: "The case number.") var number: CaseNumber
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ moderation: ModerationService, console: Console) throws {
        let detail = try ModerationCommands.run { try moderation.detail(caseID: number.value) }
        if json {
            console.printJSON(try ModerationAPI.detailJSON(detail))
            return
        }
        let found = detail.moderationCase
        console.print("Case \(found.id): \(found.title) (\(detail.kindTitle))")
        console.print(
            "status: \(found.status.rawValue)\(found.resolution.map { " (\($0))" } ?? "")\(found.isSafeguarding ? ", safeguarding" : "")"
        )
        if let item = detail.item {
            console.print("item: \(item.url)\(item.isHidden ? " [hidden]" : "")")
        } else {
            console.print("item: (none or deleted)")
        }
        if let handle = detail.authorHandle {
            console.print("author: @\(handle)\(detail.isAuthorBanned ? " [banned]" : "")")
        }
        if let reason = found.holdReason { console.print("held: \(reason)") }
        for report in detail.reports {
            console.print(
                "report #\(report.id) \(report.category.rawValue) \(report.status): \(report.comment)")
        }
        for note in detail.notes { console.print("note by \(note.authorName): \(note.body)") }
        for entry in detail.actions { try ModerationCommands.printEntry(entry, console, json: false) }
    }
}

struct ActOnCase: AdminCommand {
    static let configuration = CommandConfiguration(name: "act", abstract: "Act on a case.")
    @Argument(name: "case", help: "The case number.") var number: CaseNumber
    @Argument(help: "dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate or unban.")
    var action: ModeratorAction
    @Option(help: "Why (required for warn, suspend and ban; the member is told).", valueName: "TEXT")
    var reason: String?
    @Flag(help: "With suspend or ban: also hide everything the member posted.") var hideContent: Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ moderation: ModerationService, console: Console) throws {
        let request = ActionRequest(action: action.kind, reason: reason ?? "", hideContent: hideContent)
        let entry = try ModerationCommands.run {
            try moderation.act(caseID: number.value, request, by: .console)
        }
        try ModerationCommands.printEntry(entry, console, json: json)
    }
}

struct ActOnMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "member", abstract: "Warn, suspend, ban, reinstate or unban a member.")
    @Argument(help: "The member's handle.") var handle: String
    @Argument(help: "dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate or unban.")
    var action: ModeratorAction
    @Option(help: "Why (required for warn, suspend and ban; the member is told).", valueName: "TEXT")
    var reason: String?
    @Flag(help: "With suspend or ban: also hide everything the member posted.") var hideContent: Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ moderation: ModerationService, console: Console) throws {
        guard let member = try moderation.membership?.member(handle: handle) else {
            throw ConsoleError.failure(
                "no member with the handle \"\(handle)\"", hint: "list members with `pln admin members list`")
        }
        let request = ActionRequest(action: action.kind, reason: reason ?? "", hideContent: hideContent)
        let entry = try ModerationCommands.run {
            try moderation.act(memberID: member.id, request, by: .console)
        }
        try ModerationCommands.printEntry(entry, console, json: json)
    }
}

struct AuditCommand: AdminCommand {
    static let configuration = CommandConfiguration(name: "audit", abstract: "The audit log, newest first.")
    @Option(help: "Only entries on or after this date (YYYY-MM-DD).", valueName: "DATE") var since: String?
    @Option(help: "Only actions about this member (handle).", valueName: "HANDLE") var member: String?
    @Option(help: "At most this many.", valueName: "N") var limit = 50
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ moderation: ModerationService, console: Console) throws {
        var sinceDate: Date?
        if let since {
            guard let date = ModerationService.parseDate(since) else {
                throw ConsoleError.usage("--since expects a date like 2026-03-01, got \"\(since)\"")
            }
            sinceDate = date
        }
        var memberID: Int64?
        if let member {
            guard let found = try moderation.membership?.member(handle: member) else {
                throw ConsoleError.failure("no member with the handle \"\(member)\"")
            }
            memberID = found.id
        }
        let entries = try moderation.audit(limit: limit, since: sinceDate, memberID: memberID)
        if json {
            console.printJSON(.array(try entries.map(ModerationAPI.auditJSON)))
        } else {
            for entry in entries { try ModerationCommands.printEntry(entry, console, json: false) }
        }
    }
}
