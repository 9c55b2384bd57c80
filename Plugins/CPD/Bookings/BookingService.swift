import Foundation
import Kernel
import Membership
import Storage

/// Booking a place, the waiting list and its promotions, and who has booked what.
extension CPDService {
    // MARK: Booking

    /// When booking closes: `booking_cutoff_hours` before the start.
    public func bookingClosesAt(_ session: CPDSession) -> Date {
        session.startsAt.addingTimeInterval(-Double(bookingCutoffHours) * 3600)
    }

    public func isBookingOpen(_ session: CPDSession) -> Bool {
        !session.isCancelled && now < bookingClosesAt(session)
    }

    /// Books a place, or a place on the waiting list when the session is full. The count and
    /// the insert happen under the one writer lock, so two members can never take the last
    /// place together.
    public func book(sessionID: Int64, memberID: Int64) throws -> Booking {
        guard let member = try membership.member(id: memberID), member.status == .active else {
            throw DomainError.forbidden("Only active members can book sessions.")
        }
        let viewer = viewer(memberID: memberID, isModerator: member.role >= .moderator)
        return try database.write { db in
            guard let session = try session(id: sessionID, in: db), canSee(session, viewer: viewer) else {
                throw DomainError.notFound
            }
            if session.isRunBy(memberID) { throw DomainError.conflict("You are facilitating this session.") }
            if session.isCancelled { throw DomainError.conflict("This session has been cancelled.") }
            if now >= bookingClosesAt(session) {
                throw DomainError.conflict(
                    "Booking for this session closed \(bookingCutoffHours) hours before it starts.")
            }
            let existing = try db.queryOne(
                "SELECT * FROM cpd_bookings WHERE session_id = ? AND member_id = ?", [sessionID, memberID],
                Booking.decode)
            if let existing, existing.status != .cancelled {
                throw DomainError.conflict(
                    existing.status == .booked
                        ? "You already have a place." : "You are already on the waiting list.")
            }
            let taken =
                try db.scalar(
                    "SELECT COUNT(*) FROM cpd_bookings WHERE session_id = ? AND status = 'booked'",
                    [sessionID], as: Int.self) ?? 0
            let status: Booking.Status = taken < session.capacity ? .booked : .waiting
            if let existing {
                try db.execute(
                    "UPDATE cpd_bookings SET status = ?, queued_at = ?, attended = NULL, updated_at = ? WHERE id = ?",
                    [status.rawValue, now, now, existing.id])
            } else {
                try db.execute(
                    """
                    INSERT INTO cpd_bookings (session_id, member_id, status, queued_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [sessionID, memberID, status.rawValue, now, now, now])
            }
            guard let booking = try booking(sessionID: sessionID, memberID: memberID, in: db) else {
                throw DomainError.notFound
            }
            return booking
        }
    }

    /// Gives up a place (or a place on the waiting list). A freed place goes to the first
    /// member waiting, who is told by mail in the same transaction.
    @discardableResult
    public func cancelBooking(sessionID: Int64, memberID: Int64) throws -> (
        cancelled: Booking, promoted: Booking?
    ) {
        try database.write { db in
            guard let session = try session(id: sessionID, in: db) else { throw DomainError.notFound }
            guard let existing = try booking(sessionID: sessionID, memberID: memberID, in: db),
                existing.status != .cancelled
            else { throw DomainError.conflict("You have no booking for this session.") }
            if now >= session.startsAt { throw DomainError.conflict("This session has already started.") }
            try db.execute(
                "UPDATE cpd_bookings SET status = 'cancelled', updated_at = ? WHERE id = ?",
                [now, existing.id])
            var promoted: Booking?
            if existing.status == .booked && !session.isCancelled {
                promoted = try promoteWaiting(session, in: db)
            }
            guard let cancelled = try booking(sessionID: sessionID, memberID: memberID, in: db) else {
                throw DomainError.notFound
            }
            return (cancelled, promoted)
        }
    }

    /// Moves the first member waiting into a free place, if there is one, and tells them.
    func promoteWaiting(_ session: CPDSession, in db: Connection) throws -> Booking? {
        let taken =
            try db.scalar(
                "SELECT COUNT(*) FROM cpd_bookings WHERE session_id = ? AND status = 'booked'", [session.id],
                as: Int.self) ?? 0
        guard taken < session.capacity else { return nil }
        guard
            let next = try db.queryOne(
                "SELECT * FROM cpd_bookings WHERE session_id = ? AND status = 'waiting' ORDER BY queued_at, id LIMIT 1",
                [session.id], Booking.decode)
        else { return nil }
        try db.execute(
            "UPDATE cpd_bookings SET status = 'booked', updated_at = ? WHERE id = ?", [now, next.id])
        let when = Self.format(session.startsAt, zone: session.zone, style: .long)
        try notify(
            [next.memberID], about: session, kind: CPDNotifications.placeOffered,
            text: "gave you a place on “\(session.title)” (\(when)): you were first on the waiting list",
            excerpt: "If you cannot come, please cancel so the next person can have it.", in: db)
        return try booking(sessionID: session.id, memberID: next.memberID, in: db)
    }

    public func booking(sessionID: Int64, memberID: Int64) throws -> Booking? {
        try database.read { try booking(sessionID: sessionID, memberID: memberID, in: $0) }
    }

    func booking(sessionID: Int64, memberID: Int64, in db: Connection) throws -> Booking? {
        guard
            var booking = try db.queryOne(
                "SELECT * FROM cpd_bookings WHERE session_id = ? AND member_id = ?", [sessionID, memberID],
                Booking.decode)
        else { return nil }
        if booking.status == .waiting {
            let ahead =
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM cpd_bookings WHERE session_id = ? AND status = 'waiting'
                    AND (queued_at < ? OR (queued_at = ? AND id < ?))
                    """, [sessionID, booking.queuedAt, booking.queuedAt, booking.id], as: Int.self) ?? 0
            booking.position = ahead + 1
        }
        return booking
    }

    /// Booked and waiting members, in order (the register and the facilitators' list).
    public func bookings(sessionID: Int64) throws -> [(booking: Booking, member: Member)] {
        try database.read { db in
            let list = try db.query(
                """
                SELECT * FROM cpd_bookings WHERE session_id = ? AND status IN ('booked', 'waiting')
                ORDER BY status, queued_at, id
                """, [sessionID], Booking.decode)
            var result: [(Booking, Member)] = []
            var position = 0
            for var booking in list {
                guard let member = try membership.member(id: booking.memberID, in: db) else { continue }
                if booking.status == .waiting {
                    position += 1
                    booking.position = position
                }
                result.append((booking, member))
            }
            return result
        }
    }

    /// Places taken for several sessions at once (a list page): one grouped query.
    public func placesTaken(sessionIDs: [Int64]) throws -> [Int64: (booked: Int, waiting: Int)] {
        guard !sessionIDs.isEmpty else { return [:] }
        let ids = "[" + sessionIDs.map(String.init).joined(separator: ",") + "]"
        let rows = try database.read { db in
            try db.query(
                """
                SELECT session_id, SUM(status = 'booked') AS booked, SUM(status = 'waiting') AS waiting
                FROM cpd_bookings WHERE session_id IN (SELECT value FROM json_each(?)) GROUP BY session_id
                """, [ids]
            ) { row in
                (
                    try row.value("session_id") as Int64, try row.value("booked") as Int,
                    try row.value("waiting") as Int
                )
            }
        }
        var taken: [Int64: (booked: Int, waiting: Int)] = [:]
        for id in sessionIDs { taken[id] = (0, 0) }
        for (id, booked, waiting) in rows { taken[id] = (booked, waiting) }
        return taken
    }

    public func placesTaken(sessionID: Int64) throws -> (booked: Int, waiting: Int) {
        try placesTaken(sessionIDs: [sessionID])[sessionID] ?? (0, 0)
    }

    /// A member's bookings that are not cancelled, soonest first, with their sessions.
    public func bookings(of memberID: Int64, limit: Int = 200) throws -> [(
        booking: Booking, session: CPDSession
    )] {
        try database.read { db in
            let list = try db.query(
                """
                SELECT b.* FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id
                WHERE b.member_id = ? AND b.status IN ('booked', 'waiting')
                ORDER BY s.starts_at DESC, s.id DESC LIMIT ?
                """, [memberID, limit], Booking.decode)
            var result: [(Booking, CPDSession)] = []
            for booking in list {
                guard let session = try session(id: booking.sessionID, in: db),
                    let full = try self.booking(sessionID: booking.sessionID, memberID: memberID, in: db)
                else { continue }
                result.append((full, session))
            }
            return result
        }
    }
}
