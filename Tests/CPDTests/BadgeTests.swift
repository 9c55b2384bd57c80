import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

@Suite("Certificates as Open Badges 2.0")
struct BadgeTests {
    @Test("SHA-256 matches the NIST vectors and the Open Badges example")
    func sha256Vectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            )
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(
            SHA256.hex(bytes: SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(
            SHA256.hex("a@example.comKosher")
                == "b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
        // Either side of the padding's limits: one block or two for the rest, whole blocks
        // before it (expected values from Python's hashlib).
        let lengths: [(Int, String)] = [
            (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
            (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
            (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
            (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
            (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
            (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
            (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
            (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
        ]
        for (length, expected) in lengths {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            #expect(SHA256.hex(bytes: SHA256.hash(bytes)) == expected, "\(length) bytes")
        }
        #expect(
            CPDService.hashedIdentity(email: "A@Example.COM", salt: "Kosher")
                == "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
    }

    @Test("the hosted assertion carries every Open Badges 2.0 field")
    func assertionFields() throws {
        let fixture = try CPDFixture(settings: [
            "network": ["name": .string("Hilltop Partnership")],
            "mail": ["from": .string("cpd@hilltop.example")],
        ])
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser, title: "Maths mastery", duration: 120)
        let attendee = try fixture.member("Pat Present")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: attendee.id)
        fixture.clock.set(session.endsAt)
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [attendee.id], by: fixture.signedIn(organiser))
        let assertion = try #require(try fixture.cpd.assertion(sessionID: session.id, memberID: attendee.id))
        let json = fixture.cpd.assertionJSON(assertion, session: session)
        #expect(json["@context"] == "https://w3id.org/openbadges/v2")
        #expect(json["type"] == "Assertion")
        #expect(json["id"]?.stringValue == "https://pln.example.org/cpd/badges/assertions/\(assertion.uid)")
        let recipient = try #require(json["recipient"])
        #expect(recipient["type"] == "email")
        #expect(recipient["hashed"] == .bool(true))
        let salt = try #require(recipient["salt"]?.stringValue)
        #expect(!salt.isEmpty)
        #expect(
            recipient["identity"]?.stringValue == "sha256$" + SHA256.hex(attendee.email.lowercased() + salt))
        #expect(json["verification"]?["type"] == "hosted")
        let issuedOn = try #require(json["issuedOn"]?.stringValue)
        #expect(
            issuedOn.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"#, options: .regularExpression)
                != nil)
        let badge = try #require(json["badge"])
        #expect(badge["type"] == "BadgeClass")
        #expect(
            badge["id"]?.stringValue == "https://pln.example.org/cpd/badges/classes/\(session.badgeToken)")
        #expect(badge["name"]?.stringValue?.contains("Maths mastery") == true)
        #expect(badge["description"]?.stringValue?.contains("2 hours") == true)
        #expect(badge["image"]?.stringValue == "https://pln.example.org/cpd/badges/image.svg")
        #expect(badge["criteria"]?["narrative"]?.stringValue?.isEmpty == false)
        let issuer = try #require(badge["issuer"])
        #expect(issuer["type"] == "Issuer")
        #expect(issuer["name"] == "Hilltop Partnership")
        #expect(issuer["url"] == "https://pln.example.org")
        #expect(issuer["email"] == "cpd@hilltop.example")
    }

    @Test("only the attendee and administrators get the certificate")
    func certificateAccess() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let session = try fixture.offer(by: organiser)
        let attendee = try fixture.member("Pat Present")
        let other = try fixture.member("Nosy Neighbour")
        _ = try fixture.cpd.book(sessionID: session.id, memberID: attendee.id)
        fixture.clock.set(session.endsAt)
        #expect(throws: DomainError.notFound) {
            _ = try fixture.cpd.certificate(
                sessionID: session.id, memberID: attendee.id, actor: fixture.signedIn(attendee))
        }
        _ = try fixture.cpd.markAttendance(
            sessionID: session.id, present: [attendee.id], by: fixture.signedIn(organiser))
        let certificate = try fixture.cpd.certificate(
            sessionID: session.id, memberID: attendee.id, actor: fixture.signedIn(attendee))
        #expect(certificate.member.id == attendee.id)
        #expect(certificate.facilitators.map(\.id) == [organiser.id])
        _ = try fixture.cpd.certificate(
            sessionID: session.id, memberID: attendee.id, actor: fixture.signedIn(admin))
        #expect(throws: DomainError.notFound) {
            _ = try fixture.cpd.certificate(
                sessionID: session.id, memberID: attendee.id, actor: fixture.signedIn(other))
        }
    }
}
