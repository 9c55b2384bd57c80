import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import CPD

@Suite("Personal data: export and erase")
struct PersonalDataTests {
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
        let exported = try fixture.services.database.read {
            try fixture.cpd.export(memberID: leaving.id, in: $0)
        }
        #expect(exported["record"]?.arrayValue?.count == 1)
        #expect(exported["expertise"]?.arrayValue?.count == 1)
        #expect(exported["bookings"]?.arrayValue?.count == 1)
        try fixture.membership.deleteAccount(
            memberID: leaving.id, hooks: fixture.membership.personalDataHooks())
        #expect(try fixture.cpd.fullRecord(of: leaving.id).isEmpty)
        #expect(try fixture.cpd.expertise(of: leaving.id).isEmpty)
        #expect(try fixture.cpd.booking(sessionID: session.id, memberID: waiting.id)?.status == .booked)
        #expect(try fixture.outbox().contains { $0.to == waiting.email })
        #expect(try fixture.cpd.session(id: session.id) != nil)
    }
}
