import Foundation
import Kernel
import Membership
import Storage
import PLNTestSupport
import Testing

@testable import CPD

@Suite("Leaders' reports and hot queries")
struct ReportTests {
    @Test("the report adds hours per school and area and counts places given and taken")
    func report() throws {
        let fixture = try CPDFixture(settings: ["membership": ["profile_questions": schoolQuestion]])
        let host = try fixture.member("Hana Host", school: "Hilltop")
        let guest = try fixture.member("Gus Guest", school: "Riverside")
        let colleague = try fixture.member("Cole Colleague", school: "Hilltop")
        let session = try fixture.offer(
            by: host, title: "Phonics", capacity: 5, duration: 90, areas: ["Phonics", "Early Years"])
        _ = try fixture.cpd.book(sessionID: session.id, memberID: guest.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: colleague.id)
        fixture.clock.set(session.endsAt)
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [guest.id, colleague.id], by: fixture.signedIn(host))
        _ = try fixture.cpd.addEntry(
            memberID: guest.id,
            RecordInput(
                title: "Reading", date: CPDService.isoDay(fixture.clock.now, zone: "Europe/London"),
                hours: "2",
                kind: "reading"))
        let report = try fixture.cpd.report(
            from: session.startsAt.addingTimeInterval(-30 * 86_400),
            to: fixture.clock.now.addingTimeInterval(86_400))
        let hilltop = try #require(report.schools.first { $0.school == "Hilltop" })
        let riverside = try #require(report.schools.first { $0.school == "Riverside" })
        #expect(hilltop.sessionsOffered == 1)
        #expect(hilltop.placesGiven == 1)  // the guest from Riverside; the colleague is home
        #expect(hilltop.placesTaken == 0)
        #expect(hilltop.minutes == 90)
        #expect(riverside.placesTaken == 1)
        #expect(riverside.minutes == 90 + 120)
        #expect(riverside.participants == 1)
        #expect(report.areas.map(\.area) == ["Early Years", "Phonics"])
        #expect(report.areas.first?.participants == 2)
        #expect(report.areas.first?.minutes == 180)
        let csv = CPDService.reportCSV(report)
        #expect(csv.contains("school,Riverside,1,2,3.5,0,0,1\r\n"))
        // A range that misses everything is empty.
        let empty = try fixture.cpd.report(
            from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 86_400))
        #expect(empty.schools.isEmpty && empty.areas.isEmpty)
    }

    @Test("hot queries use their indexes", .notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func queryPlans() throws {
        let fixture = try CPDFixture()
        let plans = try fixture.services.database.read { db -> [String] in
            let queries: [(String, [any DatabaseValueConvertible])] = [
                (
                    "SELECT * FROM cpd_bookings WHERE session_id = ? AND status = 'waiting' ORDER BY queued_at, id LIMIT 1",
                    [1]
                ),
                (
                    "SELECT * FROM cpd_records WHERE member_id = ? AND (activity_date < ? OR (activity_date = ? AND id < ?)) ORDER BY activity_date DESC, id DESC LIMIT 50",
                    [1, 0, 0, 0]
                ),
                ("SELECT member_id FROM cpd_expertise WHERE area = ?", ["Phonics"]),
                (
                    "SELECT id FROM cpd_sessions s WHERE s.starts_at >= ? ORDER BY s.starts_at, s.id LIMIT 20",
                    [0]
                ),
            ]
            return try queries.map { sql, arguments in
                try db.query("EXPLAIN QUERY PLAN " + sql, arguments) { try $0.value("detail") as String }
                    .joined(separator: " | ")
            }
        }
        for plan in plans {
            #expect(plan.contains("USING") && !plan.contains("SCAN cpd_"), "\(plan)")
        }
    }
}
