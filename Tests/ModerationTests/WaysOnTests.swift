import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Moderation

/// Dead ends get their way on: a visitor's "Report an Issue" says what reporting is for and
/// signs them in back to the same form; the sign-in page says why it was asked for.
@Suite struct WaysOnTests {
    @Test func aVisitorsReportAnIssueExplainsAndSignsThemInBackToTheForm() throws {
        let f = try ModerationFixture()
        let bob = try f.member("Bob")
        let status = try f.status(by: bob, "A status someone may report")
        let visitor = f.network.client()
        let page = try visitor.get("/report?kind=status&id=\(status.id)")
        #expect(page.status == 200)
        #expect(page.main.contains("Sign in to report it"))
        #expect(page.main.contains("href=\"/sign-in?next=%2Freport%3Fkind%3Dstatus%26id%3D\(status.id)\""))
        #expect(!page.main.contains("A status someone may report"))
        #expect(page.main.contains("<form") == false)
        // Filing stays for members.
        let filed = try visitor.post(
            "/report", form: ["kind": "status", "id": "\(status.id)", "category": "spam"])
        #expect(filed.status == 303 || filed.status == 401 || filed.status == 403)
        #expect(try f.moderation.queue().cases.isEmpty)

        let signIn = try visitor.get("/sign-in?next=%2Freport%3Fkind%3Dstatus%26id%3D\(status.id)")
        #expect(signIn.main.contains("Reports come from members"))
        let response = try visitor.post(
            "/sign-in",
            form: [
                "_csrf": signIn.csrf ?? "", "login": "bob", "password": "a long enough password",
                "next": "/report?kind=status&id=\(status.id)",
            ])
        #expect(response.location == "/report?kind=status&id=\(status.id)")
        #expect(try visitor.get("/report?kind=status&id=\(status.id)").main.contains("<form"))
    }

    @Test func theSignInPageSaysWhySomeoneWasSentThere() throws {
        let f = try ModerationFixture()
        _ = try f.member("Bob")
        let visitor = f.network.client()
        let profile = try visitor.get("/members/bob")
        let location = try #require(profile.location)
        #expect(location.hasPrefix("/sign-in?next="))
        #expect(try visitor.get(location).main.contains("Member profiles are shared with members"))
        #expect(!(try visitor.get("/sign-in").main.contains("class=\"notice\"")))
    }
}

/// Faces: every activity line starts with its first actor's face, their photo when they
/// uploaded one and their initials otherwise, with one query for the photos of a whole list.
@Suite struct ActivityFacesTests {
    @Test func activityLinesShowPhotosOrInitials() throws {
        let f = try ModerationFixture()
        let ada = try f.member("Ada Lovelace")
        let bob = try f.member("Bob Marley")
        _ = try f.status(by: ada, "Ada's status")
        _ = try f.status(by: bob, "Bob's status")
        let png: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
            0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
            0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
            0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ]
        try f.membership.setAvatar(memberID: ada.id, bytes: png)
        let page = try f.network.client().get("/activity").main
        #expect(page.contains("<img class=\"avatar face\" src=\"/members/ada-lovelace/avatar\""))
        #expect(page.contains("<span class=\"avatar initials face size-32\" aria-hidden=\"true\">BM</span>"))
        #expect(!page.contains("src=\"/members/bob-marley/avatar\""))
    }
}
