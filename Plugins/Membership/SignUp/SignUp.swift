import Foundation
import Kernel
import Storage

/// Joining through the site: the address is confirmed before an account exists, and the
/// answer is the same whether or not the address already belongs to a member ("check your
/// mail"), so the join form cannot be used to find out who is a member. The owner of a taken
/// address is told by mail that someone tried to join with it.
extension MembershipService {
    /// Sign-up mails one address may be sent in an hour: enough to retry, too few to flood
    /// someone's mailbox through the join form.
    static let signUpMailsPerHour = 3
    /// How long a confirmation link works.
    static let signUpLinkLifetime: TimeInterval = 86_400

    /// Validates a sign-up and mails the address: a link to finish joining, or, when the
    /// address belongs to a member already, a note telling them someone tried. Field errors
    /// (name, password, a chosen handle that is taken, an invitation) are thrown as usual; they
    /// say nothing about the address.
    public func requestSignUp(_ request: JoinRequest) throws {
        let validated = try validateJoin(request, bypassSignupMode: false)
        try database.read { db in
            if signupMode == "invite" { _ = try usableInvitation(request.invitationCode ?? "", in: db) }
            if !validated.handleDerived, try handleTaken(validated.handle, in: db) {
                throw DomainError.invalid([
                    FieldError(field: "handle", message: "That handle is taken. Choose another.")
                ])
            }
        }
        let token = RandomToken.hex()
        let now = self.now
        let network = services.config.networkName
        try database.write { db in
            let recent =
                try db.scalar(
                    "SELECT count(*) FROM membership_signup_requests WHERE email = ? AND created_at > ?",
                    [validated.email, now.addingTimeInterval(-3600)], as: Int.self) ?? 0
            // Requests a day past their end go (they hold password hashes of people who never joined).
            try db.execute(
                "DELETE FROM membership_signup_requests WHERE expires_at < ?", [now.addingTimeInterval(-86_400)])
            guard recent < Self.signUpMailsPerHour else { return }
            let owner = try db.queryOne(
                "SELECT \(Member.columns) FROM membership_members m WHERE m.email = ?", [validated.email], Member.decode)
            try db.execute(
                """
                INSERT INTO membership_signup_requests (token_hash, email, name, handle, handle_derived, password_hash, answers,
                    invitation_code, for_existing, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    SHA256.hex(token), validated.email, validated.name, validated.handle,
                    validated.handleDerived,
                    owner == nil ? validated.passwordHash : "",
                    owner == nil ? Self.answersText(validated.answers) : "{}",
                    validated.invitationCode, owner != nil, now,
                    now.addingTimeInterval(Self.signUpLinkLifetime),
                ])
            if let owner {
                try services.outbox.enqueue(
                    Mail(
                        to: owner.email, subject: "Someone tried to join \(network) with your address",
                        body: """
                            Hello \(owner.name),

                            Someone tried to join \(network) with this email address, which already belongs to your account. No new account was created and yours is unchanged.

                            If it was you, sign in at \(services.link("/sign-in")) — or, if you have forgotten your password, choose a new one at \(services.link("/password/forgot")).

                            If it was not you, you need do nothing.

                            """),
                    in: db)
            } else {
                try services.outbox.enqueue(
                    Mail(
                        to: validated.email, subject: "Finish joining \(network)",
                        body: """
                            Hello \(validated.name),

                            To finish joining \(network), open this link within a day:
                            \(services.link("/join/confirm/\(token)"))

                            If you did not ask to join, ignore this message: no account is created.

                            """),
                    in: db)
            }
        }
    }

    /// True when `token` is a confirmation link that can still finish a sign-up.
    public func isLiveSignUpToken(_ token: String) throws -> Bool {
        try database.read { try liveSignUp(token, in: $0) } != nil
    }

    /// Finishes a sign-up from its mailed link: creates the member (pending in approval mode;
    /// in invite mode one use of the invitation is consumed now) and uses up every other
    /// confirmation link of the address.
    public func confirmSignUp(token: String) throws -> Member {
        try database.write { db in
            guard let request = try liveSignUp(token, in: db) else {
                throw WebError.badRequest("This link is not valid any more. Join again to get a new one.")
            }
            try db.execute(
                "UPDATE membership_signup_requests SET used_at = ? WHERE email = ? AND used_at IS NULL",
                [now, request.email])
            if try db.scalar("SELECT 1 FROM membership_members WHERE email = ?", [request.email], as: Int.self) != nil {
                throw DomainError.conflict(
                    "This address has joined already. Sign in, or reset the password if it is forgotten.")
            }
            var invitationID: Int64?
            if signupMode == "invite" {
                invitationID = try consumeInvitation(request.invitationCode ?? "", in: db)
            }
            return try insertMember(
                request, role: .member, status: signupMode == "approval" ? .pending : .active,
                invitationID: invitationID, in: db)
        }
    }

    private func liveSignUp(_ token: String, in db: Connection) throws -> ValidatedJoin? {
        guard token.utf8.count == 64 else { return nil }
        return try db.queryOne(
            """
            SELECT * FROM membership_signup_requests
            WHERE token_hash = ? AND for_existing = 0 AND used_at IS NULL AND expires_at > ?
            """, [SHA256.hex(token), now]
        ) { row in
            ValidatedJoin(
                name: try row.value("name"), email: try row.value("email"), handle: try row.value("handle"),
                handleDerived: try row.value("handle_derived"), passwordHash: try row.value("password_hash"),
                answers: Self.answers(fromText: try row.value("answers")),
                invitationCode: try row.optional("invitation_code"))
        }
    }

    static func answersText(_ answers: [String: String]) -> String {
        JSONValue.object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).jsonText()
    }

    static func answers(fromText text: String) -> [String: String] {
        guard case .object(let pairs)? = try? JSONValue.parse(text) else { return [:] }
        var answers: [String: String] = [:]
        for (key, value) in pairs { if let text = value.stringValue { answers[key] = text } }
        return answers
    }
}
