import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

@Suite struct JoiningTests {
    @Test func joiningValidatesEveryFieldAndWritesNothingOnError() throws {
        let network = try network([
            "profile_questions": .list([
                .record([
                    "id": .string("school"), "label": .string("School"), "type": .string("text"),
                    "options": .list([]), "required": .bool(true),
                ])
            ])
        ])
        defer { network.stop() }
        do {
            _ = try network.membership.join(
                .init(name: "", email: "not-an-email", password: "short", acceptsTerms: false))
            Issue.record("expected validation errors")
        } catch DomainError.invalid(let errors) {
            #expect(Set(errors.map(\.field)) == ["name", "email", "password", "terms", "answer-school"])
        }
        #expect(
            try network.services.database.read { try $0.scalar("SELECT count(*) FROM membership_members", as: Int.self) }
                == 0)
    }

    @Test func duplicateEmailsAreRefusedAndHandlesMadeUnique() throws {
        let network = try network()
        defer { network.stop() }
        let first = try network.member("Sam Lee")
        let second = try network.member("Sam Lee", email: "other@example.org")
        #expect(first.handle == "sam-lee")
        #expect(second.handle == "sam-lee2")
        #expect(throws: DomainError.self) { try network.member("Sam Again", email: "SAM.LEE@example.org") }
    }

    @Test func approvalModeMakesPendingMembersWhoCannotPostUntilApproved() throws {
        let network = try network(["signup": .string("approval")])
        defer { network.stop() }
        try network.member("Ada Admin", role: .admin)
        let pending = try network.membership.join(
            .init(
                name: "Pat Pending", email: "pat@example.org", password: "a long enough password",
                acceptsTerms: true))
        #expect(pending.status == .pending)
        #expect(throws: DomainError.self) { try network.membership.postStatus(by: pending, body: "hello") }
        #expect(try network.services.outbox.list().contains { $0.subject.contains("Pat Pending is waiting") })
        // Over HTTP too: the status form is refused with 403.
        let client = network.client()
        #expect(try client.signIn("pat@example.org").status == 303)
        let profile = try client.get("/members/pat-pending")
        #expect(profile.text.contains("awaiting approval"))
        #expect(
            try client.post("/statuses", form: ["_csrf": profile.csrf ?? "", "body": "hi"]).status == 403)
        let approved = try network.membership.approve(memberID: pending.id)
        #expect(approved.status == .active)
        #expect(try network.membership.postStatus(by: approved, body: "hello").body == "hello")
    }

    @Test func inviteModeNeedsAValidInvitationAndCountsItsUses() throws {
        let network = try network(["signup": .string("invite")])
        defer { network.stop() }
        #expect(throws: DomainError.self) {
            try network.membership.join(
                .init(
                    name: "No Invite", email: "n@example.org", password: "a long enough password",
                    acceptsTerms: true))
        }
        let invitation = try network.membership.createInvitation(
            by: nil, note: "Hilltop staff", maxUses: 1, validDays: 7)
        let joined = try network.membership.join(
            .init(
                name: "Invited One", email: "i1@example.org", password: "a long enough password",
                acceptsTerms: true, invitationCode: invitation.code))
        #expect(joined.status == .active)
        #expect(throws: DomainError.self) {  // used up
            try network.membership.join(
                .init(
                    name: "Invited Two", email: "i2@example.org", password: "a long enough password",
                    acceptsTerms: true, invitationCode: invitation.code))
        }
        let second = try network.membership.createInvitation(by: nil, note: "", maxUses: 5, validDays: 1)
        try network.membership.revokeInvitation(id: second.id, by: nil)
        #expect(throws: DomainError.self) {
            try network.membership.join(
                .init(
                    name: "Invited Three", email: "i3@example.org", password: "a long enough password",
                    acceptsTerms: true, invitationCode: second.code))
        }
        let expiring = try network.membership.createInvitation(by: nil, note: "", maxUses: 5, validDays: 1)
        network.clock.advance(by: 2 * 86_400)
        #expect(throws: DomainError.self) {
            try network.membership.join(
                .init(
                    name: "Invited Four", email: "i4@example.org", password: "a long enough password",
                    acceptsTerms: true, invitationCode: expiring.code))
        }
    }

    @Test func theJoinFormKeepsWhatWasTypedExceptThePassword() throws {
        let network = try network()
        defer { network.stop() }
        let client = network.client()
        let response = try client.join(
            name: "Dee Teacher", email: "not-an-email", password: "secret-but-short")
        #expect(response.status == 422)
        #expect(response.text.contains("value=\"Dee Teacher\""))
        #expect(response.text.contains("value=\"not-an-email\""))
        #expect(!response.text.contains("secret-but-short"))
        #expect(response.text.contains("aria-invalid=\"true\""))
        #expect(response.text.contains("Enter an email address like"))
    }
}

@Suite struct AbuseAndTermsTests {
    @Test func theSignUpHoneypotRefusesRobotsAndCreatesNothing() throws {
        let network = try network()
        defer { network.stop() }
        let robot = try network.client().join(
            name: "Spam Bot", email: "bot@example.org", extra: ["website": "https://spam.example"])
        #expect(robot.status == 422)
        #expect(try network.membership.member(handle: "spam-bot") == nil)
        #expect(try network.client().get("/join").text.contains("name=\"website\""))
        #expect(try network.client().join(name: "Real Person", email: "real@example.org").status == 303)
    }

    @Test func membersAcceptANewVersionOfTheTermsAtTheirNextSignIn() throws {
        let folder = TestNetwork.temporaryFolder()
        do {
            let first = try TestNetwork(modules: [MembershipModule.self], folder: folder)
            defer { first.stop() }
            try first.member("Tess Terms")
            let client = first.client()
            #expect(try client.signIn("tess-terms").location == "/")  // version 1 accepted at joining
        }
        let second = try TestNetwork(
            modules: [MembershipModule.self], settings: ["network": ["terms_version": .string("2")]],
            folder: folder)
        defer { second.stop() }
        let client = second.client()
        let signIn = try client.signIn("tess-terms")
        #expect(signIn.location?.hasPrefix("/terms/accept") == true)
        let refused = try client.submit("/terms/accept", from: "/terms/accept", ["next": "/"])
        #expect(refused.status == 422)
        #expect(
            try client.submit("/terms/accept", from: "/terms/accept", ["next": "/", "terms": "1"]).status
                == 303)
        let member = try #require(try second.membership.member(handle: "tess-terms"))
        #expect(try second.membership.needsTermsAcceptance(memberID: member.id) == false)
        #expect(try second.client().signIn("tess-terms").location == "/")
    }
}
