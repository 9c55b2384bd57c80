import Foundation
import Kernel
import Membership

/// `pln admin groups list|show|delete|transfer`.
enum GroupsCommands {
    static func all(_ groups: GroupsService) -> [CommandSpec] {
        [
            .group(
                "groups", abstract: "Manage groups.",
                [
                    .command(ListGroups.self, groups), .command(ShowGroup.self, groups),
                    .command(DeleteGroup.self, groups), .command(TransferGroup.self, groups),
                ])
        ]
    }

    static func find(_ slug: String, in groups: GroupsService) throws -> Group {
        guard let group = try groups.group(slug: slug) else {
            throw ConsoleError.failure(
                "no group with the address \"\(slug)\"", hint: "list groups with `pln admin groups list`")
        }
        return group
    }

    static func ownerHandle(_ group: Group, in groups: GroupsService) throws -> String {
        guard let id = group.ownerID, let owner = try groups.membership.member(id: id) else { return "" }
        return owner.handle
    }

    static func groupJSON(_ group: Group, in groups: GroupsService) throws -> JSONValue {
        guard case .object(var fields) = try JSONValue(encoding: GroupResponse(group, access: nil)) else {
            return .null
        }
        let owner = try ownerHandle(group, in: groups)
        fields.append(("owner", owner.isEmpty ? .null : .string(owner)))
        fields.append(("needs_owner", .bool(group.needsOwner)))
        return .object(fields)
    }
}

struct ListGroups: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "List every group (hidden ones too), by name.")
    @Option(help: "Only this category.", valueName: "NAME") var category: String?
    @Flag(help: "Only groups left without an owner.") var needsOwner: Bool
    @Option(help: "At most this many.", valueName: "N") var limit = 100
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ groups: GroupsService, console: Console) throws {
        let list = try groups.allGroups(category: category, needsOwner: needsOwner, limit: limit)
        if json {
            console.printJSON(.array(try list.map { try GroupsCommands.groupJSON($0, in: groups) }))
        } else {
            console.table(
                ["SLUG", "NAME", "CATEGORY", "VISIBILITY", "MEMBERS", "OWNER"],
                try list.map { group in
                    let owner = try GroupsCommands.ownerHandle(group, in: groups)
                    return [
                        group.slug, group.name, group.category, group.visibility.rawValue,
                        String(group.memberCount), owner.isEmpty ? "(needs owner)" : owner,
                    ]
                })
        }
    }
}

struct ShowGroup: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "show", abstract: "Show one group with its leaders.")
    @Argument(help: "The group's web address (/groups/<slug>).") var slug: String
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ groups: GroupsService, console: Console) throws {
        let group = try GroupsCommands.find(slug, in: groups)
        let leaders = try groups.leaders(groupID: group.id)
        let discussions = try groups.database.read { db in
            try db.scalar(
                "SELECT count(*) FROM groups_discussion WHERE group_id = ?", [group.id], as: Int.self) ?? 0
        }
        if json {
            guard case .object(var fields) = try GroupsCommands.groupJSON(group, in: groups) else { return }
            fields.append(
                ("leaders", .array(try leaders.map { try JSONValue(encoding: MembershipResponse($0)) })))
            fields.append(("discussions", JSONValue(discussions)))
            console.printJSON(.object(fields))
        } else {
            console.print(
                "\(group.name) (/groups/\(group.slug)) — \(group.category), \(group.visibility.rawValue)")
            console.print(
                "members: \(group.memberCount), discussions: \(discussions), created \(JSONValue.timestamp(group.createdAt))"
            )
            if group.needsOwner {
                console.print(
                    "owner: none — hand it over with `pln admin groups transfer \(group.slug) <handle>`")
            }
            for leader in leaders {
                console.print("\(leader.role.rawValue): \(leader.name) (@\(leader.handle))")
            }
        }
    }
}

struct DeleteGroup: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "delete", abstract: "Delete a group with its discussions and activity.")
    @Argument(help: "The group's web address (/groups/<slug>).") var slug: String
    @Flag(help: "Do not ask for confirmation.") var yes: Bool

    func run(_ groups: GroupsService, console: Console) throws {
        let group = try GroupsCommands.find(slug, in: groups)
        try console.requireConfirmation(
            "Delete the group \(group.name) with all its discussions?", unless: yes)
        try groups.delete(groupID: group.id, by: nil)
        console.print("deleted the group \(group.slug)")
    }
}

struct TransferGroup: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "transfer", abstract: "Make a member the owner of a group (they join it if needed).")
    @Argument(help: "The group's web address (/groups/<slug>).") var slug: String
    @Argument(help: "The new owner's handle.") var handle: String

    func run(_ groups: GroupsService, console: Console) throws {
        let group = try GroupsCommands.find(slug, in: groups)
        guard let member = try groups.membership.member(handle: handle) else {
            throw ConsoleError.failure("no member with the handle \"\(handle)\"")
        }
        try groups.transferOwnership(groupID: group.id, to: member.id, by: nil)
        console.print("\(member.handle) now owns \(group.slug)")
    }
}
