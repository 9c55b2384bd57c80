import Foundation
import Kernel
import Membership
import Storage

/// Certificates of attendance as hosted Open Badges 2.0.
extension CPDService {
    // MARK: Open Badges 2.0

    public func assertion(uid: String) throws -> BadgeAssertion? {
        try database.read { db in
            try db.queryOne("SELECT * FROM cpd_assertions WHERE uid = ?", [uid], BadgeAssertion.decode)
        }
    }

    public func assertion(sessionID: Int64, memberID: Int64) throws -> BadgeAssertion? {
        try database.read { db in
            try db.queryOne(
                "SELECT * FROM cpd_assertions WHERE session_id = ? AND member_id = ?", [sessionID, memberID],
                BadgeAssertion.decode)
        }
    }

    /// Revokes a badge (its URL then answers 410 Gone).
    public func revokeAssertion(uid: String, reason: String) throws {
        try database.write { db in
            try db.execute(
                "UPDATE cpd_assertions SET revoked_at = ?, revocation_reason = ? WHERE uid = ? AND revoked_at IS NULL",
                [now, reason, uid])
            if db.changes == 0 { throw DomainError.notFound }
        }
    }

    var issuerURL: String { services.link("/cpd/badges/issuer") }
    var badgeImageURL: String { services.link("/cpd/badges/image.svg") }

    /// The network as an Open Badges Issuer Profile.
    public func issuerJSON(context: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if context { fields.append(("@context", "https://w3id.org/openbadges/v2")) }
        fields += [
            ("type", "Issuer"), ("id", .string(issuerURL)), ("name", .string(services.config.networkName)),
            ("url", .string(services.baseURL)), ("email", .string(services.config.string("mail", "from"))),
        ]
        return .object(fields)
    }

    /// The BadgeClass of one session: "attended <title>".
    public func badgeClassJSON(_ session: CPDSession, context: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if context { fields.append(("@context", "https://w3id.org/openbadges/v2")) }
        let when = Self.format(session.startsAt, zone: session.zone, style: .day)
        fields += [
            ("type", "BadgeClass"),
            ("id", .string(services.link("/cpd/badges/classes/\(session.badgeToken)"))),
            ("name", .string("Attended: \(session.title)")),
            (
                "description",
                .string(
                    "Attendance at the CPD session \"\(session.title)\" (\(Hours.phrase(minutes: session.durationMinutes))) on \(when), offered through \(services.config.networkName)."
                )
            ),
            ("image", .string(badgeImageURL)),
            (
                "criteria",
                .object([
                    (
                        "narrative",
                        .string(
                            "Attended the whole session, as recorded on the facilitator's attendance register."
                        )
                    )
                ])
            ),
            ("issuer", issuerJSON(context: false)),
        ]
        if !session.areas.isEmpty { fields.append(("tags", .array(session.areas.map { .string($0) }))) }
        return .object(fields)
    }

    /// The hosted Assertion: JSON-LD with a hashed, salted email recipient.
    public func assertionJSON(_ assertion: BadgeAssertion, session: CPDSession) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = session.zone
        var issued = formatter.string(from: assertion.issuedAt)
        // ISO 8601 allows "Z"; spelling the offset keeps the zone explicit for every reader.
        if issued.hasSuffix("Z") { issued = String(issued.dropLast()) + "+00:00" }
        return .object([
            ("@context", "https://w3id.org/openbadges/v2"),
            ("type", "Assertion"),
            ("id", .string(services.link(assertion.path))),
            (
                "recipient",
                .object([
                    ("type", "email"), ("hashed", true), ("salt", .string(assertion.salt)),
                    ("identity", .string(assertion.identity)),
                ])
            ),
            ("badge", badgeClassJSON(session, context: false)),
            ("verification", .object([("type", "hosted")])),
            ("issuedOn", .string(issued)),
        ])
    }

    /// A simple, self-contained badge image (no external fonts or scripts).
    public static let badgeImageSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" aria-label="CPD attendance">
        <circle cx="128" cy="128" r="120" fill="#1f5f8b"/><circle cx="128" cy="128" r="100" fill="#fff"/>
        <text x="128" y="120" font-family="sans-serif" font-size="44" font-weight="700" text-anchor="middle" fill="#1f5f8b">CPD</text>
        <text x="128" y="160" font-family="sans-serif" font-size="22" text-anchor="middle" fill="#1d2733">attended</text>
        </svg>
        """

    /// Whether `actor` may see the certificate of `memberID` for a session: the attendee, or an admin.
    public func certificate(sessionID: Int64, memberID: Int64, actor: SignedInMember) throws -> (
        session: CPDSession, member: Member, assertion: BadgeAssertion, facilitators: [Member]
    ) {
        guard actor.id == memberID || actor.isAdmin else { throw DomainError.notFound }
        return try database.read { db in
            guard let session = try session(id: sessionID, in: db),
                let booking = try booking(sessionID: sessionID, memberID: memberID, in: db),
                booking.attended == true,
                booking.status == .booked,
                let member = try membership.member(id: memberID, in: db),
                let assertion = try db.queryOne(
                    "SELECT * FROM cpd_assertions WHERE session_id = ? AND member_id = ? AND revoked_at IS NULL",
                    [sessionID, memberID], BadgeAssertion.decode)
            else { throw DomainError.notFound }
            let facilitators = try session.facilitatorIDs.compactMap { try membership.member(id: $0, in: db) }
            return (session, member, assertion, facilitators)
        }
    }
}
