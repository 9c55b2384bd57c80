import Foundation
import Kernel

/// `pln admin members …` and `pln admin invites …`.
enum MembershipCommands {
    static func all(_ membership: MembershipService) -> [CommandSpec] {
        @Sendable func find(_ handle: String) throws -> Member {
            guard
                let member = try membership.member(handle: handle)
                    ?? (try? membership.database.read { db in try membership.member(login: handle, in: db)?.0
                    }) ?? nil
            else {
                throw ConsoleError.failure(
                    "no member with the handle or email \"\(handle)\"",
                    hint: "list members with `pln admin members list`")
            }
            return member
        }
        @Sendable func show(_ member: Member, _ console: Console, json: Bool) {
            if json {
                console.printJSON(MembershipAPI.memberJSON(member, includeEmail: true))
            } else {
                console.print(
                    "\(member.name) (@\(member.handle)) <\(member.email)> — \(member.role.rawValue), \(member.status.rawValue), joined \(JSONValue.timestamp(member.createdAt))"
                )
            }
        }
        let handleArgument = ArgumentSpec.positional("handle", "The member's handle or email.")
        let reason = ArgumentSpec.option(
            "reason", "Why (kept in the audit log).", valueName: "TEXT", default: "")
        /// With moderation enabled, member actions go through it: same rules, same audit log.
        @Sendable func memberAction(_ action: String, _ args: ParsedArguments, _ console: Console) throws {
            let member = try find(try args.required("handle"))
            if let moderation = membership.services.service(MemberModerationBox.self)?.moderation {
                try moderation.act(onMember: member.id, action: action, reason: args["reason"] ?? "")
            } else {
                switch action {
                case "suspend": _ = try membership.suspend(memberID: member.id, by: nil)
                case "reinstate": _ = try membership.reinstate(memberID: member.id)
                default:
                    throw ConsoleError.failure(
                        "\(action) needs the moderation module", hint: "enable \"moderation\" in modules(…)")
                }
            }
            console.print("\(action): \(member.handle)")
        }
        let json = ArgumentSpec.flag("json", "Print JSON.")

        let members = CommandSpec(
            name: "members", abstract: "Manage members.",
            subcommands: [
                CommandSpec(
                    name: "list", abstract: "List members, newest first.",
                    arguments: [
                        .option(
                            "status", "Only active, pending, suspended or deleted members.",
                            valueName: "STATUS"),
                        .option("limit", "At most this many.", valueName: "N", default: "100"), json,
                    ]
                ) { args, console in
                    var status: Member.Status?
                    if let text = args["status"] {
                        guard let parsed = Member.Status(rawValue: text) else {
                            throw ConsoleError.usage(
                                "--status expects active, pending, suspended or deleted, got \"\(text)\"")
                        }
                        status = parsed
                    }
                    let list = try membership.members(status: status, limit: try args.integer("limit") ?? 100)
                    if args.json {
                        console.printJSON(
                            .array(list.map { MembershipAPI.memberJSON($0, includeEmail: true) }))
                    } else {
                        console.table(
                            ["HANDLE", "NAME", "EMAIL", "ROLE", "STATUS"],
                            list.map { [$0.handle, $0.name, $0.email, $0.role.rawValue, $0.status.rawValue] })
                    }
                },
                CommandSpec(name: "show", abstract: "Show one member.", arguments: [handleArgument, json]) {
                    args, console in
                    show(try find(try args.required("handle")), console, json: args.json)
                },
                CommandSpec(
                    name: "create", abstract: "Create a member (use --admin for the first administrator).",
                    discussion:
                        "The password is read from --password or, if absent, from the PLN_PASSWORD environment variable.",
                    arguments: [
                        .option("name", "Full name.", valueName: "NAME"),
                        .option("email", "Email address.", valueName: "EMAIL"),
                        .option(
                            "handle", "Handle (derived from the name when left out).", valueName: "HANDLE"),
                        .option("password", "Password (at least 10 characters).", valueName: "PASSWORD"),
                        .flag(
                            "admin",
                            "Make an administrator; the first administrator becomes the network's creator."),
                        json,
                    ]
                ) { args, console in
                    guard let name = args["name"], let email = args["email"] else {
                        throw ConsoleError.usage("--name and --email are required")
                    }
                    guard
                        let password = args["password"] ?? ProcessInfo.processInfo.environment["PLN_PASSWORD"]
                    else {
                        throw ConsoleError.usage("give --password or set PLN_PASSWORD")
                    }
                    var role = MemberRole.member
                    if args.flag("admin") {
                        let hasCreator =
                            try membership.database.read {
                                try $0.scalar("SELECT 1 FROM members WHERE role = 'creator'", as: Int.self)
                            } != nil
                        role = hasCreator ? .admin : .creator
                    }
                    do {
                        let member = try membership.join(
                            .init(
                                name: name, email: email, password: password, handle: args["handle"],
                                acceptsTerms: true), role: role, bypassSignupMode: true)
                        show(member, console, json: args.json)
                    } catch DomainError.invalid(let errors) {
                        throw ConsoleError.failure(
                            errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
                    }
                },
                CommandSpec(
                    name: "approve", abstract: "Approve a pending member.", arguments: [handleArgument]
                ) { args, console in
                    let member = try membership.approve(memberID: try find(try args.required("handle")).id)
                    console.print("approved \(member.handle)")
                },
                CommandSpec(
                    name: "suspend", abstract: "Suspend a member: no sign-in, content hidden.",
                    arguments: [handleArgument, reason]
                ) { args, console in
                    try memberAction("suspend", args, console)
                },
                CommandSpec(
                    name: "ban",
                    abstract: "Ban a member (a suspension only an unban lifts; needs the moderation module).",
                    arguments: [handleArgument, reason]
                ) { args, console in
                    try memberAction("ban", args, console)
                },
                CommandSpec(
                    name: "reinstate", abstract: "Reinstate a suspended member.",
                    arguments: [handleArgument, reason]
                ) { args, console in
                    try memberAction("reinstate", args, console)
                },
                CommandSpec(
                    name: "unban", abstract: "Lift a ban and reinstate (needs the moderation module).",
                    arguments: [handleArgument, reason]
                ) { args, console in
                    try memberAction("unban", args, console)
                },
                CommandSpec(
                    name: "promote", abstract: "Give a member the moderator or admin role.",
                    arguments: [
                        handleArgument,
                        .option("role", "moderator or admin.", valueName: "ROLE", default: "moderator"),
                    ]
                ) { args, console in
                    guard let role = MemberRole(rawValue: args["role"] ?? ""),
                        role == .moderator || role == .admin
                    else {
                        throw ConsoleError.usage("--role expects moderator or admin")
                    }
                    let member = try membership.setRole(
                        memberID: try find(try args.required("handle")).id, to: role)
                    console.print("\(member.handle) is now \(member.role.rawValue)")
                },
                CommandSpec(
                    name: "demote", abstract: "Make a moderator or admin an ordinary member.",
                    arguments: [handleArgument]
                ) { args, console in
                    let member = try membership.setRole(
                        memberID: try find(try args.required("handle")).id, to: .member)
                    console.print("\(member.handle) is now \(member.role.rawValue)")
                },
                CommandSpec(
                    name: "reset-password",
                    abstract:
                        "Set a new password (from --password or PLN_PASSWORD) and end the member's sessions, API tokens and reset links.",
                    arguments: [
                        handleArgument, .option("password", "The new password.", valueName: "PASSWORD"),
                    ]
                ) { args, console in
                    guard
                        let password = args["password"] ?? ProcessInfo.processInfo.environment["PLN_PASSWORD"]
                    else {
                        throw ConsoleError.usage("give --password or set PLN_PASSWORD")
                    }
                    let member = try find(try args.required("handle"))
                    try membership.setPassword(memberID: member.id, to: password)
                    console.print("password changed for \(member.handle); their sessions have ended")
                },
                CommandSpec(
                    name: "delete",
                    abstract: "Delete a member's account (anonymised, like “Delete my account”).",
                    arguments: [
                        handleArgument, .flag("yes", "Do not ask for confirmation."),
                    ]
                ) { args, console in
                    let member = try find(try args.required("handle"))
                    if !args.flag("yes")
                        && !console.confirm("Delete the account of \(member.name) (@\(member.handle))?")
                    {
                        throw ConsoleError.failure("nothing deleted")
                    }
                    try membership.deleteAccount(memberID: member.id, hooks: membership.personalDataHooks())
                    console.print("deleted the account of \(member.handle)")
                },
            ])

        let invites = CommandSpec(
            name: "invites", abstract: "Manage invitation links.",
            subcommands: [
                CommandSpec(
                    name: "create", abstract: "Create an invitation link.",
                    arguments: [
                        .option("uses", "How many people can join with it.", valueName: "N", default: "1"),
                        .option("days", "How long it stays valid.", valueName: "N", default: "14"),
                        .option("note", "Who it is for.", valueName: "TEXT", default: ""), json,
                    ]
                ) { args, console in
                    let invitation = try membership.createInvitation(
                        by: nil, note: args["note"] ?? "", maxUses: try args.integer("uses") ?? 1,
                        validDays: try args.integer("days") ?? 14)
                    let link = membership.services.link("/join?invite=" + invitation.code)
                    if args.json {
                        console.printJSON([
                            "id": .int(invitation.id), "code": .string(invitation.code),
                            "link": .string(link), "expires_at": JSONValue(invitation.expiresAt),
                        ])
                    } else {
                        console.print(link)
                    }
                },
                CommandSpec(name: "list", abstract: "List invitations.", arguments: [json]) { args, console in
                    let list = try membership.invitations()
                    if args.json {
                        console.printJSON(
                            .array(
                                list.map {
                                    [
                                        "id": .int($0.id), "code": .string($0.code),
                                        "uses": JSONValue($0.uses), "max_uses": JSONValue($0.maxUses),
                                        "usable": .bool($0.isUsable), "note": .string($0.note),
                                    ]
                                }))
                    } else {
                        console.table(
                            ["ID", "CODE", "USED", "USABLE", "NOTE"],
                            list.map {
                                [
                                    String($0.id), $0.code, "\($0.uses)/\($0.maxUses)",
                                    $0.isUsable ? "yes" : "no", $0.note,
                                ]
                            })
                    }
                },
                CommandSpec(
                    name: "revoke", abstract: "Revoke an invitation.",
                    arguments: [.positional("id", "The invitation's id.")]
                ) { args, console in
                    guard let id = Int64(try args.required("id")) else {
                        throw ConsoleError.usage("<id> is a number")
                    }
                    try membership.revokeInvitation(id: id, by: nil)
                    console.print("revoked invitation \(id)")
                },
            ])
        return [members, invites]
    }
}
