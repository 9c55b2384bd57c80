import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import CPD

/// CPD's parts of the digest: new sessions in my areas of expertise, and the sessions I booked
/// for the coming week as a reminder that sends no digest on its own.
@Suite struct CPDDigestSourceTests {
    /// Monday 30 November 2026, 09:30 in London: after the digest's morning hour.
    static let mondayMorning = Date(timeIntervalSince1970: 1_796_020_200 + 3 * 3600)

    @Test func newSessionsInMyAreasComeInTheDigestAndABookingAloneSendsNone() throws {
        let fixture = try CPDFixture(clock: FixedClock(Self.mondayMorning))
        let services = fixture.services
        let organiser = try fixture.member("Olive Organiser")
        let expert = try fixture.member("Ella Expert")
        let booker = try fixture.member("Bo Booker")
        try fixture.cpd.setExpertise(memberID: expert.id, ["Phonics": "Ten years of it."])
        let phonics = try fixture.offer(by: organiser, title: "Phonics deep dive", daysAhead: 3)
        let maths = try fixture.offer(by: organiser, title: "Bar models", daysAhead: 2, areas: ["Maths mastery"])
        _ = try fixture.cpd.book(sessionID: maths.id, memberID: booker.id)
        _ = try fixture.cpd.book(sessionID: maths.id, memberID: expert.id)

        let report = try services.notifications.sendDigests()
        // The booker's only item is a reminder: no digest. The organiser's sessions are their own.
        #expect(report.sent.map(\.memberID) == [expert.id])
        let digest = try #require(try fixture.outbox().first { $0.memberID == expert.id })
        #expect(digest.body.contains("New CPD sessions in your areas"))
        #expect(digest.body.contains("“Phonics deep dive”"))
        #expect(digest.body.contains("CPD sessions you booked this week"))
        #expect(digest.body.contains("“Bar models”"))
        #expect(digest.body.contains("/cpd/sessions/\(phonics.id)"))
    }

    @Test func aSessionForAGroupsAudienceIsNotInTheDigestOfSomeoneOutsideIt() throws {
        let fixture = try CPDFixture(clock: FixedClock(Self.mondayMorning))
        let scopes = FakeGroupScopes()
        fixture.services.provide(GroupScopesBox(scopes))
        let organiser = try fixture.member("Olive Organiser")
        let expert = try fixture.member("Ella Expert")
        scopes.add(organiser.id, to: 9)
        try fixture.cpd.setExpertise(memberID: expert.id, ["Phonics": ""])
        _ = try fixture.offer(by: organiser, title: "Members of group 9 only", audienceGroup: 9)
        #expect(try fixture.services.notifications.sendDigests().sent.isEmpty)
        scopes.add(expert.id, to: 9)
        #expect(try fixture.services.notifications.sendDigests().sent.map(\.memberID) == [expert.id])
    }
}
