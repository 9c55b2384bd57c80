import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Group-audience sessions stay inside their group")
struct VisibilityTests {
    struct Setup {
        let fixture: CPDFixture
        let scopes: FakeGroupScopes
        let organiser: Member
        let insider: Member
        let outsider: Member
        let session: CPDSession
    }

    func setUp() throws -> Setup {
        let fixture = try CPDFixture()
        let scopes = FakeGroupScopes()
        fixture.services.provide(GroupScopesBox(scopes))
        let organiser = try fixture.member("Olive Organiser")
        let insider = try fixture.member("Ian Insider")
        let outsider = try fixture.member("Otto Outsider")
        scopes.add(organiser.id, to: 7)
        scopes.add(insider.id, to: 7)
        scopes.add(outsider.id, to: 8)
        let session = try fixture.offer(by: organiser, title: "Cluster 7 private moderation", audienceGroup: 7)
        _ = try fixture.offer(by: organiser, title: "Open to all")
        return Setup(
            fixture: fixture, scopes: scopes, organiser: organiser, insider: insider, outsider: outsider, session: session)
    }

    @Test("a member may only offer a session to a group they belong to")
    func offeringToOtherGroups() throws {
        let setup = try setUp()
        #expect(throws: DomainError.self) {
            _ = try setup.fixture.offer(by: setup.outsider, title: "Sneaky", audienceGroup: 7)
        }
    }

    @Test("lists, lookups and booking hide a group session from non-members and visitors")
    func listsAndLookups() throws {
        let setup = try setUp()
        let cpd = setup.fixture.cpd
        let insider = cpd.viewer(memberID: setup.insider.id)
        let outsider = cpd.viewer(memberID: setup.outsider.id)
        #expect(try cpd.sessions(viewer: insider).map(\.title).contains("Cluster 7 private moderation"))
        #expect(try cpd.sessions(viewer: outsider).map(\.title) == ["Open to all"])
        #expect(try cpd.sessions(viewer: .anonymous).map(\.title) == ["Open to all"])
        #expect(throws: DomainError.notFound) { _ = try cpd.visibleSession(id: setup.session.id, viewer: outsider) }
        #expect(throws: DomainError.notFound) { _ = try cpd.visibleSession(id: setup.session.id, viewer: .anonymous) }
        #expect(throws: DomainError.notFound) { _ = try cpd.book(sessionID: setup.session.id, memberID: setup.outsider.id) }
        #expect(try cpd.book(sessionID: setup.session.id, memberID: setup.insider.id).status == .booked)
    }

    @Test("the activity stream shows the offer only to the group")
    func activity() throws {
        let setup = try setUp()
        let stream = setup.fixture.services.activity
        let cpd = setup.fixture.cpd
        func titles(_ viewer: Viewer) throws -> [String] {
            try stream.latest(for: viewer, limit: 50).groups.compactMap(\.lead.objectTitle)
        }
        #expect(try titles(cpd.viewer(memberID: setup.insider.id)).contains("Cluster 7 private moderation"))
        #expect(try !titles(cpd.viewer(memberID: setup.outsider.id)).contains("Cluster 7 private moderation"))
        #expect(try !titles(.anonymous).contains("Cluster 7 private moderation"))
        #expect(try titles(.anonymous).contains("Open to all"))
    }

    @Test("feeds carry a group session only for people who may see it")
    func feeds() throws {
        let setup = try setUp()
        let cpd = setup.fixture.cpd
        #expect(!(try cpd.feed(viewer: .anonymous)).contains("Cluster 7"))
        #expect(!(try cpd.feed(viewer: cpd.viewer(memberID: setup.outsider.id))).contains("Cluster 7"))
        #expect(!(try cpd.feed(viewer: cpd.viewer(memberID: setup.outsider.id), groupID: 7)).contains("Cluster 7"))
        #expect(try cpd.feed(viewer: cpd.viewer(memberID: setup.insider.id), groupID: 7).contains("Cluster 7"))
        // Someone booked who later leaves the group no longer sees it in their own feed.
        _ = try cpd.book(sessionID: setup.session.id, memberID: setup.insider.id)
        #expect(try cpd.personalFeed(member: setup.insider).contains("Cluster 7"))
        let leaver = FakeGroupScopes([setup.organiser.id: [7]])
        setup.fixture.services.provide(GroupScopesBox(leaver))
        #expect(!(try cpd.personalFeed(member: setup.insider)).contains("Cluster 7"))
    }

    @Test("with the groups module disabled, a group session is visible only to its facilitators")
    func groupsDisabled() throws {
        let setup = try setUp()
        // The same database, booted again without any group scopes (groups module disabled).
        let plain = try CPDFixture(folder: setup.fixture.folder)
        #expect(plain.services.service(GroupScopesBox.self) == nil)
        let cpd = plain.cpd
        #expect(!(try cpd.sessions(viewer: cpd.viewer(memberID: setup.insider.id))).map(\.id).contains(setup.session.id))
        #expect(try cpd.sessions(viewer: cpd.viewer(memberID: setup.organiser.id)).map(\.id).contains(setup.session.id))
        #expect(throws: DomainError.notFound) {
            _ = try cpd.visibleSession(id: setup.session.id, viewer: cpd.viewer(memberID: setup.insider.id, isModerator: true))
        }
        #expect(!(try cpd.feed(viewer: cpd.viewer(memberID: setup.insider.id))).contains("Cluster 7"))
        // Offering to a group is refused outright.
        #expect(throws: DomainError.self) { _ = try plain.offer(by: setup.organiser, title: "x", audienceGroup: 7) }
    }

    @Test("a session hidden by moderation is seen only by those running it and moderators")
    func hiddenByModeration() throws {
        let setup = try setUp()
        let cpd = setup.fixture.cpd
        let open = try #require(try cpd.sessions(viewer: .anonymous).first)
        try setup.fixture.services.database.write { db in
            try db.execute("UPDATE cpd_sessions SET hidden = 1 WHERE id = ?", [open.id])
        }
        #expect(try cpd.sessions(viewer: .anonymous).isEmpty)
        #expect(try cpd.sessions(viewer: cpd.viewer(memberID: setup.outsider.id)).isEmpty)
        #expect(try cpd.sessions(viewer: cpd.viewer(memberID: setup.outsider.id, isModerator: true)).map(\.id) == [open.id])
        #expect(try cpd.sessions(viewer: cpd.viewer(memberID: setup.organiser.id)).map(\.id).contains(open.id))
    }

    @Test("visitors never get a session's online link, members do")
    func onlineLinkForMembersOnly() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        _ = try fixture.cpd.offer(
            SessionInput(
                title: "Online phonics", starts: fixture.localStart(daysAhead: 4), durationMinutes: "60",
                onlineURL: "https://meet.example.org/secret-room", capacity: "30"),
            by: fixture.signedIn(organiser))
        #expect(!(try fixture.cpd.feed(viewer: .anonymous)).contains("secret-room"))
        #expect(try fixture.cpd.feed(viewer: fixture.cpd.viewer(memberID: organiser.id)).contains("secret-room"))
    }

    @Test("moderation can look up, hide and delete a session; attendees keep their hours")
    func reportableKind() throws {
        let fixture = try CPDFixture()
        let kind = try #require(fixture.kernel.context.reportableKinds.first { $0.kind == "cpd_session" })
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "Reported session")
        let attendee = try fixture.member("Pat Present")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: attendee.id)
        fixture.clock.set(session.endsAt)
        _ = try fixture.cpd.markAttendance(sessionID: session.id, present: [attendee.id], by: fixture.signedIn(organiser))
        let database = fixture.services.database
        let item = try #require(try database.read { try kind.lookup(session.id, $0) })
        #expect(item.title == "Reported session")
        #expect(item.authorID == organiser.id)
        #expect(!item.isHidden)
        try database.write { try kind.setHidden(session.id, true, $0) }
        #expect(throws: DomainError.notFound) { _ = try fixture.cpd.visibleSession(id: session.id, viewer: .anonymous) }
        let bystander = try fixture.member("Bea Bystander")
        #expect(
            try !fixture.services.activity.latest(for: Viewer(memberID: bystander.id), limit: 20).groups.contains {
                $0.lead.objectTitle == "Reported session"
            })
        try database.write { try kind.delete(session.id, $0) }
        #expect(try fixture.cpd.session(id: session.id) == nil)
        #expect(try fixture.cpd.totalMinutes(of: attendee.id) == session.durationMinutes)
    }
}
