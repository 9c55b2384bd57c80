import Foundation
import Kernel
import Membership
import Storage

/// The attendance register: crediting attendees (record, badge, activity) and the impact follow-up job.
extension CPDService {
    // MARK: Attendance

    /// Marks the register: `present` members attended, every other booked member did not.
    /// Newly present members get the session in their CPD record with its hours, a hosted
    /// badge, activity entries and a follow-up job; unmarking takes the hours and badge back.
    @discardableResult
    public func markAttendance(sessionID: Int64, present: Set<Int64>, by actor: SignedInMember) throws
        -> [Booking]
    {
        try database.write { db in
            guard let session = try session(id: sessionID, in: db),
                canSee(session, viewer: viewer(memberID: actor.id, isModerator: actor.isModerator))
            else { throw DomainError.notFound }
            guard session.isRunBy(actor.id) || actor.isAdmin else {
                throw DomainError.forbidden("Only the session's facilitators can mark its register.")
            }
            if session.isCancelled { throw DomainError.conflict("This session was cancelled.") }
            if now < session.startsAt {
                throw DomainError.conflict("The register opens when the session starts.")
            }
            let booked = try db.query(
                "SELECT * FROM cpd_bookings WHERE session_id = ? AND status = 'booked' ORDER BY id",
                [sessionID], Booking.decode)
            let bookedIDs = Set(booked.map(\.memberID))
            if let stranger = present.first(where: { !bookedIDs.contains($0) }) {
                throw DomainError.invalid([
                    FieldError(field: "present", message: "Member \(stranger) has no place on this session.")
                ])
            }
            for booking in booked {
                let attended = present.contains(booking.memberID)
                if booking.attended == attended { continue }
                try db.execute(
                    "UPDATE cpd_bookings SET attended = ?, updated_at = ? WHERE id = ?",
                    [attended, now, booking.id])
                if attended {
                    try credit(session, memberID: booking.memberID, in: db)
                } else if booking.attended == true {
                    try db.execute(
                        "DELETE FROM cpd_records WHERE member_id = ? AND session_id = ?",
                        [booking.memberID, sessionID])
                    try db.execute(
                        """
                        UPDATE cpd_assertions SET revoked_at = ?, revocation_reason = 'Attendance was corrected.'
                        WHERE session_id = ? AND member_id = ? AND revoked_at IS NULL
                        """, [now, sessionID, booking.memberID])
                    try services.activity.deleteEntries(
                        .object("cpd_session", id: sessionID).inModule("cpd").by(actor: booking.memberID)
                            .verbs("attended", "earned_certificate"), in: db)
                }
            }
            return try db.query(
                "SELECT * FROM cpd_bookings WHERE session_id = ? AND status = 'booked' ORDER BY id",
                [sessionID], Booking.decode)
        }
    }

    func credit(_ session: CPDSession, memberID: Int64, in db: Connection) throws {
        guard let member = try membership.member(id: memberID, in: db) else { return }
        try db.execute(
            """
            INSERT INTO cpd_records (member_id, session_id, title, activity_date, minutes, kind, pupil_focus, standard,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'course', 'indirect', '', ?, ?)
            ON CONFLICT (member_id, session_id) DO UPDATE SET minutes = excluded.minutes, updated_at = excluded.updated_at
            """,
            [memberID, session.id, session.title, session.startsAt, session.durationMinutes, now, now])
        let existing = try db.queryOne(
            "SELECT * FROM cpd_assertions WHERE session_id = ? AND member_id = ?", [session.id, memberID],
            BadgeAssertion.decode)
        if let existing {
            try db.execute(
                "UPDATE cpd_assertions SET revoked_at = NULL, revocation_reason = '' WHERE id = ?",
                [existing.id])
        } else {
            let salt = RandomToken.hex(byteCount: 16)
            try db.execute(
                """
                INSERT INTO cpd_assertions (uid, session_id, member_id, salt, identity, issued_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    RandomToken.hex(byteCount: 16), session.id, memberID, salt,
                    Self.hashedIdentity(email: member.email, salt: salt), now,
                ])
        }
        let scope = scope(of: session, public: false)
        for verb in ["attended", "earned_certificate"] {
            try services.activity.record(
                NewActivity(
                    module: "cpd", actorID: member.id, actorName: member.name, actorHandle: member.handle,
                    verb: verb,
                    objectKind: "cpd_session", objectID: session.id, objectTitle: session.title,
                    objectURL: session.path,
                    scope: scope), at: now, in: db)
        }
        // One follow-up per attendee, however often the register is corrected.
        let payload = "\(session.id):\(memberID)"
        try db.execute(
            """
            UPDATE cpd_bookings SET follow_up_queued = 1
            WHERE session_id = ? AND member_id = ? AND follow_up_queued = 0
            """, [session.id, memberID])
        if db.changes == 1 {
            let due = max(now, session.endsAt).addingTimeInterval(Double(followUpWeeks) * 7 * 86_400)
            try services.jobs.enqueue(Self.followUpJob, payload: payload, at: due, in: db)
        }
    }

    /// The Open Badges 2.0 recipient identity for an email and salt.
    public static func hashedIdentity(email: String, salt: String) -> String {
        "sha256$" + SHA256.hex(email.lowercased() + salt)
    }

    /// Runs the follow-up job: asks an attendee, by mail, about the session's impact.
    func runFollowUp(payload: String) throws {
        let parts = payload.split(separator: ":").compactMap { Int64($0) }
        guard parts.count == 2 else { return }
        let (sessionID, memberID) = (parts[0], parts[1])
        try database.write { db in
            guard let session = try session(id: sessionID, in: db),
                let booking = try booking(sessionID: sessionID, memberID: memberID, in: db),
                booking.attended == true, booking.status == .booked,
                let member = try membership.member(id: memberID, in: db), member.status == .active
            else { return }
            let answered =
                try db.scalar(
                    "SELECT 1 FROM cpd_evaluations WHERE session_id = ? AND member_id = ? AND followed_up_at IS NOT NULL",
                    [sessionID, memberID], as: Int.self) != nil
            if answered { return }
            try db.execute(
                "UPDATE cpd_bookings SET follow_up_requested_at = ? WHERE id = ?", [now, booking.id])
            try notify(
                [memberID], about: session, kind: CPDNotifications.followUp,
                text: "asks what difference “\(session.title)” made, \(followUpWeeks) weeks on",
                excerpt:
                    "What has changed since — in what you know, in your practice, and for your pupils? It takes two minutes.",
                link: session.path + "/follow-up", in: db)
        }
    }
}
