import Foundation
import Kernel
import Membership
import Storage

extension ModerationService {
    /// Moderation's part of "Download my data": the reports the member filed and the warnings
    /// they received. Who reported them, and moderators' notes, are not theirs to download.
    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let reports = try db.query(
            """
            SELECT r.*, c.title, c.kind, c.item_id FROM moderation_reports r JOIN moderation_cases c ON c.id = r.case_id
            WHERE r.reporter_id = ? ORDER BY r.id
            """, [memberID], Self.decodeReport)
        let warnings = try db.query(
            "SELECT reason, created_at FROM moderation_warnings WHERE member_id = ? ORDER BY id", [memberID]
        ) { row -> JSONValue in
            [
                "reason": .string(try row.value("reason")),
                "created_at": JSONValue(try row.value("created_at") as Date),
            ]
        }
        return .object([
            ("reports", .array(try reports.map(ModerationAPI.reportJSON))), ("warnings", .array(warnings)),
        ])
    }

    /// Moderation's part of "Delete my account": reports stay (they are safety records) but no
    /// longer name their reporter; the member's notes read as "former member".
    func erase(memberID: Int64, in db: Connection) throws {
        try db.execute("UPDATE moderation_reports SET reporter_id = NULL WHERE reporter_id = ?", [memberID])
        try db.execute(
            "UPDATE moderation_notes SET author_id = NULL, author_name = ? WHERE author_id = ?",
            [Member.formerMemberName, memberID])
        try db.execute("DELETE FROM moderation_content WHERE author_id = ?", [memberID])
    }

    /// A ban holds on every path: if a banned member is made active some other way (the
    /// membership admin pages or `pln admin members reinstate`), they are suspended again and
    /// the audit log says why. Only `unban` lifts a ban.
    func enforceBan(memberID: Int64) throws {
        guard let membership else { return }
        try database.write { db in
            guard try isBanned(memberID: memberID, in: db),
                let member = try membership.member(id: memberID, in: db),
                member.status == .active
            else { return }
            _ = try membership.suspend(memberID: memberID, by: nil, in: db)
            let automatic = ModeratorRef.automatic
            try db.execute(
                """
                INSERT INTO moderation_actions (actor_id, actor_name, action, case_id, target_kind, target_id, target_title,
                    member_id, reason, detail, created_at) VALUES (NULL, ?, 'suspend', NULL, 'member', ?, ?, ?, ?, ?, ?)
                """,
                [
                    automatic.name, memberID, "\(member.name) (@\(member.handle))", memberID,
                    "The member is banned; only unban reinstates them.",
                    "suspended again after a reinstatement outside moderation",
                    now,
                ])
        }
    }
}
