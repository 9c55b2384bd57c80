import Foundation
import Kernel
import Membership
import Storage

/// A member's CPD data: exported with their account, erased with it.
extension CPDService {
    // MARK: Personal data

    func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        let expertise = try db.query(
            "SELECT area, statement FROM cpd_expertise WHERE member_id = ? ORDER BY area", [memberID]
        ) {
            row -> JSONValue in
            ["area": .string(try row.value("area")), "statement": .string(try row.value("statement"))]
        }
        let records = try db.query(
            "SELECT * FROM cpd_records WHERE member_id = ? ORDER BY activity_date, id", [memberID],
            RecordEntry.decode)
        let bookings = try db.query(
            """
            SELECT b.*, s.title FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id
            WHERE b.member_id = ? ORDER BY b.id
            """, [memberID]
        ) { row -> JSONValue in
            let attended: Int? = try row.optional("attended")
            return .object([
                ("session_id", .int(try row.value("session_id"))),
                ("session", .string(try row.value("title"))),
                ("status", .string(try row.value("status"))),
                ("attended", attended.map { .bool($0 != 0) } ?? .null),
                ("booked_at", JSONValue(try row.value("created_at") as Date)),
            ])
        }
        let evaluations = try db.query(
            "SELECT * FROM cpd_evaluations WHERE member_id = ? ORDER BY id", [memberID]
        ) {
            row -> JSONValue in
            .object([
                ("session_id", .int(try row.value("session_id"))), ("rating", .int(try row.value("rating"))),
                ("will_change", .string(try row.value("will_change"))),
                ("reaction", JSONValue(try row.optional("reaction") as Int64?)),
                ("learning", JSONValue(try row.optional("learning") as Int64?)),
                ("practice", JSONValue(try row.optional("practice") as Int64?)),
                ("outcomes", JSONValue(try row.optional("outcomes") as Int64?)),
                ("impact_comment", .string(try row.value("impact_comment"))),
            ])
        }
        let sessions = try db.query(
            "SELECT id, title, starts_at, status FROM cpd_sessions WHERE organiser_id = ? ORDER BY id",
            [memberID]
        ) { row -> JSONValue in
            .object([
                ("id", .int(try row.value("id"))), ("title", .string(try row.value("title"))),
                ("starts_at", JSONValue(try row.value("starts_at") as Date)),
                ("status", .string(try row.value("status"))),
            ])
        }
        let badges = try db.query(
            "SELECT * FROM cpd_assertions WHERE member_id = ? ORDER BY id", [memberID], BadgeAssertion.decode)
        return .object([
            ("expertise", .array(expertise)),
            ("record", .array(try records.map { try JSONValue(encoding: RecordEntryResponse($0)) })),
            ("bookings", .array(bookings)),
            ("evaluations", .array(evaluations)),
            ("sessions_offered", .array(sessions)),
            ("badges", .array(badges.map { .string(services.link($0.path)) })),
        ])
    }

    /// Erases what the member owns. Their bookings give places back (promoting whoever waits);
    /// sessions they organised stay for the people booked, shown as run by a former member;
    /// evaluations stay as anonymous numbers so facilitators' aggregates do not shift.
    func erase(memberID: Int64, in db: Connection) throws {
        try db.execute("DELETE FROM cpd_expertise WHERE member_id = ?", [memberID])
        try db.execute("DELETE FROM cpd_records WHERE member_id = ?", [memberID])
        try db.execute("DELETE FROM cpd_feed_tokens WHERE member_id = ?", [memberID])
        try db.execute(
            "UPDATE cpd_assertions SET revoked_at = ?, revocation_reason = 'The recipient left the network.', salt = '', identity = '' WHERE member_id = ?",
            [now, memberID])
        try db.execute(
            "UPDATE cpd_evaluations SET member_id = NULL, will_change = '', impact_comment = '' WHERE member_id = ?",
            [memberID])
        let booked = try db.query(
            "SELECT session_id FROM cpd_bookings WHERE member_id = ? AND status = 'booked'", [memberID]
        ) { try $0.value("session_id") as Int64 }
        try db.execute(
            "UPDATE cpd_bookings SET status = 'cancelled', updated_at = ? WHERE member_id = ? AND status IN ('booked', 'waiting')",
            [now, memberID])
        for sessionID in booked {
            if let session = try session(id: sessionID, in: db), !session.isCancelled, session.startsAt > now
            {
                _ = try promoteWaiting(session, in: db)
            }
        }
        try services.activity.deleteEntries(
            .actor(memberID).inModule("cpd").excludingVerbs("offered"), in: db)
    }
}
