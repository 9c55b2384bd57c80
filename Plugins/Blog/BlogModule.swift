import Foundation
import Kernel
import Storage

/// Blog: members' posts with comments, view counts, featured posts, video posts and feeds.
/// `bootstrap` is the module's table of contents: each line registers one part, and the part
/// lives in the folder of its sub-feature (Posts/, Comments/, Views/, Feed/). See docs/modules.md.
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
        context.services.provide(blog)
        BlogNotifications.register(context.services, blog: blog)
        let flushSeconds = context.services.settings(of: Self.manifest).int("view_flush_seconds")
        if flushSeconds > 0 {
            blog.views.startBackgroundFlush(every: TimeInterval(flushSeconds), log: context.services.log)
        }

        PostPages(blog: blog).register(&context.web)
        CommentPages(blog: blog).register(&context.web)
        FeedPages(blog: blog).register(&context.web)
        BlogAPI(blog: blog).register(&context.web)
        context.navigation(NavigationEntry(title: "Blog", path: "/blog", order: 30))
        context.stylesheet(BlogStyles.css)

        context.activityPhrase(verb: "published") { _ in "published a blog post" }
        context.activityPhrase(verb: "posted_video") { _ in "posted a video" }
        context.activityPhrase(verb: "commented") { _ in "commented on" }
        // The shell writes the author's name, then this phrase, then the post's title.
        context.activityPhrase(verb: "featured") { _ in "'s blog post was featured" }

        for kind in BlogReportables.kinds(blog) { context.reportable(kind) }
        BlogSearch.register(in: context, blog: blog)
        context.personalData(export: blog.export(memberID:in:), erase: blog.erase(memberID:in:))
        context.adminCommand(BlogCommands.command(blog))
        context.seeder(order: 30) { seed in try BlogSeeder.seed(seed, blog: blog) }
    }
}
