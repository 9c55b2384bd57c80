import Foundation
import Kernel
import Membership
import Storage

/// Reports for leaders: hours and participation per school and area.
extension CPDService {
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
}
