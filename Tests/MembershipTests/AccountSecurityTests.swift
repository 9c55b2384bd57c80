import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

/// Issue 14, items 6, 7, 8 and 10: redirects after signing in, what a password change ends,
/// mail to deleted and suspended members, and the hardening of accounts.
@Suite struct AccountSecurityTests {
    static let password = "a long enough password"

    func apiClient(_ network: TestNetwork, _ login: String, password: String = Self.password) throws
        -> TestClient
    {
        let api = network.client()
        let answer = try api.send(json: "POST", "/api/v1/sessions", ["login": login, "password": password])
        api.bearer = try #require((answer.json as? [String: Any])?["token"] as? String, "\(answer)")
        return api
    }

    func resetLink(_ network: TestNetwork, _ email: String) throws -> String {
        try network.membership.requestPasswordReset(email: email)
        return try #require(network.mailedLink(to: email, startingWith: "/password/reset/"))
    }

    // MARK: 6. Open redirect

    @Test(
        "signing in follows only a same-site next",
        arguments: [
            "/\r\n/evil.example/", "/\t/evil.example/", "//evil.example/", "/\\evil.example/",
            "/%0d%0a/evil.example/",
            "https://evil.example/",
        ])
    func signInRefusesForeignNext(_ next: String) throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Nell Next")
        let client = network.client()
        let page = try client.get("/sign-in")
        let answer = try client.post(
            "/sign-in",
            form: ["_csrf": page.csrf ?? "", "login": "nell-next", "password": Self.password, "next": next])
        #expect(answer.status == 303)
        #expect(answer.location == "/")
    }

    @Test func signInFollowsALocalNextAndTheTermsPageToo() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Lou Local")
        let client = network.client()
        let page = try client.get("/sign-in?next=%2Fmembers%2Flou-local")
        #expect(page.text.contains("value=\"/members/lou-local\""))
        let answer = try client.post(
            "/sign-in",
            form: [
                "_csrf": page.csrf ?? "", "login": "lou-local", "password": Self.password,
                "next": "/members/lou-local",
            ])
        #expect(answer.location == "/members/lou-local")
        let terms = try client.get("/terms/accept")
        for next in ["/\r\n/evil.example/", "/\t/evil.example/"] {
            let accepted = try client.post(
                "/terms/accept", form: ["_csrf": terms.csrf ?? "", "terms": "1", "next": next])
            #expect(accepted.location == "/")
        }
        #expect(!(try client.get("/sign-in?next=%2F%2Fevil.example").text.contains("evil.example")))
    }

    // MARK: 7. Password reset and change end every credential

    @Test func changingThePasswordEndsEverySessionAndTokenButRotatesThisOne() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Cass Change")
        let laptop = network.client()
        let phone = network.client()
        #expect(try laptop.signIn("cass-change").status == 303)
        #expect(try phone.signIn("cass-change").status == 303)
        let oldCookie = try #require(laptop.cookies[MembershipService.sessionCookie])
        let api = try apiClient(network, "cass-change")
        #expect(try api.get("/api/v1/me").status == 200)
        let link = try resetLink(network, "cass.change@example.org")
        let changed = try laptop.submit(
            "/account/password", from: "/account",
            ["current_password": Self.password, "new_password": "another long password"])
        #expect(changed.status == 303)
        #expect(try laptop.get("/").text.contains("your API tokens no longer work"))
        #expect(laptop.cookies[MembershipService.sessionCookie] != oldCookie)
        #expect(try laptop.get("/account").status == 200)  // this device stays signed in, on a new token
        #expect(try phone.get("/account").status == 303)
        #expect(try api.get("/api/v1/me").status == 401)
        let stale = network.client()
        stale.cookies[MembershipService.sessionCookie] = oldCookie
        #expect(try stale.get("/account").status == 303)
        #expect(try network.client().get(link).status == 410)  // an unused older reset link is dead too
    }

    @Test func resettingThePasswordRevokesTokensAndEveryOlderLink() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Rob Reset")
        let api = try apiClient(network, "rob-reset")
        let first = try resetLink(network, "rob.reset@example.org")
        let second = try resetLink(network, "rob.reset@example.org")
        #expect(first != second)
        let client = network.client()
        let done = try client.submit(second, from: second, ["password": "a brand new long password"])
        #expect(done.status == 303)
        #expect(try client.get("/sign-in").text.contains("signed out on every device"))
        #expect(try api.get("/api/v1/me").status == 401)
        #expect(try client.get(first).status == 410)
        #expect(try client.get(second).status == 410)
    }

    @Test func settingAPasswordFromTheConsoleRevokesTokens() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Con Sole")
        let api = try apiClient(network, "con-sole")
        try network.membership.setPassword(memberID: member.id, to: "a console set password")
        #expect(try api.get("/api/v1/me").status == 401)
    }

    // MARK: 8. Mail to deleted and suspended members

    @Test func deletingAnAccountRemovesItsUnsentMail() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Del Eted")
        let other = try network.member("Kay Kept")
        try network.services.database.write { db in
            try network.services.outbox.enqueue(Mail(to: member.email, subject: "Digest", body: "…"), in: db)
            try network.services.outbox.enqueue(Mail(to: other.email, subject: "Digest", body: "…"), in: db)
        }
        try network.membership.deleteAccount(
            memberID: member.id, hooks: network.membership.personalDataHooks())
        let left = try network.services.outbox.list()
        #expect(!left.contains { $0.to == member.email })
        #expect(left.contains { $0.to == other.email })
    }

    @Test func suspendedMembersGetOnlyMailAboutTheirSuspension() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Sus Pended")
        let other = try network.member("Act Ive")
        try network.services.database.write { db in
            try network.services.outbox.enqueue(
                Mail(to: member.email, subject: "Friend request", body: "…"), in: db)
            try network.services.outbox.enqueue(
                Mail(to: other.email, subject: "Friend request", body: "…"), in: db)
            try network.services.outbox.enqueue(
                Mail(to: "not.a.member@example.org", subject: "Invitation", body: "…"), in: db)
        }
        _ = try network.membership.suspend(memberID: member.id, by: nil)
        try network.services.database.write { db in
            try network.services.outbox.enqueue(
                Mail(
                    to: member.email, subject: "Your membership is suspended", body: "…",
                    aboutAccountStatus: true), in: db)
        }
        let report = try network.services.outbox.deliverDue()
        #expect(report.withheld == 1)
        #expect(report.kept == 3)
        let withheld = try network.services.outbox.list(status: "withheld")
        #expect(withheld.map(\.subject) == ["Friend request"])
        #expect(withheld.first?.to == member.email)
        #expect(try network.services.outbox.deliverDue().withheld == 0)  // never retried
    }

    @Test func approvalMailIsMarkedAsAboutAccountStatus() throws {
        let network = try network(["signup": .string("approval")])
        defer { network.stop() }
        let pending = try network.membership.join(
            .init(name: "Pat Pending", email: "pat@example.org", password: Self.password, acceptsTerms: true))
        _ = try network.membership.approve(memberID: pending.id)
        let welcome = try #require(try network.services.outbox.list().first { $0.to == "pat@example.org" })
        #expect(welcome.isAboutAccountStatus)
    }
}
