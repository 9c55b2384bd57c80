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
}
