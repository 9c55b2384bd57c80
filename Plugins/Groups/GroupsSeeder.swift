import Foundation
import Kernel
import Storage

/// Groups' part of `pln admin seed`: strategic groups, clusters and subject networks with
/// members, discussions and replies, made through the service so every rule and activity
/// entry is the real one.
enum GroupsSeeder {
    static func seed(_ seed: SeedContext, groups: GroupsService) throws {
        let count: Int
        switch seed.scale {
        case .small: count = 8
        case .medium: count = 80
        case .large: count = 400
        }
        let members = seed.shared["members"] ?? 0
        guard members > 10 else { return }
        let categories = groups.categories.isEmpty ? ["Interest"] : groups.categories
        var discussions = 0
        var replies = 0
        // For the network's last days: who is in which group, and their discussions.
        var places: [(groupID: Int64, members: [SignedInMember])] = []
        var threads: [(discussionID: Int64, members: [SignedInMember])] = []
        for index in 0..<count {
            seed.tick()
            guard let owner = try seed.actor(Int64(seed.random.skewed(members) + 1)) else { continue }
            let topic = seed.random.pick(SeedWords.topics)
            let visibility: GroupVisibility =
                index % 10 == 9 ? .hidden : (index % 5 == 4 ? .private : .public)
            let kind = seed.random.pick(["network", "group", "cluster", "forum"])
            let name = "\(topic.prefix(1).uppercased() + topic.dropFirst()) \(kind) \(index + 1)"
            let description =
                "A place for colleagues across our schools to share " + topic + ". "
                + seed.random.pick(SeedWords.sentences)
            // Drawn as before (so everything seeded after reads as before), but the group goes in
            // the category its name says when there is one.
            let drawn = seed.random.pick(categories)
            let category = fittingCategory(topic: topic, kind: kind, among: categories) ?? drawn
            let group = try groups.create(
                .init(name: name, description: description, category: category, visibility: visibility),
                by: owner)
            var inGroup: [SignedInMember] = [owner]
            let size = min(members - 1, 5 + seed.random.skewed(members < 1000 ? 40 : 300))
            for _ in 0..<size {
                seed.tick()
                guard let member = try seed.actor(Int64(seed.random.int(1...members))), member.id != owner.id,
                    !inGroup.contains(where: { $0.id == member.id })
                else { continue }
                // Hidden groups are invitation only: nobody outside can even find them.
                if visibility == .hidden {
                    try groups.invite(groupID: group.id, memberID: member.id, by: owner)
                }
                if try groups.join(groupID: group.id, by: member) != .joined {
                    try groups.approve(groupID: group.id, memberID: member.id, by: owner)
                }
                inGroup.append(member)
            }
            places.append((group.id, inGroup))
            for _ in 0..<(2 + seed.random.int(0...6)) {
                seed.tick()
                let starter = seed.random.pick(inGroup)
                let discussion = try groups.startDiscussion(
                    groupID: group.id, by: starter,
                    title: "How are you approaching \(seed.random.pick(SeedWords.topics))?",
                    body: SeedWords.paragraph(&seed.random, sentences: 3))
                discussions += 1
                threads.append((discussion.id, inGroup))
                for _ in 0..<seed.random.int(0...8) {
                    seed.tick()
                    _ = try groups.reply(
                        to: discussion.id, by: seed.random.pick(inGroup),
                        body: SeedWords.paragraph(&seed.random, sentences: 2))
                    replies += 1
                }
            }
        }
        addRecentActs(seed, groups: groups, places: places, threads: threads)
        seed.shared["groups"] = count
        seed.shared["group discussions"] = discussions
        seed.shared["group replies"] = replies
        seed.log("  \(count) groups, \(discussions) discussions, \(replies) replies")
    }

    /// In the network's last days members reply to discussions, and now and then start one.
    static func addRecentActs(
        _ seed: SeedContext, groups: GroupsService, places: [(groupID: Int64, members: [SignedInMember])],
        threads: [(discussionID: Int64, members: [SignedInMember])]
    ) {
        guard !places.isEmpty, !threads.isEmpty else { return }
        seed.addRecentAct(module: "groups", weight: 4) { seed in
            let thread = seed.random.pick(threads)
            _ = try? groups.reply(
                to: thread.discussionID, by: seed.random.pick(thread.members),
                body: SeedWords.paragraph(&seed.random, sentences: 2))
        }
        seed.addRecentAct(module: "groups", weight: 1) { seed in
            let place = seed.random.pick(places)
            _ = try? groups.startDiscussion(
                groupID: place.groupID, by: seed.random.pick(place.members),
                title: "How are you approaching \(seed.random.pick(SeedWords.topics))?",
                body: SeedWords.paragraph(&seed.random, sentences: 3))
        }
    }

    /// The category a group named "<topic> <kind>" belongs in, the first of these the network
    /// has: business management among Business managers, a cluster among Clusters, leading a
    /// school among Strategic groups, a subject among Subject networks, the rest among Interests.
    static func fittingCategory(topic: String, kind: String, among categories: [String]) -> String? {
        var wanted: [String] = []
        if topic == "school business management" { wanted.append("Business managers") }
        if kind == "cluster" { wanted.append("Cluster") }
        if ["leadership", "curriculum design", "assessment", "attendance", "safeguarding"].contains(topic) {
            wanted.append("Strategic group")
        }
        if [
            "phonics", "maths mastery", "reading for pleasure", "science enquiry", "computing", "writing",
            "oracy",
        ]
        .contains(topic) {
            wanted.append("Subject network")
        }
        wanted.append("Interest")
        for name in wanted {
            if let found = categories.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                return found
            }
        }
        return nil
    }
}
