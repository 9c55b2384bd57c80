import Foundation
import Kernel

/// `pln admin members …` and `pln admin invites …`.
enum MembershipCommands {
    static func all(_ membership: MembershipService) -> [CommandSpec] {
        [
            .group(
                "members", abstract: "Manage members.",
                [
                    .command(ListMembers.self, membership), .command(ShowMember.self, membership),
                    .command(CreateMember.self, membership), .command(ApproveMember.self, membership),
                    .command(SuspendMember.self, membership), .command(BanMember.self, membership),
                    .command(ReinstateMember.self, membership), .command(UnbanMember.self, membership),
                    .command(PromoteMember.self, membership), .command(DemoteMember.self, membership),
                    .command(ResetPassword.self, membership), .command(DeleteMember.self, membership),
                ]),
            .group(
                "invites", abstract: "Manage invitation links.",
                [
                    .command(CreateInvitation.self, membership), .command(ListInvitations.self, membership),
                    .command(RevokeInvitation.self, membership),
                ]),
        ]
    }

    static func find(_ handle: String, in membership: MembershipService) throws -> Member {
        guard
            let member = try membership.member(handle: handle)
                ?? (try? membership.database.read { db in try membership.member(login: handle, in: db)?.0 })
                ?? nil
        else {
            throw ConsoleError.failure(
                "no member with the handle or email \"\(handle)\"",
                hint: "list members with `pln admin members list`")
        }
        return member
    }

    static func show(_ member: Member, _ console: Console, json: Bool) throws {
        if json {
            console.printJSON(try MembershipAPI.memberJSON(member, includeEmail: true))
        } else {
            console.print(
                "\(member.name) (@\(member.handle)) <\(member.email)> — \(member.role.rawValue), \(member.status.rawValue), joined \(JSONValue.timestamp(member.createdAt))"
            )
        }
    }

    /// With moderation enabled, member actions go through it: same rules, same audit log.
    static func memberAction(
        _ action: String, handle: String, reason: String, in membership: MembershipService, console: Console
    ) throws {
        let member = try find(handle, in: membership)
        if let moderation = membership.services.service(MemberModerationBox.self)?.moderation {
            try moderation.act(onMember: member.id, action: action, reason: reason)
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

    static func password(_ given: String?) throws -> String {
        guard let password = given ?? ProcessInfo.processInfo.environment["PLN_PASSWORD"] else {
            throw ConsoleError.usage("give --password or set PLN_PASSWORD")
        }
        return password
    }
}

extension Member.Status: CommandArgument {}

/// The roles `members promote` gives.
enum PromotedRole: String, CaseIterable, CommandArgument {
    case moderator, admin
    var role: MemberRole { self == .admin ? .admin : .moderator }
}

struct ListMembers: AdminCommand {
    static let configuration = CommandConfiguration(name: "list", abstract: "List members, newest first.")
    @Option(help: "Only active, pending, suspended or deleted members.", valueName: "STATUS")
    var status: Member.Status?
    @Option(help: "At most this many.", valueName: "N") var limit = 100
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        let list = try membership.members(status: status, limit: limit)
        if json {
            console.printJSON(.array(try list.map { try MembershipAPI.memberJSON($0, includeEmail: true) }))
        } else {
            console.table(
                ["HANDLE", "NAME", "EMAIL", "ROLE", "STATUS"],
                list.map { [$0.handle, $0.name, $0.email, $0.role.rawValue, $0.status.rawValue] })
        }
    }
}

struct ShowMember: AdminCommand {
    static let configuration = CommandConfiguration(name: "show", abstract: "Show one member.")
    @Argument(help: "The member's handle or email.") var handle: String
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        try MembershipCommands.show(try MembershipCommands.find(handle, in: membership), console, json: json)
    }
}

struct CreateMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "create", abstract: "Create a member (use --admin for the first administrator).",
        discussion:
            "The password is read from --password or, if absent, from the PLN_PASSWORD environment variable.")
    @Option(help: "Full name.", valueName: "NAME") var name: String?
    @Option(help: "Email address.", valueName: "EMAIL") var email: String?
    @Option(help: "Handle (derived from the name when left out).", valueName: "HANDLE") var handle: String?
    @Option(help: "Password (at least 10 characters).", valueName: "PASSWORD") var password: String?
    @Flag(help: "Make an administrator; the first administrator becomes the network's creator.") var admin:
        Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        guard let name, let email else { throw ConsoleError.usage("--name and --email are required") }
        let password = try MembershipCommands.password(password)
        var role = MemberRole.member
        if admin {
            let hasCreator =
                try membership.database.read {
                    try $0.scalar("SELECT 1 FROM membership_members WHERE role = 'creator'", as: Int.self)
                } != nil
            role = hasCreator ? .admin : .creator
        }
        do {
            let member = try membership.join(
                .init(name: name, email: email, password: password, handle: handle, acceptsTerms: true),
                role: role,
                bypassSignupMode: true)
            try MembershipCommands.show(member, console, json: json)
        } catch DomainError.invalid(let errors) {
            throw ConsoleError.failure(errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
        }
    }
}

struct ApproveMember: AdminCommand {
    static let configuration = CommandConfiguration(name: "approve", abstract: "Approve a pending member.")
    @Argument(help: "The member's handle or email.") var handle: String

    func run(_ membership: MembershipService, console: Console) throws {
        let member = try membership.approve(memberID: try MembershipCommands.find(handle, in: membership).id)
        console.print("approved \(member.handle)")
    }
}

