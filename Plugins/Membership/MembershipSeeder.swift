import Foundation
import Kernel
import Storage

/// Membership's part of `pln admin seed`: members across schools with profile answers,
/// friendships (a few members with many friends, most with few), statuses, and the activity
/// they produce. The last step tops the activity stream up to the scale's size with statuses.
enum MembershipSeeder {
    static let password = "seeded password"

    static func seedMembers(_ seed: SeedContext) throws {
        let count = seed.scale.members
        let hash = try Passwords.hash(password)
        let roles = [
            "Teacher", "Teacher", "Teacher", "Teaching assistant", "Headteacher", "Deputy head", "SENCO",
            "Business manager",
        ]
        let network = seed.services.config.networkName
        try seed.inBatches(count) { db, index in
            let first = seed.random.pick(SeedWords.firstNames)
            let last = seed.random.pick(SeedWords.lastNames)
            let name = "\(first) \(last)"
            let handle = Handle.derive(from: name) + "-\(index + 1)"
            let joined = seed.tick()
            let role = index == 0 ? "creator" : (index < 4 ? "admin" : (index < 10 ? "moderator" : "member"))
            try db.execute(
                """
                INSERT INTO membership_members (handle, email, name, password_hash, role, status, terms_version, terms_accepted_at,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', '1', ?, ?, ?)
                """, [handle, "\(handle)@seed.example", name, hash, role, joined, joined, joined])
            let id = db.lastInsertedRowID
            let school = SeedWords.school(seed.random.skewed(seed.scale.schools))
            try db.execute(
                "INSERT INTO membership_profile_answers (member_id, question, value) VALUES (?, 'school', ?), (?, 'role', ?)",
                [id, school, id, seed.random.pick(roles)])
            // Subjects and key stages follow from the id, not the random stream, so the rest of the
            // seeded data stays as it was.
            let subjects = SeedWords.subjects[Int(id) % SeedWords.subjects.count]
            let stage = ["EYFS", "KS1", "KS2", "KS2", "KS3", "KS1\nKS2"][Int(id / 5) % 6]
            try db.execute(
                "INSERT INTO membership_profile_answers (member_id, question, value) VALUES (?, 'subjects', ?), (?, 'key_stage', ?)",
                [id, subjects, id, stage])
            try seed.services.activity.record(
                NewActivity(
                    module: "membership", actorID: id, actorName: name, actorHandle: handle, verb: "joined",
                    objectKind: "network", objectID: 0, objectTitle: network, objectURL: "/", scope: .public),
                at: joined, in: db)
        }
        seed.shared["members"] = count
        seed.log("  \(count) members")
    }

    static func seedFriendships(_ seed: SeedContext) throws {
        let members = seed.scale.members
        let pairs = members * 3 / 2
        var made = 0
        try seed.inBatches(pairs) { db, _ in
            let a = Int64(seed.random.skewed(members) + 1)
            let b = Int64(seed.random.int(1...members))
            guard a != b else { return }
            let at = seed.tick()
            try db.execute(
                "INSERT OR IGNORE INTO membership_friendships (member_id, friend_id, created_at) VALUES (?, ?, ?), (?, ?, ?)",
                [a, b, at, b, a, at])
            guard db.changes > 0 else { return }
            made += 1
            let names = try db.query(
                "SELECT id, name, handle FROM membership_members WHERE id IN (?, ?)", [a, b]
            ) {
                (
                    try $0.value("id") as Int64, try $0.value("name") as String,
                    try $0.value("handle") as String
                )
            }
            guard let actor = names.first(where: { $0.0 == a }),
                let object = names.first(where: { $0.0 == b })
            else { return }
            try seed.services.activity.record(
                NewActivity(
                    module: "membership", actorID: a, actorName: actor.1, actorHandle: actor.2,
                    verb: "befriended",
                    objectKind: "member", objectID: b, objectTitle: object.1,
                    objectURL: "/members/\(object.2)",
                    scope: .public),
                at: at, in: db)
        }
        seed.shared["friendships"] = made
        seed.log("  \(made) friendships")
    }

    /// The days before the real now that ``playRecentDays(_:)`` fills with every kind of activity.
    static let recentDays = 4.0

    /// How many acts the recent days hold.
    static func recentRounds(_ scale: SeedScale) -> Int {
        switch scale {
        case .small: return 80
        case .medium: return 400
        case .large: return 1_500
        }
    }

    /// Statuses until the activity stream is the recent days short of the scale's size, ending
    /// a few days before the real now (the recent days are every module's, in turns).
    static func topUpWithStatuses(_ seed: SeedContext) throws {
        let target = seed.scale.activities - recentRounds(seed.scale)
        let missing = max(seed.scale.members / 2, target - (try seed.activityCount()))
        seed.spread(over: missing, until: seed.now.addingTimeInterval(-recentDays * 86_400))
        try seed.inBatches(missing) { db, _ in try postStatus(seed, in: db) }
        seed.shared["statuses"] = missing
        seed.log("  \(missing) statuses")
    }

    /// The network's last days: statuses, and what the other modules added as recent acts
    /// (replies, comments, new and featured posts), in turns up to the real now, until the
    /// stream reaches the scale's size.
    static func playRecentDays(_ seed: SeedContext) throws {
        seed.addRecentAct(module: "membership", weight: 4) { seed in
            try seed.services.database.write { db in try postStatus(seed, in: db) }
        }
        let played = try seed.playRecentDays(
            rounds: recentRounds(seed.scale), days: recentDays, untilActivities: seed.scale.activities)
        seed.log("  \(played) acts in the last \(Int(recentDays)) days")
    }

    /// One status by a member (the active ones post most), with its activity line.
    static func postStatus(_ seed: SeedContext, in db: Connection) throws {
        let author = Int64(seed.random.skewed(seed.scale.members) + 1)
        guard
            let (name, handle) = try db.queryOne(
                "SELECT name, handle FROM membership_members WHERE id = ?", [author],
                { (try $0.value("name") as String, try $0.value("handle") as String) })
        else { return }
        let body =
            "Thinking about \(seed.random.pick(SeedWords.topics)). " + seed.random.pick(SeedWords.sentences)
        let at = seed.tick()
        try db.execute(
            "INSERT INTO membership_statuses (member_id, body, created_at) VALUES (?, ?, ?)",
            [author, body, at])
        let id = db.lastInsertedRowID
        try seed.services.activity.record(
            NewActivity(
                module: "membership", actorID: author, actorName: name, actorHandle: handle,
                verb: "posted_status",
                objectKind: "status", objectID: id, objectURL: "/members/\(handle)#status-\(id)",
                excerpt: Excerpt.plain(body, length: MembershipService.statusExcerptLength), scope: .public),
            at: at, in: db)
    }
}
