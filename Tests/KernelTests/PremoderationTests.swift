import Blog
import Foundation
import Groups
import Membership
import Moderation
import PLNTestSupport
import Synchronization
import Testing

@testable import Kernel

/// Pre-moderated content is screened in the transaction that writes it: readers never see it,
/// and nobody is mailed about it, until a moderator approves it.
@Suite struct PremoderationTests {
    final class Network: @unchecked Sendable {
        // @unchecked: used by one test at a time.
        let network: TestNetwork
        let olive: SignedInMember
        let ian: SignedInMember
        let blog: BlogService
        let groups: GroupsService

        init() throws {
            network = try TestNetwork(
                modules: allModules,
                settings: [
                    "moderation": ["premoderate_modules": .list([.string("blog"), .string("groups")])]
                ])
            blog = network.services.service(BlogService.self)!
            groups = network.services.service(GroupsService.self)!
            let services = network.services
            func join(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
                try services.member(name, email: "\(name.lowercased())@example.org", role: role).signedIn
            }
            // Olive is a moderator, so her post and group are not held.
            olive = try join("Olive", role: .moderator)
            ian = try join("Ian")
        }

        deinit { network.stop() }

        func mail(to address: String) throws -> [OutboxMessage] {
            try network.services.outbox.list(limit: 500).filter { $0.to == address }
        }
    }

    @Test func anonymousReadersNeverSeeAHeldCommentWhileCommentsArrive() throws {
        let n = try Network()
        let post = try n.blog.createPost(
            .init(title: "Phonics in Year 1", body: "What worked for us."), by: n.olive)
        let stop = Atomic<Bool>(false)
        let leaks = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let port = n.network.port
        let reader = Thread {
            let client = TestClient(port: port)
            while !stop.load(ordering: .relaxed) {
                if let page = try? client.get(post.path) {
                    reads.add(1, ordering: .relaxed)
                    if page.text.contains("held-marker") { leaks.add(1, ordering: .relaxed) }
                }
            }
        }
        reader.start()
        for i in 1...60 { _ = try n.blog.addComment(to: post.id, body: "held-marker \(i)", by: n.ian) }
        stop.store(true, ordering: .relaxed)
        while !reader.isFinished { usleep(1000) }
        #expect(reads.load(ordering: .relaxed) > 0)
        #expect(leaks.load(ordering: .relaxed) == 0)
        let moderation = n.network.services.service(ModerationService.self)!
        #expect(try moderation.awaitingApproval(authorID: n.ian.id, limit: 100).count == 60)
    }

    @Test func aHeldCommentOrReplyMailsNobody() throws {
        let n = try Network()
        let post = try n.blog.createPost(
            .init(title: "Phonics in Year 1", body: "What worked for us."), by: n.olive)
        _ = try n.blog.addComment(to: post.id, body: "A secret-ish first comment", by: n.ian)
        #expect(try n.mail(to: "olive@example.org").isEmpty)

        let group = try n.groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: n.olive)
        _ = try n.groups.join(groupID: group.id, by: n.ian)
        let discussion = try n.groups.startDiscussion(
            groupID: group.id, by: n.olive, title: "Blending", body: "Ideas?")
        let reply = try n.groups.reply(to: discussion.id, by: n.ian, body: "Held reply text")
        #expect(reply.isHidden)
        #expect(try n.mail(to: "olive@example.org").isEmpty)
        // The activity stream does not show them either.
        let stream = try n.network.services.activity.latest(for: .anonymous, limit: 50).groups
        #expect(!stream.contains { $0.lead.verb == "commented" || $0.lead.verb == "replied" })
    }
}

extension PremoderationTests {
    /// The mail a held comment or reply held back goes out when a moderator approves it: once,
    /// to the same people it would have reached at once, and the activity entry appears with it.
    @Test func approvingAHeldCommentOrReplySendsTheMailItHeldBack() throws {
        let n = try Network()
        let moderation = n.network.services.service(ModerationService.self)!
        let moderator = ModeratorRef(id: n.olive.id, name: n.olive.name, role: .moderator)
        let post = try n.blog.createPost(
            .init(title: "Phonics in Year 1", body: "What worked for us."), by: n.olive)
        let comment = try n.blog.addComment(to: post.id, body: "Held then approved", by: n.ian)
        let group = try n.groups.create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: n.olive)
        _ = try n.groups.join(groupID: group.id, by: n.ian)
        let discussion = try n.groups.startDiscussion(
            groupID: group.id, by: n.olive, title: "Blending", body: "Ideas?")
        let reply = try n.groups.reply(to: discussion.id, by: n.ian, body: "Held reply text")
        #expect(try n.mail(to: "olive@example.org").isEmpty)

        let held = try moderation.awaitingApproval(authorID: n.ian.id, limit: 10)
        #expect(Set(held.compactMap(\.itemID)) == [comment.id, reply.id])
        for item in held {
            _ = try moderation.act(caseID: item.id, ActionRequest(action: .approve), by: moderator)
        }
        let mail = try n.mail(to: "olive@example.org")
        #expect(mail.count == 2)
        #expect(mail.contains { $0.subject == "Ian commented on your post “Phonics in Year 1”" })
        #expect(
            mail.contains {
                $0.subject == "Ian replied to “Blending” in Phonics" && $0.body.contains("Held reply text")
            })
        let stream = try n.network.services.activity.latest(for: .anonymous, limit: 50).groups
        #expect(stream.contains { $0.lead.verb == "commented" })
        #expect(stream.contains { $0.lead.verb == "replied" })
        #expect(try n.blog.comment(id: comment.id, viewer: .anonymous) != nil)
    }
}
