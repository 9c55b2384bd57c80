import Foundation
import Kernel
import Storage

extension MembershipService {
    /// Approves a pending member: they become active and their "joined" activity appears.
    public func approve(memberID: Int64) throws -> Member {
        try database.write { db in
            guard let member = try member(id: memberID, in: db) else { throw DomainError.notFound }
            guard member.status == .pending else {
                throw DomainError.conflict("\(member.name) is not waiting for approval.")
            }
            try db.execute(
                "UPDATE membership_members SET status = 'active', updated_at = ? WHERE id = ?",
                [now, memberID])
            guard let approved = try self.member(id: memberID, in: db) else { throw DomainError.notFound }
            try recordJoined(approved, in: db)
            try services.outbox.enqueue(
                Mail(
                    to: member.email, subject: "Welcome to \(services.config.networkName)",
                    body:
                        "Hello \(member.name),\n\nAn administrator approved your membership. Sign in at \(services.link("/sign-in"))\n",
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
            guard let member = try member(id: memberID, in: db), member.status != .deleted else {
                throw DomainError.notFound
            }
            if member.role == .creator {
                throw DomainError.forbidden("The network's creator cannot be suspended.")
            }
            if let actor, actor.id == memberID { throw DomainError.forbidden("You cannot suspend yourself.") }
            try db.execute(
                "UPDATE membership_members SET status = 'suspended', updated_at = ? WHERE id = ?",
                [now, memberID])
            try db.execute("DELETE FROM membership_sessions WHERE member_id = ?", [memberID])
            try db.execute(
                "UPDATE membership_api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
                [now, memberID])
            try db.execute("UPDATE membership_statuses SET hidden = 1 WHERE member_id = ?", [memberID])
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
            try db.execute(
                "UPDATE membership_members SET status = 'active', updated_at = ? WHERE id = ?",
                [now, memberID])
            try db.execute("UPDATE membership_statuses SET hidden = 0 WHERE member_id = ?", [memberID])
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
            let status = try db.scalar(
                "SELECT status FROM membership_members WHERE email = ?", [key], as: String.self)
        else { return address.lowercased().hasSuffix("@invalid") ? .none : .mayReceive }
        switch Member.Status(rawValue: status) {
        case .active, .pending: return .mayReceive
        case .suspended: return .accountStatusOnly
        case .deleted, nil: return .none
        }
    }

    /// Changes a member's role. Only the creator keeps the creator role; nobody else gets it.
    public func setRole(memberID: Int64, to role: MemberRole) throws -> Member {
        guard role != .creator else {
            throw DomainError.forbidden("There is one creator; the role cannot be given.")
        }
        return try database.write { db in
            guard let member = try member(id: memberID, in: db), member.status != .deleted else {
                throw DomainError.notFound
            }
            if member.role == .creator {
                throw DomainError.forbidden("The creator's role cannot be changed.")
            }
            try db.execute(
                "UPDATE membership_members SET role = ?, updated_at = ? WHERE id = ?",
                [role.rawValue, now, memberID])
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
            try db.execute(
                "UPDATE membership_members SET password_hash = ?, updated_at = ? WHERE id = ?",
                [hash, now, memberID])
            try revokeCredentials(of: memberID, in: db)
        }
    }

    public func members(status: Member.Status?, limit: Int = 200) throws -> [Member] {
        try database.read { db in
            try db.query(
                "SELECT \(Member.columns) FROM membership_members m WHERE (? IS NULL OR m.status = ?) ORDER BY m.created_at DESC, m.id DESC LIMIT ?",
                [status?.rawValue, status?.rawValue, limit], Member.decode)
        }
    }
    /// One page of the administrators' member list: `filter`'s words match names, handles and
    /// addresses; newest first; deleted members only when asked for by status.
    public func members(matching filter: MemberListFilter, page: Int, perPage: Int = 50) throws
        -> MemberListPage
    {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let status = filter.status {
            conditions.append("m.status = ?")
            arguments.append(status.rawValue)
        } else {
            conditions.append("m.status <> 'deleted'")
        }
        switch filter.role {
        case .member?, .moderator?:
            conditions.append("m.role = ?")
            arguments.append(filter.role!.rawValue)
        case .admin?, .creator?:
            conditions.append("m.role IN ('admin', 'creator')")
        case nil: break
        }
        for word in filter.text.split(whereSeparator: \.isWhitespace).prefix(5) {
            let pattern = "%" + Self.likeEscaped(String(word)) + "%"
            conditions.append(
                "(m.name LIKE ? ESCAPE '\\' OR m.handle LIKE ? ESCAPE '\\' OR m.email LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern, pattern]
        }
        let whereClause = conditions.joined(separator: " AND ")
        let page = max(1, page)
        return try database.read { db in
            let total =
                try db.scalar(
                    "SELECT count(*) FROM membership_members m WHERE \(whereClause)", arguments, as: Int.self)
                ?? 0
            let members = try db.query(
                """
                SELECT \(Member.columns) FROM membership_members m WHERE \(whereClause) \
                ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?
                """,
                arguments + [perPage, (page - 1) * perPage], Member.decode)
            return MemberListPage(members: members, total: total, page: page, perPage: perPage)
        }
    }

    /// `text` with LIKE's wildcards and the escape character escaped (for `ESCAPE '\\'`).
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// What the administrators' member list shows: words to find, a status, a role.
public struct MemberListFilter: Sendable, Equatable {
    public var text: String
    public var status: Member.Status?
    public var role: MemberRole?
    public init(text: String = "", status: Member.Status? = nil, role: MemberRole? = nil) {
        self.text = text
        self.status = status
        self.role = role
    }
}

/// One page of members and how many match in all.
public struct MemberListPage: Sendable, Equatable {
    public var members: [Member]
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}
