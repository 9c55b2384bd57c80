import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import CPD

@Suite("Expertise directory, reports and personal data")
struct DirectoryAndReportTests {
    @Test("find an expert lists tagged members by name with their school")
    func expertsWithSchool() throws {
        let fixture = try CPDFixture(settings: ["membership": ["profile_questions": schoolQuestion]])
        let bea = try fixture.member("Bea Phonics", school: "Hilltop Primary")
        let al = try fixture.member("Al Phonics", school: "Riverside Infants")
        let noSchool = try fixture.member("Cy Phonics")
        let maths = try fixture.member("Dee Maths", school: "Hilltop Primary")
        try fixture.cpd.setExpertise(memberID: bea.id, ["Phonics": "RWI trainer", "SEND": ""])
        try fixture.cpd.setExpertise(memberID: al.id, ["Phonics": "Letters and Sounds lead"])
        try fixture.cpd.setExpertise(memberID: noSchool.id, ["Phonics": ""])
        try fixture.cpd.setExpertise(memberID: maths.id, ["Maths mastery": "NCETM specialist"])
        let experts = try fixture.cpd.experts(in: "Phonics")
        #expect(experts.map(\.name) == ["Al Phonics", "Bea Phonics", "Cy Phonics"])
        #expect(experts.map(\.school) == ["Riverside Infants", "Hilltop Primary", nil])
        #expect(experts.first?.statement == "Letters and Sounds lead")
        #expect(try fixture.cpd.expertCounts()["Phonics"] == 3)
        #expect(throws: DomainError.self) { try fixture.cpd.setExpertise(memberID: bea.id, ["Astrology": ""]) }
        // Replacing drops what is no longer ticked.
        try fixture.cpd.setExpertise(memberID: bea.id, ["SEND": "ELSA"])
        #expect(try fixture.cpd.experts(in: "Phonics").map(\.name) == ["Al Phonics", "Cy Phonics"])
    }

    @Test("the expert list pages by name without skipping or repeating anyone")
    func expertPaging() throws {
        let fixture = try CPDFixture()
        var ids: [Int64] = []
        for name in ["Cara", "Abe", "Bo", "Abe", "Dot"] {
            let member = try fixture.member(name)
            try fixture.cpd.setExpertise(memberID: member.id, ["SEND": ""])
            ids.append(member.id)
        }
        var seen: [String] = []
        var cursor: (String, Int64)?
        while true {
            let page = try fixture.cpd.experts(in: "SEND", limit: 2, afterName: cursor?.0, afterID: cursor?.1)
            seen += page.map(\.name)
            guard page.count == 2, let last = page.last else { break }
            cursor = (last.name, last.memberID)
        }
        #expect(seen == ["Abe", "Abe", "Bo", "Cara", "Dot"])
    }

    @Test("without a school question nobody has a school shown")
    func noSchoolQuestion() throws {
        let fixture = try CPDFixture()
        let member = try fixture.member("Bea Phonics")
        try fixture.cpd.setExpertise(memberID: member.id, ["Phonics": "RWI trainer"])
        #expect(try fixture.cpd.experts(in: "Phonics").map(\.school) == [nil])
    }

    @Test("the report adds hours per school and area and counts places given and taken")
    func report() throws {
        let fixture = try CPDFixture(settings: ["membership": ["profile_questions": schoolQuestion]])
        let host = try fixture.member("Hana Host", school: "Hilltop")
        let guest = try fixture.member("Gus Guest", school: "Riverside")
        let colleague = try fixture.member("Cole Colleague", school: "Hilltop")
        let session = try fixture.offer(by: host, title: "Phonics", capacity: 5, duration: 90, areas: ["Phonics", "Early Years"])
        _ = try fixture.cpd.book(sessionID: session.id, memberID: guest.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: colleague.id)
        fixture.clock.set(session.endsAt)
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [guest.id, colleague.id], by: fixture.signedIn(host))
        _ = try fixture.cpd.addEntry(
            memberID: guest.id,
            RecordInput(
                title: "Reading", date: CPDService.isoDay(fixture.clock.now, zone: "Europe/London"), hours: "2",
                kind: "reading"))
        let report = try fixture.cpd.report(
            from: session.startsAt.addingTimeInterval(-30 * 86_400), to: fixture.clock.now.addingTimeInterval(86_400))
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
        let empty = try fixture.cpd.report(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 86_400))
        #expect(empty.schools.isEmpty && empty.areas.isEmpty)
    }

    @Test("erasing a member gives their place to whoever waits and keeps others' data")
    func eraseHook() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, capacity: 1)
        let leaving = try fixture.member("Lee Leaving")
        let waiting = try fixture.member("Wyn Waiting")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: leaving.id)
        _ = try fixture.cpd.book(sessionID: session.id, memberID: waiting.id)
        try fixture.cpd.setExpertise(memberID: leaving.id, ["SEND": "x"])
        _ = try fixture.cpd.addEntry(
            memberID: leaving.id, RecordInput(title: "Mine", date: "2025-01-01", hours: "1", kind: "other"))
        let exported = try fixture.services.database.read { try fixture.cpd.export(memberID: leaving.id, in: $0) }
        #expect(exported["record"]?.arrayValue?.count == 1)
        #expect(exported["expertise"]?.arrayValue?.count == 1)
        #expect(exported["bookings"]?.arrayValue?.count == 1)
        try fixture.membership.deleteAccount(memberID: leaving.id, hooks: fixture.membership.personalDataHooks())
        #expect(try fixture.cpd.fullRecord(of: leaving.id).isEmpty)
        #expect(try fixture.cpd.expertise(of: leaving.id).isEmpty)
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: waiting.id)?.status == .booked)
        #expect(try fixture.outbox().contains { $0.to == waiting.email })
        #expect(try fixture.cpd.session(id: session.id) != nil)
    }

    @Test("hot queries use their indexes")
    func queryPlans() throws {
        let fixture = try CPDFixture()
        let plans = try fixture.services.database.read { db -> [String] in
            let queries: [(String, [any DatabaseValueConvertible])] = [
                ("SELECT * FROM cpd_bookings WHERE session_id = ? AND status = 'waiting' ORDER BY queued_at, id LIMIT 1", [1]),
                ("SELECT * FROM cpd_records WHERE member_id = ? AND (activity_date < ? OR (activity_date = ? AND id < ?)) ORDER BY activity_date DESC, id DESC LIMIT 50", [1, 0, 0, 0]),
                ("SELECT member_id FROM cpd_expertise WHERE area = ?", ["Phonics"]),
                ("SELECT id FROM cpd_sessions s WHERE s.starts_at >= ? ORDER BY s.starts_at, s.id LIMIT 20", [0]),
            ]
            return try queries.map { sql, arguments in
                try db.query("EXPLAIN QUERY PLAN " + sql, arguments) { try $0.value("detail") as String }.joined(separator: " | ")
            }
        }
        for plan in plans {
            #expect(plan.contains("USING") && !plan.contains("SCAN cpd_"), "\(plan)")
        }
    }
}
