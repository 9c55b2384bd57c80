import Foundation
import Kernel
import Storage

/// Blog: members' posts with comments, view counts, featured posts, video posts and feeds.
///
/// ```swift
/// let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
/// let blog = network.services.service(BlogService.self)
/// ```
public struct BlogModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "blog", title: "Blog",
        summary: "Members' blog posts with comments, view counts, featured posts and feeds.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "posts_per_page", type: .int(min: 1, max: 100), default: .int(10),
                doc: "Posts on one page of a list."),
            .init(
                name: "video_providers", type: .list(.choice(["youtube", "vimeo"])),
                default: .list([.string("youtube"), .string("vimeo")]),
                doc: "Providers whose videos a post may embed.", constraint: .distinct),
            .init(
                name: "view_flush_seconds", type: .int(min: 0, max: 3600), default: .int(1),
                doc: "Seconds between writes of the batched view counts (0: only when asked, for tests)."),
        ])

    public init() {}

    public var migrations: [Migration] { BlogSchema.migrations }

    public var ownedTables: [String] { BlogSchema.tables }

    public func bootstrap(_ context: ModuleContext) throws {
        let blog = BlogService(services: context.services)
        context.seeder(order: 30) { seed in try BlogSeeder.seed(seed, blog: blog) }
        context.services.provide(blog)
        context.stylesheet(BlogStyles.css)
        let flushSeconds = context.services.settings(of: Self.manifest).int("view_flush_seconds")
        if flushSeconds > 0 { blog.views.startBackgroundFlush(every: TimeInterval(flushSeconds), log: context.services.log) }
        context.navigation(NavigationEntry(title: "Blog", path: "/blog", order: 30))
        context.activityPhrase(verb: "published") { _ in "published a blog post" }
        context.activityPhrase(verb: "posted_video") { _ in "posted a video" }
        context.activityPhrase(verb: "commented") { _ in "commented on" }
        // The shell writes the author's name, then this phrase, then the post's title.
        context.activityPhrase(verb: "featured") { _ in "'s blog post was featured" }

        context.reportable(
            ReportableKind(
                module: "blog", kind: "blog_post", title: "blog post",
                lookup: { id, db in try blog.reportable(postID: id, in: db) },
                isVisible: { id, member, db in
                    try blog.post(id: id, viewer: Viewer(member), countingComments: false, in: db) != nil
                },
                setHidden: { id, hidden, db in try blog.setPostHidden(hidden, postID: id, in: db) },
                delete: { id, db in
                    let author = try db.scalar("SELECT author_id FROM blog_posts WHERE id = ?", [id], as: Int64.self)
                    try blog.removePost(id: id, authorID: author, in: db)
                }))
        context.reportable(
            ReportableKind(
                module: "blog", kind: "blog_comment", title: "blog comment",
                lookup: { id, db in try blog.reportable(commentID: id, in: db) },
                isVisible: { id, member, db in try blog.comment(id: id, viewer: Viewer(member), in: db) != nil },
                setHidden: { id, hidden, db in try blog.setCommentHidden(hidden, commentID: id, in: db) },
                delete: { id, db in
                    let author = try db.scalar("SELECT author_id FROM blog_comments WHERE id = ?", [id], as: Int64.self)
                    try blog.removeComment(id: id, authorID: author, in: db)
                },
                released: { id, db in try blog.commentReleased(id: id, in: db) }))
        context.personalData(
            export: { memberID, db in try blog.export(memberID: memberID, in: db) },
            erase: { memberID, db in try blog.erase(memberID: memberID, in: db) })

        var web = context.web
        BlogPages(blog: blog).register(&web)
        BlogFeeds(blog: blog).register(&web)
        BlogAPI(blog: blog).register(&web)
        context.web = web
        context.adminCommand(BlogCommands.command(blog))
    }
}
