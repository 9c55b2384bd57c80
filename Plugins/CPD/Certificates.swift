import Foundation
import Kernel
import Membership
import Storage

extension CPDService {
    // MARK: Open Badges 2.0

    public func assertion(uid: String) throws -> BadgeAssertion? {
        try database.read { db in
            try db.queryOne("SELECT * FROM cpd_assertions WHERE uid = ?", [uid], BadgeAssertion.decode)
        }
    }

    public func assertion(sessionID: Int64, memberID: Int64) throws -> BadgeAssertion? {
        try database.read { db in
            try db.queryOne(
                "SELECT * FROM cpd_assertions WHERE session_id = ? AND member_id = ?", [sessionID, memberID],
                BadgeAssertion.decode)
        }
    }

    /// Revokes a badge (its URL then answers 410 Gone).
    public func revokeAssertion(uid: String, reason: String) throws {
        try database.write { db in
            try db.execute(
                "UPDATE cpd_assertions SET revoked_at = ?, revocation_reason = ? WHERE uid = ? AND revoked_at IS NULL",
                [now, reason, uid])
            if db.changes == 0 { throw DomainError.notFound }
        }
    }

    var issuerURL: String { services.link("/cpd/badges/issuer") }
    var badgeImageURL: String { services.link("/cpd/badges/image.svg") }

    /// The network as an Open Badges Issuer Profile.
    public func issuerJSON(context: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if context { fields.append(("@context", "https://w3id.org/openbadges/v2")) }
        fields += [
            ("type", "Issuer"), ("id", .string(issuerURL)), ("name", .string(services.config.networkName)),
            ("url", .string(services.baseURL)), ("email", .string(services.config.string("mail", "from"))),
        ]
        return .object(fields)
    }

    /// The BadgeClass of one session: "attended <title>".
    public func badgeClassJSON(_ session: CPDSession, context: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if context { fields.append(("@context", "https://w3id.org/openbadges/v2")) }
        let when = Self.format(session.startsAt, zone: session.zone, style: .day)
        fields += [
            ("type", "BadgeClass"),
            ("id", .string(services.link("/cpd/badges/classes/\(session.badgeToken)"))),
            ("name", .string("Attended: \(session.title)")),
            (
                "description",
                .string(
                    "Attendance at the CPD session \"\(session.title)\" (\(Hours.text(minutes: session.durationMinutes)) hours) on \(when), offered through \(services.config.networkName)."
                )
            ),
            ("image", .string(badgeImageURL)),
            (
                "criteria",
                .object([
                    (
                        "narrative",
                        .string(
                            "Attended the whole session, as recorded on the facilitator's attendance register."
                        )
                    )
                ])
            ),
            ("issuer", issuerJSON(context: false)),
        ]
        if !session.areas.isEmpty { fields.append(("tags", .array(session.areas.map { .string($0) }))) }
        return .object(fields)
    }

