import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

func network(_ settings: [String: SettingValue] = [:], clock: FixedClock = FixedClock(Date())) throws
    -> TestNetwork
{
    try TestNetwork(modules: [MembershipModule.self], settings: ["membership": settings], clock: clock)
}

extension TestNetwork {
    var membership: MembershipService { services.service(MembershipService.self)! }

    @discardableResult
    func member(_ name: String, email: String? = nil, role: MemberRole = .member) throws -> Member {
        try services.member(
            name, email: email ?? "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.org", role: role)
    }
}

@Suite struct RulesTests {
    @Test func passwordsNeedTenCharactersAndMustNotBeCommon() {
        #expect(Passwords.problem(with: "short") == .tooShort)
        #expect(Passwords.problem(with: "qwertyuiop") == .tooCommon)
        #expect(Passwords.problem(with: "Password123") == .tooCommon)
        #expect(
            Passwords.problem(with: "erin@example.org", identity: ["erin@example.org"]) == .sameAsIdentity)
        #expect(Passwords.problem(with: "phonics in the early years") == nil)
    }

    @Test func yescryptHashesVerifyAndOtherSchemesAreRefused() throws {
        let hash = try Passwords.hash("correct horse battery")
        #expect(hash.hasPrefix("$y$"))
        #expect(Passwords.verify("correct horse battery", against: hash))
        #expect(!Passwords.verify("correct horse batterx", against: hash))
        #expect(try Passwords.hash("correct horse battery") != hash)  // salted
        // An MD5-crypt hash of "password" is never accepted, even if it matches.
        #expect(!Passwords.verify("password", against: "$1$abc$0YxQ8h9mC5HnBFQX4aA9w."))
        #expect(!Passwords.verify("x", against: ""))
    }

    @Test func handlesAreDerivedUrlSafeAndValidated() {
        #expect(Handle.derive(from: "Zoë O'Brien-Smith") == "zoe-obrien-smith")
        #expect(Handle.derive(from: "  Karen D Honeycutt ") == "karen-d-honeycutt")
        #expect(Handle.derive(from: "李") == "member")
        #expect(Handle.problem(with: "admin") != nil)
        #expect(Handle.problem(with: "Bad Handle") != nil)
        #expect(Handle.problem(with: "ok_handle-2") == nil)
    }

    @Test func imagesAreRecognisedFromTheirBytes() {
        #expect(
            MembershipService.imageType(of: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])
                == "image/png")
        #expect(MembershipService.imageType(of: [0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(MembershipService.imageType(of: Array("GIF89a....".utf8)) == "image/gif")
        #expect(MembershipService.imageType(of: Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) == "image/webp")
        #expect(MembershipService.imageType(of: Array("<svg onload=alert(1)>".utf8)) == nil)
    }

    @Test func statusLinksAreClickableAndEverythingElseEscaped() {
        let html = MembershipService.linkify("See https://example.org/a?b=1&c=2. <b>now</b>").text
        #expect(html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">"))
        #expect(html.contains("</a>. &lt;b&gt;now&lt;/b&gt;"))
        #expect(!MembershipService.linkify("javascript:alert(1)").text.contains("<a"))
        // Text without a link comes out escaped and otherwise exactly as typed, spaces and all.
        for plain in ["  two  spaces <i>x</i> ", "", "Ünïcödé & \"quotes\"", "HTTP is a protocol", "htt"] {
            #expect(MembershipService.linkify(plain).text == HTML.escape(plain), "\(plain)")
        }
        #expect(
            MembershipService.linkify("HTTPS://Example.org").text.contains("<a href=\"HTTPS://Example.org\""))
    }
}

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
            try network.services.database.read { try $0.scalar("SELECT count(*) FROM members", as: Int.self) }
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

