import Foundation
import Kernel
import Markdown
import Storage

/// The blog's domain operations, shared by the pages, the JSON API, the console and the
/// moderation and personal-data hooks. Every change is one `database.write` that also records
/// its activity entry, its outbox mail and its events, so they commit together.
///
/// ```swift
/// let blog = services.service(BlogService.self)!
/// let post = try blog.createPost(.init(title: "Phonics", body: "…", tags: "literacy", publish: true), by: me)
/// let page = try blog.posts(.init(order: .newest), viewer: .anonymous, limit: 10)
/// ```
public final class BlogService: Sendable {
    public let services: Services
    public let views: ViewCounter
    public let postsPerPage: Int
    public let videoProviders: [VideoEmbed.Provider]

    public static let maximumTitleLength = 200
    public static let maximumBodyLength = 100_000
    public static let maximumCommentLength = 10_000
    public static let maximumTags = 10
    public static let maximumTagLength = 40

    public init(services: Services) {
        self.services = services
        views = ViewCounter(database: services.database, clock: services.clock)
        let settings = services.settings(of: BlogModule.manifest)
        postsPerPage = settings.int("posts_per_page")
        videoProviders = settings.strings("video_providers").compactMap(VideoEmbed.Provider.init(rawValue:))
    }

    /// A member by handle, through the kernel's Identity: the blog reads membership's data only
    /// through it and the `membership_people` read model, never membership's tables.
    public func person(handle: String) throws -> Person? {
        try database.read { db in try services.identity?.person(handle: handle, in: db) }
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }
}
