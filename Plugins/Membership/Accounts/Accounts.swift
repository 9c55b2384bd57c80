import Foundation
import HTTP
import Kernel
import Storage

extension MembershipService {
    public static let sessionCookie = "pln_session"

    // MARK: Signing in

    public enum SignInFailure: Error, Equatable {
        case invalid
        case throttled(retryAfterMinutes: Int)
        case suspended
    }

    /// Checks credentials. Failures are throttled so that guessing is slow but nobody can lock
    /// a member out from another machine:
    /// - per (account, address): `pairFailureLimit` failures lock that pair for the window;
    /// - per address, across accounts: `addressFailureLimit` failures lock the address;
    /// - per account, from every address: past `accountSlowDownAfter` failures, addresses the
    ///   member has never signed in from get one attempt a minute (a slow-down, not a lock),
    ///   while addresses with a session of the member are not slowed.
    /// A success clears the pair's failures.
    public func signIn(login: String, password: String, address: String) throws -> Member {
        let account = login.trimmingCharacters(in: .whitespaces).lowercased()
        let ip = Self.addressOnly(address)
        let pairKey = "pair:" + account + "|" + ip
        let accountKey = "account:" + account
        let addressKey = "address:" + ip
        let since = now.addingTimeInterval(-failureWindow)
        let count = "SELECT count(*) FROM membership_sign_in_failures WHERE key = ? AND at > ?"
        let (found, pairFailures, addressFailures, accountFailures, lastAccountFailure, knownAddress) =
            try database.read { db in
                let found = try member(login: login, in: db)
                return (
                    found,
                    try db.scalar(count, [pairKey, since], as: Int.self) ?? 0,
                    try db.scalar(count, [addressKey, since], as: Int.self) ?? 0,
                    try db.scalar(count, [accountKey, since], as: Int.self) ?? 0,
                    try db.scalar(
                        "SELECT max(at) FROM membership_sign_in_failures WHERE key = ?", [accountKey], as: Date.self),
                    try found.map {
                        try db.scalar(
                            "SELECT 1 FROM membership_sessions WHERE member_id = ? AND ip = ? LIMIT 1", [$0.0.id, ip],
                            as: Int.self) != nil
                    }
                        ?? false
                )
            }
        if pairFailures >= pairFailureLimit || addressFailures >= addressFailureLimit {
            throw SignInFailure.throttled(retryAfterMinutes: Int(failureWindow / 60))
        }
        if accountFailures >= accountSlowDownAfter, !knownAddress, let lastAccountFailure,
            now.timeIntervalSince(lastAccountFailure) < accountSlowDownInterval
        {
            throw SignInFailure.throttled(retryAfterMinutes: Int(accountSlowDownInterval / 60))
        }
        // Verify even for unknown accounts, so timing does not tell which accounts exist.
        let verified = Passwords.verify(password, against: found?.1 ?? Self.dummyHash)
        guard let (member, _) = found, verified, member.status != .deleted else {
            try database.write { db in
                try db.execute(
                    "INSERT INTO membership_sign_in_failures (key, at) VALUES (?, ?), (?, ?), (?, ?)",
                    [pairKey, now, accountKey, now, addressKey, now])
                try db.execute("DELETE FROM membership_sign_in_failures WHERE at < ?", [now.addingTimeInterval(-86_400)])
            }
            throw SignInFailure.invalid
        }
        if member.status == .suspended { throw SignInFailure.suspended }
        try database.write { db in try db.execute("DELETE FROM membership_sign_in_failures WHERE key = ?", [pairKey]) }
        return member
    }

    /// A valid yescrypt hash of a random password, to spend the same time on unknown accounts.
    static let dummyHash: String = (try? Passwords.hash(RandomToken.hex())) ?? "$y$"

    static func addressOnly(_ remote: String) -> String { WebApplication.host(of: remote) }

    // MARK: Terms of Service

    /// True when the member accepted an older version of the Terms than the one configured.
    public func needsTermsAcceptance(memberID: Int64) throws -> Bool {
        let current = services.config.string("network", "terms_version")
        let accepted = try database.read {
            try $0.scalar("SELECT terms_version FROM membership_members WHERE id = ?", [memberID], as: String.self)
        }
        return accepted != current
    }

