import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

/// Issue 14, item 10: names, throttling, simple passwords, session lifetimes and sign-up
/// answers that do not tell who is a member.
@Suite struct AccountHardeningTests {
    static let password = "a long enough password"

    // MARK: Names

    @Test func namesAndAnswersAreSingleLines() throws {
        let network = try network([
            "profile_questions": .list([
                .record(["id": .string("school"), "label": .string("School"), "type": .string("text")])
            ])
        ])
        defer { network.stop() }
        let member = try network.membership.join(
            .init(
                name: "Ada\r\nLovelace\u{202E}\u{0}", email: "ada@example.org", password: Self.password,
                handle: "ada",
                acceptsTerms: true, answers: ["school": "Oakfield\nPrimary\u{2067}"]),
            bypassSignupMode: true)
        #expect(member.name == "Ada Lovelace")
        let answers = try network.services.database.read {
            try network.membership.answers(of: member.id, in: $0)
        }
        #expect(answers["school"] == "Oakfield Primary")
        let updated = try network.membership.updateProfile(
            memberID: member.id,
            .init(name: "Ada\u{202E}\nKing", handle: "ada", bio: "Line one\nLine two", answers: [:]))
        #expect(updated.name == "Ada King")
        #expect(updated.bio == "Line one\nLine two")  // a bio is many lines
    }

    // MARK: Throttling

