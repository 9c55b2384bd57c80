import Foundation
import Kernel
import Membership
import Storage

/// The expertise directory: members' areas of expertise and "find an expert".
extension CPDService {
    // MARK: Expertise

    /// Replaces the member's expertise: area → short statement. Areas must be in the taxonomy.
    public func setExpertise(memberID: Int64, _ entries: [String: String]) throws {
        var check = Validation()
        for (area, statement) in entries {
            if !areas.contains(area) { check.add("areas", "\"\(area)\" is not one of this network's areas.") }
            if statement.count > 280 {
                check.add("statement-\(area)", "Keep the statement for \(area) under 280 characters.")
            }
        }
        try check.finish()
        try database.write { db in
            try db.execute("DELETE FROM cpd_expertise WHERE member_id = ?", [memberID])
            for (area, statement) in entries.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    "INSERT INTO cpd_expertise (member_id, area, statement, updated_at) VALUES (?, ?, ?, ?)",
                    [memberID, area, statement.trimmingCharacters(in: .whitespacesAndNewlines), now])
            }
            try services.search.reindex(SearchItem(kind: "member", id: memberID), in: db)
        }
    }

    public func expertise(of memberID: Int64) throws -> [Expertise] {
        try database.read { db in
            try db.query("SELECT * FROM cpd_expertise WHERE member_id = ? ORDER BY area", [memberID]) { row in
                Expertise(
                    memberID: try row.value("member_id"), area: try row.value("area"),
                    statement: try row.value("statement"))
            }
        }
    }

    /// "Find an expert in X": active members tagged with the area, by name, with their school.
    public func experts(in area: String, limit: Int = 50, afterName: String? = nil, afterID: Int64? = nil)
        throws -> [Expert]
    {
        try database.read { db in
            let rows = try db.query(
                """
                SELECT e.member_id, e.statement, m.handle, m.name FROM cpd_expertise e JOIN membership_people m ON m.id = e.member_id
                WHERE e.area = ? AND m.status = 'active'
                AND (m.name > ? OR (m.name = ? AND m.id > ?))
                ORDER BY m.name, m.id LIMIT ?
                """, [area, afterName ?? "", afterName ?? "", afterID ?? 0, PageSize.clamp(limit, to: 200)]
            ) { row in
                Expert(
                    memberID: try row.value("member_id"), handle: try row.value("handle"),
                    name: try row.value("name"),
                    statement: try row.value("statement"), school: nil)
            }
            return try rows.map { expert in
                var expert = expert
                expert.school = try school(of: expert.memberID, in: db)
                return expert
            }
        }
    }

    /// How many experts each area has, for the directory's index.
    public func expertCounts() throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            try db.forEach(
                """
                SELECT e.area, COUNT(*) AS n FROM cpd_expertise e JOIN membership_people m ON m.id = e.member_id
                WHERE m.status = 'active' GROUP BY e.area
                """
            ) { row in counts[try row.value("area")] = try row.value("n") }
            return counts
        }
    }
}
