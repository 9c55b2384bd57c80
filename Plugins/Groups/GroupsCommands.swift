import Foundation
import Kernel
import Membership

/// `pln admin groups list|show|delete|transfer`.
enum GroupsCommands {
    static func all(_ groups: GroupsService) -> [CommandSpec] {
        @Sendable func find(_ slug: String) throws -> Group {
            guard let group = try groups.group(slug: slug) else {
                throw ConsoleError.failure(
                    "no group with the address \"\(slug)\"", hint: "list groups with `pln admin groups list`")
            }
            return group
        }
        @Sendable func ownerHandle(_ group: Group) throws -> String {
            guard let id = group.ownerID, let owner = try groups.membership.member(id: id) else { return "" }
            return owner.handle
        }
        @Sendable func json(_ group: Group) throws -> JSONValue {
            guard case .object(var fields) = GroupsAPI.groupJSON(group, access: nil) else { return .null }
            let owner = try ownerHandle(group)
            fields.append(("owner", owner.isEmpty ? .null : .string(owner)))
            fields.append(("needs_owner", .bool(group.needsOwner)))
            return .object(fields)
        }
        let slugArgument = ArgumentSpec.positional("slug", "The group's web address (/groups/<slug>).")
        let jsonFlag = ArgumentSpec.flag("json", "Print JSON.")
        return [
            CommandSpec(
                name: "groups", abstract: "Manage groups.",
                subcommands: [
                    CommandSpec(
                        name: "list", abstract: "List every group (hidden ones too), by name.",
                        arguments: [
                            .option("category", "Only this category.", valueName: "NAME"),
                            .flag("needs-owner", "Only groups left without an owner."),
                            .option("limit", "At most this many.", valueName: "N", default: "100"), jsonFlag,
                        ]
                    ) { args, console in
                        let list = try groups.allGroups(
                            category: args["category"], needsOwner: args.flag("needs-owner"),
                            limit: try args.integer("limit") ?? 100)
                        if args.json {
                            console.printJSON(.array(try list.map(json)))
                        } else {
                            console.table(
                                ["SLUG", "NAME", "CATEGORY", "VISIBILITY", "MEMBERS", "OWNER"],
                                try list.map { group in
                                    let owner = try ownerHandle(group)
                                    return [
                                        group.slug, group.name, group.category, group.visibility.rawValue,
                                        String(group.memberCount),
                                        owner.isEmpty ? "(needs owner)" : owner,
                                    ]
                                })
                        }
                    },
                    CommandSpec(
                        name: "show", abstract: "Show one group with its leaders.",
                        arguments: [slugArgument, jsonFlag]
                    ) {
                        args, console in
                        let group = try find(try args.required("slug"))
                        let leaders = try groups.leaders(groupID: group.id)
                        let discussions = try groups.database.read { db in
                            try db.scalar(
                                "SELECT count(*) FROM groups_discussion WHERE group_id = ?", [group.id],
                                as: Int.self) ?? 0
                        }
                        if args.json {
                            guard case .object(var fields) = try json(group) else { return }
                            fields.append(("leaders", .array(leaders.map(GroupsAPI.membershipJSON))))
                            fields.append(("discussions", JSONValue(discussions)))
                            console.printJSON(.object(fields))
                        } else {
                            console.print(
                                "\(group.name) (/groups/\(group.slug)) — \(group.category), \(group.visibility.rawValue)"
                            )
                            console.print(
                                "members: \(group.memberCount), discussions: \(discussions), created \(JSONValue.timestamp(group.createdAt))"
                            )
                            if group.needsOwner {
                                console.print(
                                    "owner: none — hand it over with `pln admin groups transfer \(group.slug) <handle>`"
                                )
                            }
                            for leader in leaders {
                                console.print("\(leader.role.rawValue): \(leader.name) (@\(leader.handle))")
                            }
                        }
                    },
                    CommandSpec(
                        name: "delete", abstract: "Delete a group with its discussions and activity.",
                        arguments: [slugArgument, .flag("yes", "Do not ask for confirmation.")]
                    ) { args, console in
                        let group = try find(try args.required("slug"))
                        if !args.flag("yes")
                            && !console.confirm("Delete the group \(group.name) with all its discussions?")
                        {
                            throw ConsoleError.failure("nothing deleted")
                        }
                        try groups.delete(groupID: group.id, by: nil)
                        console.print("deleted the group \(group.slug)")
                    },
                    CommandSpec(
                        name: "transfer",
                        abstract: "Make a member the owner of a group (they join it if needed).",
                        arguments: [slugArgument, .positional("handle", "The new owner's handle.")]
                    ) { args, console in
                        let group = try find(try args.required("slug"))
                        let handle = try args.required("handle")
                        guard let member = try groups.membership.member(handle: handle) else {
                            throw ConsoleError.failure("no member with the handle \"\(handle)\"")
                        }
                        try groups.transferOwnership(groupID: group.id, to: member.id, by: nil)
                        console.print("\(member.handle) now owns \(group.slug)")
                    },
                ])
        ]
    }
}