    public func acceptTerms(memberID: Int64) throws {
        try database.write { db in
            try db.execute(
                "UPDATE membership_members SET terms_version = ?, terms_accepted_at = ? WHERE id = ?",
                [services.config.string("network", "terms_version"), now, memberID])
        }
    }

    // MARK: Sessions

    /// Starts a session: a 256-bit random token (only its hash is stored) and a CSRF token.
    public func startSession(for member: Member, userAgent: String, address: String) throws -> (
        token: String, csrf: String
    ) {
        try database.write { db in
            try startSession(memberID: member.id, userAgent: userAgent, address: address, in: db)
        }
    }

    func startSession(memberID: Int64, userAgent: String, address: String, in db: Connection) throws -> (
        token: String, csrf: String
    ) {
        let token = RandomToken.hex()
        let csrf = RandomToken.hex()
        try db.execute(
            """
            INSERT INTO membership_sessions (token_hash, member_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                SHA256.hex(token), memberID, csrf, now, now, now.addingTimeInterval(sessionAbsolute),
                String(userAgent.prefix(200)),
                Self.addressOnly(address),
            ])
        return (token, csrf)
    }

    public func sessionCookie(token: String, secure: Bool) -> SetCookie {
        var cookie = SetCookie(name: Self.sessionCookie, value: token)
        cookie.secure = secure
        cookie.httpOnly = true
        cookie.sameSite = .lax
        cookie.maxAge = Int(sessionAbsolute)
        return cookie
    }

    /// The member of a session token, if the session is alive (not idle too long, not past its
    /// absolute end) and the member may sign in.
    public func member(forSessionToken token: String) -> (Member, csrf: String)? {
        guard token.utf8.count == 64 else { return nil }
        let hash = SHA256.hex(token)
        let now = self.now
        guard
            let found = try? database.read({ db in
                try db.queryOne(
                    """
                    SELECT \(Member.columns), s.csrf_token, s.last_seen_at, s.expires_at, s.id AS session_id
                    FROM membership_sessions s JOIN membership_members m ON m.id = s.member_id WHERE s.token_hash = ?
                    """, [hash]
                ) { row in
                    (
                        try Member.decode(row), try row.value("csrf_token") as String,
                        try row.value("last_seen_at") as Date,
                        try row.value("expires_at") as Date, try row.value("session_id") as Int64
                    )
                }
            }) ?? nil
        else { return nil }
        let (member, csrf, lastSeen, expires, sessionID) = found
        guard expires > now, now.timeIntervalSince(lastSeen) < sessionIdle,
            member.status == .active || member.status == .pending
        else { return nil }
        // Touch at most every five minutes, so reading pages does not mean writing.
        if now.timeIntervalSince(lastSeen) > 300 {
            try? database.write {
                try $0.execute("UPDATE membership_sessions SET last_seen_at = ? WHERE id = ?", [now, sessionID])
            }
        }
        return (member, csrf)
    }

    public func endSession(token: String) throws {
        try database.write {
            try $0.execute("DELETE FROM membership_sessions WHERE token_hash = ?", [SHA256.hex(token)])
        }
    }

    /// "Sign out everywhere": ends every session and revokes every API token of the member.
    public func endAllSessions(memberID: Int64) throws {
        try database.write { db in try endAllSessions(memberID: memberID, in: db) }
    }

    func endAllSessions(memberID: Int64, in db: Connection) throws {
        try db.execute("DELETE FROM membership_sessions WHERE member_id = ?", [memberID])
        try db.execute(
            "UPDATE membership_api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
            [now, memberID])
    }

    /// After a password is set (reset link, account page, console): every session and API
    /// token ends, and every reset link still unused stops working, so nothing issued under
    /// the old password (or mailed to an old address) opens the account any more.
    func revokeCredentials(of memberID: Int64, in db: Connection) throws {
        try endAllSessions(memberID: memberID, in: db)
        try useUpResetLinks(of: memberID, in: db)
    }

    func useUpResetLinks(of memberID: Int64, in db: Connection) throws {
        try db.execute(
            "UPDATE membership_account_tokens SET used_at = ? WHERE member_id = ? AND purpose = 'reset' AND used_at IS NULL",
            [now, memberID])
    }

    // MARK: API tokens

    public func createAPIToken(for member: Member) throws -> String {
        let token = RandomToken.hex()
        let now = self.now
        try database.write { db in
            try db.execute(
                "INSERT INTO membership_api_tokens (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                [SHA256.hex(token), member.id, now, now.addingTimeInterval(sessionAbsolute)])
        }
        return token
    }

    public func member(forAPIToken token: String) -> Member? {
        guard token.utf8.count == 64 else { return nil }
        let now = self.now
        let member = try? database.read { db in
            try db.queryOne(
                """
                SELECT \(Member.columns) FROM membership_api_tokens t JOIN membership_members m ON m.id = t.member_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?
                """, [SHA256.hex(token), now], Member.decode)
        }
        guard let member = member ?? nil, member.status == .active || member.status == .pending else {
            return nil
        }
        return member
    }

    public func revokeAPIToken(_ token: String) throws {
        try database.write {
            try $0.execute(
                "UPDATE membership_api_tokens SET revoked_at = ? WHERE token_hash = ?", [now, SHA256.hex(token)])
        }
    }

    // MARK: Passwords and email

    /// Mails a single-use reset link when the address belongs to a member; says nothing
    /// either way (no account enumeration).
    public func requestPasswordReset(email: String) throws {
        guard let address = EmailAddress.normalise(email) else { return }
        let token = RandomToken.hex()
        try database.write { db in
            guard
                let member = try db.queryOne(
                    "SELECT \(Member.columns) FROM membership_members m WHERE m.email = ? AND m.status IN ('active', 'pending')",
                    [address], Member.decode)
            else { return }
            try db.execute(
                "INSERT INTO membership_account_tokens (token_hash, member_id, purpose, expires_at) VALUES (?, ?, 'reset', ?)",
                [SHA256.hex(token), member.id, now.addingTimeInterval(3600)])
            let link = services.link("/password/reset/" + token)
            try services.outbox.enqueue(
                Mail(
                    to: member.email, subject: "Reset your password for \(services.config.networkName)",
                    body:
                        "Hello \(member.name),\n\nUse this link within an hour to choose a new password:\n\(link)\n\nIf you did not ask for this, ignore this message: your password stays as it is.\n"
                ),
                in: db)
        }
    }

    /// The member a live token of `purpose` belongs to.
    func tokenOwner(_ token: String, purpose: String, in db: Connection) throws -> (
        memberID: Int64, newEmail: String?
    )? {
        try db.queryOne(
            "SELECT member_id, new_email FROM membership_account_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
            [SHA256.hex(token), purpose, now]
        ) { (try $0.value("member_id") as Int64, try $0.optional("new_email") as String?) }
    }

    public func isLiveResetToken(_ token: String) throws -> Bool {
        try database.read { try tokenOwner(token, purpose: "reset", in: $0) } != nil
    }

    /// Sets a new password from a reset link; this and every other reset link is used up, and
    /// every session and API token of the member ends.
    public func resetPassword(token: String, newPassword: String) throws {
        let owner = try database.read { try tokenOwner(token, purpose: "reset", in: $0) }
        guard let owner, let member = try member(id: owner.memberID) else {
            throw WebError.badRequest("This reset link is not valid any more. Ask for a new one.")
        }
        if let problem = Passwords.problem(with: newPassword, identity: [member.email, member.handle]) {
            throw DomainError.invalid([FieldError(field: "password", message: problem.description)])
        }
        let hash = try Passwords.hash(newPassword)
        try database.write { db in
            guard try tokenOwner(token, purpose: "reset", in: db) != nil else {
                throw WebError.badRequest("This reset link has just been used.")
            }
            try db.execute(
                "UPDATE membership_members SET password_hash = ?, updated_at = ? WHERE id = ?", [hash, now, member.id])
            try revokeCredentials(of: member.id, in: db)
        }
    }

    /// Changes the password after checking the current one. Every session and API token ends
    /// and every reset link stops working; the device making the change gets a new session
    /// (returned), so it stays signed in under a fresh token.
    public func changePassword(
        memberID: Int64, current: String, new: String, userAgent: String, address: String
    ) throws -> (token: String, csrf: String) {
        let stored = try database.read { db in
            try db.scalar("SELECT password_hash FROM membership_members WHERE id = ?", [memberID], as: String.self)
        }
        guard let stored, let member = try member(id: memberID) else { throw DomainError.notFound }
        guard Passwords.verify(current, against: stored) else {
            throw DomainError.invalid([
                FieldError(field: "current_password", message: "Your current password is not right.")
            ])
        }
        if let problem = Passwords.problem(with: new, identity: [member.email, member.handle]) {
            throw DomainError.invalid([FieldError(field: "new_password", message: problem.description)])
        }
        let hash = try Passwords.hash(new)
        return try database.write { db in
            try db.execute(
                "UPDATE membership_members SET password_hash = ?, updated_at = ? WHERE id = ?", [hash, now, memberID])
            try revokeCredentials(of: memberID, in: db)
            return try startSession(memberID: memberID, userAgent: userAgent, address: address, in: db)
        }
    }

    /// Starts an email change: the new address must be confirmed from a link mailed to it.
    public func requestEmailChange(memberID: Int64, password: String, newEmail: String) throws {
        guard let address = EmailAddress.normalise(newEmail) else {
            throw DomainError.invalid([
                FieldError(field: "new_email", message: "Enter an email address like name@school.org.uk.")
            ])
        }
        let stored = try database.read {
            try $0.scalar("SELECT password_hash FROM membership_members WHERE id = ?", [memberID], as: String.self)
        }
        guard let stored, Passwords.verify(password, against: stored) else {
            throw DomainError.invalid([
                FieldError(field: "email_password", message: "Your password is not right.")
            ])
        }
        let token = RandomToken.hex()
        try database.write { db in
            if try db.scalar("SELECT 1 FROM membership_members WHERE email = ?", [address], as: Int.self) != nil {
                throw DomainError.invalid([
                    FieldError(field: "new_email", message: "Another member uses that address.")
                ])
            }
            try db.execute(
                "INSERT INTO membership_account_tokens (token_hash, member_id, purpose, new_email, expires_at) VALUES (?, ?, 'email', ?, ?)",
                [SHA256.hex(token), memberID, address, now.addingTimeInterval(86_400)])
            let link = services.link("/account/email/" + token)
            try services.outbox.enqueue(
                Mail(
                    to: address, subject: "Confirm your new email address for \(services.config.networkName)",
                    body:
                        "Confirm this address within a day by opening:\n\(link)\n\nIf you did not ask for this, ignore this message.\n"
                ),
                in: db)
        }
    }

    public func confirmEmailChange(token: String) throws -> Member {
        try database.write { db in
            guard let owner = try tokenOwner(token, purpose: "email", in: db), let newEmail = owner.newEmail
            else {
                throw WebError.badRequest("This confirmation link is not valid any more.")
            }
            if try db.scalar("SELECT 1 FROM membership_members WHERE email = ?", [newEmail], as: Int.self) != nil {
                throw DomainError.conflict("Another member now uses that address.")
            }
            try db.execute(
                "UPDATE membership_account_tokens SET used_at = ? WHERE token_hash = ?", [now, SHA256.hex(token)])
            try db.execute(
                "UPDATE membership_members SET email = ?, updated_at = ? WHERE id = ?", [newEmail, now, owner.memberID])
            // Reset links went to the old address: they must not open the account any more.
            try useUpResetLinks(of: owner.memberID, in: db)
            guard let member = try member(id: owner.memberID, in: db) else { throw DomainError.notFound }
            return member
        }
    }
}

/// The kernel's view of membership sessions and tokens.
struct MembershipAuthenticator: Authenticator {
    let membership: MembershipService

    func member(forSessionIn request: HTTPRequest) -> SignedInMember? {
        guard let token = request.cookies[MembershipService.sessionCookie],
            let (member, csrf) = membership.member(forSessionToken: token)
        else { return nil }
        return SignedInMember(
            id: member.id, handle: member.handle, name: member.name, role: member.role,
            isPending: member.status == .pending,
            csrfToken: csrf)
    }

    func member(forBearerToken token: String) -> SignedInMember? {
        guard let member = membership.member(forAPIToken: token) else { return nil }
        return SignedInMember(
            id: member.id, handle: member.handle, name: member.name, role: member.role,
            isPending: member.status == .pending)
    }
}
