import HTTP

/// A member's standing in the network.
public enum MemberRole: String, Sendable, Codable, CaseIterable, Comparable {
    case member, moderator, admin, creator
    private var rank: Int {
        switch self {
        case .member: return 0
        case .moderator: return 1
        case .admin: return 2
        case .creator: return 3
        }
    }
    public static func < (a: MemberRole, b: MemberRole) -> Bool { a.rank < b.rank }
}

/// The signed-in member behind a request.
public struct SignedInMember: Sendable, Equatable {
    public var id: Int64
    public var handle: String
    public var name: String
    public var role: MemberRole
    /// Pending members (approval mode) can look but not post.
    public var isPending: Bool
    /// The session's CSRF token (synchronizer token); nil for bearer-token requests.
    public var csrfToken: String?

    public init(
        id: Int64, handle: String, name: String, role: MemberRole, isPending: Bool = false,
        csrfToken: String? = nil
    ) {
        self.id = id
        self.handle = handle
        self.name = name
        self.role = role
        self.isPending = isPending
        self.csrfToken = csrfToken
    }

    public var isModerator: Bool { role >= .moderator }
    public var isAdmin: Bool { role >= .admin }
}

/// Who is behind a request: implemented by the membership module, which owns sessions and
/// API tokens. With no authenticator everyone is a visitor.
public protocol Authenticator: Sendable {
    /// The member of the session cookie, if valid; may return a cookie to refresh.
    func member(forSessionIn request: HTTPRequest) -> SignedInMember?
    /// The member of an API bearer token, if valid.
    func member(forBearerToken token: String) -> SignedInMember?
}

/// Group memberships of a member, for activity visibility: implemented by the groups module.
public protocol GroupScopes: Sendable {
    func groupIDs(of memberID: Int64) -> [Int64]
    /// Groups the member leads (owner or chair), for leaders' views such as CPD reports.
    func chairedGroupIDs(of memberID: Int64) -> [Int64]
    /// Active members of these groups.
    func memberIDs(ofGroups groupIDs: [Int64]) -> Set<Int64>
}

extension GroupScopes {
    public func chairedGroupIDs(of memberID: Int64) -> [Int64] { [] }
    public func memberIDs(ofGroups groupIDs: [Int64]) -> Set<Int64> { [] }
}
