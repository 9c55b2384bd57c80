import Foundation
import Kernel
import Membership
import Storage

/// Sessions: reading them (with visibility), offering, changing and cancelling them.
extension CPDService {
    // MARK: Reading sessions

    public func session(id: Int64) throws -> CPDSession? {
        try database.read { try session(id: id, in: $0) }
    }

    public func session(id: Int64, in db: Connection) throws -> CPDSession? {
        guard
            let session = try db.queryOne(
                "SELECT \(CPDSession.columns) FROM cpd_sessions s WHERE s.id = ?", [id], CPDSession.decode)
        else { return nil }
        var one = [session]
        try fillDetails(&one, in: db)
        return one[0]
    }

    /// The session if `viewer` may see it; 404 otherwise (never telling a private one exists).
    public func visibleSession(id: Int64, viewer: Viewer) throws -> CPDSession {
        guard let session = try session(id: id), canSee(session, viewer: viewer) else {
            throw DomainError.notFound
        }
        return session
    }

    /// Sessions `viewer` may see, soonest first, starting after the cursor (keyset on start, id).
    public func sessions(
        viewer: Viewer, from start: Date? = nil, area: String? = nil, includeCancelled: Bool = true,
        limit: Int = 20,
        after cursor: (Date, Int64)? = nil
    ) throws -> [CPDSession] {
        let (visible, visibleArguments) = visibleCondition(viewer)
        var sql = "SELECT \(CPDSession.columns) FROM cpd_sessions s WHERE \(visible)"
        var arguments: [any DatabaseValueConvertible] = visibleArguments
        if let (date, id) = cursor {
            sql += " AND (s.starts_at > ? OR (s.starts_at = ? AND s.id > ?))"
            arguments += [date, date, id]
        } else if let start {
            sql += " AND s.starts_at >= ?"
            arguments.append(start)
        }
        if !includeCancelled { sql += " AND s.status = 'scheduled'" }
        if let area {
            sql += " AND EXISTS (SELECT 1 FROM cpd_session_areas a WHERE a.session_id = s.id AND a.area = ?)"
            arguments.append(area)
        }
        sql += " ORDER BY s.starts_at, s.id LIMIT ?"
        arguments.append(PageSize.clamp(limit, to: 200))
        return try database.read { db in
            var list = try db.query(sql, arguments, CPDSession.decode)
            try fillDetails(&list, in: db)
            return list
        }
    }

