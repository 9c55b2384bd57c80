import Foundation
import Kernel
import Storage

extension MembershipService {
    /// Approves a pending member: they become active and their "joined" activity appears.
    public func approve(memberID: Int64) throws -> Member {
        try database.write { db in
            guard let member = try member(id: memberID, in: db) else { throw DomainError.notFound }
            guard member.status == .pending else { throw DomainError.conflict("\(member.name) is not waiting for approval.") }
            try db.execute("UPDATE members SET status = 'active', updated_at = ? WHERE id = ?", [now, memberID])
            guard let approved = try self.member(id: memberID, in: db) else { throw DomainError.notFound }
            try recordJoined(approved, in: db)
            try services.outbox.enqueue(
                Mail(
                    to: member.email, subject: "Welcome to \(services.config.networkName)",
                    body: "Hello \(member.name),\n\nAn administrator approved your membership. Sign in at \(services.link("/sign-in"))\n",
                    aboutAccountStatus: true),
                in: db)
            try services.events.publish(MemberStatusChanged(memberID: memberID, status: .active), in: db)
            return approved
        }
    }

    /// Suspends a member: they cannot sign in, their sessions end, and their content is hidden.
    public func suspend(memberID: Int64, by actor: Member?) throws -> Member {
        try database.write { db in try suspend(memberID: memberID, by: actor, in: db) }
    }

    /// Suspends inside the caller's transaction (moderation actions).
    public func suspend(memberID: Int64, by actor: Member?, in db: Connection) throws -> Member {
        do {
            guard let member = try member(id: memberID, in: db), member.status != .deleted else { throw DomainError.notFound }
            if member.role == .creator { throw DomainError.forbidden("The network's creator cannot be suspended.") }
            if let actor, actor.id == memberID { throw DomainError.forbidden("You cannot suspend yourself.") }
            try db.execute("UPDATE members SET status = 'suspended', updated_at = ? WHERE id = ?", [now, memberID])
            try db.execute("DELETE FROM sessions WHERE member_id = ?", [memberID])
            try db.execute("UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL", [now, memberID])
            try db.execute("UPDATE statuses SET hidden = 1 WHERE member_id = ?", [memberID])
            try services.activity.setHidden(true, actorID: memberID, in: db)
            try services.events.publish(MemberStatusChanged(memberID: memberID, status: .suspended), in: db)
            return try self.member(id: memberID, in: db) ?? member
        }
    }

    public func reinstate(memberID: Int64) throws -> Member {
        try database.write { db in try reinstate(memberID: memberID, in: db) }
    }

    /// Reinstates inside the caller's transaction.
    public func reinstate(memberID: Int64, in db: Connection) throws -> Member {
        do {
            guard let member = try member(id: memberID, in: db), member.status == .suspended else {
                throw DomainError.conflict("Only suspended members can be reinstated.")
            }
            try db.execute("UPDATE members SET status = 'active', updated_at = ? WHERE id = ?", [now, memberID])
            try db.execute("UPDATE statuses SET hidden = 0 WHERE member_id = ?", [memberID])
            try services.activity.setHidden(false, actorID: memberID, in: db)
            try services.events.publish(MemberStatusChanged(memberID: memberID, status: .active), in: db)
            return try self.member(id: memberID, in: db) ?? member
        }
    }

    /// What mail `address` may receive now, for the outbox's delivery-time check: a suspended
    /// (or banned) member only mail about their account's standing, a deleted account none, and
    /// an address that is no member's (an invitation, a new address to confirm) anything.
    public func mailStanding(of address: String, in db: Connection) throws -> RecipientStanding {
        guard let key = EmailAddress.normalise(address),
            let status = try db.scalar("SELECT status FROM members WHERE email = ?", [key], as: String.self)
        else { return address.lowercased().hasSuffix("@invalid") ? .none : .mayReceive }
        switch Member.Status(rawValue: status) {
        case .active, .pending: return .mayReceive
        case .suspended: return .accountStatusOnly
        case .deleted, nil: return .none
        }
    }

    /// Changes a member's role. Only the creator keeps the creator role; nobody else gets it.
    public func setRole(memberID: Int64, to role: MemberRole) throws -> Member {
        guard role != .creator else { throw DomainError.forbidden("There is one creator; the role cannot be given.") }
        return try database.write { db in
            guard let member = try member(id: memberID, in: db), member.status != .deleted else { throw DomainError.notFound }
            if member.role == .creator { throw DomainError.forbidden("The creator's role cannot be changed.") }
            try db.execute("UPDATE members SET role = ?, updated_at = ? WHERE id = ?", [role.rawValue, now, memberID])
            return try self.member(id: memberID, in: db) ?? member
        }
    }

    /// Sets a password directly (console), ending every session and API token and every
    /// reset link.
    public func setPassword(memberID: Int64, to password: String) throws {
        guard let member = try member(id: memberID) else { throw DomainError.notFound }
        if let problem = Passwords.problem(with: password, identity: [member.email, member.handle]) {
            throw DomainError.invalid([FieldError(field: "password", message: problem.description)])
        }
        let hash = try Passwords.hash(password)
        try database.write { db in
            try db.execute("UPDATE members SET password_hash = ?, updated_at = ? WHERE id = ?", [hash, now, memberID])
            try revokeCredentials(of: memberID, in: db)
        }
    }

