import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

@Suite struct SocialTests {
    @Test func friendRequestsCanBeAcceptedDeclinedCancelledAndRemoved() throws {
        let network = try network()
        defer { network.stop() }
        let a = try network.member("Amy A")
        let b = try network.member("Ben B")
        #expect(try network.membership.befriend(from: a, to: b.id) == .requestSent)
        #expect(try network.membership.relationship(between: b.id, and: a.id) == .requestReceived)
        #expect(
            try network.services.outbox.list().contains { $0.to == b.email && $0.subject.contains("Amy A") })
        try network.membership.dropRequest(between: b.id, and: a.id)  // declined
        #expect(
            try network.membership.relationship(between: a.id, and: b.id)
                == MembershipService.Relationship.none)
        #expect(try network.membership.befriend(from: a, to: b.id) == .requestSent)
        #expect(try network.membership.befriend(from: b, to: a.id) == .friends)
        #expect(try network.membership.friends(of: a.id).map(\.handle) == ["ben-b"])
        try network.membership.unfriend(b.id, a.id)
        #expect(try network.membership.friends(of: a.id).isEmpty)
    }

    @Test func statusesAreLimitedAndOnlyTheirAuthorOrAModeratorDeletesThem() throws {
        let network = try network()
        defer { network.stop() }
        let author = try network.member("Sal Status")
        let other = try network.member("Oli Other")
        #expect(throws: DomainError.self) {
            try network.membership.postStatus(by: author, body: String(repeating: "x", count: 501))
        }
        #expect(throws: DomainError.self) { try network.membership.postStatus(by: author, body: "   ") }
        let status = try network.membership.postStatus(by: author, body: String(repeating: "x", count: 500))
        let otherSigned = SignedInMember(id: other.id, handle: other.handle, name: other.name, role: .member)
        #expect(throws: DomainError.self) {
            try network.membership.deleteStatus(id: status.id, by: otherSigned)
        }
        let moderator = SignedInMember(id: other.id, handle: other.handle, name: other.name, role: .moderator)
        try network.membership.deleteStatus(id: status.id, by: moderator)
        #expect(try network.membership.status(id: status.id) == nil)
    }

    @Test func theDirectoryPagesByKeysetAndFiltersByAnswer() throws {
        let clock = FixedClock(Date())
        let network = try network(
            [
                "profile_questions": .list([
                    .record([
                        "id": .string("school"), "label": .string("School"), "type": .string("text"),
                        "options": .list([]), "required": .bool(false),
                    ])
                ])
            ], clock: clock)
        defer { network.stop() }
        for index in 0..<30 {
            clock.advance(by: 1)
            _ = try network.membership.join(
                .init(
                    name: "Member \(index)", email: "m\(index)@example.org",
                    password: "a long enough password", acceptsTerms: true,
                    answers: ["school": index % 3 == 0 ? "Hilltop" : "Riverside"]))
        }
        var seen: [String] = []
        var after: Member?
        repeat {
            let page = try network.membership.directory(
                order: .newest, filter: nil, search: nil, limit: 7, after: after)
            seen += page.map(\.handle)
            after = page.count == 7 ? page.last : nil
        } while after != nil
        #expect(seen.count == 30)
        #expect(Set(seen).count == 30)
        #expect(seen.first == "member-29")
        let hilltop = try network.membership.directory(
            order: .name, filter: ("school", "Hilltop"), search: nil, limit: 100, after: nil)
        #expect(hilltop.count == 10)
        let client = network.client()
        #expect(try client.get("/members").status == 303)  // members only by default
        #expect(try client.signIn("m1@example.org").status == 303)
        let page = try client.get("/members?school=Hilltop&sort=name")
        #expect(page.text.components(separatedBy: "class=\"member-card\"").count - 1 == 10)
        #expect(page.text.contains("<span class=\"name\">Member 0</span>"))
        #expect(!page.text.contains("<span class=\"name\">Member 1</span>"))
    }

    @Test func avatarsAreCheckedAndServedWithTheirRealType() throws {
        let network = try network()
        defer { network.stop() }
        try network.member("Ava Avatar")
        let client = network.client()
        #expect(try client.signIn("ava-avatar").status == 303)
        let edit = try client.get("/profile/edit")
        let fields = [
            "_csrf": edit.csrf ?? "", "name": "Ava Avatar", "handle": "ava-avatar",
            "bio": "I teach **maths**.",
        ]
        let svg = try client.post(
            "/profile/edit", multipart: fields,
            files: [("avatar", "x.png", "image/png", Array("<svg onload=alert(1)>".utf8))])
        #expect(svg.status == 422)
        #expect(svg.text.contains("Use a PNG, JPEG, GIF or WebP picture."))
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
        #expect(
            try client.post(
                "/profile/edit", multipart: fields, files: [("avatar", "me.gif", "image/gif", png)]
            ).status == 303)
        let avatar = try client.get("/members/ava-avatar/avatar")
        #expect(avatar.status == 200)
        #expect(avatar.header("Content-Type") == "image/png")
        #expect(avatar.header("X-Content-Type-Options") == "nosniff")
        let big = png + Array(repeating: 0, count: 2 * 1024 * 1024)
        let tooBig = try client.post(
            "/profile/edit", multipart: fields, files: [("avatar", "big.png", "image/png", big)])
        #expect(tooBig.status == 422)
        #expect(try client.get("/members/ava-avatar").text.contains("<strong>maths</strong>"))
    }
}