@Suite struct SigningInTests {
    @Test func aSuspendedMemberCannotSignInAndTheirContentIsHidden() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Sue Spended")
        _ = try network.membership.postStatus(by: member, body: "visible until suspended")
        let client = network.client()
        #expect(try client.signIn("sue.spended@example.org").status == 303)
        _ = try network.membership.suspend(memberID: member.id, by: nil)
        #expect(try client.get("/account").status == 303)  // the session ended
        let again = try network.client().signIn("sue.spended@example.org")
        #expect(again.status == 403)
        #expect(again.text.contains("suspended"))
        #expect(!(try network.client().get("/activity").text.contains("visible until suspended")))
        _ = try network.membership.reinstate(memberID: member.id)
        #expect(try network.client().signIn("sue.spended@example.org").status == 303)
    }

    @Test func throttlingStartsAfterRepeatedFailures() throws {
        let clock = FixedClock(Date())
        let network = try network(clock: clock)
        defer { network.stop() }
        try network.member("Tom Throttle")
        for _ in 0..<5 {
            #expect(throws: MembershipService.SignInFailure.invalid) {
                try network.membership.signIn(
                    login: "tom-throttle", password: "wrong password!!", address: "10.0.0.9:1234")
            }
        }
        // Even the right password is refused while throttled.
        #expect(throws: MembershipService.SignInFailure.throttled(retryAfterMinutes: 15)) {
            try network.membership.signIn(
                login: "tom-throttle", password: "a long enough password", address: "10.0.0.9:1234")
        }
        clock.advance(by: 16 * 60)
        #expect(
            try network.membership.signIn(
                login: "tom-throttle", password: "a long enough password", address: "10.0.0.9:1234"
            ).handle == "tom-throttle")
        // Per address: many accounts from one address.
        for index in 0..<20 {
            _ = try? network.membership.signIn(
                login: "nobody\(index)", password: "wrong password!!", address: "10.0.0.7:1")
        }
        #expect(throws: MembershipService.SignInFailure.throttled(retryAfterMinutes: 15)) {
            try network.membership.signIn(
                login: "tom-throttle", password: "a long enough password", address: "10.0.0.7:2")
        }
    }

    @Test func aSessionIsDeadAfterSignOutAndRotatedAtSignIn() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Sid Session")
        let client = network.client()
        _ = try client.get("/sign-in")
        let before = client.cookies["pln_session"]
        #expect(try client.signIn("sid-session").status == 303)
        let token = try #require(client.cookies["pln_session"])
        #expect(token != before)
        #expect(token.count == 64)
        let stored = try network.services.database.read {
            try $0.scalar("SELECT token_hash FROM sessions", as: String.self)
        }
        #expect(stored == SHA256.hex(token))  // only the hash is stored
        let account = try client.get("/account")
        #expect(account.status == 200)
        #expect(try client.post("/sign-out", form: ["_csrf": account.csrf ?? ""]).status == 303)
        let replay = network.client()
        replay.cookies["pln_session"] = token
        #expect(try replay.get("/account").status == 303)
        // Signing in again gives a new token.
        #expect(try client.signIn("sid-session").status == 303)
        #expect(client.cookies["pln_session"] != token)
    }

    @Test func sessionsExpireWhenIdleAndAtTheirAbsoluteEnd() throws {
        let clock = FixedClock(Date())
        let network = try network(
            ["session_idle_minutes": .int(60), "session_absolute_days": .int(1)], clock: clock)
        defer { network.stop() }
        try network.member("Ida Idle")
        let client = network.client()
        #expect(try client.signIn("ida-idle").status == 303)
        clock.advance(by: 30 * 60)
        #expect(try client.get("/account").status == 200)
        clock.advance(by: 61 * 60)
        #expect(try client.get("/account").status == 303)
        #expect(try client.signIn("ida-idle").status == 303)
        for _ in 0..<5 {
            clock.advance(by: 50 * 60)
            #expect(try client.get("/account").status == 200)
        }
        clock.advance(by: 20 * 3600)
        #expect(try client.get("/account").status == 303)
    }

    @Test func signOutEverywhereEndsEverySessionAndToken() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Eve Everywhere")
        let laptop = network.client()
        let phone = network.client()
        #expect(try laptop.signIn("eve-everywhere").status == 303)
        #expect(try phone.signIn("eve-everywhere").status == 303)
        let api = network.client()
        let token = try api.send(
            json: "POST", "/api/v1/sessions",
            ["login": "eve-everywhere", "password": "a long enough password"])
        api.bearer = (token.json as? [String: Any])?["token"] as? String
        #expect(try api.get("/api/v1/me").status == 200)
        #expect(try laptop.submit("/account/sign-out-everywhere", from: "/account").status == 303)
        #expect(try phone.get("/account").status == 303)
        #expect(try api.get("/api/v1/me").status == 401)
    }

    @Test func passwordResetLinksWorkOnceAndExpire() throws {
        let clock = FixedClock(Date())
        let network = try network(clock: clock)
        defer { network.stop() }
        try network.member("Rita Reset")
        let client = network.client()
        #expect(
            try client.submit("/password/forgot", from: "/password/forgot", ["email": "nobody@example.org"])
                .status == 303)
        #expect(try network.services.outbox.list().isEmpty)  // no account enumeration, no mail
        #expect(
            try client.submit(
                "/password/forgot", from: "/password/forgot", ["email": "rita.reset@example.org"]
            ).status == 303)
        let mail = try #require(try network.services.outbox.list().first)
        let token = try #require(mail.body.components(separatedBy: "/password/reset/").last?.prefix(64))
            .description
        #expect(try client.get("/password/reset/\(token)").status == 200)
        #expect(
            try client.submit(
                "/password/reset/\(token)", from: "/password/reset/\(token)",
                ["password": "a brand new long password"]
            ).status == 303)
        #expect(try client.get("/password/reset/\(token)").status == 410)
        #expect(
            try network.client().signIn("rita-reset", password: "a brand new long password").status == 303)
        try network.membership.requestPasswordReset(email: "rita.reset@example.org")
        let second = try #require(
            try network.services.outbox.list().first?.body.components(separatedBy: "/password/reset/").last?
                .prefix(64)
        ).description
        clock.advance(by: 3601)
        #expect(try client.get("/password/reset/\(second)").status == 410)
    }

    @Test func changingEmailNeedsConfirmationFromTheNewAddress() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Em Change")
        let client = network.client()
        #expect(try client.signIn("em-change").status == 303)
        let wrong = try client.submit(
            "/account/email", from: "/account",
            ["new_email": "new@example.org", "email_password": "not my password"])
        #expect(wrong.status == 422)
        #expect(
            try client.submit(
                "/account/email", from: "/account",
                ["new_email": "new@example.org", "email_password": "a long enough password"]
            ).status == 303)
        #expect(try network.membership.member(handle: "em-change")?.email == "em.change@example.org")
        let mail = try #require(try network.services.outbox.list().first { $0.to == "new@example.org" })
        let token = try #require(mail.body.components(separatedBy: "/account/email/").last?.prefix(64))
            .description
        #expect(try client.get("/account/email/\(token)").status == 303)
        #expect(try network.membership.member(handle: "em-change")?.email == "new@example.org")
    }
}

