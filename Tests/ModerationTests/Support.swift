import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage

@testable import Moderation

/// A network with membership and moderation, plus helpers that make members and content
/// directly through the services (the HTTP tests go through pages and the API instead).
final class ModerationFixture: @unchecked Sendable {
    // @unchecked: used by one test at a time.
    let network: TestNetwork
    let moderation: ModerationService
    let membership: MembershipService

    init(
        settings: [String: SettingValue] = [:], clock: FixedClock = FixedClock(Date()),
        modules: [any FeatureModule.Type] = [MembershipModule.self, ModerationModule.self]
    ) throws {
        network = try TestNetwork(modules: modules, settings: ["moderation": settings], clock: clock)
        guard let moderation = network.services.service(ModerationService.self),
            let membership = network.services.service(MembershipService.self)
        else { throw FixtureError(description: "services missing") }
        self.moderation = moderation
        self.membership = membership
    }

    deinit { network.stop() }

    var services: Services { network.services }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    /// A new active member, as the signed-in member the services expect.
    func member(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
        let handle = name.lowercased().replacingOccurrences(of: " ", with: "-")
        return try services.member(name, email: "\(handle)@school.example", handle: handle, role: role)
            .signedIn
    }

    func status(by author: SignedInMember, _ body: String) throws -> Status {
        guard let member = try membership.member(id: author.id) else {
            throw FixtureError(description: "no member")
        }
        return try membership.postStatus(by: member, body: body)
    }

    func isHidden(status id: Int64) throws -> Bool {
        try membership.status(id: id)?.hidden ?? false
    }

    /// Status ids the viewer sees on the author's profile.
    func visibleStatuses(of author: SignedInMember, to viewer: SignedInMember?) throws -> [Int64] {
        let view = viewer.map { Viewer(memberID: $0.id, isModerator: $0.isModerator) } ?? .anonymous
        return try membership.statuses(of: author.id, viewer: view, limit: 100).map(\.id)
    }

    /// Object ids of the activity entries a viewer sees.
    func activityObjects(for viewer: SignedInMember?) throws -> [Int64] {
        let view = viewer.map { Viewer(memberID: $0.id, isModerator: $0.isModerator) } ?? .anonymous
        return try services.activity.latest(for: view, limit: 100).groups.compactMap(\.lead.objectID)
    }

    func outbox(to email: String) throws -> [OutboxMessage] {
        try services.outbox.list().filter { $0.to == email }
    }

    func count(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> Int {
        try services.database.read { try $0.scalar(sql, arguments, as: Int.self) ?? 0 }
    }

    func member(_ id: Int64) throws -> Member? { try membership.member(id: id) }
}

extension SignedInMember {
    var email: String { "\(handle)@school.example" }
    var moderator: ModeratorRef { ModeratorRef(member: self) }
}

/// A reported status of Bob's, reported by Alice, with a moderator ready to act.
struct ReportedStatus {
    let f: ModerationFixture
    let alice: SignedInMember
    let bob: SignedInMember
    let moderator: SignedInMember
    let status: Status
    let report: Report

    init(settings: [String: SettingValue] = [:], category: String = "harassment") throws {
        f = try ModerationFixture(settings: settings)
        alice = try f.member("Alice")
        bob = try f.member("Bob")
        moderator = try f.member("Mo", role: .moderator)
        status = try f.status(by: bob, "You are all idiots")
        report = try f.moderation.fileReport(
            by: alice, kind: "status", itemID: status.id, category: category, comment: "Rude")
    }

    func act(_ action: ModerationActionKind, reason: String = "", hideContent: Bool = false) throws
        -> AuditEntry
    {
        try f.moderation.act(
            caseID: report.caseID, ActionRequest(action: action, reason: reason, hideContent: hideContent),
            by: moderator.moderator)
    }

    var myReport: Report? { try? f.moderation.reports(filedBy: alice.id).first }
}
