import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Synchronization

@testable import CPD

/// Group memberships for tests, standing in for the groups module.
final class FakeGroupScopes: GroupScopes, Sendable {
    private let memberships: Mutex<[Int64: [Int64]]>
    init(_ memberships: [Int64: [Int64]] = [:]) { self.memberships = Mutex(memberships) }
    func groupIDs(of memberID: Int64) -> [Int64] { memberships.withLock { $0[memberID] ?? [] } }
    func add(_ memberID: Int64, to group: Int64) {
        memberships.withLock { $0[memberID, default: []].append(group) }
    }
}

/// The school profile question, so "find an expert" and reports can show schools.
let schoolQuestion: SettingValue = .list([
    .record([
        "id": .string("school"), "label": .string("School"), "type": .string("text"), "options": .list([]),
        "required": .bool(false),
    ])
])

/// A booted kernel with membership and CPD on a temporary database, with a fixed clock.
final class CPDFixture: @unchecked Sendable {
    // @unchecked: used from one test at a time; the kernel and services are thread-safe.
    let kernel: Kernel
    let clock: FixedClock
    var services: Services { kernel.services }
    var cpd: CPDService
    var membership: MembershipService

    let folder: String

    init(
        settings: [String: [String: SettingValue]] = [:], clock: FixedClock = FixedClock(),
        folder: String? = nil
    ) throws {
        let registry = ModuleRegistry([MembershipModule.self, CPDModule.self])
        let folder = folder ?? TestNetwork.temporaryFolder()
        self.folder = folder
        var config = DeploymentConfig.defaults(
            enabling: ["membership", "cpd"], manifests: registry.manifests)
        try config.useTestDatabase(in: folder)
        config.sections["network"]?["base_url"] = .string("https://pln.example.org")
        for (section, values) in settings {
            for (name, value) in values { config.sections[section, default: [:]][name] = value }
        }
        self.clock = clock
        kernel = try Kernel.boot(config: config, registry: registry, clock: clock, log: .silent)
        guard let cpd = kernel.services.service(CPDService.self),
            let membership = kernel.services.service(MembershipService.self)
        else { throw FixtureError(description: "services missing") }
        self.cpd = cpd
        self.membership = membership
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    func member(_ name: String, school: String? = nil, role: MemberRole = .member) throws -> Member {
        try services.member(name, school: school, role: role)
    }

    func signedIn(_ member: Member) -> SignedInMember { member.signedIn }

    /// Local wall-clock text `days` days from now in London, at `time`.
    func localStart(daysAhead: Int, time: String = "16:00", zone: String = "Europe/London") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: clock.now.addingTimeInterval(Double(daysAhead) * 86_400)) + "T" + time
    }

    func offer(
        by organiser: Member, title: String = "Phonics in Year 1", capacity: Int = 10, daysAhead: Int = 7,
        duration: Int = 90, audienceGroup: Int64? = nil, areas: [String] = ["Phonics"], zone: String = ""
    ) throws -> CPDSession {
        try cpd.offer(
            SessionInput(
                title: title, description: "Blending and segmenting.", areas: areas,
                starts: localStart(daysAhead: daysAhead),
                timeZone: zone, durationMinutes: String(duration), venue: "Hilltop Primary, hall",
                capacity: String(capacity), audienceGroup: audienceGroup.map(String.init) ?? ""),
            by: signedIn(organiser))
    }

    func outbox() throws -> [OutboxMessage] { try services.outbox.list(limit: 500) }
}

/// A 90-minute session with two booked members, the clock moved to just after it ends.
func attendedSession(_ fixture: CPDFixture) throws -> (
    organiser: Member, session: CPDSession, present: Member, absent: Member
) {
    let organiser = try fixture.member("Olive Organiser")
    let session = try fixture.offer(by: organiser, title: "Early reading", capacity: 5, duration: 90)
    let present = try fixture.member("Pat Present")
    let absent = try fixture.member("Abe Absent")
    _ = try fixture.cpd.book(sessionID: session.id, memberID: present.id)
    _ = try fixture.cpd.book(sessionID: session.id, memberID: absent.id)
    fixture.clock.set(session.endsAt.addingTimeInterval(60))
    return (organiser, session, present, absent)
}
