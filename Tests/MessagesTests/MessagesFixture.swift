import Foundation
import Groups
import Kernel
import Membership
import Moderation
import PLNTestSupport
import Storage

@testable import Messages

/// A kernel with membership, groups, moderation and messages on a temporary database and a
/// fixed clock.
struct MessagesFixture {
    let kernel: Kernel
    let clock: FixedClock
    let messages: MessagesService
    let membership: MembershipService

    var services: Services { kernel.services }

    init(settings: [String: [String: SettingValue]] = [:]) throws {
        let registry = ModuleRegistry([
            MembershipModule.self, GroupsModule.self, ModerationModule.self, MessagesModule.self,
        ])
        var config = DeploymentConfig.defaults(
            enabling: ["membership", "groups", "moderation", "messages"], manifests: registry.manifests)
        let folder = TestNetwork.temporaryFolder()
        try config.useTestDatabase(in: folder)
        config.sections["network"]?["base_url"] = .string("https://pln.example.org")
        for (section, values) in settings {
            for (name, value) in values { config.sections[section, default: [:]][name] = value }
        }
        clock = FixedClock()
        kernel = try Kernel.boot(config: config, registry: registry, clock: clock, log: .silent)
        guard let messages = kernel.services.service(MessagesService.self),
            let membership = kernel.services.service(MembershipService.self)
        else { throw FixtureError(description: "messages or membership service missing") }
        self.messages = messages
        self.membership = membership
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    /// A member who joined long enough ago not to count as new.
    func member(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
        let joined = clock.now
        clock.set(joined.addingTimeInterval(-30 * 86_400))
        defer { clock.set(joined) }
        return try services.member(name, role: role).signedIn
    }

    /// A member who joined just now.
    func newMember(_ name: String) throws -> SignedInMember { try services.member(name).signedIn }

    func unread(_ member: SignedInMember) throws -> Int { try messages.unreadCount(of: member.id) }

    func bodies(_ conversationID: Int64, as reader: SignedInMember) throws -> [String] {
        try messages.messages(in: conversationID, reader: reader.id).messages.map(\.body)
    }

    /// A moderator approves a message the content gate held.
    func approveHeld(_ messageID: Int64, by moderator: SignedInMember) throws {
        guard let moderation = services.service(ModerationService.self),
            let entry = try moderation.queue(QueueFilter(status: "awaiting_approval")).cases.first(where: {
                $0.itemID == messageID
            })
        else { throw FixtureError(description: "no held message \(messageID) in the queue") }
        _ = try moderation.act(
            caseID: entry.id, ActionRequest(action: .approve), by: ModeratorRef(member: moderator))
    }
}
