import Foundation
import Kernel
import Storage

/// The blog's part of `pln admin seed`: posts with tags, comments and replies, view counts and
/// a few featured posts, through the service. The first posts get 25 comments each, so a
/// "post with 20 comments" exists for benchmarks.
enum BlogSeeder {
    static func seed(_ seed: SeedContext, blog: BlogService) throws {
        let members = seed.shared["members"] ?? 0
        guard members > 10 else { return }
        let total = seed.scale.postsAndComments
        let postCount = max(10, total / 4)
        var comments = 0
        var postIDs: [Int64] = []
        let admin = try seed.actor(1)
        for index in 0..<postCount {
            seed.tick()
            guard let author = try seed.actor(Int64(seed.random.skewed(members) + 1)) else { continue }
            let topic = seed.random.pick(SeedWords.topics)
            let title = "What we learned about \(topic)" + (index % 3 == 0 ? " this term" : "")
            let body = """
                \(SeedWords.paragraph(&seed.random, sentences: 3))

                ## What we tried

                \(SeedWords.paragraph(&seed.random, sentences: 4))

                - \(seed.random.pick(SeedWords.sentences))
                - \(seed.random.pick(SeedWords.sentences))

                **Next steps:** \(seed.random.pick(SeedWords.sentences))
                """
            let tags = [topic, seed.random.pick(SeedWords.topics)].joined(separator: ", ")
            let post = try blog.createPost(.init(title: title, body: body, tags: tags), by: author)
            postIDs.append(post.id)
            let commentsHere = index < 20 ? 25 : seed.random.int(0...6)
            var thread: [Int64] = []
            for _ in 0..<commentsHere where comments < total - postCount || index < 20 {
                seed.tick()
                guard let commenter = try seed.actor(Int64(seed.random.int(1...members))) else { continue }
                let parent = !thread.isEmpty && seed.random.int(0...3) == 0 ? seed.random.pick(thread) : nil
                let comment = try blog.addComment(
                    to: post.id, body: seed.random.pick(SeedWords.sentences), parentID: parent, by: commenter)
                if parent == nil { thread.append(comment.id) }
                comments += 1
            }
        }
        // Views: set in bulk, heavy-tailed (a few popular posts).
        try seed.services.database.write { db in
            for id in postIDs {
                try db.execute(
                    "UPDATE blog_posts SET view_count = ? WHERE id = ?",
                    [seed.random.skewed(2000) + seed.random.int(0...40), id])
            }
        }
        if let admin {
            for id in postIDs.prefix(max(3, postIDs.count / 500)) {
                seed.tick()
                _ = try blog.setFeatured(true, postID: id, by: admin)
            }
        }
        addRecentActs(seed, blog: blog, postIDs: postIDs)
        seed.shared["blog posts"] = postIDs.count
        seed.shared["blog comments"] = comments
        seed.log("  \(postIDs.count) posts, \(comments) comments")
    }

    /// In the network's last days members comment on the newer posts, write new ones, and an
    /// administrator features two of the new ones (so the featured posts are recent ones).
    static func addRecentActs(_ seed: SeedContext, blog: BlogService, postIDs: [Int64]) {
        let members = seed.shared["members"] ?? 0
        guard members > 10, !postIDs.isEmpty else { return }
        final class Recent: @unchecked Sendable {
            // @unchecked: used by the one thread running `pln admin seed`.
            var posts: [Int64]
            var newPosts: [Int64] = []
            var featured = 0
            init(_ posts: [Int64]) { self.posts = posts }
        }
        let recent = Recent(Array(postIDs.suffix(30)))
        seed.addRecentAct(module: "blog", weight: 3) { seed in
            guard let commenter = try seed.actor(Int64(seed.random.int(1...members))) else { return }
            _ = try? blog.addComment(
                to: seed.random.pick(recent.posts), body: seed.random.pick(SeedWords.sentences), by: commenter
            )
        }
        seed.addRecentAct(module: "blog", weight: 1) { seed in
            guard let author = try seed.actor(Int64(seed.random.skewed(members) + 1)) else { return }
            let topic = seed.random.pick(SeedWords.topics)
            let body = """
                \(SeedWords.paragraph(&seed.random, sentences: 3))

                ## What we tried

                \(SeedWords.paragraph(&seed.random, sentences: 4))
                """
            let post = try blog.createPost(
                .init(title: "What we learned about \(topic)", body: body, tags: topic), by: author)
            recent.posts.append(post.id)
            recent.newPosts.append(post.id)
        }
        seed.addRecentAct(module: "blog", weight: 1) { seed in
            guard recent.featured < 2, let id = recent.newPosts.first, let admin = try seed.actor(1) else {
                return
            }
            recent.newPosts.removeFirst()
            _ = try blog.setFeatured(true, postID: id, by: admin)
            recent.featured += 1
        }
    }
}
