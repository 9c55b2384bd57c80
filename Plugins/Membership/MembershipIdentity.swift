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
            "SELECT \(Member.columns) FROM members m WHERE m.handle = ?", [handle.lowercased()], Member.decode
        ).map(Self.person)
    }

    func people(withRoleAtLeast role: MemberRole, in db: Connection) throws -> [Person] {
        let roles = MemberRole.allCases.filter { $0 >= role }.map(\.rawValue)
        return try db.query(
            """
            SELECT \(Member.columns) FROM members m
            WHERE m.role IN (SELECT value FROM json_each(?)) AND m.status = 'active' ORDER BY m.id
            """, [JSONValue.array(roles.map { .string($0) }).jsonText()], Member.decode
        ).map(Self.person)
    }

    func mailAddresses(of memberIDs: [Int64], in db: Connection) throws -> [Int64: String] {
        guard !memberIDs.isEmpty else { return [:] }
        var addresses: [Int64: String] = [:]
        try db.forEach(
            "SELECT id, email FROM members WHERE id IN (SELECT value FROM json_each(?)) AND status = 'active'",
            ["[" + memberIDs.map(String.init).joined(separator: ",") + "]"]
        ) { row in addresses[try row.value(column: 0)] = try row.value(column: 1) }
        return addresses
    }

    func profilePath(handle: String) -> String { Member.profilePath(handle: handle) }
    var signInPath: String { "/sign-in" }
    var signOutPath: String { "/sign-out" }
    var joinPath: String { "/join" }

    static func person(_ member: Member) -> Person {
        Person(
            id: member.id, handle: member.handle, name: member.name, role: member.role,
            status: Person.Status(rawValue: member.status.rawValue) ?? .active, hasAvatar: member.hasAvatar,
            createdAt: member.createdAt, profilePath: member.profilePath)
    }
}
