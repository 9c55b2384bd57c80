import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

/// A network with only membership enabled, its settings under `membership`.
func network(_ settings: [String: SettingValue] = [:], clock: FixedClock = FixedClock(Date())) throws
    -> TestNetwork
{
    try TestNetwork(modules: [MembershipModule.self], settings: ["membership": settings], clock: clock)
}

/// Membership's service, and members made through the shared fixture (`services.member(...)`)
/// with the readable addresses these tests look for.
extension TestNetwork {
    var membership: MembershipService { services.service(MembershipService.self)! }

    @discardableResult
    func member(_ name: String, email: String? = nil, role: MemberRole = .member) throws -> Member {
        try services.member(
            name, email: email ?? "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.org",
            role: role)
    }
}
