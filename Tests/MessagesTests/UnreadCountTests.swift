import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Messages

/// The header's unread count: summed over several conversations, and read from the index alone.
@Suite struct UnreadCountTests {
    @Test func theCountSumsEveryUnreadConversation() throws {
        let f = try MessagesFixture()
        let ada = try f.member("Ada Lovelace")
        let ben = try f.member("Ben Ames")
        let cara = try f.member("Cara Diaz")
        let first = try f.messages.start(.init(to: ["@" + ben.handle], subject: "One", body: "a"), by: ada)
        try f.messages.send("b", in: first.id, by: ada)
        let second = try f.messages.start(.init(to: ["@" + ben.handle], subject: "Two", body: "c"), by: cara)
        #expect(try f.unread(ben) == 3)
        try f.messages.markRead(first.id, by: ben.id)
        #expect(try f.unread(ben) == 1)
        try f.messages.markRead(second.id, by: ben.id)
        #expect(try f.unread(ben) == 0)
    }

    @Test(
        "the unread count reads only the partial index (no table row per unread conversation)",
        .notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func theCountIsCoveredByItsIndex() throws {
        let f = try MessagesFixture()
        let plan = try f.services.database.read { db in
            try db.query(
                """
                EXPLAIN QUERY PLAN SELECT COALESCE(SUM(unread), 0) FROM (
                    SELECT unread FROM messages_participants WHERE member_id = 1 AND unread > 0 LIMIT 100) AS u
                """
            ) { try $0.value("detail") as String }.joined(separator: "; ")
        }
        #expect(plan.contains("USING COVERING INDEX messages_participants_unread"), "\(plan)")
    }

    @Test func pastOneHundredUnreadConversationsTheCountIsAtLeastOneHundredAndTheHeaderSays99Plus() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, MessagesModule.self])
        defer { network.stop() }
        let ada = try network.services.member("Ada Lovelace", email: "ada@school.example").signedIn
        let ben = try network.services.member("Ben Ames", email: "ben@school.example")
        let messages = try #require(network.services.service(MessagesService.self))
        // Ten new conversations an hour is the network's limit: an hour passes after every ten.
        func start(_ index: Int) throws {
            if index % 10 == 0 { network.clock.set(network.clock.now.addingTimeInterval(3601)) }
            _ = try messages.start(
                .init(to: ["@" + ben.handle], subject: "Note \(index)", body: "Hello"), by: ada)
        }
        for index in 1...99 { try start(index) }
        #expect(try messages.unreadCount(of: ben.id) == 99)
        let client = network.client()
        try client.signIn("ben@school.example")
        #expect(try client.get("/account").text.contains("<span class=\"nav-count\">99<span"))
        for index in 100...102 { try start(index) }
        #expect(try messages.unreadCount(of: ben.id) >= 100)
        #expect(try client.get("/account").text.contains("<span class=\"nav-count\">99+<span"))
    }
}