    /// The hosted Assertion: JSON-LD with a hashed, salted email recipient.
    public func assertionJSON(_ assertion: BadgeAssertion, session: CPDSession) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = session.zone
        var issued = formatter.string(from: assertion.issuedAt)
        // ISO 8601 allows "Z"; spelling the offset keeps the zone explicit for every reader.
        if issued.hasSuffix("Z") { issued = String(issued.dropLast()) + "+00:00" }
        return .object([
            ("@context", "https://w3id.org/openbadges/v2"),
            ("type", "Assertion"),
            ("id", .string(services.link(assertion.path))),
            (
                "recipient",
                .object([
                    ("type", "email"), ("hashed", true), ("salt", .string(assertion.salt)),
                    ("identity", .string(assertion.identity)),
                ])
            ),
            ("badge", badgeClassJSON(session, context: false)),
            ("verification", .object([("type", "hosted")])),
            ("issuedOn", .string(issued)),
        ])
    }

    /// A simple, self-contained badge image (no external fonts or scripts).
    public static let badgeImageSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" aria-label="CPD attendance">
        <circle cx="128" cy="128" r="120" fill="#1f5f8b"/><circle cx="128" cy="128" r="100" fill="#fff"/>
        <text x="128" y="120" font-family="sans-serif" font-size="44" font-weight="700" text-anchor="middle" fill="#1f5f8b">CPD</text>
        <text x="128" y="160" font-family="sans-serif" font-size="22" text-anchor="middle" fill="#1d2733">attended</text>
        </svg>
        """

    /// Whether `actor` may see the certificate of `memberID` for a session: the attendee, or an admin.
    public func certificate(sessionID: Int64, memberID: Int64, actor: SignedInMember) throws -> (
        session: CPDSession, member: Member, assertion: BadgeAssertion, facilitators: [Member]
    ) {
        guard actor.id == memberID || actor.isAdmin else { throw DomainError.notFound }
        return try database.read { db in
            guard let session = try session(id: sessionID, in: db),
                let booking = try booking(sessionID: sessionID, memberID: memberID, in: db),
                booking.attended == true,
                booking.status == .booked,
                let member = try membership.member(id: memberID, in: db),
                let assertion = try db.queryOne(
                    "SELECT * FROM cpd_assertions WHERE session_id = ? AND member_id = ? AND revoked_at IS NULL",
                    [sessionID, memberID], BadgeAssertion.decode)
            else { throw DomainError.notFound }
            let facilitators = try session.facilitatorIDs.compactMap { try membership.member(id: $0, in: db) }
            return (session, member, assertion, facilitators)
        }
    }

    // MARK: Reports for leaders

    /// Hours and participation per school and per area over [from, to), and the give-and-take:
    /// sessions offered and places given and taken per school.
    /// `members` narrows the report to some members (a group chair's groups); nil is everyone.
    public func report(from: Date, to: Date, members: Set<Int64>? = nil) throws -> CPDReport {
        func counts(_ id: Int64) -> Bool { members?.contains(id) ?? true }
        return try database.read { db in
            var schoolCache: [Int64: String] = [:]
            func schoolName(_ memberID: Int64) throws -> String {
                if let known = schoolCache[memberID] { return known }
                let name = try school(of: memberID, in: db) ?? "(no school given)"
                schoolCache[memberID] = name
                return name
            }
            var schools: [String: CPDReport.SchoolRow] = [:]
            func row(_ school: String) -> CPDReport.SchoolRow {
                schools[school]
                    ?? CPDReport.SchoolRow(
                        school: school, participants: 0, entries: 0, minutes: 0, sessionsOffered: 0,
                        placesGiven: 0,
                        placesTaken: 0)
            }
            var participants: [String: Set<Int64>] = [:]
            try db.forEach(
                """
                SELECT member_id, minutes FROM cpd_records WHERE activity_date >= ? AND activity_date < ?
                ORDER BY member_id
                """, [from, to]
            ) { record in
                let memberID: Int64 = try record.value("member_id")
                guard counts(memberID) else { return }
                let name = try schoolName(memberID)
                var entry = row(name)
                entry.entries += 1
                entry.minutes += try record.value("minutes") as Int
                schools[name] = entry
                participants[name, default: []].insert(memberID)
            }
            for (name, members) in participants { schools[name]?.participants = members.count }
            try db.forEach(
                """
                SELECT host_school, organiser_id FROM cpd_sessions
                WHERE starts_at >= ? AND starts_at < ? AND status = 'scheduled'
                """, [from, to]
            ) { session in
                guard counts(try session.value("organiser_id")) else { return }
                var name: String = try session.value("host_school")
                if name.isEmpty { name = try schoolName(try session.value("organiser_id")) }
                var entry = row(name)
                entry.sessionsOffered += 1
                schools[name] = entry
            }
            try db.forEach(
                """
                SELECT s.host_school, s.organiser_id, b.member_id FROM cpd_bookings b JOIN cpd_sessions s ON s.id = b.session_id
                WHERE s.starts_at >= ? AND s.starts_at < ? AND s.status = 'scheduled' AND b.status = 'booked'
                AND (b.attended IS NULL OR b.attended = 1)
                """, [from, to]
            ) { place in
                let organiser: Int64 = try place.value("organiser_id")
                let guestID: Int64 = try place.value("member_id")
                guard counts(organiser) || counts(guestID) else { return }
                var host: String = try place.value("host_school")
                if host.isEmpty { host = try schoolName(try place.value("organiser_id")) }
                let guest = try schoolName(try place.value("member_id"))
                guard host != guest else { return }
                var given = row(host)
                given.placesGiven += 1
                schools[host] = given
                var taken = row(guest)
                taken.placesTaken += 1
                schools[guest] = taken
            }
            var areaRows: [String: (sessions: Set<Int64>, members: Set<Int64>, minutes: Int)] = [:]
            try db.forEach(
                """
                SELECT a.area, s.id, s.duration_minutes, b.member_id
                FROM cpd_session_areas a JOIN cpd_sessions s ON s.id = a.session_id
                JOIN cpd_bookings b ON b.session_id = s.id AND b.attended = 1
                WHERE s.starts_at >= ? AND s.starts_at < ?
                """, [from, to]
            ) { item in
                guard counts(try item.value("member_id")) else { return }
                let area: String = try item.value("area")
                var entry = areaRows[area] ?? ([], [], 0)
                entry.sessions.insert(try item.value("id"))
                entry.members.insert(try item.value("member_id"))
                entry.minutes += try item.value("duration_minutes") as Int
                areaRows[area] = entry
            }
            return CPDReport(
                from: from, to: to, schools: schools.values.sorted { $0.school < $1.school },
                areas: areaRows.map {
                    CPDReport.AreaRow(
                        area: $0.key, sessions: $0.value.sessions.count, participants: $0.value.members.count,
                        minutes: $0.value.minutes)
                }.sorted { $0.area < $1.area })
        }
    }

    public static func reportCSV(_ report: CPDReport) -> String {
        var rows: [[String]] = [
            [
                "Section", "Name", "Participants", "Entries or sessions", "Hours", "Sessions offered",
                "Places given",
                "Places taken",
            ]
        ]
        for school in report.schools {
            rows.append([
                "school", school.school, String(school.participants), String(school.entries),
                Hours.text(minutes: school.minutes), String(school.sessionsOffered),
                String(school.placesGiven),
                String(school.placesTaken),
            ])
        }
        for area in report.areas {
            rows.append([
                "area", area.area, String(area.participants), String(area.sessions),
                Hours.text(minutes: area.minutes), "",
                "", "",
            ])
        }
        return CSV.document(rows)
    }

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
