import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import CPD

@Suite("Expertise directory")
struct ExpertiseTests {
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
        #expect(throws: DomainError.self) {
            try fixture.cpd.setExpertise(memberID: bea.id, ["Astrology": ""])
        }
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
}
