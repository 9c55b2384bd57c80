import Foundation
import Kernel
import Storage

/// Membership's personal data: its part of a member's export and erasure, and the whole
/// export and account deletion that run every enabled module's hooks.
extension MembershipService {
    /// Membership's part of "Download my data": only what the member owns.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        guard let member = try member(id: memberID, in: db) else { return .null }
        let answers = try self.answers(of: memberID, in: db)
        let statuses = try db.query(
            "SELECT * FROM membership_statuses WHERE member_id = ? ORDER BY id", [memberID], Self.decodeStatus
        )
        let friends = try db.query(
            "SELECT m.handle, m.name FROM membership_friendships f JOIN membership_members m ON m.id = f.friend_id WHERE f.member_id = ? ORDER BY m.handle",
            [memberID]
        ) { row -> JSONValue in
            ["handle": .string(try row.value("handle")), "name": .string(try row.value("name"))]
        }
        let sessions = try db.query(
            "SELECT created_at, last_seen_at, user_agent, ip FROM membership_sessions WHERE member_id = ?",
            [memberID]
        ) {
            row -> JSONValue in
            .object([
                ("created_at", JSONValue(try row.value("created_at") as Date)),
                ("last_seen_at", JSONValue(try row.value("last_seen_at") as Date)),
                ("user_agent", .string(try row.value("user_agent"))), ("ip", .string(try row.value("ip"))),
            ])
        }
        return .object([
            (
                "profile",
                .object([
                    ("handle", .string(member.handle)), ("name", .string(member.name)),
                    ("email", .string(member.email)),
                    ("role", .string(member.role.rawValue)), ("status", .string(member.status.rawValue)),
                    ("bio", .string(member.bio)),
                    ("joined_at", JSONValue(member.createdAt)),
                    (
                        "answers",
                        .object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                    ),
                ])
            ),
            (
                "statuses",
                .array(
                    statuses.map {
                        .object([
                            ("id", .int($0.id)), ("body", .string($0.body)),
                            ("created_at", JSONValue($0.createdAt)),
                        ])
                    })
            ),
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
        if let email = try db.scalar(
            "SELECT email FROM membership_members WHERE id = ?", [memberID], as: String.self)
        {
            try services.outbox.removeUnsent(to: email, in: db)
        }
        try db.execute(
            """
            UPDATE membership_members SET handle = ?, email = ?, name = ?, password_hash = '!', bio = '', status = 'deleted',
                role = 'member', updated_at = ? WHERE id = ?
            """, [placeholder, "\(placeholder)@invalid", Member.formerMemberName, now, memberID])
        for table in [
            "membership_avatars", "membership_profile_answers", "membership_sessions",
            "membership_api_tokens",
            "membership_account_tokens", "membership_statuses",
        ] {
            try db.execute("DELETE FROM \(table) WHERE member_id = ?", [memberID])
        }
        try db.execute(
            "DELETE FROM membership_friendships WHERE member_id = ? OR friend_id = ?", [memberID, memberID])
        try db.execute(
            "DELETE FROM membership_friend_requests WHERE from_id = ? OR to_id = ?", [memberID, memberID])
        try services.activity.deleteEntries(.actor(memberID).inModule("membership"), in: db)
        try services.activity.update(
            .actor(memberID), ActivityUpdate(actorName: Member.formerMemberName, actorHandle: placeholder),
            in: db)
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
            guard let member = try member(id: memberID, in: db), member.status != .deleted else {
                throw DomainError.notFound
            }
            if member.role == .creator {
                throw DomainError.forbidden(
                    "The network's creator cannot delete their account; hand the network over first.")
            }
            // Other modules first: they may still need the member's row.
            for hook in hooks.reversed() { try hook.erase(memberID, db) }
            try services.events.publish(MemberStatusChanged(memberID: memberID, status: .deleted), in: db)
        }
    }
}
