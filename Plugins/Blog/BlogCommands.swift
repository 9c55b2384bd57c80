import Foundation
import Kernel

/// `pln admin blog list|show|feature|unfeature|delete`.
enum BlogCommands {
    static func command(_ blog: BlogService) -> CommandSpec {
        .group(
            "blog", abstract: "Manage blog posts.",
            [
                .command(ListPosts.self, blog), .command(ShowPost.self, blog),
                .command(FeaturePost.self, blog),
                .command(UnfeaturePost.self, blog), .command(DeletePost.self, blog),
            ])
    }

    // The console sees what a signed-in moderator sees (hidden and members-only posts), never drafts.
    static let moderatorView = Viewer(memberID: 0, isModerator: true)

    static func published(_ id: Int64, in blog: BlogService) throws -> BlogPost {
        guard let post = try blog.post(id: id, viewer: moderatorView), post.isPublished else {
            throw notFound(id)
        }
        return post
    }

    static func notFound(_ id: Int64) -> ConsoleError {
        .failure("no published post \(id)", hint: "list posts with `pln admin blog list`")
    }

    static func run<T>(_ id: Int64, _ body: () throws -> T) throws -> T {
        do { return try body() } catch DomainError.notFound { throw notFound(id) }
    }
}

/// A post's number on the command line: a whole number above zero.
struct PostNumber: CommandArgument {
    let value: Int64
    init?(argument: String) {
        guard let value = Int64(argument), value > 0 else { return nil }
        self.value = value
    }
    static var expectation: String { "a post number" }
    var argumentText: String { String(value) }
}

extension BlogService.ListOrder: CommandArgument {}

struct ListPosts: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "List published posts, newest first (hidden ones included).")
    @Option(help: "Only this member's posts (handle).", valueName: "HANDLE") var author: String?
    @Option(help: "Only posts with this tag.", valueName: "TAG") var tag: String?
    @Option(help: "newest, views or featured.", valueName: "ORDER") var sort = BlogService.ListOrder.newest
    @Option(help: "At most this many.", valueName: "N") var limit = 50
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ blog: BlogService, console: Console) throws {
        var query = BlogService.PostQuery(order: sort, tag: tag?.lowercased())
        if let author {
            guard let member = try blog.person(handle: author) else {
                throw ConsoleError.failure("no member with the handle \"\(author)\"")
            }
            query.authorID = member.id
        }
        guard (1...100).contains(limit) else { throw ConsoleError.usage("--limit expects 1 to 100") }
        let posts = try blog.posts(query, viewer: BlogCommands.moderatorView, limit: limit).posts
        if json {
            console.printJSON(
                .array(try posts.map { try BlogAPI.postJSON($0, blog: blog, includeBody: false) }))
        } else if posts.isEmpty {
            console.print("no posts")
        } else {
            console.table(
                ["ID", "TITLE", "AUTHOR", "STATUS", "FEATURED", "VIEWS", "COMMENTS", "PUBLISHED"],
                posts.map { post in
                    [
                        String(post.id),
                        post.title.count > 50 ? String(post.title.prefix(49)) + "…" : post.title,
                        "@" + post.authorHandle, post.status.rawValue + (post.isHidden ? ", hidden" : ""),
                        post.isFeatured ? "yes" : "", String(blog.liveViews(of: post)),
                        String(post.commentCount),
                        post.publishedAt.map(JSONValue.timestamp) ?? "",
                    ]
                })
        }
    }
}

struct ShowPost: AdminCommand {
    static let configuration = CommandConfiguration(name: "show", abstract: "Show one post.")
    @Argument(help: "The post's number (shown by `pln admin blog list`).") var id: PostNumber
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ blog: BlogService, console: Console) throws {
        let post = try BlogCommands.published(id.value, in: blog)
        if json {
            console.printJSON(try BlogAPI.postJSON(post, blog: blog))
        } else {
            console.print("\(post.title) — by \(post.authorName) (@\(post.authorHandle))")
            console.print(
                "\(post.status.rawValue)\(post.isHidden ? ", hidden" : "")\(post.isFeatured ? ", featured" : ""), "
                    + "\(blog.liveViews(of: post)) views, \(post.commentCount) comments")
            if !post.tags.isEmpty { console.print("tags: " + post.tags.joined(separator: ", ")) }
            console.print(blog.services.link(post.path))
        }
    }
}

struct FeaturePost: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "feature", abstract: "Feature a post on the blog and the home page.")
    @Argument(help: "The post's number (shown by `pln admin blog list`).") var id: PostNumber

    func run(_ blog: BlogService, console: Console) throws {
        let post = try BlogCommands.run(id.value) { try blog.setFeatured(true, postID: id.value, by: nil) }
        console.print("featured \(post.id): \(post.title)")
    }
}

struct UnfeaturePost: AdminCommand {
    static let configuration = CommandConfiguration(name: "unfeature", abstract: "Stop featuring a post.")
    @Argument(help: "The post's number (shown by `pln admin blog list`).") var id: PostNumber

    func run(_ blog: BlogService, console: Console) throws {
        let post = try BlogCommands.run(id.value) { try blog.setFeatured(false, postID: id.value, by: nil) }
        console.print("unfeatured \(post.id): \(post.title)")
    }
}

struct DeletePost: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "delete", abstract: "Delete a post and its comments.")
    @Argument(help: "The post's number (shown by `pln admin blog list`).") var id: PostNumber
    @Flag(help: "Do not ask for confirmation.") var yes: Bool

    func run(_ blog: BlogService, console: Console) throws {
        let post = try BlogCommands.published(id.value, in: blog)
        try console.requireConfirmation(
            "Delete “\(post.title)” by \(post.authorName) and its \(post.commentCount) comments?",
            unless: yes,
            refusal: "not deleted")
        try BlogCommands.run(id.value) { try blog.deletePost(id: id.value, by: nil) }
        console.print("deleted \(id.value): \(post.title)")
    }
}
