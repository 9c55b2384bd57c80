import Foundation
import Kernel
import Storage

/// Invitation links, for networks that are by invitation only.
extension MembershipService {
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

    public func createInvitation(by creator: Int64?, note: String, maxUses: Int, validDays: Int) throws
        -> Invitation
    {
        guard (1...10_000).contains(maxUses) else {
            throw DomainError.invalid([
                FieldError(field: "max_uses", message: "Uses must be between 1 and 10,000.")
            ])
        }
        guard (1...365).contains(validDays) else {
            throw DomainError.invalid([
                FieldError(field: "days", message: "An invitation lasts 1 to 365 days.")
            ])
        }
        let note = String(SingleLineText.clean(note).prefix(200))
        let code = String(RandomToken.hex(byteCount: 16))
        let now = self.now
        return try database.write { db in
            try db.execute(
                "INSERT INTO membership_invitations (code, created_by, note, max_uses, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [code, creator, note, maxUses, now.addingTimeInterval(Double(validDays) * 86_400), now])
            return Invitation(
                id: db.lastInsertedRowID, code: code, note: note, maxUses: maxUses, uses: 0,
                expiresAt: now.addingTimeInterval(Double(validDays) * 86_400), revokedAt: nil,
                createdBy: creator, isUsable: true)
        }
    }

    public func invitations(createdBy creator: Int64? = nil) throws -> [Invitation] {
        try database.read { db in
            try db.query(
                "SELECT * FROM membership_invitations WHERE (? IS NULL OR created_by = ?) ORDER BY id DESC LIMIT 200",
                [creator, creator]
            ) { row in try self.invitation(row) }
        }
    }

    func invitation(_ row: Row) throws -> Invitation {
        let expires: Date = try row.value("expires_at")
        let revoked: Date? = try row.optional("revoked_at")
        let uses: Int = try row.value("uses")
        let maxUses: Int = try row.value("max_uses")
        return Invitation(
            id: try row.value("id"), code: try row.value("code"), note: try row.value("note"),
            maxUses: maxUses, uses: uses,
            expiresAt: expires, revokedAt: revoked, createdBy: try row.optional("created_by"),
            isUsable: revoked == nil && uses < maxUses && expires > now)
    }

    public func invitation(code: String) throws -> Invitation? {
        try database.read { db in
            try db.queryOne("SELECT * FROM membership_invitations WHERE code = ?", [code]) { try self.invitation($0) }
        }
    }

    public func revokeInvitation(id: Int64, by actor: Member?) throws {
        try database.write { db in
            guard
                let createdBy = try db.queryOne(
                    "SELECT created_by FROM membership_invitations WHERE id = ?", [id],
                    { try $0.optional("created_by") as Int64? })
            else {
                throw DomainError.notFound
            }
            if let actor, !actor.role.isAdminRole, createdBy != actor.id {
                throw DomainError.forbidden("You can only revoke invitations you created.")
            }
            try db.execute(
                "UPDATE membership_invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [now, id])
        }
    }

    func consumeInvitation(_ code: String, in db: Connection) throws -> Int64 {
        let invitation = try usableInvitation(code, in: db)
        try db.execute("UPDATE membership_invitations SET uses = uses + 1 WHERE id = ?", [invitation.id])
        return invitation.id
    }

    /// The invitation of `code` if it can still be used, or the form error saying it cannot.
    func usableInvitation(_ code: String, in db: Connection) throws -> Invitation {
        guard
            let invitation = try db.queryOne(
                "SELECT * FROM membership_invitations WHERE code = ?", [code], { try self.invitation($0) }),
            invitation.isUsable
        else {
            throw DomainError.invalid([
                FieldError(
                    field: "invitation",
                    message:
                        "This invitation link is not valid any more: it has expired, been used up or been revoked. Ask for a new one."
                )
            ])
        }
        return invitation
    }
}