    public func members(status: Member.Status?, limit: Int = 200) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM members m WHERE (? IS NULL OR m.status = ?) ORDER BY m.created_at DESC, m.id DESC LIMIT ?",
                [status?.rawValue, status?.rawValue, limit], Member.decode)
        }
    }

    // MARK: Personal data

    /// Membership's part of "Download my data": only what the member owns.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        guard let member = try member(id: memberID, in: db) else { return .null }
        let answers = try self.answers(of: memberID, in: db)
        let statuses = try db.query("SELECT * FROM statuses WHERE member_id = ? ORDER BY id", [memberID], Self.decodeStatus)
        let friends = try db.query(
            "SELECT m.handle, m.name FROM friendships f JOIN members m ON m.id = f.friend_id WHERE f.member_id = ? ORDER BY m.handle",
            [memberID]
        ) { row -> JSONValue in ["handle": .string(try row.value("handle")), "name": .string(try row.value("name"))] }
        let sessions = try db.query("SELECT created_at, last_seen_at, user_agent, ip FROM sessions WHERE member_id = ?", [memberID]) {
            row -> JSONValue in
            .object([
                ("created_at", JSONValue(try row.value("created_at") as Date)), ("last_seen_at", JSONValue(try row.value("last_seen_at") as Date)),
                ("user_agent", .string(try row.value("user_agent"))), ("ip", .string(try row.value("ip"))),
            ])
        }
        return .object([
            ("profile", .object([
                ("handle", .string(member.handle)), ("name", .string(member.name)), ("email", .string(member.email)),
                ("role", .string(member.role.rawValue)), ("status", .string(member.status.rawValue)), ("bio", .string(member.bio)),
                ("joined_at", JSONValue(member.createdAt)),
                ("answers", .object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ])),
            ("statuses", .array(statuses.map { .object([("id", .int($0.id)), ("body", .string($0.body)), ("created_at", JSONValue($0.createdAt))]) })),
            ("friends", .array(friends)),
            ("sessions", .array(sessions)),
        ])
    }

    /// Membership's part of "Delete my account": personal data erased, the row kept as an
    /// anonymous "former member" so others' threads stay readable.
    func erase(memberID: Int64, in db: Connection) throws {
        let placeholder = "former-member-\(memberID)"
        // Mail not yet sent to the old address goes with the account (and would go nowhere
        // once the address is replaced below).
        if let email = try db.scalar("SELECT email FROM members WHERE id = ?", [memberID], as: String.self) {
            try services.outbox.removeUnsent(to: email, in: db)
        }
        try db.execute(
            """
            UPDATE members SET handle = ?, email = ?, name = ?, password_hash = '!', bio = '', status = 'deleted',
                role = 'member', updated_at = ? WHERE id = ?
            """, [placeholder, "\(placeholder)@invalid", Member.formerMemberName, now, memberID])
        for table in ["member_avatars", "profile_answers", "sessions", "api_tokens", "account_tokens", "statuses"] {
            try db.execute("DELETE FROM \(table) WHERE member_id = ?", [memberID])
        }
        try db.execute("DELETE FROM friendships WHERE member_id = ? OR friend_id = ?", [memberID, memberID])
        try db.execute("DELETE FROM friend_requests WHERE from_id = ? OR to_id = ?", [memberID, memberID])
        try services.activity.deleteEntries(.actor(memberID).inModule("membership"), in: db)
        try services.activity.update(
            .actor(memberID), ActivityUpdate(actorName: Member.formerMemberName, actorHandle: placeholder), in: db)
        try services.activity.update(
            .object("member", id: memberID),
            ActivityUpdate(objectTitle: Member.formerMemberName, removesObjectURL: true), in: db)
    }

    /// Every enabled module's export for one member.
    public func exportAll(memberID: Int64, hooks: [PersonalDataHooks]) throws -> JSONValue {
        try database.read { db in
            var parts: [(String, JSONValue)] = [
                ("network", .string(services.config.networkName)), ("exported_at", JSONValue(now)),
            ]
            for hook in hooks { parts.append((hook.module, try hook.export(memberID, db))) }
            return .object(parts)
        }
    }

    /// Runs every enabled module's erase hook in one transaction.
    public func deleteAccount(memberID: Int64, hooks: [PersonalDataHooks]) throws {
        try database.write { db in
            guard let member = try member(id: memberID, in: db), member.status != .deleted else { throw DomainError.notFound }
            if member.role == .creator { throw DomainError.forbidden("The network's creator cannot delete their account; hand the network over first.") }
            // Other modules first: they may still need the member's row.
            for hook in hooks.reversed() { try hook.erase(memberID, db) }
            try services.events.publish(MemberStatusChanged(memberID: memberID, status: .deleted), in: db)
        }
    }
}
