import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Personal CPD record and its CSV")
struct RecordTests {
    @Test("own record entries validate every field; evidence links must be http or https")
    func ownEntries() throws {
        let fixture = try CPDFixture()
        let member = try fixture.member("Rita Reader")
        let entry = try fixture.cpd.addEntry(
            memberID: member.id,
            RecordInput(
                title: "Read 'Making Every Lesson Count'", date: "2025-09-02", hours: "2.5", kind: "reading",
                pupilFocus: "indirect", standard: "TS4 Plan and teach well-structured lessons",
                evidenceURL: "https://example.org/notes", reflection: "Worked examples first."))
        #expect(entry.minutes == 150)
        #expect(entry.kind == .reading)
        #expect(entry.pupilFocus == .indirect)
        do {
            _ = try fixture.cpd.addEntry(
                memberID: member.id,
                RecordInput(
                    title: "", date: "02/09/2025", hours: "-1", kind: "nap", pupilFocus: "sideways",
                    evidenceURL: "javascript:alert(1)"))
            Issue.record("expected validation errors")
        } catch DomainError.invalid(let errors) {
            #expect(
                Set(errors.map(\.field)) == ["title", "date", "hours", "kind", "pupil_focus", "evidence_url"])
        }
        #expect(throws: DomainError.self) {
            _ = try fixture.cpd.addEntry(
                memberID: member.id,
                RecordInput(title: "x", date: "2025-09-02", hours: "1", evidenceURL: "ftp://example.org/file")
            )
        }
        let updated = try fixture.cpd.recordImpact(
            entryID: entry.id, memberID: member.id, impact: "Fewer errors in Year 4.")
        #expect(updated.impact == "Fewer errors in Year 4.")
        #expect(updated.impactAt != nil)
        let other = try fixture.member("Someone Else")
        #expect(throws: DomainError.notFound) {
            try fixture.cpd.recordImpact(entryID: entry.id, memberID: other.id, impact: "mine now")
        }
    }

    @Test("record CSV quotes per RFC 4180 and neutralises formulas")
    func recordCSV() throws {
        let fixture = try CPDFixture()
        let member = try fixture.member("Csv Tester")
        _ = try fixture.cpd.addEntry(
            memberID: member.id,
            RecordInput(
                title: "=HYPERLINK(\"http://evil\",\"click\")", date: "2025-10-01", hours: "1", kind: "other",
                pupilFocus: "direct", standard: "TS1, TS2", reflection: "Line one\nLine \"two\""))
        let csv = try fixture.cpd.recordCSV(of: member.id)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(csv.hasSuffix("\r\n"))
        #expect(lines[0].hasPrefix("Date,Title,Hours,Kind"))
        #expect(
            lines[1].hasPrefix(
                "2025-10-01,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",1,Other,direct,\"TS1, TS2\",,")
        )
        #expect(csv.contains("\"Line one\nLine \"\"two\"\"\""))
    }

    @Test("CSV cells: plain, quoted, and every formula prefix")
    func csvCells() {
        #expect(CSV.cell("plain") == "plain")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("two\r\nlines") == "\"two\r\nlines\"")
        for prefix in ["=", "+", "-", "@"] { #expect(CSV.cell(prefix + "1+1") == "'" + prefix + "1+1") }
        #expect(CSV.cell("@SUM(A1),x") == "\"'@SUM(A1),x\"")
        #expect(CSV.document([["a", "b"], ["c", "d"]]) == "a,b\r\nc,d\r\n")
    }
}