    @Test func failuresFromOneAddressDoNotLockTheOwnerOutElsewhere() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Hea Dteacher")
        for _ in 0..<5 {
            #expect(throws: MembershipService.SignInFailure.invalid) {
                try network.membership.signIn(
                    login: "hea-dteacher", password: "wrong password!!", address: "203.0.113.9:1")
            }
        }
        #expect(throws: MembershipService.SignInFailure.throttled(retryAfterMinutes: 15)) {
            try network.membership.signIn(
                login: "hea-dteacher", password: Self.password, address: "203.0.113.9:1")
        }
        // The head, at school, signs in: the attacker's address is locked, not the account.
        #expect(
            try network.membership.signIn(
                login: "hea-dteacher", password: Self.password, address: "192.0.2.10:5"
            ).handle == "hea-dteacher")
    }

    @Test func manyAddressesSlowTheAccountDownButNotForKnownAddresses() throws {
        let clock = FixedClock(Date())
        let network = try network(clock: clock)
        defer { network.stop() }
        let head = try network.member("Kno Wn")
        _ = try network.membership.startSession(for: head, userAgent: "test", address: "192.0.2.10:5")
        for index in 0..<50 {
            _ = try? network.membership.signIn(
                login: "kno-wn", password: "wrong password!!", address: "198.51.100.\(index):1")
        }
        // A new address is slowed to one try a minute …
        #expect(throws: MembershipService.SignInFailure.throttled(retryAfterMinutes: 1)) {
            try network.membership.signIn(
                login: "kno-wn", password: Self.password, address: "198.51.100.200:1")
        }
        // … an address the member signed in from before is not.
        #expect(
            try network.membership.signIn(login: "kno-wn", password: Self.password, address: "192.0.2.10:7")
                .id == head.id)
        clock.advance(by: 61)
        #expect(
            try network.membership.signIn(
                login: "kno-wn", password: Self.password, address: "198.51.100.200:1"
            ).id == head.id)
    }

    // MARK: Passwords

    @Test(
        "passwords with a simple pattern are refused",
        arguments: [
            "aaaaaaaaaaaa", "aaaaabbbbbcc", "abcabcabcabc", "passpasspass", "abcdefghijkl", "9876543210",
            "ZYXWVUTSRQPO",
        ])
    func simplePasswordsAreRefused(_ password: String) {
        #expect(Passwords.problem(with: password) == .tooSimple)
    }

    @Test func ordinaryPassphrasesStillPass() {
        for password in [
            "phonics in the early years", "seeded password", "a long enough password", "Tr0ub4dor&3x",
        ] {
            #expect(Passwords.problem(with: password) == nil, "\(password)")
        }
    }

    // MARK: Sessions

    @Test func sessionsEndAfterAWeekIdleAndAMonthInAll() throws {
        let clock = FixedClock(Date())
        let network = try network(clock: clock)
        defer { network.stop() }
        let member = try network.member("Ses Sion")
        let idle = try network.membership.startSession(for: member, userAgent: "test", address: "192.0.2.1:1")
        let busy = try network.membership.startSession(for: member, userAgent: "test", address: "192.0.2.1:1")
        #expect(network.membership.sessionCookie(token: busy.token, secure: true).maxAge == 30 * 86_400)
        for _ in 0..<4 {
            clock.advance(by: 6 * 86_400)
            #expect(network.membership.member(forSessionToken: busy.token) != nil)
        }
        #expect(network.membership.member(forSessionToken: idle.token) == nil)  // 24 days unused
        clock.advance(by: 6 * 86_400 + 1)  // past 30 days in all, although used 6 days ago
        #expect(network.membership.member(forSessionToken: busy.token) == nil)
        let fresh = try network.membership.startSession(
            for: member, userAgent: "test", address: "192.0.2.1:1")
        clock.advance(by: 7 * 86_400 + 60)
        #expect(network.membership.member(forSessionToken: fresh.token) == nil)
    }

    @Test func sessionLifetimesAreSettings() throws {
        let clock = FixedClock(Date())
        let network = try network(
            ["session_idle_minutes": .int(30), "session_absolute_days": .int(2)], clock: clock)
        defer { network.stop() }
        let member = try network.member("Set Ting")
        let session = try network.membership.startSession(
            for: member, userAgent: "test", address: "192.0.2.1:1")
        #expect(network.membership.sessionCookie(token: session.token, secure: false).maxAge == 2 * 86_400)
        clock.advance(by: 31 * 60)
        #expect(network.membership.member(forSessionToken: session.token) == nil)
    }

    // MARK: Sign-up

    @Test func joiningAnswersTheSameForATakenAddressAndTellsItsOwner() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Own Er", email: "owner@example.org")
        func attempt(_ email: String, _ name: String) throws -> TestClient.Response {
            let client = network.client()
            let page = try client.get("/join")
            return try client.post(
                "/join",
                form: [
                    "_csrf": page.csrf ?? "", "name": name, "email": email, "password": Self.password,
                    "terms": "1",
                ])
        }
        let taken = try attempt("owner@example.org", "Some One")
        let free = try attempt("new.person@example.org", "New Person")
        #expect(taken.status == free.status)
        #expect(taken.location == free.location)
        #expect(taken.location == "/join/sent")
        #expect(taken.text == free.text)
        #expect(try network.membership.member(handle: "new-person") == nil)  // nobody until confirmed
        let notice = try #require(try network.services.outbox.list().first { $0.to == "owner@example.org" })
        #expect(notice.subject.contains("Someone tried to join"))
        #expect(!notice.body.contains("/join/confirm/"))
        let link = try #require(
            network.mailedLink(to: "new.person@example.org", startingWith: "/join/confirm/"))
        let client = network.client()
        let joined = try client.confirmJoining(link)
        #expect(joined.status == 303)
        #expect(joined.location == "/members/new-person")
        #expect(try client.get("/account").status == 200)
        #expect(try network.client().get(link).status == 410)  // once only
        // The API answers alike too.
        let api = network.client()
        for email in ["owner@example.org", "api.person@example.org"] {
            let answer = try api.send(
                json: "POST", "/api/v1/members",
                ["name": "Api Person", "email": email, "password": Self.password, "accept_terms": true])
            #expect(answer.status == 202)
            #expect((answer.json as? [String: Any])?["status"] as? String == "check_mail")
        }
    }

    @Test func joinMailToOneAddressIsLimited() throws {
        let network = try network()
        defer { network.stop() }
        for _ in 0..<5 {
            try network.membership.requestSignUp(
                .init(
                    name: "Flo Od", email: "victim@example.org", password: Self.password, acceptsTerms: true))
        }
        #expect(
            try network.services.outbox.list().filter { $0.to == "victim@example.org" }.count
                == MembershipService.signUpMailsPerHour)
    }

    @Test func confirmingInInviteModeConsumesTheInvitationThen() throws {
        let network = try network(["signup": .string("invite")])
        defer { network.stop() }
        let invitation = try network.membership.createInvitation(
            by: nil, note: "Year 6\nteam", maxUses: 1, validDays: 7)
        #expect(try network.membership.invitations().first?.note == "Year 6 team")
        try network.membership.requestSignUp(
            .init(
                name: "In Vited", email: "invited@example.org", password: Self.password, acceptsTerms: true,
                invitationCode: invitation.code))
        #expect(try network.membership.invitations().first?.uses == 0)
        let link = try #require(network.mailedLink(to: "invited@example.org", startingWith: "/join/confirm/"))
        let member = try network.membership.confirmSignUp(
            token: String(link.dropFirst("/join/confirm/".count)))
        #expect(member.status == .active)
        #expect(try network.membership.invitations().first?.uses == 1)
    }
}
