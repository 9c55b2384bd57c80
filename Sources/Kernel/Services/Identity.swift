import Foundation
import Storage

/// A member as every module and the kernel's shell see them: who they are, what they may do,
/// where their profile is. No e-mail address (``Identity/mailAddresses(of:in:)`` gives those,
/// for mail only), no password.
public struct Person: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Can do everything their role allows.
        case active
        /// Joined in approval mode; can look but not write until an administrator approves.
        case pending
        /// Cannot sign in; their content is hidden.
        case suspended
        /// Deleted their account: anonymised, shown as "former member".
        case deleted
    }

    public var id: Int64
    public var handle: String
    public var name: String
    public var role: MemberRole
    public var status: Status
    public var hasAvatar: Bool
    public var createdAt: Date
    /// The profile page, e.g. "/members/erin".
    public var profilePath: String

    public init(
        id: Int64, handle: String, name: String, role: MemberRole, status: Status, hasAvatar: Bool,
        createdAt: Date,
        profilePath: String
    ) {
        self.id = id
        self.handle = handle
        self.name = name
        self.role = role
        self.status = status
        self.hasAvatar = hasAvatar
        self.createdAt = createdAt
        self.profilePath = profilePath
    }

    public var isActive: Bool { status == .active }
    /// The one rule for writing (posting, commenting, joining, offering): active members only.
    public var mayWrite: Bool { status == .active }
}

/// Who the members are: implemented by the membership module, used by every module and by
/// the kernel's shell (its sign-in, join and profile links). Modules look members up here, and
/// join the read model membership publishes, the view `membership_people` (`id`, `handle`,
/// `name`, `role`, `status`, `created_at`; no e-mail, no password hash) — never its tables.
///
/// ```swift
/// let identity = services.identity
/// let author = try identity?.person(id: post.authorID, in: db)
/// let moderators = try identity?.people(withRoleAtLeast: .moderator, in: db) ?? []
/// let addresses = try identity?.mailRecipients(moderators.map(\.id), in: db).map(\.address) ?? []
/// ```
public protocol Identity: Sendable {
    func person(id: Int64, in db: Connection) throws -> Person?
    func person(handle: String, in db: Connection) throws -> Person?
    /// Active members whose role is `role` or above (e.g. every moderator, for safeguarding alerts).
    func people(withRoleAtLeast role: MemberRole, in db: Connection) throws -> [Person]
    /// Where mail to these members goes, in the order of `memberIDs`; deleted accounts have
    /// none. The only way a module reads an e-mail address. (The outbox's recipient policy
    /// still decides what a suspended member receives.)
    func mailRecipients(_ memberIDs: [Int64], in db: Connection) throws -> [MailRecipient]

    /// A member's profile page.
    func profilePath(handle: String) -> String
    var signInPath: String { get }
    var signOutPath: String { get }
    var joinPath: String { get }

    /// Which of these members uploaded a photo (the others are shown by their initials).
    func membersWithPhotos(among memberIDs: [Int64], in db: Connection) throws -> Set<Int64>
    /// Where a member's photo is served.
    func photoPath(handle: String) -> String
}

extension Identity {
    public func membersWithPhotos(among memberIDs: [Int64], in db: Connection) throws -> Set<Int64> { [] }
    public func photoPath(handle: String) -> String { profilePath(handle: handle) + "/avatar" }
}

/// A member to mail: who, their address, and their standing (to leave out members who may
/// not be written to about content, e.g. those waiting for approval).
public struct MailRecipient: Sendable, Equatable {
    public var memberID: Int64
    public var name: String
    public var address: String
    public var status: Person.Status

    public init(memberID: Int64, name: String, address: String, status: Person.Status) {
        self.memberID = memberID
        self.name = name
        self.address = address
        self.status = status
    }
}

extension Identity {
    /// The address of an active member, or nil.
    public func activeMailAddress(of memberID: Int64, in db: Connection) throws -> String? {
        try mailRecipients([memberID], in: db).first { $0.status == .active }?.address
    }
}

/// Holds the membership module's identity in the service container.
public struct IdentityBox: Sendable {
    public let identity: any Identity
    public init(_ identity: any Identity) { self.identity = identity }
}

extension Services {
    /// Who the members are; nil only when membership is not enabled (every module depends on it).
    public var identity: (any Identity)? { service(IdentityBox.self)?.identity }
}

extension SignedInMember {
    /// What a member still waiting for approval is told wherever they try to write, and shown
    /// where a form would be.
    public static let pendingApprovalMessage =
        "Your membership is waiting for an administrator's approval: you can look around, but not post yet."

    /// The one rule for writing: members waiting for approval cannot.
    public var mayWrite: Bool { !isPending }

    /// Throws ``DomainError/forbidden(_:)`` with the one message unless the member may write.
    public func requireMayWrite() throws {
        if isPending { throw DomainError.forbidden(Self.pendingApprovalMessage) }
    }
}
