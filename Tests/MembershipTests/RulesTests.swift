import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

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
        // Mentions link to the profile; an address is no mention.
        #expect(
            MembershipService.linkify("Thanks @ada, and ada@school.example <3").text
                == "Thanks <a class=\"mention\" href=\"/members/ada\">@ada</a>, and ada@school.example &lt;3")
        #expect(MembershipService.linkify("@ <script>").text == "@ &lt;script&gt;")
    }
}
