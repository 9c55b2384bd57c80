import Kernel
import Storage

/// Blog: members' posts with comments, view counts, featured posts and feeds.
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
                doc: "Providers whose videos a post may embed."),
        ])

    public init() {}

    public var migrations: [Migration] { [] }

    public func bootstrap(_ context: ModuleContext) throws {}
}