@Suite struct CSRFTests {
    @Test func everyMembershipFormRefusesAMissingOrWrongToken() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Other Person")
        try network.member("Ada Admin", role: .admin)
        let client = network.client()
        #expect(try client.signIn("ada-admin").status == 303)
        let forms = network.web.kernel.context.web.routes.filter { $0.kind == .page && $0.method == "POST" }
            .map(\.pattern)
        #expect(forms.count >= 15)
        for pattern in forms {
            let path = pattern.replacingOccurrences(of: ":handle", with: "other-person").replacingOccurrences(
                of: ":id", with: "1"
            )
            .replacingOccurrences(of: ":token", with: String(repeating: "a", count: 64)).replacingOccurrences(
                of: ":action", with: "suspend")
            let missing = try client.post(path, form: ["body": "x"])
            #expect(missing.status == 403, "\(pattern) without a token answered \(missing.status)")
            let wrong = try client.post(
                path, form: ["_csrf": String(repeating: "0", count: 64), "body": "x"])
            #expect(wrong.status == 403, "\(pattern) with a wrong token answered \(wrong.status)")
        }
        // A cross-site request is refused even with the right token.
        let page = try client.get("/account")
        let crossSite = try client.post(
            "/statuses", form: ["_csrf": page.csrf ?? "", "body": "x"],
            headers: [("Origin", "https://evil.example")])
        #expect(crossSite.status == 403)
        #expect(try network.membership.member(handle: "other-person")?.status == .active)
    }
}

