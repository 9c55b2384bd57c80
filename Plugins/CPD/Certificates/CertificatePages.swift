import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// Certificates of attendance, and the hosted Open Badges 2.0 documents that verify them.
///
/// ```swift
/// CertificatePages(cpd: cpd).register(&web)   // its pages under /cpd, named handlers below
/// ```
struct CertificatePages: Sendable {
    let cpd: CPDService
    var membership: MembershipService { cpd.membership }

    func register(_ web: inout WebContributions) {
        web.pages("/cpd") { pages in
            pages.get("/sessions/:id/certificate", access: .members, use: certificate)
            pages.get("/badges/image.svg", use: image)
        }
        web.api("GET", "/cpd/badges/assertions/:uid", operation: Self.assertionOperation, assertion)
        web.api("GET", "/cpd/badges/classes/:token", operation: Self.badgeClassOperation, badgeClass)
        web.api("GET", "/cpd/badges/issuer", operation: Self.issuerOperation, issuer)
    }

    @Sendable func certificate(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let sessionID = try ctx.idParameter("id")
        var memberID = me.id
        if let handle = ctx.query("member"), me.isAdmin {
            guard let member = try cpd.membership.member(handle: handle) else { throw DomainError.notFound }
            memberID = member.id
        }
        let certificate = try cpd.certificate(sessionID: sessionID, memberID: memberID, actor: me)
        let session = certificate.session
        let facilitators = certificate.facilitators.map {
            $0.status == .deleted ? Member.formerMemberName : $0.name
        }
        let assertionURL = cpd.services.link(certificate.assertion.path)
        let body: HTML = """
            <article class="card certificate">
            <p class="meta">\(ctx.services.config.networkName)</p>
            <h1>Certificate of attendance</h1>
            <p>This certifies that</p>
            <p><strong>\(certificate.member.name)</strong></p>
            <p>attended the CPD session</p>
            <p><strong>\(session.title)</strong></p>
            <dl>
            <dt>Date</dt><dd>\(CPDService.format(session.startsAt, of: session, style: .long))</dd>
            <dt>Hours</dt><dd>\(Hours.text(minutes: session.durationMinutes))</dd>
            <dt>Facilitated by</dt><dd>\(facilitators.joined(separator: ", "))</dd>
            \(session.hostSchool.isEmpty ? HTML.empty : "<dt>Hosted by</dt><dd>\(session.hostSchool)</dd>")
            <dt>Issued by</dt><dd>\(ctx.services.config.networkName)</dd>
            </dl>
            <p class="small">Verify this certificate (Open Badges 2.0): <a href="\(url: assertionURL)">\(assertionURL)</a></p>
            </article>
            <p class="no-print"><a href="\(session.path)">Back to the session</a> · Use your browser's Print command to print it.</p>
            """
        return ctx.page(title: "Certificate: \(session.title)", body: body, sidebar: false)
    }

    // MARK: Open Badges

    static func ldJSON(_ value: JSONValue, status: HTTPStatus = .ok, _ ctx: RequestContext) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(value.jsonText(pretty: true).utf8))
        response.headers.add("Content-Type", "application/ld+json")
        response.headers.add("Access-Control-Allow-Origin", "*")
        return ctx.respond(response)
    }

    static let assertionOperation: JSONValue = [
        "summary": "A hosted Open Badges 2.0 Assertion of attendance.",
        "operationId": "getCPDBadgeAssertion",
        "parameters": [
            ["name": "uid", "in": "path", "required": true, "schema": ["type": "string"]]
        ],
        "responses": [
            "200": ["description": "The Assertion (JSON-LD)."], "410": ["description": "Revoked."],
        ],
    ]

    @Sendable func assertion(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let assertion = try cpd.assertion(uid: try ctx.parameter("uid")),
            let session = try cpd.session(id: assertion.sessionID)
        else { throw DomainError.notFound }
        if assertion.revokedAt != nil {
            return Self.ldJSON(
                .object([
                    ("@context", "https://w3id.org/openbadges/v2"), ("type", "Assertion"),
                    ("id", .string(cpd.services.link(assertion.path))), ("revoked", true),
                    ("revocationReason", .string(assertion.revocationReason)),
                ]), status: HTTPStatus(code: 410), ctx)
        }
        return Self.ldJSON(cpd.assertionJSON(assertion, session: session), ctx)
    }

    static let badgeClassOperation: JSONValue = [
        "summary": "The Open Badges BadgeClass of one session.", "operationId": "getCPDBadgeClass",
        "parameters": [
            ["name": "token", "in": "path", "required": true, "schema": ["type": "string"]]
        ],
        "responses": ["200": ["description": "The BadgeClass (JSON-LD)."]],
    ]

    @Sendable func badgeClass(_ ctx: RequestContext) throws -> HTTPResponse {
        let token = try ctx.parameter("token")
        guard
            let id = try cpd.database.read({ db in
                try db.scalar(
                    "SELECT id FROM cpd_sessions WHERE badge_token = ?", [token], as: Int64.self)
            }), let session = try cpd.session(id: id)
        else { throw DomainError.notFound }
        return Self.ldJSON(cpd.badgeClassJSON(session), ctx)
    }

    static let issuerOperation: JSONValue = [
        "summary": "The network as an Open Badges Issuer.", "operationId": "getCPDBadgeIssuer",
        "responses": ["200": ["description": "The Issuer Profile (JSON-LD)."]],
    ]

    @Sendable func issuer(_ ctx: RequestContext) throws -> HTTPResponse { Self.ldJSON(cpd.issuerJSON(), ctx) }

    @Sendable func image(_ ctx: RequestContext) throws -> HTTPResponse {
        var response = HTTPResponse.bytes(
            Array(CPDService.badgeImageSVG.utf8), contentType: "image/svg+xml")
        response.headers.add("Cache-Control", "public, max-age=86400")
        return ctx.respond(response)
    }
}
