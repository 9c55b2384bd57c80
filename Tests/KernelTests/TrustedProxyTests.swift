import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

/// X-Forwarded-* through the whole web application, over real HTTP: believed from a trusted
/// proxy range, ignored from anyone else (issue 15, item 8).
@Suite struct TrustedProxyTests {
    static let password = "a long enough password"
    static let forwarded: [(String, String)] = [
        ("X-Forwarded-For", "6.6.6.6, 203.0.113.7, 127.0.0.9"), ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "pln.example.org"), ("Origin", "https://pln.example.org"),
    ]

    /// Signs in with the forwarded headers; returns the response and the address the session
    /// recorded.
    func signIn(on network: TestNetwork) throws -> (TestClient.Response, String?) {
        _ = try network.services.service(MembershipService.self)?.join(
            .init(name: "Pat Proxy", email: "pat@example.org", password: Self.password, acceptsTerms: true),
            bypassSignupMode: true)
        let client = network.client()
        let page = try client.get("/sign-in", headers: Self.forwarded)
        let response = try client.post(
            "/sign-in",
            form: ["_csrf": page.csrf ?? "", "login": "pat@example.org", "password": Self.password],
            headers: Self.forwarded)
        let address = try network.services.database.read { db in
            try db.scalar("SELECT ip FROM membership_sessions ORDER BY created_at DESC LIMIT 1", as: String.self)
        }
        return (response, address)
    }

    @Test("behind a trusted proxy range the client address, scheme and host come from the headers")
    func trustedRange() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self],
            settings: ["server": ["trusted_proxies": .list([.string("127.0.0.0/8"), .string("fd00::/8")])]])
        defer { network.stop() }
        let (response, address) = try signIn(on: network)
        // The Origin names the forwarded host, so the CSRF origin check passes; the session is
        // Secure because the proxy said https; the client is the right-most untrusted hop.
        #expect(response.status == 303, "\(response)")
        #expect(
            response.headers("Set-Cookie").contains {
                $0.hasPrefix("pln_session=") && $0.contains("; Secure")
            })
        #expect(response.header("Strict-Transport-Security") == "max-age=31536000")
        #expect(address == "203.0.113.7")
    }

    @Test("from a peer outside the trusted ranges the same headers are ignored")
    func untrustedPeer() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self],
            settings: ["server": ["trusted_proxies": .list([.string("10.0.0.0/8"), .string("fd00::/8")])]])
        defer { network.stop() }
        let (response, address) = try signIn(on: network)
        // Host stays 127.0.0.1:port, so the Origin is another site's; nothing is recorded.
        #expect(response.status == 403, "\(response)")
        #expect(response.header("Strict-Transport-Security") == nil)
        #expect(address == nil)
        let client = network.client()
        let page = try client.get("/sign-in", headers: Self.forwarded.filter { $0.0 != "Origin" })
        _ = try client.post(
            "/sign-in",
            form: ["_csrf": page.csrf ?? "", "login": "pat@example.org", "password": Self.password],
            headers: Self.forwarded.filter { $0.0 != "Origin" })
        let recorded = try network.services.database.read { db in
            try db.scalar("SELECT ip FROM membership_sessions ORDER BY created_at DESC LIMIT 1", as: String.self)
        }
        #expect(recorded == "127.0.0.1")
    }
}
