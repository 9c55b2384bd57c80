import Foundation
import Groups
import Kernel
import Membership
import PLNTestSupport
import Storage

/// A network with membership and groups, plus helpers to make members and groups directly
/// through the services (the HTTP tests go through pages and the API instead).
final class GroupsFixture: @unchecked Sendable {
    // @unchecked: used by one test at a time.
    let network: TestNetwork
    let groups: GroupsService
    let membership: MembershipService

    init(settings: [String: [String: SettingValue]] = [:]) throws {
        network = try TestNetwork(modules: [MembershipModule.self, GroupsModule.self], settings: settings)
        guard let groups = network.services.service(GroupsService.self),
            let membership = network.services.service(MembershipService.self)
        else { throw FixtureError(description: "services missing") }
        self.groups = groups
        self.membership = membership
    }

    deinit { network.stop() }

    var services: Services { network.services }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    /// A new active member, as the signed-in member the services expect.
    func member(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
        try services.member(
            name, handle: name.lowercased().replacingOccurrences(of: " ", with: "-"), role: role
        ).signedIn
    }

    /// The address `member` joined with.
    func email(of member: SignedInMember) throws -> String {
        guard let found = try membership.member(id: member.id) else {
            throw FixtureError(description: "no member \(member.id)")
        }
        return found.email
    }

    func group(
        _ name: String, _ visibility: GroupVisibility, owner: SignedInMember, category: String = "Cluster"
    ) throws -> Group {
        try groups.create(
            .init(name: name, description: "About **\(name)**", category: category, visibility: visibility),
            by: owner)
    }

    /// Adds `member` to `group` as an active member, whatever the visibility (via invitation).
    func add(_ member: SignedInMember, to group: Group, by chair: SignedInMember) throws {
        try groups.invite(groupID: group.id, memberID: member.id, by: chair)
        try groups.join(groupID: group.id, by: member)
    }

    func viewer(_ member: SignedInMember?) -> Viewer { groups.viewer(for: member) }

    /// Titles and verbs of the activity a viewer sees in the network stream.
    func stream(for member: SignedInMember?, filter: ActivityFilter = .all) throws -> [ActivityEntry] {
        try services.activity.latest(for: viewer(member), limit: 100, filter: filter).groups.map(\.lead)
    }

    func outbox() throws -> [OutboxMessage] { try services.outbox.list(limit: 500) }
}
