import Foundation
import Kernel
import Membership

/// `pln admin moderation queue|show|act|member|audit`: the same actions as the pages, logged
/// the same way (the actor is "console").
enum ModerationCommands {
    /// `moderation …`, plus the nouns the issue names: `reports list|show|resolve` and `audit`.
    static func all(_ moderation: ModerationService) -> [CommandSpec] {
        let main = command(moderation)
        func sub(_ name: String) -> CommandSpec? { main.subcommands.first { $0.name == name } }
        guard var list = sub("queue"), let show = sub("show"), var resolve = sub("act"),
            var audit = sub("audit")
        else {
            return [main]
        }
        list.name = "list"
        resolve.name = "resolve"
        resolve.abstract = "Resolve a case with an action (the same as `moderation act`)."
        audit.name = "audit"
        return [
            main,
            CommandSpec(
                name: "reports", abstract: "Reports, gathered into cases (the moderation queue).",
                subcommands: [list, show, resolve]),
            audit,
        ]
    }

    static func command(_ moderation: ModerationService) -> CommandSpec {
        @Sendable func run<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch DomainError.notFound {
                throw ConsoleError.failure(
                    "not found", hint: "list cases with `pln admin moderation queue --status all`")
            }
        }
        @Sendable func caseID(_ args: ParsedArguments) throws -> Int64 {
            let text = try args.required("case")
            guard let id = Int64(text), id > 0 else {
                throw ConsoleError.usage("<case> is a case number, got \"\(text)\"")
            }
            return id
        }
        @Sendable func action(_ args: ParsedArguments) throws -> ActionRequest {
            let text = try args.required("action")
            guard let action = ModerationActionKind(rawValue: text), action != .hold else {
                let names = ModerationActionKind.moderatorChoices.map(\.rawValue).joined(separator: ", ")
                throw ConsoleError.usage("<action> is one of \(names); got \"\(text)\"")
            }
            return ActionRequest(
                action: action, reason: args["reason"] ?? "", hideContent: args.flag("hide-content"))
        }
        @Sendable func printEntry(_ entry: AuditEntry, _ console: Console, json: Bool) {
            if json {
                console.printJSON(ModerationAPI.auditJSON(entry))
            } else {
                console.print(
                    "#\(entry.id) \(JSONValue.timestamp(entry.createdAt)) \(entry.actorName): \(entry.action.rawValue) \(entry.targetTitle)"
                        + (entry.reason.isEmpty ? "" : " — \(entry.reason)")
                        + (entry.detail.isEmpty ? "" : " [\(entry.detail)]"))
            }
        }
        let json = ArgumentSpec.flag("json", "Print JSON.")
        let actionArguments: [ArgumentSpec] = [
            .positional(
                "action", "dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate or unban."),
            .option(
                "reason", "Why (required for warn, suspend and ban; the member is told).", valueName: "TEXT"),
            .flag("hide-content", "With suspend or ban: also hide everything the member posted."), json,
        ]
        return CommandSpec(
            name: "moderation", abstract: "Review reports and act on them.",
            subcommands: [
                CommandSpec(
                    name: "queue", abstract: "List cases: safeguarding concerns first, then newest.",
                    arguments: [
                        .option(
                            "status", "active, open, awaiting_approval, resolved or all.",
                            valueName: "STATUS", default: "active"),
                        .option(
                            "category", "spam, harassment, safeguarding, inappropriate, copyright or other.",
                            valueName: "CATEGORY"),
                        .option(
                            "kind", "Only one content kind (status, profile, blog_post …).", valueName: "KIND"
                        ),
                        .option("limit", "At most this many.", valueName: "N", default: "50"), json,
                    ]
                ) { args, console in
                    var category: ReportCategory?
                    if let text = args["category"] {
                        guard let parsed = ReportCategory(rawValue: text) else {
                            throw ConsoleError.usage(
                                "--category expects one of \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", "))"
                            )
                        }
                        category = parsed
                    }
                    let status = args["status"] ?? "active"
                    guard QueueFilter.statuses.contains(status) else {
                        throw ConsoleError.usage(
                            "--status expects one of \(QueueFilter.statuses.joined(separator: ", "))")
                    }
                    let page = try run {
                        try moderation.queue(
                            QueueFilter(status: status, category: category, kind: args["kind"]),
                            limit: try args.integer("limit") ?? 50)
                    }
                    if args.json {
                        console.printJSON(.array(page.cases.map(ModerationAPI.caseJSON)))
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
                },
                CommandSpec(
                    name: "show", abstract: "Show one case with its reports, notes and actions.",
                    arguments: [.positional("case", "The case number."), json]
                ) { args, console in
                    let detail = try run { try moderation.detail(caseID: try caseID(args)) }
                    if args.json {
                        console.printJSON(ModerationAPI.detailJSON(detail))
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
                            "report #\(report.id) \(report.category.rawValue) \(report.status): \(report.comment)"
                        )
                    }
                    for note in detail.notes { console.print("note by \(note.authorName): \(note.body)") }
                    for entry in detail.actions { printEntry(entry, console, json: false) }
                },
                CommandSpec(
                    name: "act", abstract: "Act on a case.",
                    arguments: [.positional("case", "The case number.")] + actionArguments
                ) { args, console in
                    let entry = try run {
                        try moderation.act(caseID: try caseID(args), try action(args), by: .console)
                    }
                    printEntry(entry, console, json: args.json)
                },
                CommandSpec(
                    name: "member", abstract: "Warn, suspend, ban, reinstate or unban a member.",
                    arguments: [.positional("handle", "The member's handle.")] + actionArguments
                ) { args, console in
                    let handle = try args.required("handle")
                    guard let member = try moderation.membership?.member(handle: handle) else {
                        throw ConsoleError.failure(
                            "no member with the handle \"\(handle)\"",
                            hint: "list members with `pln admin members list`")
                    }
                    let entry = try run {
                        try moderation.act(memberID: member.id, try action(args), by: .console)
                    }
                    printEntry(entry, console, json: args.json)
                },
                CommandSpec(
                    name: "audit", abstract: "The audit log, newest first.",
                    arguments: [
                        .option(
                            "since", "Only entries on or after this date (YYYY-MM-DD).", valueName: "DATE"),
                        .option("member", "Only actions about this member (handle).", valueName: "HANDLE"),
                        .option("limit", "At most this many.", valueName: "N", default: "50"), json,
                    ]
                ) { args, console in
                    var since: Date?
                    if let text = args["since"] {
                        guard let date = ModerationService.parseDate(text) else {
                            throw ConsoleError.usage(
                                "--since expects a date like 2026-03-01, got \"\(text)\"")
                        }
                        since = date
                    }
                    var memberID: Int64?
                    if let handle = args["member"] {
                        guard let member = try moderation.membership?.member(handle: handle) else {
                            throw ConsoleError.failure("no member with the handle \"\(handle)\"")
                        }
                        memberID = member.id
                    }
                    let entries = try moderation.audit(
                        limit: try args.integer("limit") ?? 50, since: since, memberID: memberID)
                    if args.json {
                        console.printJSON(.array(entries.map(ModerationAPI.auditJSON)))
                    } else {
                        for entry in entries { printEntry(entry, console, json: false) }
                    }
                },
            ])
    }
}
