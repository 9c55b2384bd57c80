import Foundation
import Kernel
import Storage

/// The kernel's ``Identity``, implemented on membership's tables: lookups, roles, mail
/// addresses (active members only) and the paths of its pages.
struct MembershipIdentity: Identity {
    let membership: MembershipService

    func person(id: Int64, in db: Connection) throws -> Person? {
        try membership.member(id: id, in: db).map(Self.person)
    }

    func person(handle: String, in db: Connection) throws -> Person? {
        try db.queryOne(
            "SELECT \(Member.columns) FROM membership_members m WHERE m.handle = ?", [handle.lowercased()],
            Member.decode
        ).map(Self.person)
    }

    /// By name, then id.
    func people(withRoleAtLeast role: MemberRole, in db: Connection) throws -> [Person] {
        let roles = MemberRole.allCases.filter { $0 >= role }.map(\.rawValue)
        return try db.query(
            """
            SELECT \(Member.columns) FROM membership_members m
            WHERE m.role IN (SELECT value FROM json_each(?)) AND m.status = 'active' ORDER BY m.name, m.id
            """, [JSONValue.array(roles.map { .string($0) }).jsonText()], Member.decode
        ).map(Self.person)
    }

    func mailRecipients(_ memberIDs: [Int64], in db: Connection) throws -> [MailRecipient] {
        guard !memberIDs.isEmpty else { return [] }
        var found: [Int64: MailRecipient] = [:]
        try db.forEach(
            """
            SELECT id, name, email, status FROM membership_members
            WHERE id IN (SELECT value FROM json_each(?)) AND status <> 'deleted'
            """, ["[" + memberIDs.map(String.init).joined(separator: ",") + "]"]
        ) { row in
            let id: Int64 = try row.value(column: 0)
            found[id] = MailRecipient(
                memberID: id, name: try row.value(column: 1), address: try row.value(column: 2),
                status: Person.Status(rawValue: try row.value(column: 3)) ?? .active)
        }
        return memberIDs.compactMap { found[$0] }
    }

    func profilePath(handle: String) -> String { Member.profilePath(handle: handle) }
    var signInPath: String { "/sign-in" }
    var signOutPath: String { "/sign-out" }
    var joinPath: String { "/join" }

    func membersWithPhotos(among memberIDs: [Int64], in db: Connection) throws -> Set<Int64> {
        guard !memberIDs.isEmpty else { return [] }
        let list = "[" + memberIDs.map(String.init).joined(separator: ",") + "]"
        return Set(
            try db.query(
                "SELECT member_id FROM membership_avatars WHERE member_id IN (SELECT value FROM json_each(?))",
                [list]
            ) { row in try row.value("member_id") as Int64 })
    }

    static func person(_ member: Member) -> Person {
        Person(
            id: member.id, handle: member.handle, name: member.name, role: member.role,
            status: Person.Status(rawValue: member.status.rawValue) ?? .active, hasAvatar: member.hasAvatar,
            createdAt: member.createdAt, profilePath: member.profilePath)
    }
}