@Suite struct FriendCountTests {
    @Test func theStoredCountFollowsEveryWayFriendshipsComeAndGo() throws {
        let network = try network()
        defer { network.stop() }
        let membership = network.membership
        let hub = try network.member("Hana Hub")
        let others = try (1...4).map { try network.member("Friend \($0)") }
        func counted(_ id: Int64) throws -> Int {
            try membership.database.read {
                try $0.scalar("SELECT COUNT(*) FROM friendships WHERE member_id = ?", [id], as: Int.self)
                    ?? -1
            }
        }
        for other in others {
            try membership.befriend(from: hub, to: other.id)
            try membership.befriend(from: other, to: hub.id)
        }
        #expect(try membership.friendCount(of: hub.id) == 4)
        #expect(try membership.friendCount(of: others[0].id) == 1)
        try membership.unfriend(hub.id, others[0].id)
        #expect(try membership.friendCount(of: hub.id) == 3)
        #expect(try membership.friendCount(of: others[0].id) == 0)
        // Friendships inserted around the service (as the seeder does), twice (ignored the second
        // time), and removed by a cascade when a member row goes.
        try membership.database.write { db in
            for _ in 0..<2 {
                try db.execute(
                    "INSERT OR IGNORE INTO friendships (member_id, friend_id, created_at) VALUES (?, ?, 0), (?, ?, 0)",
                    [hub.id, others[0].id, others[0].id, hub.id])
            }
        }
        #expect(try membership.friendCount(of: hub.id) == 4)
        try membership.database.write { db in
            try db.execute("DELETE FROM members WHERE id = ?", [others[3].id])
        }
        #expect(try membership.friendCount(of: hub.id) == 3)
        for member in [hub] + others.prefix(3) {
            #expect(try membership.friendCount(of: member.id) == counted(member.id), "\(member.name)")
        }
        // The migration's backfill gives the same numbers for friendships made before it.
        let migration = try #require(MembershipSchema.migrations.first { $0.name == "002_friend_counts" })
        try membership.database.write { db in
            try db.executeScript(
                """
                DROP TRIGGER friendships_counted; DROP TRIGGER friendships_uncounted;
                ALTER TABLE members DROP COLUMN friend_count;
                """)
            try migration.body(db)
        }
        for member in [hub] + others.prefix(3) {
            #expect(try membership.friendCount(of: member.id) == counted(member.id), "\(member.name)")
        }
    }
}

@Suite struct PersonalDataTests {
    @Test func myExportHoldsNoneOfAnotherMembersPrivateData() throws {
        let network = try network()
        defer { network.stop() }
        let me = try network.member("Mia Mine")
        let other = try network.member("Oscar Other")
        _ = try network.membership.postStatus(by: me, body: "my status")
        _ = try network.membership.postStatus(by: other, body: "oscar's status")
        try network.membership.befriend(from: me, to: other.id)
        try network.membership.befriend(from: other, to: me.id)
        let client = network.client()
        #expect(try client.signIn("mia-mine").status == 303)
        let export = try client.get("/account/export")
        #expect(export.status == 200)
        #expect(export.header("Content-Disposition")?.contains("attachment") == true)
        #expect(export.text.contains("my status"))
        #expect(export.text.contains("mia.mine@example.org"))
        #expect(!export.text.contains("oscar's status"))
        #expect(!export.text.contains("oscar.other@example.org"))
        #expect(export.text.contains("\"oscar-other\""))  // who my friends are is mine
    }

    @Test func deletionErasesTheMemberAndLeavesOthersReadable() throws {
        let network = try network()
        defer { network.stop() }
        let leaver = try network.member("Lee Leaver")
        let stayer = try network.member("Stay Here")
        try network.membership.befriend(from: leaver, to: stayer.id)
        try network.membership.befriend(from: stayer, to: leaver.id)
        _ = try network.membership.postStatus(by: stayer, body: "Thanks Lee for the phonics session!")
        let client = network.client()
        #expect(try client.signIn("lee-leaver").status == 303)
        let wrong = try client.submit("/account/delete", from: "/account/delete", ["confirm": "nope"])
        #expect(wrong.status == 422)
        #expect(
            try client.submit("/account/delete", from: "/account/delete", ["confirm": "lee-leaver"]).status
                == 303)
        let erased = try #require(try network.membership.member(id: leaver.id))
        #expect(erased.status == .deleted)
        #expect(erased.name == Member.formerMemberName)
        #expect(!erased.email.contains("lee"))
        #expect(try network.client().signIn("lee.leaver@example.org").status == 401)
        let viewer = network.client()
        #expect(try viewer.signIn("stay-here").status == 303)
        let activity = try viewer.get("/activity").text
        #expect(activity.contains("Welcome back, Stay Here."))
        #expect(activity.contains("Thanks Lee for the phonics session!"))
        #expect(!activity.contains("Lee Leaver"))
        #expect(try network.membership.friends(of: stayer.id).isEmpty)
    }
}

