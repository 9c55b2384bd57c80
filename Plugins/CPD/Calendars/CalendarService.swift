import Foundation
import Kernel
import Membership
import Storage

/// Calendar feeds (iCalendar): the network's, a group's and a member's own with its token.
extension CPDService {
    // MARK: Calendar feeds

    /// Creates (or replaces) the member's secret feed token; only its hash is stored.
    public func newFeedToken(memberID: Int64) throws -> String {
        let token = RandomToken.hex()
        try database.write { db in
            try db.execute(
                """
                INSERT INTO cpd_feed_tokens (member_id, token_hash, created_at) VALUES (?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
                """, [memberID, SHA256.hex(token), now])
        }
        return token
    }

    public func revokeFeedToken(memberID: Int64) throws {
        try database.write { db in
            try db.execute("DELETE FROM cpd_feed_tokens WHERE member_id = ?", [memberID])
        }
    }

    public func hasFeedToken(memberID: Int64) throws -> Bool {
        try database.read { db in
            try db.scalar("SELECT 1 FROM cpd_feed_tokens WHERE member_id = ?", [memberID], as: Int.self)
                != nil
        }
    }

    /// The member behind a feed token, if it is current and the member active.
    public func member(forFeedToken token: String) throws -> Member? {
        let cleaned = token.hasSuffix(".ics") ? String(token.dropLast(4)) : token
        guard cleaned.count == 64, cleaned.allSatisfy(\.isHexDigit) else { return nil }
        let memberID = try database.read { db in
            try db.scalar(
                "SELECT member_id FROM cpd_feed_tokens WHERE token_hash = ?", [SHA256.hex(cleaned)],
                as: Int64.self)
        }
        guard let memberID, let member = try membership.member(id: memberID), member.status == .active else {
            return nil
        }
        return member
    }

    /// `forMember`: whether the reader is a signed-in member; visitors never get online links.
    func event(for session: CPDSession, forMember: Bool = true) -> ICalendar.Event {
        var host = URL(string: services.baseURL)?.host ?? "pln"
        if host.isEmpty { host = "pln" }
        var description = session.description
        let online = forMember ? session.onlineURL : ""
        if !online.isEmpty {
            description += (description.isEmpty ? "" : "\n\n") + "Online: \(session.onlineURL)"
        }
        if session.isCancelled && !session.cancelReason.isEmpty {
            description = "Cancelled: \(session.cancelReason)\n\n" + description
        }
        return ICalendar.Event(
            uid: "cpd-session-\(session.id)@\(host)", stamp: session.updatedAt, start: session.startsAt,
            end: session.endsAt,
            timeZone: session.timeZone, summary: session.title, description: description,
            location: session.venue.isEmpty ? online : session.venue, url: services.link(session.path),
            sequence: session.sequence, cancelled: session.isCancelled, lastModified: session.updatedAt)
    }

    /// Upcoming sessions `viewer` may see (network-wide, or one group's), as iCalendar.
    public func feed(viewer: Viewer, groupID: Int64? = nil, limit: Int = 500) throws -> String {
        let since = now.addingTimeInterval(-30 * 86_400)
        var calendar = ICalendar(name: "\(services.config.networkName) CPD")
        var cursor: (Date, Int64)?
        var count = 0
        while count < limit {
            let page = try sessions(viewer: viewer, from: since, limit: 200, after: cursor)
            for session in page
            where groupID == nil || session.audienceGroupID == groupID || session.groupID == groupID {
                // A group feed never shows a session its reader may not see (sessions() filtered already).
                calendar.add(event(for: session, forMember: viewer.memberID != nil))
                count += 1
            }
            guard page.count == 200, let last = page.last else { break }
            cursor = (last.startsAt, last.id)
        }
        return calendar.render()
    }

    /// The member's own calendar: sessions they booked (or wait for) and sessions they run.
    public func personalFeed(member: Member) throws -> String {
        let viewer = viewer(memberID: member.id, isModerator: member.role >= .moderator)
        var calendar = ICalendar(name: "My CPD — \(services.config.networkName)")
        var seen: Set<Int64> = []
        for (booking, session) in try bookings(of: member.id) where canSee(session, viewer: viewer) {
            var item = event(for: session)
            if booking.status == .waiting { item.summary = "(Waiting list) " + item.summary }
            calendar.add(item)
            seen.insert(session.id)
        }
        for session in try sessionsRun(by: member.id) where !seen.contains(session.id) {
            var item = event(for: session)
            item.summary = "(Facilitating) " + item.summary
            calendar.add(item)
        }
        return calendar.render()
    }
}
