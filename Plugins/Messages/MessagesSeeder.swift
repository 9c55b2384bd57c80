import Foundation
import Kernel
import Storage

/// The messages module's part of `pln admin seed`: conversations between members written
/// through the service (so they obey its rules), and the benchmark's data for the first
/// ordinary member — the one the benchmarks sign in as: 1,000 conversations, the oldest with
/// 500 messages, written in batches.
enum MessagesSeeder {
    static let benchmarkConversations = 1_000
    static let benchmarkMessages = 500

    static func seed(_ seed: SeedContext, messages: MessagesService) throws {
        let members = seed.shared["members"] ?? 0
        guard members > 10 else { return }
        var conversations = 0
        var sent = 0
        for _ in 0..<min(200, members / 2) {
            seed.tick()
            guard let writer = try seed.actor(Int64(seed.random.skewed(members) + 1)),
                let reader = try seed.actor(Int64(seed.random.int(1...members))), reader.id != writer.id
            else { continue }
            do {
                let subject = seed.random.int(0...2) == 0 ? "About \(seed.random.pick(SeedWords.topics))" : ""
                let conversation = try messages.start(
                    .init(to: [reader.handle], subject: subject, body: seed.random.pick(SeedWords.sentences)),
                    by: writer)
                conversations += 1
                sent += 1
                for turn in 0..<seed.random.int(0...4) {
                    seed.tick()
                    try messages.send(
                        seed.random.pick(SeedWords.sentences), in: conversation.id,
                        by: turn % 2 == 0 ? reader : writer)
                    sent += 1
                }
            } catch is DomainError {
                continue  // a rate limit or a refusal: seeded data obeys the rules
            }
        }
        let bench = try benchmarkData(seed, members: members)
        seed.shared["conversations"] = conversations + bench.conversations
        seed.shared["private messages"] = sent + bench.messages
        seed.log("  \(conversations + bench.conversations) conversations, \(sent + bench.messages) messages")
    }

    /// Writes the benchmark's conversations straight into the module's own tables.
    static func benchmarkData(_ seed: SeedContext, members: Int) throws -> (conversations: Int, messages: Int)
    {
        var login: SignedInMember?
        for id in 1...Int64(min(members, 50)) {
            if let actor = try seed.actor(id), actor.role == .member {
                login = actor
                break
            }
        }
        guard let login else { return (0, 0) }
        let now = seed.tick()
        var partners: [Int64] = []
        for id in Int64(1)...Int64(members) where partners.count < 200 && id != login.id {
            if try seed.actor(id) != nil { partners.append(id) }
        }
        guard !partners.isEmpty else { return (0, 0) }
        var written = 0
        try seed.inBatches(benchmarkConversations, batch: 250) { db, index in
            let partner = partners[index % partners.count]
            let count = index == 0 ? benchmarkMessages : 1 + index % 3
            try db.execute(
                "INSERT INTO messages_conversations (subject, created_by, created_at) VALUES (?, ?, ?)",
                [index == 0 ? "A long conversation" : "", partner, now])
            let conversation = db.lastInsertedRowID
            var last: Int64 = 0
            for turn in 0..<count {
                let sender = turn % 2 == 0 ? partner : login.id
                let body = SeedWords.sentences[(index + turn) % SeedWords.sentences.count]
                try db.execute(
                    """
                    INSERT INTO messages_messages (conversation_id, sender_id, body, preview, created_at, delivered)
                    VALUES (?, ?, ?, ?, ?, 1)
                    """, [conversation, sender, body, Message.preview(of: body), now])
                last = db.lastInsertedRowID
                written += 1
            }
            try db.execute(
                "UPDATE messages_conversations SET last_message_id = ? WHERE id = ?", [last, conversation])
            for (member, unread) in [(login.id, index % 4 == 0 ? 1 : 0), (partner, 0)] {
                try db.execute(
                    """
                    INSERT INTO messages_participants (conversation_id, member_id, added_by, added_at, last_message_id,
                        last_read_id, unread) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [conversation, member, partner, now, last, unread > 0 ? 0 : last, unread])
            }
        }
        return (benchmarkConversations, written)
    }
}