@Suite struct SocialTests {
    @Test func friendRequestsCanBeAcceptedDeclinedCancelledAndRemoved() throws {
        let network = try network()
        defer { network.stop() }
        let a = try network.member("Amy A")
        let b = try network.member("Ben B")
        #expect(try network.membership.befriend(from: a, to: b.id) == .requestSent)
        #expect(try network.membership.relationship(between: b.id, and: a.id) == .requestReceived)
        #expect(
            try network.services.outbox.list().contains { $0.to == b.email && $0.subject.contains("Amy A") })
        try network.membership.dropRequest(between: b.id, and: a.id)  // declined
        #expect(
            try network.membership.relationship(between: a.id, and: b.id)
                == MembershipService.Relationship.none)
        #expect(try network.membership.befriend(from: a, to: b.id) == .requestSent)
        #expect(try network.membership.befriend(from: b, to: a.id) == .friends)
        #expect(try network.membership.friends(of: a.id).map(\.handle) == ["ben-b"])
        try network.membership.unfriend(b.id, a.id)
        #expect(try network.membership.friends(of: a.id).isEmpty)
    }

    @Test func statusesAreLimitedAndOnlyTheirAuthorOrAModeratorDeletesThem() throws {
        let network = try network()
        defer { network.stop() }
        let author = try network.member("Sal Status")
        let other = try network.member("Oli Other")
        #expect(throws: DomainError.self) {
            try network.membership.postStatus(by: author, body: String(repeating: "x", count: 501))
        }
        #expect(throws: DomainError.self) { try network.membership.postStatus(by: author, body: "   ") }
        let status = try network.membership.postStatus(by: author, body: String(repeating: "x", count: 500))
        let otherSigned = SignedInMember(id: other.id, handle: other.handle, name: other.name, role: .member)
        #expect(throws: DomainError.self) { try network.membership.deleteStatus(id: status.id, by: otherSigned) }
        let moderator = SignedInMember(id: other.id, handle: other.handle, name: other.name, role: .moderator)
        try network.membership.deleteStatus(id: status.id, by: moderator)
        #expect(try network.membership.status(id: status.id) == nil)
    }

    @Test func theDirectoryPagesByKeysetAndFiltersByAnswer() throws {
        let clock = FixedClock(Date())
        let network = try network(
            [
                "profile_questions": .list([
                    .record([
                        "id": .string("school"), "label": .string("School"), "type": .string("text"),
                        "options": .list([]), "required": .bool(false),
                    ])
                ])
            ], clock: clock)
        defer { network.stop() }
        for index in 0..<30 {
            clock.advance(by: 1)
            _ = try network.membership.join(
                .init(
                    name: "Member \(index)", email: "m\(index)@example.org",
                    password: "a long enough password", acceptsTerms: true,
                    answers: ["school": index % 3 == 0 ? "Hilltop" : "Riverside"]))
        }
        var seen: [String] = []
        var after: Member?
        repeat {
            let page = try network.membership.directory(
                order: .newest, filter: nil, search: nil, limit: 7, after: after)
            seen += page.map(\.handle)
            after = page.count == 7 ? page.last : nil
        } while after != nil
        #expect(seen.count == 30)
        #expect(Set(seen).count == 30)
        #expect(seen.first == "member-29")
        let hilltop = try network.membership.directory(
            order: .name, filter: ("school", "Hilltop"), search: nil, limit: 100, after: nil)
        #expect(hilltop.count == 10)
        let client = network.client()
        #expect(try client.get("/members").status == 303)  // members only by default
        #expect(try client.signIn("m1@example.org").status == 303)
        let page = try client.get("/members?school=Hilltop&sort=name")
        #expect(page.text.components(separatedBy: "class=\"member-card\"").count - 1 == 10)
        #expect(page.text.contains("<span class=\"name\">Member 0</span>"))
        #expect(!page.text.contains("<span class=\"name\">Member 1</span>"))
    }

    @Test func avatarsAreCheckedAndServedWithTheirRealType() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Ava Avatar")
        let client = network.client()
        #expect(try client.signIn("ava-avatar").status == 303)
        let edit = try client.get("/profile/edit")
        let fields = [
            "_csrf": edit.csrf ?? "", "name": "Ava Avatar", "handle": "ava-avatar",
            "bio": "I teach **maths**.",
        ]
        let svg = try client.post(
            "/profile/edit", multipart: fields,
            files: [("avatar", "x.png", "image/png", Array("<svg onload=alert(1)>".utf8))])
        #expect(svg.status == 422)
        #expect(svg.text.contains("Use a PNG, JPEG, GIF or WebP picture."))
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
        #expect(
            try client.post(
                "/profile/edit", multipart: fields, files: [("avatar", "me.gif", "image/gif", png)]
            ).status == 303)
        let avatar = try client.get("/members/ava-avatar/avatar")
        #expect(avatar.status == 200)
        #expect(avatar.header("Content-Type") == "image/png")
        #expect(avatar.header("X-Content-Type-Options") == "nosniff")
        let big = png + Array(repeating: 0, count: 2 * 1024 * 1024)
        let tooBig = try client.post(
            "/profile/edit", multipart: fields, files: [("avatar", "big.png", "image/png", big)])
        #expect(tooBig.status == 422)
        #expect(try client.get("/members/ava-avatar").text.contains("<strong>maths</strong>"))
    }
}