struct SuspendMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "suspend", abstract: "Suspend a member: no sign-in, content hidden.")
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "Why (kept in the audit log).", valueName: "TEXT") var reason = ""

    func run(_ membership: MembershipService, console: Console) throws {
        try MembershipCommands.memberAction(
            "suspend", handle: handle, reason: reason, in: membership, console: console)
    }
}

struct BanMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "ban", abstract: "Ban a member (a suspension only an unban lifts; needs the moderation module)."
    )
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "Why (kept in the audit log).", valueName: "TEXT") var reason = ""

    func run(_ membership: MembershipService, console: Console) throws {
        try MembershipCommands.memberAction(
            "ban", handle: handle, reason: reason, in: membership, console: console)
    }
}

struct ReinstateMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "reinstate", abstract: "Reinstate a suspended member.")
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "Why (kept in the audit log).", valueName: "TEXT") var reason = ""

    func run(_ membership: MembershipService, console: Console) throws {
        try MembershipCommands.memberAction(
            "reinstate", handle: handle, reason: reason, in: membership, console: console)
    }
}

struct UnbanMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "unban", abstract: "Lift a ban and reinstate (needs the moderation module).")
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "Why (kept in the audit log).", valueName: "TEXT") var reason = ""

    func run(_ membership: MembershipService, console: Console) throws {
        try MembershipCommands.memberAction(
            "unban", handle: handle, reason: reason, in: membership, console: console)
    }
}

struct PromoteMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "promote", abstract: "Give a member the moderator or admin role.")
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "moderator or admin.", valueName: "ROLE") var role = PromotedRole.moderator

    func run(_ membership: MembershipService, console: Console) throws {
        let member = try membership.setRole(
            memberID: try MembershipCommands.find(handle, in: membership).id, to: role.role)
        console.print("\(member.handle) is now \(member.role.rawValue)")
    }
}

struct DemoteMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "demote", abstract: "Make a moderator or admin an ordinary member.")
    @Argument(help: "The member's handle or email.") var handle: String

    func run(_ membership: MembershipService, console: Console) throws {
        let member = try membership.setRole(
            memberID: try MembershipCommands.find(handle, in: membership).id, to: .member)
        console.print("\(member.handle) is now \(member.role.rawValue)")
    }
}

struct ResetPassword: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "reset-password",
        abstract:
            "Set a new password (from --password or PLN_PASSWORD) and end the member's sessions, API tokens and reset links."
    )
    @Argument(help: "The member's handle or email.") var handle: String
    @Option(help: "The new password.", valueName: "PASSWORD") var password: String?

    func run(_ membership: MembershipService, console: Console) throws {
        let password = try MembershipCommands.password(password)
        let member = try MembershipCommands.find(handle, in: membership)
        try membership.setPassword(memberID: member.id, to: password)
        console.print("password changed for \(member.handle); their sessions have ended")
    }
}

struct DeleteMember: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "delete", abstract: "Delete a member's account (anonymised, like “Delete my account”).")
    @Argument(help: "The member's handle or email.") var handle: String
    @Flag(help: "Do not ask for confirmation.") var yes: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        let member = try MembershipCommands.find(handle, in: membership)
        try console.requireConfirmation(
            "Delete the account of \(member.name) (@\(member.handle))?", unless: yes)
        try membership.deleteAccount(memberID: member.id, hooks: membership.personalDataHooks())
        console.print("deleted the account of \(member.handle)")
    }
}

struct CreateInvitation: AdminCommand {
    static let configuration = CommandConfiguration(name: "create", abstract: "Create an invitation link.")
    @Option(help: "How many people can join with it.", valueName: "N") var uses = 1
    @Option(help: "How long it stays valid.", valueName: "N") var days = 14
    @Option(help: "Who it is for.", valueName: "TEXT") var note = ""
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        let invitation = try membership.createInvitation(by: nil, note: note, maxUses: uses, validDays: days)
        let link =
            membership.services.link("/join?invite=" + invitation.code)
        if json {
            console.printJSON([
                "id": .int(invitation.id), "code": .string(invitation.code), "link": .string(link),
                "expires_at": JSONValue(invitation.expiresAt),
            ])
        } else {
            console.print(link)
        }
    }
}

struct ListInvitations: AdminCommand {
    static let configuration = CommandConfiguration(name: "list", abstract: "List invitations.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ membership: MembershipService, console: Console) throws {
        let list = try membership.invitations()
        if json {
            console.printJSON(
                .array(
                    list.map {
                        [
                            "id": .int($0.id), "code": .string($0.code), "uses": JSONValue($0.uses),
                            "max_uses": JSONValue($0.maxUses), "usable": .bool($0.isUsable),
                            "note": .string($0.note),
                        ]
                    }))
        } else {
            console.table(
                ["ID", "CODE", "USED", "USABLE", "NOTE"],
                list.map {
                    [String($0.id), $0.code, "\($0.uses)/\($0.maxUses)", $0.isUsable ? "yes" : "no", $0.note]
                })
        }
    }
}

struct RevokeInvitation: AdminCommand {
    static let configuration = CommandConfiguration(name: "revoke", abstract: "Revoke an invitation.")
    @Argument(help: "The invitation's id.") var id: Int64

    func run(_ membership: MembershipService, console: Console) throws {
        try membership.revokeInvitation(id: id, by: nil)
        console.print("revoked invitation \(id)")
    }
}
