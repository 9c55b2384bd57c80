import Kernel
import Membership
import Synchronization

/// One way for every test target to make members: an active member joined through
/// Membership's service (validation, hashing and all), with an address derived from the name
/// that is unique within the test run.
///
/// ```swift
/// let ada = try services.member("Ada Lovelace")                 // a Member
/// let mod = try services.member("Mo", role: .moderator).signedIn // as a signed-in request sees them
/// ```
extension Services {
    @discardableResult
    public func member(
        _ name: String, email: String? = nil, handle: String? = nil, school: String? = nil,
        role: MemberRole = .member, password: String = MemberFixture.password
    ) throws -> Member {
        guard let membership = service(MembershipService.self) else {
            throw MemberFixture.Missing()
        }
        var answers: [String: String] = [:]
        if let school { answers["school"] = school }
        return try membership.join(
            .init(
                name: name, email: email ?? MemberFixture.address(for: name), password: password,
                handle: handle, acceptsTerms: true, answers: answers),
            role: role, bypassSignupMode: true)
    }
}

extension Member {
    /// This member as a signed-in request carries them.
    public var signedIn: SignedInMember {
        SignedInMember(id: id, handle: handle, name: name, role: role, isPending: status == .pending)
    }
}

public enum MemberFixture {
    public static let password = "a long enough password"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "the membership module is not enabled in this test's network" }
    }

    private static let counter = Mutex(0)

    /// `ada.lovelace.7@school.example`: readable in failures, never taken twice.
    public static func address(for name: String) -> String {
        let number = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let local = name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(
            separator: ".")
        return "\(local.isEmpty ? "member" : local).\(number)@school.example"
    }
}