@Suite struct APITests {
    @Test func theAPIAnswersWithProblemDetails() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Api User")
        let client = network.client()
        let bad = try client.send(
            json: "POST", "/api/v1/sessions", ["login": "api-user", "password": "wrong password!!"])
        #expect(bad.status == 401)
        #expect(bad.header("Content-Type") == "application/problem+json")
        #expect(try client.get("/api/v1/me").status == 401)
        let join = try client.send(
            json: "POST", "/api/v1/members",
            ["name": "", "email": "x", "password": "short", "accept_terms": false])
        #expect(join.status == 422)
        let problem = join.json as? [String: Any]
        #expect((problem?["errors"] as? [[String: Any]])?.count == 4)
        let garbage = try client.send(
            "POST", "/api/v1/members", headers: [("Content-Type", "application/json")],
            body: Array("{not json".utf8))
        #expect(garbage.status == 400)
        let signedIn = try client.send(
            json: "POST", "/api/v1/sessions", ["login": "api-user", "password": "a long enough password"])
        #expect(signedIn.status == 201)
        client.bearer = (signedIn.json as? [String: Any])?["token"] as? String
        #expect(
            try client.send(json: "POST", "/api/v1/statuses", ["body": String(repeating: "y", count: 501)])
                .status == 422)
        #expect(
            try client.send(json: "POST", "/api/v1/statuses", ["body": "Hello from the API"]).status == 201)
        #expect(
            try client.send(json: "PATCH", "/api/v1/members/api-user", ["bio": "Science lead"]).status == 200)
        #expect(try client.send("DELETE", "/api/v1/sessions", headers: [], body: []).status == 204)
        #expect(try client.get("/api/v1/me").status == 401)
    }

    @Test func theOpenAPIDocumentDescribesMembershipOperations() throws {
        let network = try network()
        defer { network.stop() }
        let document = try network.client().get("/api/v1/openapi.json")
        let json = try #require(document.json as? [String: Any])
        #expect(json["openapi"] as? String == "3.1.0")
        let paths = try #require(json["paths"] as? [String: Any])
        for path in [
            "/api/v1/sessions", "/api/v1/members", "/api/v1/members/{handle}", "/api/v1/me",
            "/api/v1/friendships", "/api/v1/statuses", "/api/v1/activity",
        ] {
            #expect(paths[path] != nil, "\(path) missing")
        }
    }
}

