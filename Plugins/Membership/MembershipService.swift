import Foundation
import Kernel
import Storage
import Synchronization

/// One profile question from the config script.
public struct ProfileQuestion: Sendable, Equatable {
    public enum Kind: String, Sendable { case text, choice, multiple, url }
    public var id: String
    public var label: String
    public var kind: Kind
    public var options: [String]
    public var required: Bool
}

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
        try db.queryOne("SELECT \(Member.columns) FROM members m WHERE m.id = ?", [id], Member.decode)
    }

    /// Whether `viewer` may see the member's profile (and what hangs on it, such as statuses):
    /// deleted accounts for nobody, suspended or banned ones only for themselves and moderators.
    public func profileIsVisible(_ member: Member, to viewer: SignedInMember?) -> Bool {
        guard member.status != .deleted else { return false }
        return member.status == .active || viewer?.isModerator == true || viewer?.id == member.id
    }

    public func profileIsVisible(memberID: Int64, to viewer: SignedInMember?, in db: Connection) throws -> Bool {
        guard let member = try member(id: memberID, in: db) else { return false }
        return profileIsVisible(member, to: viewer)
    }

    public func member(handle: String) throws -> Member? {
        try database.read { db in
            try db.queryOne("SELECT \(Member.columns) FROM members m WHERE m.handle = ?", [handle.lowercased()], Member.decode)
        }
    }

    /// By email or handle, for signing in.
    func member(login: String, in db: Connection) throws -> (Member, String)? {
        let key = login.trimmingCharacters(in: .whitespaces).lowercased()
        return try db.queryOne(
            "SELECT \(Member.columns), m.password_hash FROM members m WHERE m.email = ? OR m.handle = ?", [key, key]
        ) { row in (try Member.decode(row), try row.value("password_hash") as String) }
    }

    public func answers(of memberID: Int64, in db: Connection) throws -> [String: String] {
        var answers: [String: String] = [:]
        try db.forEach("SELECT question, value FROM profile_answers WHERE member_id = ?", [memberID]) { row in
            answers[try row.value("question")] = try row.value("value")
        }
        return answers
    }

    /// The activity actor fields for a member.
    func activity(
        _ member: Member, verb: String, objectKind: String? = nil, objectID: Int64? = nil, objectTitle: String? = nil,
        objectURL: String? = nil, excerpt: String? = nil, scope: ActivityScope = .public
    ) -> NewActivity {
        NewActivity(
            module: "membership", actorID: member.id, actorName: member.name, actorHandle: member.handle, verb: verb,
            objectKind: objectKind, objectID: objectID, objectTitle: objectTitle, objectURL: objectURL, excerpt: excerpt,
            scope: scope)
    }

    // MARK: Joining

    public struct JoinRequest: Sendable {
        public var name: String
        public var email: String
        public var password: String
        public var handle: String?
        public var acceptsTerms: Bool
        public var answers: [String: String]
        public var invitationCode: String?
        public init(
            name: String, email: String, password: String, handle: String? = nil, acceptsTerms: Bool,
            answers: [String: String] = [:], invitationCode: String? = nil
        ) {
            self.name = name
            self.email = email
            self.password = password
            self.handle = handle
            self.acceptsTerms = acceptsTerms
            self.answers = answers
            self.invitationCode = invitationCode
        }
    }

    /// A sign-up that passed validation, its password already hashed.
    struct ValidatedJoin: Sendable {
        var name: String
        var email: String
        var handle: String
        var handleDerived: Bool
        var passwordHash: String
        var answers: [String: String]
        var invitationCode: String?
    }

    /// Validates and creates a member at once (the console, seeding, tests; people joining
    /// through the site go through `requestSignUp` and confirm their address first). In
    /// approval mode the member is pending; in invite mode a valid invitation is required and
    /// one of its uses is consumed — all in one transaction.
    public func join(_ request: JoinRequest, role: MemberRole = .member, bypassSignupMode: Bool = false) throws -> Member {
        let validated = try validateJoin(request, bypassSignupMode: bypassSignupMode)
        return try database.write { db in
            var invitationID: Int64?
            if signupMode == "invite" && !bypassSignupMode {
                invitationID = try consumeInvitation(request.invitationCode ?? "", in: db)
            }
            if try db.scalar("SELECT 1 FROM members WHERE email = ?", [validated.email], as: Int.self) != nil {
                throw DomainError.invalid([FieldError(field: "email", message: "There is already a member with that email address. Sign in instead, or reset your password.")])
            }
            if !validated.handleDerived, try handleTaken(validated.handle, in: db) {
                throw DomainError.invalid([FieldError(field: "handle", message: "That handle is taken. Choose another.")])
            }
            let status: Member.Status = (signupMode == "approval" && !bypassSignupMode) ? .pending : .active
            return try insertMember(validated, role: role, status: status, invitationID: invitationID, in: db)
        }
    }

    /// Checks every field of a sign-up and hashes the password (the slow part, outside any
    /// transaction). Throws the field errors together.
    func validateJoin(_ request: JoinRequest, bypassSignupMode: Bool) throws -> ValidatedJoin {
        var check = Validation()
        let name = check.requiredSingleLine(request.name, field: "name", label: "Your name", maxLength: 80)
        let email = EmailAddress.normalise(request.email)
        if request.email.trimmingCharacters(in: .whitespaces).isEmpty {
            check.add("email", "Enter your email address.")
        } else if email == nil {
            check.add("email", "Enter an email address like name@school.org.uk.")
        }
        var handle = (request.handle ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let derived = handle.isEmpty
        if derived { handle = Handle.derive(from: name) }
        if !derived, let problem = Handle.problem(with: handle) { check.add("handle", problem) }
        if let problem = Passwords.problem(with: request.password, identity: [email ?? "", handle]) {
            check.add("password", problem.description)
        }
        if !request.acceptsTerms { check.add("terms", "You need to accept the Terms of Service to join.") }
        // Administrators creating accounts from the console need not answer sign-up questions.
        let answers = validateAnswers(request.answers, atSignUp: !bypassSignupMode, check: &check)
        if signupMode == "invite" && !bypassSignupMode {
            if (request.invitationCode ?? "").isEmpty {
                check.add("invitation", "This network is by invitation only: use the link from your invitation.")
            }
        }
        try check.finish()
        return ValidatedJoin(
            name: name, email: email ?? "", handle: handle, handleDerived: derived, passwordHash: try Passwords.hash(request.password),
            answers: answers, invitationCode: request.invitationCode)
    }

    /// Creates the member row, answers and "joined" activity (or the admins' notice) inside the
    /// caller's transaction. A derived handle that is taken gets a number.
    func insertMember(
        _ validated: ValidatedJoin, role: MemberRole, status: Member.Status, invitationID: Int64?, in db: Connection
    ) throws -> Member {
        let now = self.now
        var finalHandle = validated.handle
        if try handleTaken(finalHandle, in: db) {
            var suffix = 2
            while try handleTaken("\(validated.handle)\(suffix)", in: db) { suffix += 1 }
            finalHandle = "\(validated.handle)\(suffix)"
        }
        try db.execute(
            """
            INSERT INTO members (handle, email, name, password_hash, role, status, terms_version, terms_accepted_at,
                invitation_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                finalHandle, validated.email, validated.name, validated.passwordHash, role.rawValue, status.rawValue,
                services.config.string("network", "terms_version"), now, invitationID, now, now,
            ])
        let id = db.lastInsertedRowID
        for (question, value) in validated.answers {
            try db.execute("INSERT INTO profile_answers (member_id, question, value) VALUES (?, ?, ?)", [id, question, value])
        }
        guard let member = try self.member(id: id, in: db) else { throw DomainError.notFound }
        if status == .active {
            try recordJoined(member, in: db)
        } else {
            try notifyAdminsOfPendingMember(member, in: db)
        }
        try services.events.publish(MemberJoined(memberID: id), in: db)
        return member
    }

    func handleTaken(_ handle: String, in db: Connection) throws -> Bool {
        try db.scalar("SELECT 1 FROM members WHERE handle = ?", [handle], as: Int.self) != nil
    }

    func recordJoined(_ member: Member, in db: Connection) throws {
        try services.activity.record(
            activity(member, verb: "joined", objectKind: "network", objectID: 0, objectTitle: services.config.networkName, objectURL: "/"),
            at: now, in: db)
    }

    private func notifyAdminsOfPendingMember(_ member: Member, in db: Connection) throws {
        let admins = try db.query("SELECT email FROM members WHERE role IN ('admin', 'creator') AND status = 'active'") {
            try $0.value("email") as String
        }
        for address in admins {
            try services.outbox.enqueue(
                Mail(
                    to: address, subject: "\(member.name) is waiting to join \(services.config.networkName)",
                    body: "\(member.name) (\(member.email)) asked to join.\n\nApprove or decline: \(services.link("/admin/members?status=pending"))\n"),
                in: db)
        }
    }

    /// Checks answers against the configured questions; returns the answers to store.
    func validateAnswers(_ submitted: [String: String], atSignUp: Bool, check: inout Validation) -> [String: String] {
        var answers: [String: String] = [:]
        for question in questions {
            let submittedText = submitted[question.id] ?? ""
            // Answers are single lines (a school, a role); several choices come one per line.
            let raw =
                question.kind == .multiple
                ? submittedText.components(separatedBy: "\n").map(SingleLineText.clean).filter { !$0.isEmpty }.joined(separator: "\n")
                : SingleLineText.clean(submittedText)
            if raw.isEmpty {
                if question.required && atSignUp { check.add("answer-\(question.id)", "Answer “\(question.label)”.") }
                continue
            }
            switch question.kind {
            case .choice:
                if !question.options.contains(raw) {
                    check.add("answer-\(question.id)", "Choose one of the options for “\(question.label)”.")
                    continue
                }
            case .multiple:
                let chosen = raw.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if chosen.contains(where: { !question.options.contains($0) }) {
                    check.add("answer-\(question.id)", "Choose from the options for “\(question.label)”.")
                    continue
                }
                answers[question.id] = chosen.joined(separator: "\n")
                continue
            case .url:
                let lowered = raw.lowercased()
                if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) || raw.contains(" ") {
                    check.add("answer-\(question.id)", "Enter a web address starting with https:// for “\(question.label)”.")
                    continue
                }
            case .text: break
            }
            if raw.count > 200 {
                check.add("answer-\(question.id)", "Keep “\(question.label)” under 200 characters.")
                continue
            }
            answers[question.id] = raw
        }
        return answers
    }

    // MARK: Invitations

    public struct Invitation: Sendable, Equatable {
        public var id: Int64
        public var code: String
        public var note: String
        public var maxUses: Int
        public var uses: Int
        public var expiresAt: Date
        public var revokedAt: Date?
        public var createdBy: Int64?
        public var isUsable: Bool
    }

    public func createInvitation(by creator: Int64?, note: String, maxUses: Int, validDays: Int) throws -> Invitation {
        guard (1...10_000).contains(maxUses) else { throw DomainError.invalid([FieldError(field: "max_uses", message: "Uses must be between 1 and 10,000.")]) }
        guard (1...365).contains(validDays) else { throw DomainError.invalid([FieldError(field: "days", message: "An invitation lasts 1 to 365 days.")]) }
        let note = String(SingleLineText.clean(note).prefix(200))
        let code = String(RandomToken.hex(byteCount: 16))
        let now = self.now
        return try database.write { db in
            try db.execute(
                "INSERT INTO invitations (code, created_by, note, max_uses, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [code, creator, note, maxUses, now.addingTimeInterval(Double(validDays) * 86_400), now])
            return Invitation(
                id: db.lastInsertedRowID, code: code, note: note, maxUses: maxUses, uses: 0,
                expiresAt: now.addingTimeInterval(Double(validDays) * 86_400), revokedAt: nil, createdBy: creator, isUsable: true)
        }
    }

    public func invitations(createdBy creator: Int64? = nil) throws -> [Invitation] {
        try database.read { db in
            try db.query(
                "SELECT * FROM invitations WHERE (? IS NULL OR created_by = ?) ORDER BY id DESC LIMIT 200", [creator, creator]
            ) { row in try self.invitation(row) }
        }
    }

    func invitation(_ row: Row) throws -> Invitation {
        let expires: Date = try row.value("expires_at")
        let revoked: Date? = try row.optional("revoked_at")
        let uses: Int = try row.value("uses")
        let maxUses: Int = try row.value("max_uses")
        return Invitation(
            id: try row.value("id"), code: try row.value("code"), note: try row.value("note"), maxUses: maxUses, uses: uses,
            expiresAt: expires, revokedAt: revoked, createdBy: try row.optional("created_by"),
            isUsable: revoked == nil && uses < maxUses && expires > now)
    }

    public func invitation(code: String) throws -> Invitation? {
        try database.read { db in try db.queryOne("SELECT * FROM invitations WHERE code = ?", [code]) { try self.invitation($0) } }
    }

    public func revokeInvitation(id: Int64, by actor: Member?) throws {
        try database.write { db in
            guard let createdBy = try db.queryOne("SELECT created_by FROM invitations WHERE id = ?", [id], { try $0.optional("created_by") as Int64? }) else {
                throw DomainError.notFound
            }
            if let actor, !actor.role.isAdminRole, createdBy != actor.id {
                throw DomainError.forbidden("You can only revoke invitations you created.")
            }
            try db.execute("UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [now, id])
        }
    }

    func consumeInvitation(_ code: String, in db: Connection) throws -> Int64 {
        let invitation = try usableInvitation(code, in: db)
        try db.execute("UPDATE invitations SET uses = uses + 1 WHERE id = ?", [invitation.id])
        return invitation.id
    }

    /// The invitation of `code` if it can still be used, or the form error saying it cannot.
    func usableInvitation(_ code: String, in db: Connection) throws -> Invitation {
        guard let invitation = try db.queryOne("SELECT * FROM invitations WHERE code = ?", [code], { try self.invitation($0) }),
            invitation.isUsable
        else {
            throw DomainError.invalid([FieldError(field: "invitation", message: "This invitation link is not valid any more: it has expired, been used up or been revoked. Ask for a new one.")])
        }
        return invitation
    }
}

extension MemberRole {
    var isAdminRole: Bool { self >= .admin }
}
