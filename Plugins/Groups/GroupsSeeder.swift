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
        for index in 0..<count {
            seed.tick()
            guard let owner = try seed.actor(Int64(seed.random.skewed(members) + 1)) else { continue }
            let topic = seed.random.pick(SeedWords.topics)
            let visibility: GroupVisibility = index % 10 == 9 ? .hidden : (index % 5 == 4 ? .private : .public)
            let name = "\(topic.prefix(1).uppercased() + topic.dropFirst()) \(seed.random.pick(["network", "group", "cluster", "forum"])) \(index + 1)"
            let group = try groups.create(
                .init(name: name, description: "A place for colleagues across our schools to share " + topic + ". " + seed.random.pick(SeedWords.sentences),
                      category: seed.random.pick(categories), visibility: visibility),
                by: owner)
            var inGroup: [SignedInMember] = [owner]
            let size = min(members - 1, 5 + seed.random.skewed(members < 1000 ? 40 : 300))
            for _ in 0..<size {
                seed.tick()
                guard let member = try seed.actor(Int64(seed.random.int(1...members))), member.id != owner.id,
                    !inGroup.contains(where: { $0.id == member.id })
                else { continue }
                // Hidden groups are invitation only: nobody outside can even find them.
                if visibility == .hidden { try groups.invite(groupID: group.id, memberID: member.id, by: owner) }
                if try groups.join(groupID: group.id, by: member) != .joined {
                    try groups.approve(groupID: group.id, memberID: member.id, by: owner)
                }
                inGroup.append(member)
            }
            for _ in 0..<(2 + seed.random.int(0...6)) {
                seed.tick()
                let starter = seed.random.pick(inGroup)
                let discussion = try groups.startDiscussion(
                    groupID: group.id, by: starter,
                    title: "How are you approaching \(seed.random.pick(SeedWords.topics))?",
                    body: SeedWords.paragraph(&seed.random, sentences: 3))
                discussions += 1
                for _ in 0..<seed.random.int(0...8) {
                    seed.tick()
                    _ = try groups.reply(to: discussion.id, by: seed.random.pick(inGroup), body: SeedWords.paragraph(&seed.random, sentences: 2))
                    replies += 1
                }
            }
        }
        seed.shared["groups"] = count
        seed.shared["group discussions"] = discussions
        seed.shared["group replies"] = replies
        seed.log("  \(count) groups, \(discussions) discussions, \(replies) replies")
    }
}