    /// Areas and facilitators for a whole list: two queries, not two per session.
    func fillDetails(_ list: inout [CPDSession], in db: Connection) throws {
        guard !list.isEmpty else { return }
        let ids = "[" + list.map { String($0.id) }.joined(separator: ",") + "]"
        let position = Dictionary(
            list.indices.map { (list[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in list.indices {
            list[index].areas = []
            list[index].facilitatorIDs = []
        }
        let areas = try db.query(
            "SELECT session_id, area FROM cpd_session_areas WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY session_id, area",
            [ids]
        ) { (try $0.value("session_id") as Int64, try $0.value("area") as String) }
        for (id, area) in areas { if let index = position[id] { list[index].areas.append(area) } }
        let facilitators = try db.query(
            """
            SELECT session_id, member_id FROM cpd_facilitators WHERE session_id IN (SELECT value FROM json_each(?))
            ORDER BY session_id, member_id
            """, [ids]
        ) { (try $0.value("session_id") as Int64, try $0.value("member_id") as Int64) }
        for (id, member) in facilitators {
            if let index = position[id] { list[index].facilitatorIDs.append(member) }
        }
    }

    /// Sessions a member runs, newest start first (for their own pages and data export).
    public func sessionsRun(by memberID: Int64, limit: Int = 100) throws -> [CPDSession] {
        try database.read { db in
            var list = try db.query(
                """
                SELECT \(CPDSession.columns) FROM cpd_sessions s
                WHERE s.organiser_id = ? OR s.id IN (SELECT session_id FROM cpd_facilitators WHERE member_id = ?)
                ORDER BY s.starts_at DESC, s.id DESC LIMIT ?
                """, [memberID, memberID, limit], CPDSession.decode)
            try fillDetails(&list, in: db)
            return list
        }
    }

    // MARK: Offering

    /// Parses a wall-clock "yyyy-MM-ddTHH:mm" in `zone`; nil when malformed or in a DST gap.
    public static func parseLocal(_ text: String, zone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.isLenient = false
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) {
                // Round-trip so "02:30" on the spring-forward night is refused, not silently moved.
                if formatter.string(from: date) == text.trimmingCharacters(in: .whitespaces) { return date }
            }
        }
        return nil
    }

    /// Checks an offer and returns the parsed values; throws `DomainError.invalid`.
    func validate(_ input: SessionInput, organiserID: Int64) throws -> ValidSession {
        var check = Validation()
        let title = check.requiredSingleLine(input.title, field: "title", label: "Title", maxLength: 200)
        let description = check.optional(
            input.description, field: "description", label: "Description", maxLength: 20_000)
        let chosenAreas = Array(
            Set(input.areas.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        ).sorted()
        for area in chosenAreas where !areas.contains(area) {
            check.add("areas", "\"\(area)\" is not one of this network's areas.")
        }
        let hostSchool = check.optionalSingleLine(
            input.hostSchool, field: "host_school", label: "Host school", maxLength: 200)
        let zoneName =
            input.timeZone.trimmingCharacters(in: .whitespaces).isEmpty
            ? defaultTimeZone : input.timeZone.trimmingCharacters(in: .whitespaces)
        var startsAt: Date?
        // Only tz database names: "BST" would be Bangladesh, "GMT+1" has no summer time.
        if TimeZoneNames.isValid(zoneName), let zone = TimeZone(identifier: zoneName) {
            if input.starts.trimmingCharacters(in: .whitespaces).isEmpty {
                check.add("starts", "Enter when the session starts.")
            } else if let date = Self.parseLocal(input.starts, zone: zone) {
                if date <= now { check.add("starts", "The start must be in the future.") }
                startsAt = date
            } else {
                check.add(
                    "starts",
                    "Enter the start as a date and time, e.g. 2026-12-03T16:00 (that time must exist in \(zoneName))."
                )
            }
        } else {
            check.add("time_zone", "\"\(zoneName)\" is not a time zone; use a name like Europe/London.")
        }
        let duration = Int(input.durationMinutes.trimmingCharacters(in: .whitespaces)) ?? -1
        if duration < 5 || duration > 24 * 60 {
            check.add("duration_minutes", "Enter a duration between 5 and 1440 minutes.")
        }
        let capacity = Int(input.capacity.trimmingCharacters(in: .whitespaces)) ?? -1
        if capacity < 1 || capacity > Self.maximumCapacity {
            check.add("capacity", "Enter how many places there are (1 to \(Self.maximumCapacity)).")
        }
        let venue = check.optionalSingleLine(input.venue, field: "venue", label: "Venue", maxLength: 500)
        let online = check.optional(
            input.onlineURL, field: "online_url", label: "Online link", maxLength: 2000)
        if !online.isEmpty && !Self.isWebURL(online) {
            check.add("online_url", "The online link must start with https:// or http://.")
        }
        if venue.isEmpty && online.isEmpty { check.add("venue", "Give a venue or an online link.") }
        let groups = services.service(GroupScopesBox.self)
        func group(_ text: String, field: String) -> Int64? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            guard let id = Int64(trimmed), id > 0 else {
                check.add(field, "Choose a group.")
                return nil
            }
            guard let groups else {
                check.add(field, "Groups are not enabled on this network.")
                return nil
            }
            if !groups.scopes.groupIDs(of: organiserID).contains(id) {
                check.add(field, "You can only choose a group you belong to.")
                return nil
            }
            return id
        }
        let audience = group(input.audienceGroup, field: "audience_group")
        let onBehalf = group(input.onBehalfOfGroup, field: "group")
        var facilitatorIDs: [Int64] = [organiserID]
        for handle in input.facilitators.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) {
            let name = handle.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "@"))
            if name.isEmpty { continue }
            if let member = try membership.member(handle: name), member.status == .active {
                if !facilitatorIDs.contains(member.id) { facilitatorIDs.append(member.id) }
            } else {
                check.add("facilitators", "No member has the handle @\(name).")
            }
        }
        try check.finish()
        guard let startsAt else {
            throw DomainError.invalid([
                FieldError(field: "starts", message: "Enter when the session starts.")
            ])
        }
        return ValidSession(
            title: title, description: description, areas: chosenAreas, hostSchool: hostSchool,
            startsAt: startsAt,
            timeZone: zoneName, durationMinutes: duration, venue: venue, onlineURL: online,
            capacity: capacity,
            audienceGroupID: audience, groupID: onBehalf, facilitatorIDs: facilitatorIDs)
    }

    struct ValidSession {
        var title, description: String
        var areas: [String]
        var hostSchool: String
        var startsAt: Date
        var timeZone: String
        var durationMinutes: Int
        var venue, onlineURL: String
        var capacity: Int
        var audienceGroupID, groupID: Int64?
        var facilitatorIDs: [Int64]
    }

    public static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else { return false }
        return !text.contains(where: { $0.isWhitespace })
    }

    /// The member's school from their profile (question id "school"), when the network asks it.
    public func school(of memberID: Int64, in db: Connection) throws -> String? {
        guard let question = schoolQuestionID else { return nil }
        let answer = try membership.answers(of: memberID, in: db)[question]?.trimmingCharacters(
            in: .whitespaces)
        return answer?.isEmpty == false ? answer : nil
    }

    /// Offers a session; the organiser is its first facilitator.
    public func offer(_ input: SessionInput, by organiser: SignedInMember) throws -> CPDSession {
        try organiser.requireMayWrite()
        let valid = try validate(input, organiserID: organiser.id)
        return try database.write { db in
            var hostSchool = valid.hostSchool
            if hostSchool.isEmpty { hostSchool = try school(of: organiser.id, in: db) ?? "" }
            try db.execute(
                """
                INSERT INTO cpd_sessions (title, description, organiser_id, group_id, audience_group_id, host_school,
                    starts_at, time_zone, duration_minutes, venue, online_url, capacity, badge_token, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    valid.title, valid.description, organiser.id, valid.groupID, valid.audienceGroupID,
                    hostSchool,
                    valid.startsAt, valid.timeZone, valid.durationMinutes, valid.venue, valid.onlineURL,
                    valid.capacity,
                    RandomToken.hex(byteCount: 16), now, now,
                ])
            let id = db.lastInsertedRowID
            for area in valid.areas {
                try db.execute("INSERT INTO cpd_session_areas (session_id, area) VALUES (?, ?)", [id, area])
            }
            for member in valid.facilitatorIDs {
                try db.execute(
                    "INSERT INTO cpd_facilitators (session_id, member_id) VALUES (?, ?)", [id, member])
            }
            guard let session = try session(id: id, in: db) else { throw DomainError.notFound }
            try services.activity.record(
                NewActivity(
                    module: "cpd", actorID: organiser.id, actorName: organiser.name,
                    actorHandle: organiser.handle,
                    verb: "offered", objectKind: "cpd_session", objectID: id, objectTitle: session.title,
                    objectURL: session.path, scope: scope(of: session, public: true)),
                at: now, in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "cpd", kind: "cpd_session", id: id, authorID: organiser.id), in: db)
            return decision.isPublished ? session : try self.session(id: id, in: db) ?? session
        }
    }

    /// Cancels a session: everyone booked or waiting is told by mail, calendars see
    /// STATUS:CANCELLED with a raised SEQUENCE.
    @discardableResult
    public func cancelSession(id: Int64, by actor: SignedInMember?, reason: String) throws -> CPDSession {
        let reasonText = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reasonText.count > 1000 {
            throw DomainError.invalid([
                FieldError(field: "reason", message: "Keep the reason under 1000 characters.")
            ])
        }
        return try database.write { db in
            guard let session = try session(id: id, in: db) else { throw DomainError.notFound }
            if let actor {
                let viewer = viewer(memberID: actor.id, isModerator: actor.isModerator)
                guard canSee(session, viewer: viewer) else { throw DomainError.notFound }
                guard session.isRunBy(actor.id) || actor.isAdmin else {
                    throw DomainError.forbidden(
                        "Only the session's facilitators or an administrator can cancel it.")
                }
            }
            if session.isCancelled { throw DomainError.conflict("This session is already cancelled.") }
            try db.execute(
                "UPDATE cpd_sessions SET status = 'cancelled', sequence = sequence + 1, cancel_reason = ?, updated_at = ? WHERE id = ?",
                [reasonText, now, id])
            let people = try db.query(
                "SELECT member_id FROM cpd_bookings WHERE session_id = ? AND status IN ('booked', 'waiting') ORDER BY id",
                [id]
            ) { try $0.value("member_id") as Int64 }
            let when = Self.format(session.startsAt, zone: session.zone, style: .long)
            try notify(
                people, about: session, kind: CPDNotifications.sessionCancelled,
                text: "cancelled “\(session.title)” on \(when)",
                excerpt: reasonText.isEmpty ? "" : "Reason: \(reasonText)", actor: actor, in: db)
            try services.events.publish(
                ContentEvent(
                    module: "cpd", kind: "cpd_session", id: id, authorID: session.organiserID,
                    action: .updated), in: db)
            guard let updated = try self.session(id: id, in: db) else { throw DomainError.notFound }
            return updated
        }
    }

    /// Changes a session's details (not its audience: people already booked were chosen by
    /// it). SEQUENCE is raised so calendars update; a new time is mailed to everyone booked or
    /// waiting; more places go to the waiting list at once. Fewer places than are taken is refused.
    @discardableResult
    public func updateSession(id: Int64, _ input: SessionInput, by actor: SignedInMember) throws -> CPDSession
    {
        guard let current = try session(id: id),
            canSee(current, viewer: viewer(memberID: actor.id, isModerator: actor.isModerator))
        else { throw DomainError.notFound }
        guard current.isRunBy(actor.id) || actor.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators or an administrator can change it.")
        }
        if current.isCancelled { throw DomainError.conflict("This session was cancelled.") }
        if now >= current.startsAt { throw DomainError.conflict("This session has already started.") }
        var unchangedAudience = input
        unchangedAudience.audienceGroup = ""
        unchangedAudience.onBehalfOfGroup = ""
        let valid = try validate(unchangedAudience, organiserID: current.organiserID)
        return try database.write { db in
            let taken =
                try db.scalar(
                    "SELECT COUNT(*) FROM cpd_bookings WHERE session_id = ? AND status = 'booked'", [id],
                    as: Int.self) ?? 0
            if valid.capacity < taken {
                throw DomainError.invalid([
                    FieldError(
                        field: "capacity",
                        message: "\(taken) people already have places; offer at least \(taken).")
                ])
            }
            try db.execute(
                """
                UPDATE cpd_sessions SET title = ?, description = ?, host_school = ?, starts_at = ?, time_zone = ?,
                    duration_minutes = ?, venue = ?, online_url = ?, capacity = ?, sequence = sequence + 1, updated_at = ?
                WHERE id = ?
                """,
                [
                    valid.title, valid.description,
                    valid.hostSchool.isEmpty ? current.hostSchool : valid.hostSchool,
                    valid.startsAt, valid.timeZone, valid.durationMinutes, valid.venue, valid.onlineURL,
                    valid.capacity, now,
                    id,
                ])
            try db.execute("DELETE FROM cpd_session_areas WHERE session_id = ?", [id])
            for area in valid.areas {
                try db.execute("INSERT INTO cpd_session_areas (session_id, area) VALUES (?, ?)", [id, area])
            }
            try db.execute("DELETE FROM cpd_facilitators WHERE session_id = ?", [id])
            var facilitators = valid.facilitatorIDs
            if !facilitators.contains(current.organiserID) { facilitators.insert(current.organiserID, at: 0) }
            for member in facilitators {
                try db.execute(
                    "INSERT INTO cpd_facilitators (session_id, member_id) VALUES (?, ?)", [id, member])
            }
            guard let updated = try session(id: id, in: db) else { throw DomainError.notFound }
            if updated.startsAt != current.startsAt || updated.durationMinutes != current.durationMinutes
                || updated.timeZone != current.timeZone
            {
                let when = Self.format(updated.startsAt, zone: updated.zone, style: .long)
                let people = try db.query(
                    "SELECT member_id FROM cpd_bookings WHERE session_id = ? AND status IN ('booked', 'waiting')",
                    [id]
                ) { try $0.value("member_id") as Int64 }
                try notify(
                    people, about: updated, kind: CPDNotifications.sessionMoved,
                    text:
                        "moved “\(updated.title)”: it now starts \(when) and lasts \(Hours.phrase(minutes: updated.durationMinutes))",
                    excerpt:
                        "If you can no longer come, please cancel so someone waiting can have your place.",
                    actor: actor, in: db)
            }
            while try promoteWaiting(updated, in: db) != nil {}
            try services.events.publish(
                ContentEvent(
                    module: "cpd", kind: "cpd_session", id: id, authorID: current.organiserID,
                    action: .updated),
                in: db)
            return updated
        }
    }
}
