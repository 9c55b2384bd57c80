import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

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
            try $0.scalar("SELECT token_hash FROM membership_sessions", as: String.self)
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
