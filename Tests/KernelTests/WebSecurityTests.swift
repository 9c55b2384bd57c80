import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

/// Redirect targets, single-line text, HSTS and Secure cookies behind TLS, and the server-issued
/// pre-sign-in CSRF cookie (issue 14, items 6 and 10).
@Suite struct WebSecurityTests {
    @Test(
        "only a same-site path passes as a redirect target",
        arguments: [
            "/", "/members/erin", "/groups/year-6?tab=files#top", "/search?q=a%20b", "/a/b/../c",
        ])
    func sameSitePathsPass(_ path: String) {
        #expect(RedirectTarget.sameSitePath(path) == path)
    }

    @Test(
        "other sites, schemes, control characters and their encodings are refused",
        arguments: [
            "//evil.example/", "/\\evil.example/", "/\r\n/evil.example/", "/\t/evil.example/",
            "/%0d%0a/evil.example/",
            "/%09/evil.example/", "/%2F/evil.example/", "/%2f%2fevil.example", "/%5Cevil.example", "/ok\u{0}",
            "/a b",
            "https://evil.example/", "javascript:alert(1)", "evil.example", "", "/%zz", "/caf\u{e9}",
            "/\u{85}x",
        ])
    func foreignTargetsAreRefused(_ target: String) {
        #expect(RedirectTarget.sameSitePath(target) == nil)
    }

    @Test func noTargetIsNoRedirect() {
        #expect(RedirectTarget.sameSitePath(nil) == nil)
    }

    @Test("single-line text loses line breaks, NUL and bidi overrides, and keeps what people write")
    func singleLineTextIsCleaned() {
        #expect(SingleLineText.clean("Ada\r\nLovelace") == "Ada Lovelace")
        #expect(SingleLineText.clean("  Year 6\t\tmaths\u{2028} ") == "Year 6 maths")
        #expect(SingleLineText.clean("evil\u{202E}txt.exe\u{0}") == "eviltxt.exe")
        #expect(SingleLineText.clean("\u{2066}a\u{2069}\u{1B}[31mb\u{7F}") == "a[31mb")
        #expect(SingleLineText.clean("Zoë O’Brien-Smith 👩‍🏫") == "Zoë O’Brien-Smith 👩‍🏫")
        #expect(SingleLineText.clean("שלום\u{200F} Ada") == "שלום\u{200F} Ada")
        #expect(SingleLineText.isClean("Ada Lovelace"))
        #expect(!SingleLineText.isClean("Ada\nLovelace"))
    }

    @Test(
        "behind a trusted TLS proxy every response has HSTS and every cookie is Secure, the flash cookie too")
    func tlsMeansHSTSAndSecureCookies() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self],
            settings: ["server": ["trusted_proxies": .list([.string("127.0.0.1")])]])
        defer { network.stop() }
        let client = network.client()
        client.cookies["pln_flash"] = "info:Hello"
        let secure = try client.get("/sign-in", headers: [("X-Forwarded-Proto", "https")])
        #expect(secure.header("Strict-Transport-Security") == "max-age=31536000")
        let cookies = secure.headers("Set-Cookie")
        #expect(cookies.contains { $0.hasPrefix("pln_flash=") })
        #expect(cookies.contains { $0.hasPrefix("pln_csrf=") })
        #expect(cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")
        let plainClient = network.client()
        plainClient.cookies["pln_flash"] = "info:Hello"
        let plain = try plainClient.get("/sign-in")
        #expect(plain.header("Strict-Transport-Security") == nil)
        #expect(plain.headers("Set-Cookie").allSatisfy { !$0.contains("Secure") })
    }

    @Test("an https base_url makes every response secure even when the proxy does not say so")
    func httpsBaseURLMeansSecure() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self],
            settings: ["network": ["base_url": .string("https://pln.example.org")]])
        defer { network.stop() }
        let client = network.client()
        client.cookies["pln_flash"] = "success:Saved"
        let page = try client.get("/")
        #expect(page.header("Strict-Transport-Security") == "max-age=31536000")
        #expect(!page.headers("Set-Cookie").isEmpty)
        #expect(page.headers("Set-Cookie").allSatisfy { $0.contains("; Secure") })
    }

    @Test("a CSRF cookie the server did not issue is replaced and cannot carry a form")
    func clientChosenCSRFCookieIsRefused() throws {
        let network = try TestNetwork(modules: [MembershipModule.self])
        defer { network.stop() }
        let chosen = String(repeating: "ab", count: 32)
        let attacker = network.client()
        attacker.cookies["pln_csrf"] = chosen
        let page = try attacker.get("/sign-in")
        #expect(page.csrf != chosen)
        #expect(page.headers("Set-Cookie").contains { $0.hasPrefix("pln_csrf=") && !$0.contains(chosen) })
        let planted = network.client()
        planted.cookies["pln_csrf"] = chosen
        let forged = try planted.post(
            "/password/forgot", form: ["_csrf": chosen, "email": "erin@example.org"])
        #expect(forged.status == 403)
        // A token the server issued keeps working across requests.
        let browser = network.client()
        let form = try browser.get("/password/forgot")
        let issued = try #require(form.csrf)
        #expect(try browser.get("/sign-in").csrf == issued)
        let sent = try browser.post("/password/forgot", form: ["_csrf": issued, "email": "erin@example.org"])
        #expect(sent.status == 303)
    }
}
