import Foundation
import Kernel
import Storage

/// Joining: validating a sign-up and creating the member.
extension MembershipService {
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
    public func join(_ request: JoinRequest, role: MemberRole = .member, bypassSignupMode: Bool = false)
        throws -> Member
    {
        let validated = try validateJoin(request, bypassSignupMode: bypassSignupMode)
        return try database.write { db in
            var invitationID: Int64?
            if signupMode == "invite" && !bypassSignupMode {
                invitationID = try consumeInvitation(request.invitationCode ?? "", in: db)
            }
            if try db.scalar("SELECT 1 FROM membership_members WHERE email = ?", [validated.email], as: Int.self) != nil
            {
                throw DomainError.invalid([
                    FieldError(
                        field: "email",
                        message:
                            "There is already a member with that email address. Sign in instead, or reset your password."
                    )
                ])
            }
            if !validated.handleDerived, try handleTaken(validated.handle, in: db) {
                throw DomainError.invalid([
                    FieldError(field: "handle", message: "That handle is taken. Choose another.")
                ])
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
                check.add(
                    "invitation", "This network is by invitation only: use the link from your invitation.")
            }
        }
        try check.finish()
        return ValidatedJoin(
            name: name, email: email ?? "", handle: handle, handleDerived: derived,
            passwordHash: try Passwords.hash(request.password),
            answers: answers, invitationCode: request.invitationCode)
    }

    /// Creates the member row, answers and "joined" activity (or the admins' notice) inside the
    /// caller's transaction. A derived handle that is taken gets a number.
    func insertMember(
        _ validated: ValidatedJoin, role: MemberRole, status: Member.Status, invitationID: Int64?,
        in db: Connection
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
            INSERT INTO membership_members (handle, email, name, password_hash, role, status, terms_version, terms_accepted_at,
                invitation_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                finalHandle, validated.email, validated.name, validated.passwordHash, role.rawValue,
                status.rawValue,
                services.config.string("network", "terms_version"), now, invitationID, now, now,
            ])
        let id = db.lastInsertedRowID
        for (question, value) in validated.answers {
            try db.execute(
                "INSERT INTO membership_profile_answers (member_id, question, value) VALUES (?, ?, ?)",
                [id, question, value])
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
        try db.scalar("SELECT 1 FROM membership_members WHERE handle = ?", [handle], as: Int.self) != nil
    }

    func recordJoined(_ member: Member, in db: Connection) throws {
        try services.activity.record(
            activity(
                member, verb: "joined", objectKind: "network", objectID: 0,
                objectTitle: services.config.networkName, objectURL: "/"),
            at: now, in: db)
    }

    private func notifyAdminsOfPendingMember(_ member: Member, in db: Connection) throws {
        let admins = try db.query(
            "SELECT email FROM membership_members WHERE role IN ('admin', 'creator') AND status = 'active'"
        ) {
            try $0.value("email") as String
        }
        for address in admins {
            try services.outbox.enqueue(
                Mail(
                    to: address, subject: "\(member.name) is waiting to join \(services.config.networkName)",
                    body:
                        "\(member.name) (\(member.email)) asked to join.\n\nApprove or decline: \(services.link("/admin/members?status=pending"))\n"
                ),
                in: db)
        }
    }

    /// Checks answers against the configured questions; returns the answers to store.
    func validateAnswers(_ submitted: [String: String], atSignUp: Bool, check: inout Validation) -> [String:
        String]
    {
        var answers: [String: String] = [:]
        for question in questions {
            let submittedText = submitted[question.id] ?? ""
            // Answers are single lines (a school, a role); several choices come one per line.
            let raw =
                question.kind == .multiple
                ? submittedText.components(separatedBy: "\n").map(SingleLineText.clean).filter { !$0.isEmpty }
                    .joined(separator: "\n")
                : SingleLineText.clean(submittedText)
            if raw.isEmpty {
                if question.required && atSignUp {
                    check.add("answer-\(question.id)", "Answer “\(question.label)”.")
                }
                continue
            }
            switch question.kind {
            case .choice:
                if !question.options.contains(raw) {
                    check.add("answer-\(question.id)", "Choose one of the options for “\(question.label)”.")
                    continue
                }
            case .multiple:
                let chosen = raw.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                if chosen.contains(where: { !question.options.contains($0) }) {
                    check.add("answer-\(question.id)", "Choose from the options for “\(question.label)”.")
                    continue
                }
                answers[question.id] = chosen.joined(separator: "\n")
                continue
            case .url:
                let lowered = raw.lowercased()
                if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) || raw.contains(" ") {
                    check.add(
                        "answer-\(question.id)",
                        "Enter a web address starting with https:// for “\(question.label)”.")
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
}