@Suite struct ConsoleCommandTests {
    @Test func theFirstAdministratorIsCreatedFromTheConsole() throws {
        let network = try network()
        defer { network.stop() }
        let created = network.admin([
            "members", "create", "--admin", "--name", "Head Teacher", "--email", "head@example.org",
            "--password", "a long enough password", "--json",
        ])
        #expect(created.code == 0, "\(created.err)")
        #expect(created.out.contains("\"role\": \"creator\""))
        let second = network.admin([
            "members", "create", "--admin", "--name", "Deputy", "--email", "deputy@example.org", "--password",
            "a long enough password",
        ])
        #expect(second.out.contains("admin"))
        #expect(
            network.admin([
                "members", "create", "--name", "Weak", "--email", "w@example.org", "--password",
                "password123",
            ]).code == 1)
        #expect(network.admin(["members", "suspend", "deputy"]).code == 0)
        #expect(network.admin(["members", "suspend", "nobody-here"]).code == 1)
        #expect(network.admin(["members", "reinstate", "deputy"]).code == 0)
        #expect(network.admin(["members", "promote", "deputy", "--role", "moderator"]).code == 0)
        #expect(network.admin(["members", "demote", "deputy"]).code == 0)
        #expect(network.admin(["members", "suspend", "head-teacher"]).code == 1)  // the creator
        let invite = network.admin(["invites", "create", "--uses", "3", "--json"])
        #expect(invite.code == 0)
        #expect(invite.out.contains("/join?invite="))
        #expect(network.admin(["invites", "list"]).out.contains("0/3"))
        #expect(network.admin(["members", "delete", "deputy"], answers: ["no"]).code == 1)
        #expect(network.admin(["members", "delete", "deputy", "--yes"]).code == 0)
        #expect(network.admin(["members", "list", "--status", "bogus"]).code == 2)
    }
}

/// The end-to-end journey of the issue: two members join, become friends, one posts a status,
/// and it is in Latest Activity.
@Suite struct MembershipJourneyTests {
    @Test func twoMembersJoinBefriendAndAStatusAppearsInLatestActivity() throws {
        let network = try network()
        defer { network.stop() }
        let karen = network.client()
        let jessica = network.client()
        #expect(
            try karen.join(name: "Karen D Honeycutt", email: "karen@hilltop.sch.uk").location
                == "/members/karen-d-honeycutt")
        #expect(try jessica.join(name: "Jessica J Lenhart", email: "jessica@riverside.sch.uk").status == 303)
        #expect(
            try jessica.submit("/members/karen-d-honeycutt/friend", from: "/members/karen-d-honeycutt").status
                == 303)
        let requests = try karen.get("/friends")
        #expect(requests.text.contains("Jessica J Lenhart"))
        #expect(
            try karen.post("/members/jessica-j-lenhart/friend", form: ["_csrf": requests.csrf ?? ""]).status
                == 303)
        #expect(try karen.get("/friends").text.contains("Your friends (1)"))
        #expect(
            try karen.submit(
                "/statuses", from: "/members/karen-d-honeycutt",
                ["body": "Reading recovery training at Hilltop on Friday https://example.org/rr"]
            ).status == 303)
        let activity = try jessica.get("/activity").text
        #expect(activity.contains("posted a status"))
        #expect(activity.contains("Reading recovery training at Hilltop on Friday"))
        #expect(activity.contains("is now friends with"))
        #expect(
            activity.contains(
                "Jessica J Lenhart</a> and <a href=\"/members/karen-d-honeycutt\">Karen D Honeycutt</a></span> joined"
            ))
        let friends = try jessica.get("/activity/friends").text
        #expect(friends.contains("Reading recovery training"))
        let home = try jessica.get("/").text
        #expect(home.contains("Latest Activity"))
        #expect(home.contains("posted a status"))
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

@Suite struct FriendRequestLimitTests {
    @Test func friendRequestsAreRateLimitedPerHour() throws {
        let clock = FixedClock(Date())
        let network = try network(["friend_requests_per_hour": .int(3)], clock: clock)
        defer { network.stop() }
        let sender = try network.member("Sam Sender")
        let others = try (0..<5).map { try network.member("Other \($0)") }
        for other in others.prefix(3) {
            #expect(try network.membership.befriend(from: sender, to: other.id) == .requestSent)
        }
        #expect(throws: DomainError.self) { try network.membership.befriend(from: sender, to: others[3].id) }
        clock.advance(by: 3601)
        #expect(try network.membership.befriend(from: sender, to: others[3].id) == .requestSent)
    }
}
