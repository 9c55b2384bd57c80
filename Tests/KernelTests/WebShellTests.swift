import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@Suite struct WebShellTests {
    func network() throws -> TestNetwork {
        try TestNetwork(
            modules: [MembershipModule.self],
            settings: [
                "network": ["name": .string("Hilltop <PLN>"), "tagline": .string("Teachers & friends")]
            ])
    }

    @Test func everyPageCarriesTheSecurityHeadersAndEscapesConfigText() throws {
        let network = try network()
        defer { network.stop() }
        let home = try network.client().get("/")
        #expect(home.status == 200)
        #expect(home.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
        #expect(home.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(home.header("X-Content-Type-Options") == "nosniff")
        #expect(home.header("Referrer-Policy") == "strict-origin-when-cross-origin")
        #expect(home.text.contains("Hilltop &lt;PLN&gt;"))
        #expect(home.text.contains("Teachers &amp; friends"))
        #expect(!home.text.contains("<script>"))  // no inline script
        #expect(home.text.contains("<a href=\"/terms\">Terms of Service</a>"))
        #expect(home.text.contains("class=\"skip-link\""))
        for path in ["/nope", "/api/v1/nope"] {
            let missing = try network.client().get(path)
            #expect(missing.status == 404)
            #expect(missing.header("Content-Security-Policy") != nil)
        }
    }

    @Test func errorsArePagesForMembersAndProblemDetailsForTheAPI() throws {
        let network = try network()
        defer { network.stop() }
        let page = try network.client().get("/members/nobody-at-all")
        #expect(page.status == 303)  // the directory is for members: sign in first
        let client = network.client()
        _ = try client.join(name: "Nia Nine", email: "nia@example.org")
        let missing = try client.get("/members/nobody-at-all")
        #expect(missing.status == 404)
        #expect(missing.text.contains("<h1>Page not found</h1>"))
        #expect(!missing.text.contains("Error"))
        let api = try client.get("/api/v1/nothing-here")
        #expect(api.header("Content-Type") == "application/problem+json")
        let json = try #require(api.json as? [String: Any])
        #expect(json["status"] as? Int == 404)
        #expect(json["title"] as? String != nil)
    }

    @Test func headIsServedFromGetAndOtherMethodsGet405WithAllow() throws {
        let network = try network()
        defer { network.stop() }
        let head = try network.client().send("HEAD", "/terms", headers: [], body: [])
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(Int(head.header("Content-Length") ?? "0") ?? 0 > 0)
        let delete = try network.client().send("DELETE", "/terms", headers: [], body: [])
        #expect(delete.status == 405)
        #expect(delete.header("Allow")?.contains("GET") == true)
    }

    @Test func assetsAreCachedWithETagsAndRevalidate() throws {
        let network = try network()
        defer { network.stop() }
        let client = network.client()
        let css = try client.get("/assets/pln.css?v=1")
        #expect(css.status == 200)
        #expect(css.header("Content-Type") == "text/css; charset=utf-8")
        #expect(css.header("Cache-Control")?.contains("immutable") == true)
        let etag = try #require(css.header("ETag"))
        let again = try client.get("/assets/pln.css?v=1", headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(try client.get("/assets/theme.css").text.contains("--primary:#1f5f8b"))
        #expect(try client.get("/assets/../Package.swift").status == 404)
    }

    /// The network's colours are inline (no render-blocking request for 42 bytes), and the CSP
    /// allows exactly that style element by its hash and no other inline style.
    @Test func theThemeIsInlineAndTheCSPAllowsOnlyItsHash() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self], settings: ["network": ["primary_colour": .string("#0b3d2e")]])
        defer { network.stop() }
        let page = try network.client().get("/")
        #expect(!page.text.contains("theme.css"))
        let theme = ":root{--primary:#0b3d2e;--accent:#f0a500}\n"
        #expect(page.text.contains("<style>\(theme)</style>"))
        let hash = Data(SHA256.hash(Array(theme.utf8))).base64EncodedString()
        let policy = try #require(page.header("Content-Security-Policy"))
        #expect(policy.contains("style-src 'self' 'sha256-\(hash)';"))
        #expect(!policy.contains("unsafe-inline"))
        let api = try network.client().get("/api/v1/openapi.json")
        #expect(api.header("Content-Security-Policy")?.contains("sha256") == false)
    }

    @Test func healthzAnswersWithoutTouchingTheDatabase() throws {
        let network = try network()
        defer { network.stop() }
        let health = try network.client().get("/healthz")
        #expect(health.status == 200)
        #expect(health.text == "ok\n")
    }

    @Test func flashMessagesShowOnceAfterARedirect() throws {
        let network = try network()
        defer { network.stop() }
        let client = network.client()
        #expect(try client.join(name: "Fay Flash", email: "fay@example.org").status == 303)
        #expect(
            try client.get("/members/fay-flash").text.contains("Welcome to Hilltop &lt;PLN&gt;, Fay Flash!"))
        #expect(!(try client.get("/members/fay-flash").text.contains("Welcome to Hilltop")))
    }

    @Test func forwardedHeadersCountOnlyFromTrustedProxies() throws {
        let untrusted = try network()
        defer { untrusted.stop() }
        let client = untrusted.client()
        _ = try client.join(name: "Pat Proxy", email: "pat@example.org", extra: [:])
        // The session cookie is not Secure: X-Forwarded-Proto from an untrusted peer is ignored.
        let page = try client.get("/sign-in")
        #expect(page.status == 303 || page.status == 200)
        let trusted = try TestNetwork(
            modules: [MembershipModule.self],
            settings: ["server": ["trusted_proxies": .list([.string("127.0.0.1")])]])
        defer { trusted.stop() }
        let member = "a long enough password"
        _ = try trusted.services.service(MembershipService.self)?.join(
            .init(name: "Sec Ure", email: "sec@example.org", password: member, acceptsTerms: true),
            bypassSignupMode: true)
        let behindProxy = trusted.client()
        let signIn = try behindProxy.get("/sign-in", headers: [("X-Forwarded-Proto", "https")])
        let joined = try behindProxy.post(
            "/sign-in", form: ["_csrf": signIn.csrf ?? "", "login": "sec@example.org", "password": member],
            headers: [("X-Forwarded-Proto", "https")])
        #expect(
            joined.headers("Set-Cookie").contains {
                $0.hasPrefix("pln_session=") && $0.contains("Secure") && $0.contains("HttpOnly")
                    && $0.contains("SameSite=Lax")
            })
        _ = try untrusted.services.service(MembershipService.self)?.join(
            .init(name: "Not Secure", email: "ns@example.org", password: member, acceptsTerms: true),
            bypassSignupMode: true)
        let direct = untrusted.client()
        let directSignIn = try direct.get("/sign-in", headers: [("X-Forwarded-Proto", "https")])
        let plain = try direct.post(
            "/sign-in",
            form: ["_csrf": directSignIn.csrf ?? "", "login": "ns@example.org", "password": member],
            headers: [("X-Forwarded-Proto", "https")])
        #expect(
            plain.headers("Set-Cookie").contains { $0.hasPrefix("pln_session=") && !$0.contains("Secure") })
    }

    @Test("initials: first letters of the first two words in capitals, ASCII or not")
    func initials() {
        #expect(Shell.initials("Amira khan") == "AK")
        #expect(Shell.initials("  ben   o'neil  smith ") == "BO")
        #expect(Shell.initials("Zoë Ødegaard") == "ZØ")
        #expect(Shell.initials("Ann Zoë") == "AZ")
        #expect(Shell.initials("élodie martin") == "ÉM")
        #expect(Shell.initials("Cher") == "C")
        #expect(Shell.initials("") == "")
    }

    @Test("a time element: RFC 3339 instant, the exact local time in its title, the relative text")
    func timeElement() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self], settings: ["network": ["time_zone": .string("Europe/London")]],
            clock: FixedClock(Date(timeIntervalSince1970: 1_783_000_000)))
        defer { network.stop() }
        let shell = network.web.shell
        let now = network.clock.now
        let earlier = now.addingTimeInterval(-5 * 60 - 10)
        #expect(
            shell.time(earlier).text
                == "<time datetime=\"\(JSONValue.timestamp(earlier))\" title=\"\(shell.calendar.string(earlier, .dayMonthYearTime))\">5 minutes ago</time>"
        )
        // 1_783_000_000 is 2026-07-02T13:46:40Z: 14:41 in London (BST) for a time 5 minutes and 10 s before.
        #expect(shell.time(earlier).text.contains("title=\"2 July 2026, 14:41\""))
        #expect(shell.time(now).text.hasSuffix(">just now</time>"))
    }
}
