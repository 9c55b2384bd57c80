import Foundation
import Kernel
import Membership

/// `pln admin blog list|show|feature|unfeature|delete`.
enum BlogCommands {
    static func command(_ blog: BlogService) -> CommandSpec {
        let json = ArgumentSpec.flag("json", "Print JSON.")
        let idArgument = ArgumentSpec.positional("id", "The post's number (shown by `pln admin blog list`).")

        @Sendable func postID(_ args: ParsedArguments) throws -> Int64 {
            let text = try args.required("id")
            guard let id = Int64(text), id > 0 else {
                throw ConsoleError.usage("<id> expects a post number, got \"\(text)\"")
            }
            return id
        }
        @Sendable func run<T>(_ id: Int64, _ body: () throws -> T) throws -> T {
            do { return try body() } catch DomainError.notFound {
                throw ConsoleError.failure(
                    "no published post \(id)", hint: "list posts with `pln admin blog list`")
            }
        }
        @Sendable func line(_ post: BlogPost) -> [String] {
            [
                String(post.id), post.title.count > 50 ? String(post.title.prefix(49)) + "…" : post.title,
                "@" + post.authorHandle, post.status.rawValue + (post.isHidden ? ", hidden" : ""),
                post.isFeatured ? "yes" : "", String(blog.liveViews(of: post)), String(post.commentCount),
                post.publishedAt.map(JSONValue.timestamp) ?? "",
            ]
        }
        // The console sees what a signed-in moderator sees (hidden and members-only posts), never drafts.
        let moderatorView = Viewer(memberID: 0, isModerator: true)

        return CommandSpec(
            name: "blog", abstract: "Manage blog posts.",
            subcommands: [
                CommandSpec(
                    name: "list", abstract: "List published posts, newest first (hidden ones included).",
                    arguments: [
                        .option("author", "Only this member's posts (handle).", valueName: "HANDLE"),
                        .option("tag", "Only posts with this tag.", valueName: "TAG"),
                        .option("sort", "newest, views or featured.", valueName: "ORDER", default: "newest"),
                        .option("limit", "At most this many.", valueName: "N", default: "50"), json,
                    ]
                ) { args, console in
                    guard let order = BlogService.ListOrder(rawValue: args["sort"] ?? "newest") else {
                        throw ConsoleError.usage(
                            "--sort expects newest, views or featured, got \"\(args["sort"] ?? "")\"")
                    }
                    var query = BlogService.PostQuery(order: order, tag: args["tag"]?.lowercased())
                    if let handle = args["author"] {
                        guard
                            let member = try blog.services.service(MembershipService.self)?.member(
                                handle: handle)
                        else {
                            throw ConsoleError.failure("no member with the handle \"\(handle)\"")
                        }
                        query.authorID = member.id
                    }
                    let limit = try args.integer("limit") ?? 50
                    guard (1...100).contains(limit) else {
                        throw ConsoleError.usage("--limit expects 1 to 100")
                    }
                    let posts = try blog.posts(query, viewer: moderatorView, limit: limit).posts
                    if args.json {
                        console.printJSON(.array(try posts.map { try BlogAPI.postJSON($0, blog: blog, includeBody: false) }))
                    } else if posts.isEmpty {
                        console.print("no posts")
                    } else {
                        console.table(
                            [
                                "ID", "TITLE", "AUTHOR", "STATUS", "FEATURED", "VIEWS", "COMMENTS",
                                "PUBLISHED",
                            ],
                            posts.map(line))
                    }
                },
                CommandSpec(name: "show", abstract: "Show one post.", arguments: [idArgument, json]) {
                    args, console in
                    let id = try postID(args)
                    guard let post = try blog.post(id: id, viewer: moderatorView), post.isPublished else {
                        throw ConsoleError.failure(
                            "no published post \(id)", hint: "list posts with `pln admin blog list`")
                    }
                    if args.json {
                        console.printJSON(try BlogAPI.postJSON(post, blog: blog))
                    } else {
                        console.print("\(post.title) — by \(post.authorName) (@\(post.authorHandle))")
                        console.print(
                            "\(post.status.rawValue)\(post.isHidden ? ", hidden" : "")\(post.isFeatured ? ", featured" : ""), "
                                + "\(blog.liveViews(of: post)) views, \(post.commentCount) comments")
                        if !post.tags.isEmpty { console.print("tags: " + post.tags.joined(separator: ", ")) }
                        console.print(blog.services.link(post.path))
                    }
                },
                CommandSpec(
                    name: "feature", abstract: "Feature a post on the blog and the home page.",
                    arguments: [idArgument]
                ) { args, console in
                    let id = try postID(args)
                    let post = try run(id) { try blog.setFeatured(true, postID: id, by: nil) }
                    console.print("featured \(post.id): \(post.title)")
                },
                CommandSpec(name: "unfeature", abstract: "Stop featuring a post.", arguments: [idArgument]) {
                    args, console in
                    let id = try postID(args)
                    let post = try run(id) { try blog.setFeatured(false, postID: id, by: nil) }
                    console.print("unfeatured \(post.id): \(post.title)")
                },
                CommandSpec(
                    name: "delete", abstract: "Delete a post and its comments.",
                    arguments: [idArgument, .flag("yes", "Do not ask for confirmation.")]
                ) { args, console in
                    let id = try postID(args)
                    guard let post = try blog.post(id: id, viewer: moderatorView), post.isPublished else {
                        throw ConsoleError.failure(
                            "no published post \(id)", hint: "list posts with `pln admin blog list`")
                    }
                    if !args.flag("yes")
                        && !console.confirm(
                            "Delete “\(post.title)” by \(post.authorName) and its \(post.commentCount) comments?"
                        )
                    {
                        throw ConsoleError.failure("not deleted")
                    }
                    try run(id) { try blog.deletePost(id: id, by: nil) }
                    console.print("deleted \(id): \(post.title)")
                },
            ])
    }
}
