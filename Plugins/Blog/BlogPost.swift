import Foundation
import Kernel
import Markdown
import Storage

/// A blog post as the pages, the API and the console see it.
///
/// ```swift
/// let post = try blog.post(id: 7, viewer: ctx.viewer)
/// print(post?.title, post?.excerpt, post?.path)
/// ```
public struct BlogPost: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case draft, published
    }

    /// Who may read a published post: anyone, or signed-in members only.
    public enum Visibility: String, Sendable, CaseIterable {
        case `public`, members
    }

    public var id: Int64
    public var authorID: Int64
    public var authorName: String
    public var authorHandle: String
    public var title: String
    /// Markdown source.
    public var body: String
    /// The excerpt lists, feeds and the API show (``excerptLength`` characters), stored with the
    /// post when it is written: rendering Markdown to plain text for every post of every list
    /// cost a third of the home page's CPU (perf, large data set).
    public var excerpt: String
    public var tags: [String]
    public var status: Status
    public var visibility: Visibility
    public var video: VideoEmbed?
    /// Hidden by moderation: seen only by the author and moderators.
    public var isHidden: Bool
    public var featuredAt: Date?
    /// The count stored in the database; add ``BlogService/liveViews(of:)`` for the live one.
    public var storedViews: Int64
    /// Visible (not hidden) comments.
    public var commentCount: Int
    public var createdAt: Date
    public var publishedAt: Date?
    public var updatedAt: Date
    /// Set when a published post was changed.
    public var editedAt: Date?
    /// The view flush this row's count includes (read in the same snapshot), so that
    /// ``BlogService/liveViews(of:)`` adds exactly the increments the count lacks.
    var viewGeneration: Int64 = 0

    public var path: String { "/blog/posts/\(id)" }
    public var isFeatured: Bool { featuredAt != nil }
    public var isPublished: Bool { status == .published }

    /// The activity scope of entries about this post.
    public var activityScope: ActivityScope { visibility == .public ? .public : .members }

    /// The length of the stored ``excerpt``.
    public static let excerptLength = 280

    /// The body's ``Excerpt`` of about `length` characters.
    public func excerpt(length: Int) -> String {
        length == Self.excerptLength ? excerpt : Excerpt.make(body, length: length)
    }

    static let columns = columns(commentCount: commentCountColumn)

    /// The same columns with `comment_count` left at 0, for writes that need the post but not
    /// its count: counting walks every comment, and a busy post has thousands.
    static let columnsWithoutCommentCount = columns(commentCount: "0")

    private static let commentCountColumn =
        "(SELECT COUNT(*) FROM blog_comments c WHERE c.post_id = p.id AND c.hidden = 0)"

    private static func columns(commentCount: String) -> String {
        """
        p.id, p.author_id, p.title, p.body, p.excerpt, p.status, p.visibility, p.video_provider, p.video_id, p.hidden,
        p.view_count, p.featured_at, p.created_at, p.published_at, p.updated_at, p.edited_at,
        m.name AS author_name, m.handle AS author_handle,
        \(commentCount) AS comment_count,
        (SELECT generation FROM blog_view_flushes WHERE id = 1) AS view_generation
        """
    }

    static func decode(_ row: Row) throws -> BlogPost {
        var video: VideoEmbed?
        if let provider = try row.optional("video_provider", as: String.self),
            let videoID = try row.optional("video_id", as: String.self),
            let kind = VideoEmbed.Provider(rawValue: provider)
        {
            let embed = VideoEmbed(provider: kind, videoID: videoID)
            video = embed.isWellFormed ? embed : nil
        }
        let body: String = try row.value("body")
        let stored: String = try row.value("excerpt")
        return BlogPost(
            id: try row.value("id"), authorID: try row.value("author_id"),
            authorName: try row.value("author_name"),
            authorHandle: try row.value("author_handle"), title: try row.value("title"), body: body,
            // A row written around the service (an import, a hand-made fixture) has none stored.
            excerpt: stored.isEmpty && !body.isEmpty ? Excerpt.make(body, length: excerptLength) : stored,
            tags: [],
            status: Status(rawValue: try row.value("status")) ?? .draft,
            visibility: Visibility(rawValue: try row.value("visibility")) ?? .public, video: video,
            isHidden: try row.value("hidden"), featuredAt: try row.optional("featured_at"),
            storedViews: try row.value("view_count"), commentCount: try row.value("comment_count"),
            createdAt: try row.value("created_at"), publishedAt: try row.optional("published_at"),
            updatedAt: try row.value("updated_at"), editedAt: try row.optional("edited_at"),
            viewGeneration: try row.optional("view_generation") ?? 0)
    }
}
