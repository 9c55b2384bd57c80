import Foundation
import Kernel
import Storage

/// CPD's parts of a member's digest: new sessions in their areas of expertise that they may
/// see, and (as a reminder, which alone sends no digest) the sessions they booked that start
/// in the coming week.
extension CPDService {
    func newSessionsDigest(memberID: Int64, since: Date, in db: Connection) throws -> DigestSection? {
        let ids = try db.query(
            """
            SELECT DISTINCT s.id, s.starts_at FROM cpd_sessions s
            JOIN cpd_session_areas a ON a.session_id = s.id
            JOIN cpd_expertise e ON e.area = a.area AND e.member_id = ?
            WHERE s.created_at > ? AND s.starts_at > ? AND s.status = 'scheduled' AND s.hidden = 0
                AND s.organiser_id <> ?
            ORDER BY s.starts_at, s.id LIMIT 50
            """, [memberID, since, now, memberID]
        ) { try $0.value(column: 0) as Int64 }
        let viewer = viewer(memberID: memberID)
        var items: [DigestItem] = []
        for id in ids where items.count < 10 {
            guard let session = try session(id: id, in: db), canSee(session, viewer: viewer) else { continue }
            items.append(DigestItem(text: line(session), link: session.path))
        }
        return items.isEmpty ? nil : DigestSection(title: "New CPD sessions in your areas", items: items)
    }

    func bookedSessionsDigest(memberID: Int64, in db: Connection) throws -> DigestSection? {
        let ids = try db.query(
            """
            SELECT s.id FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id
            WHERE b.member_id = ? AND b.status = 'booked' AND s.status = 'scheduled' AND s.hidden = 0
                AND s.starts_at > ? AND s.starts_at <= ?
            ORDER BY s.starts_at, s.id LIMIT 10
            """, [memberID, now, now.addingTimeInterval(7 * 86_400)]
        ) { try $0.value(column: 0) as Int64 }
        let items = try ids.compactMap { id in
            try session(id: id, in: db).map { DigestItem(text: line($0), link: $0.path) }
        }
        return items.isEmpty
            ? nil : DigestSection(title: "CPD sessions you booked this week", items: items, isReminder: true)
    }

    private func line(_ session: CPDSession) -> String {
        "“\(session.title)”, \(Self.format(session.startsAt, zone: session.zone, style: .long))"
    }
}
