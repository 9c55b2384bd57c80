import Foundation
import Kernel
import Storage
import Synchronization

/// Membership's domain operations, shared by pages, the JSON API and the console. Other
/// modules reach it through `services.service(MembershipService.self)`.
///
/// ```swift
/// let membership = services.service(MembershipService.self)!
/// let member = try membership.member(handle: "erin")
/// ```
public final class MembershipService: Sendable {
    public let services: Services
    public let questions: [ProfileQuestion]
    public let signupMode: String
    public let membersCanInvite: Bool
    public let directoryIsPublic: Bool
    public let friendRequestsPerHour: Int
    let sessionIdle: TimeInterval
    let sessionAbsolute: TimeInterval
    /// Sign-in throttling (see `signIn`): failures allowed within the window per (account,
    /// address) pair and per address; past `accountSlowDownAfter` failures on one account,
    /// addresses it never signed in from get one attempt per `accountSlowDownInterval`.
    let pairFailureLimit = 5
    let addressFailureLimit = 20
    let accountSlowDownAfter = 50
    let accountSlowDownInterval: TimeInterval = 60
    let failureWindow: TimeInterval = 15 * 60

    private let hooks = Mutex<(@Sendable () -> [PersonalDataHooks])?>(nil)

    /// Where "Download my data" and "Delete my account" find every enabled module's hooks.
    func setPersonalDataHooks(_ source: @escaping @Sendable () -> [PersonalDataHooks]) {
        hooks.withLock { $0 = source }
    }

    public func personalDataHooks() -> [PersonalDataHooks] { hooks.withLock { $0 }?() ?? [] }

    public init(services: Services) {
        self.services = services
        let settings = services.settings(of: MembershipModule.manifest)
        signupMode = settings.string("signup")
        membersCanInvite = settings.bool("members_can_invite")
        directoryIsPublic = settings.bool("directory_public")
        friendRequestsPerHour = settings.int("friend_requests_per_hour")
        sessionIdle = Double(settings.int("session_idle_minutes")) * 60
        sessionAbsolute = Double(settings.int("session_absolute_days")) * 86_400
        questions = settings.records("profile_questions").compactMap { question in
            let id = question.string("id")
            guard !id.isEmpty else { return nil }
            let label = question.string("label")
            return ProfileQuestion(
                id: id, label: label.isEmpty ? id : label,
                kind: ProfileQuestion.Kind(rawValue: question.string("type")) ?? .text,
                options: question.strings("options"), required: question.bool("required"))
        }
    }

    /// The length of an activity line's excerpt of a status.
    static let statusExcerptLength = 140

    var database: Database { services.database }
    var now: Date { services.clock.now }

    // MARK: Lookup

    public func member(id: Int64) throws -> Member? {
        try database.read { try member(id: id, in: $0) }
    }

    public func member(id: Int64, in db: Connection) throws -> Member? {
        try db.queryOne("SELECT \(Member.columns) FROM membership_members m WHERE m.id = ?", [id], Member.decode)
    }

    /// Whether `viewer` may see the member's profile (and what hangs on it, such as statuses):
    /// deleted accounts for nobody, suspended or banned ones only for themselves and moderators.
    public func profileIsVisible(_ member: Member, to viewer: SignedInMember?) -> Bool {
        guard member.status != .deleted else { return false }
        return member.status == .active || viewer?.isModerator == true || viewer?.id == member.id
    }

    public func profileIsVisible(memberID: Int64, to viewer: SignedInMember?, in db: Connection) throws
        -> Bool
    {
        guard let member = try member(id: memberID, in: db) else { return false }
        return profileIsVisible(member, to: viewer)
    }

    public func member(handle: String) throws -> Member? {
        try database.read { db in
            try db.queryOne(
                "SELECT \(Member.columns) FROM membership_members m WHERE m.handle = ?", [handle.lowercased()],
                Member.decode)
        }
    }

    /// By email or handle, for signing in.
    func member(login: String, in db: Connection) throws -> (Member, String)? {
        let key = login.trimmingCharacters(in: .whitespaces).lowercased()
        return try db.queryOne(
            "SELECT \(Member.columns), m.password_hash FROM membership_members m WHERE m.email = ? OR m.handle = ?",
            [key, key]
        ) { row in (try Member.decode(row), try row.value("password_hash") as String) }
    }

    public func answers(of memberID: Int64, in db: Connection) throws -> [String: String] {
        var answers: [String: String] = [:]
        try db.forEach("SELECT question, value FROM membership_profile_answers WHERE member_id = ?", [memberID]) { row in
            answers[try row.value("question")] = try row.value("value")
        }
        return answers
    }

    /// The activity actor fields for a member.
    func activity(
        _ member: Member, verb: String, objectKind: String? = nil, objectID: Int64? = nil,
        objectTitle: String? = nil,
        objectURL: String? = nil, excerpt: String? = nil, scope: ActivityScope = .public
    ) -> NewActivity {
        NewActivity(
            module: "membership", actorID: member.id, actorName: member.name, actorHandle: member.handle,
            verb: verb,
            objectKind: objectKind, objectID: objectID, objectTitle: objectTitle, objectURL: objectURL,
            excerpt: excerpt,
            scope: scope)
    }

}

extension MemberRole {
    var isAdminRole: Bool { self >= .admin }
}
