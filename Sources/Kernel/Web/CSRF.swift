import Foundation
import HTTP
import Storage

/// Cross-site request forgery protection: a synchronizer token per session (or, before
/// signing in, per browser in a cookie) that every state-changing form carries, plus a check
/// that the request came from this site (Sec-Fetch-Site / Origin).
///
/// The pre-sign-in token is issued by the server only: a random nonce and an HMAC-SHA256 of it
/// under a key kept in the database (so every server of a deployment shares it). A cookie the
/// server did not issue (a value an attacker planted, e.g. from a sibling subdomain) fails the
/// check and is replaced, so it can never be paired with a forged form.
///
/// ```swift
/// let csrf = CSRF(key: try CSRF.loadKey(from: database))
/// let token = csrf.issue()            // 64 hex characters
/// csrf.isIssued(token)                // true
/// ```
public struct CSRF: Sendable {
    public static let cookieName = "pln_csrf"
    private let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// The deployment's CSRF key, created on first use and shared through `kernel_state`.
    public static func loadKey(from database: Database) throws -> [UInt8] {
        let stored = try database.write { db -> String? in
            try db.execute(
                "INSERT INTO kernel_state (key, value) VALUES ('csrf_key', ?) ON CONFLICT (key) DO NOTHING",
                [RandomToken.hex()])
            return try db.scalar("SELECT value FROM kernel_state WHERE key = 'csrf_key'", as: String.self)
        }
        return Array((stored ?? RandomToken.hex()).utf8)
    }

    /// A new pre-sign-in token: 32 hex characters of nonce, then 32 of its MAC.
    public func issue() -> String {
        let nonce = RandomToken.hex(byteCount: 16)
        return nonce + mac(nonce)
    }

    /// True when the server issued `token` (its MAC matches).
    public func isIssued(_ token: String) -> Bool {
        guard token.utf8.count == 64,
            token.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else {
            return false
        }
        let nonce = String(token.prefix(32))
        return RandomToken.constantTimeEquals(String(token.suffix(32)), mac(nonce))
    }

    private func mac(_ nonce: String) -> String {
        String(SHA256.hex(bytes: Self.hmac(key: key, message: Array(("csrf:" + nonce).utf8))).prefix(32))
    }

    /// HMAC-SHA256 (RFC 2104).
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = SHA256.hash(block.map { $0 ^ 0x36 } + message)
        return SHA256.hash(block.map { $0 ^ 0x5c } + inner)
    }

    static func verify(
        request: HTTPRequest, context: RequestContext, expected: String, isAPI: Bool, hasSession: Bool
    ) throws {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased(), site == "cross-site" {
            throw DomainError.forbidden("This request came from another site and was refused.")
        }
        if let origin = request.headers["Origin"], origin != "null", let host = request.headers["Host"] {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
                .map(String.init)
            if originHost?.lowercased() != host.lowercased() {
                throw DomainError.forbidden("This request came from another site and was refused.")
            }
        }
        // An API call without a session carries no ambient authority to forge.
        if isAPI && !hasSession { return }
        var submitted = request.headers["X-CSRF-Token"]
        if submitted == nil, !isAPI {
            submitted = try? context.form()["_csrf"]
        }
        guard let submitted, RandomToken.constantTimeEquals(submitted, expected) else {
            throw DomainError.forbidden(
                "This form has expired or did not come from this site. Go back, reload the page and try again."
            )
        }
    }
}