@Suite struct FriendCountTests {
    @Test(.notOnPostgres("drops and recreates the SQLite trigger by SQLite's syntax; on PostgreSQL the count is kept by a trigger function (membership/002's PostgreSQL form)")) func theStoredCountFollowsEveryWayFriendshipsComeAndGo() throws {
        let network = try network()
        defer { network.stop() }
        let membership = network.membership
        let hub = try network.member("Hana Hub")
        let others = try (1...4).map { try network.member("Friend \($0)") }
        func counted(_ id: Int64) throws -> Int {
            try membership.database.read {
                try $0.scalar(
                    "SELECT COUNT(*) FROM membership_friendships WHERE member_id = ?", [id], as: Int.self)
                    ?? -1
            }
        }
        for other in others {
            try membership.befriend(from: hub, to: other.id)
            try membership.befriend(from: other, to: hub.id)
        }
        #expect(try membership.friendCount(of: hub.id) == 4)
        #expect(try membership.friendCount(of: others[0].id) == 1)
        try membership.unfriend(hub.id, others[0].id)
        #expect(try membership.friendCount(of: hub.id) == 3)
        #expect(try membership.friendCount(of: others[0].id) == 0)
        // Friendships inserted around the service (as the seeder does), twice (ignored the second
        // time), and removed by a cascade when a member row goes.
        try membership.database.write { db in
            for _ in 0..<2 {
                try db.execute(
                    "INSERT OR IGNORE INTO membership_friendships (member_id, friend_id, created_at) VALUES (?, ?, 0), (?, ?, 0)",
                    [hub.id, others[0].id, others[0].id, hub.id])
            }
        }
        #expect(try membership.friendCount(of: hub.id) == 4)
        try membership.database.write { db in
            try db.execute("DELETE FROM membership_members WHERE id = ?", [others[3].id])
        }
        #expect(try membership.friendCount(of: hub.id) == 3)
        for member in [hub] + others.prefix(3) {
            #expect(try membership.friendCount(of: member.id) == counted(member.id), "\(member.name)")
        }
        // The migration's backfill gives the same numbers for friendships made before it.
        let migration = try #require(MembershipSchema.migrations.first { $0.name == "002_friend_counts" })
        try membership.database.write { db in
            try db.executeScript(
                """
                DROP TRIGGER friendships_counted; DROP TRIGGER friendships_uncounted;
                ALTER TABLE membership_members DROP COLUMN friend_count;
                ALTER TABLE membership_members RENAME TO members;
                ALTER TABLE membership_friendships RENAME TO friendships;
                """)
            // Migration 002 ran before the tables took their membership_ names (006).
            try migration.body(db)
            try db.executeScript(
                """
                ALTER TABLE members RENAME TO membership_members;
                ALTER TABLE friendships RENAME TO membership_friendships;
                """)
        }
        for member in [hub] + others.prefix(3) {
            #expect(try membership.friendCount(of: member.id) == counted(member.id), "\(member.name)")
        }
    }
}

@Suite struct FriendRequestLimitTests {
    @Test func friendRequestsAreRateLimitedPerHour() throws {
        let clock = FixedClock(Date())
        let network = try network(["friend_requests_per_hour": .int(3)], clock: clock)
        defer { network.stop() }
        let sender = try network.member("Sam Sender")
        let others = try (0..<5).map { try network.member("Other \($0)") }
        for other in others.prefix(3) {
            #expect(try network.membership.befriend(from: sender, to: other.id) == .requestSent)
        }
        #expect(throws: DomainError.self) { try network.membership.befriend(from: sender, to: others[3].id) }
        clock.advance(by: 3601)
        #expect(try network.membership.befriend(from: sender, to: others[3].id) == .requestSent)
    }
}
