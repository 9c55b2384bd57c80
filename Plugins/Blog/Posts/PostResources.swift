import Foundation
import Kernel
import Markdown

// The JSON the API answers and accepts for posts. Each type is its own OpenAPI schema: the
// document is derived from these declarations, so change the JSON here and the document follows.

extension BlogPost.Status: APIEnum {}
extension BlogPost.Visibility: APIEnum {}
extension VideoEmbed.Provider: APIEnum {}
extension BlogService.ListOrder: APIEnum {}

/// A post's author, as the API shows it.
struct AuthorResponse: APIModel {
    var id: Int64
    var handle: String
    var name: String

    static let schemaName = "BlogAuthor"
}

/// A post's embedded video.
struct VideoResponse: APIModel {
    var provider: VideoEmbed.Provider
    var id: String
    var embedURL: String
    var url: String

    static let schemaName = "BlogVideo"
    static let fieldHints: [String: SchemaHint] = [
        "embedURL": .description("The privacy-enhanced player address, for an iframe."),
        "url": .description("The video's page on its provider."),
    ]

    init(_ video: VideoEmbed) {
        provider = video.provider
        id = video.videoID
        embedURL = video.embedURL
        url = video.watchURL
    }
}

/// A post as lists show it: everything but the body.
struct PostSummaryResponse: APIModel {
    var id: Int64
    var title: String
    var excerpt: String
    var tags: [String]
    var status: BlogPost.Status
    var visibility: BlogPost.Visibility
    var author: AuthorResponse
    var video: VideoResponse?
    var featured: Bool
    var featuredAt: Date?
    var views: Int64
    var comments: Int
    var hidden: Bool
    var createdAt: Date
    var publishedAt: Date?
    var editedAt: Date?
    var url: String

    static let schemaName = "BlogPostSummary"
    static let schemaDescription: String? = "A blog post without its body, as lists show it."
    static let fieldHints: [String: SchemaHint] = [
        "title": .init(maxLength: BlogService.maximumTitleLength),
        "excerpt": .description("The start of the body as plain text, cut at a word."),
        "views": .description("Views so far, including those not yet written to the database."),
        "comments": .description("Visible comments."),
        "hidden": .description("Hidden by moderation: seen only by its author and moderators."),
        "url": .description("The post's page, relative to the network's address."),
    ]

    init(_ post: BlogPost, views: Int64) {
        id = post.id
        title = post.title
        excerpt = post.excerpt
        tags = post.tags
        status = post.status
        visibility = post.visibility
        author = AuthorResponse(id: post.authorID, handle: post.authorHandle, name: post.authorName)
        video = post.video.map(VideoResponse.init)
        featured = post.isFeatured
        featuredAt = post.featuredAt
        self.views = views
        comments = post.commentCount
        hidden = post.isHidden
        createdAt = post.createdAt
        publishedAt = post.publishedAt
        editedAt = post.editedAt
        url = post.path
    }
}

/// A whole post: the summary's fields, then the body as Markdown and as safe HTML.
struct PostResponse: APIModel {
    var summary: PostSummaryResponse
    var body: String
    var bodyHTML: String

    static let schemaName = "BlogPost"
    static let schemaDescription: String? = "A blog post."
    static var fieldHints: [String: SchemaHint] {
        PostSummaryResponse.fieldHints.merging(
            [
                "body": .description("Markdown source."),
                "bodyHTML": .description("The body rendered safely."),
            ], uniquingKeysWith: { $1 })
    }

    init(_ post: BlogPost, views: Int64) {
        summary = PostSummaryResponse(post, views: views)
        body = post.body
        bodyHTML = MarkdownCache.html(post.body)
    }

    // One flat object: the summary's keys, then these.
    private enum CodingKeys: String, CodingKey { case body, bodyHTML }

    init(from decoder: any Decoder) throws {
        summary = try PostSummaryResponse(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        body = try container.decode(String.self, forKey: .body)
        bodyHTML = try container.decode(String.self, forKey: .bodyHTML)
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(body, forKey: .body)
        try container.encode(bodyHTML, forKey: .bodyHTML)
    }
}

/// What a client sends to write or change a post. Every field may be left out: a new post
/// starts empty (and the service names what is missing), a change keeps what is left out.
struct PostRequest: APIModel {
    var title: String?
    var body: String?
    var tags: TagList?
    var videoURL: String?
    var visibility: BlogPost.Visibility?
    var status: BlogPost.Status?

    static let schemaName = "BlogPostInput"
    static let fieldHints: [String: SchemaHint] = [
        "title": .init(maxLength: BlogService.maximumTitleLength),
        "body": .description("Markdown."),
        "tags": .init(message: "Must be a list of tags (strings without commas)."),
        "videoURL": .description("A YouTube or Vimeo page address; empty for none."),
        "visibility": .init(message: "Choose who can read the post: everyone or members only."),
        "status": .description("\"draft\" keeps it to yourself; a published post cannot go back to draft."),
    ]

    /// `base` with the fields this request sets.
    func applied(to base: BlogService.PostInput) -> BlogService.PostInput {
        var input = base
        if let title { input.title = title }
        if let body { input.body = body }
        if let tags { input.tags = tags.commaSeparated }
        if let videoURL { input.videoURL = videoURL }
        if let visibility { input.visibility = visibility.rawValue }
        if let status { input.publish = status == .published }
        return input
    }
}

/// Tags as a list of strings, or one comma-separated string as the form sends them.
struct TagList: Codable, Sendable, APICustomSchema {
    var commaSeparated: String

    static let jsonSchema: JSONValue = [
        "anyOf": [
            ["type": "array", "items": ["type": "string", "pattern": "^[^,]*$"]],
            ["type": "string", "description": "Comma-separated tags."],
        ]
    ]
    static let schemaPlaceholder = TagList(commaSeparated: "")

    init(commaSeparated: String) { self.commaSeparated = commaSeparated }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            guard !list.contains(where: { $0.contains(",") }) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "A tag in a list cannot contain a comma.")
            }
            commaSeparated = list.joined(separator: ",")
        } else {
            commaSeparated = try container.decode(String.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(commaSeparated)
    }
}

/// The filters and page of the post list.
struct PostListQuery: APIQuery {
    var sort: BlogService.ListOrder?
    var author: String?
    var tag: String?
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "sort": .init(message: "Use newest, views or featured."),
        "author": .description("A member's handle: only their posts."),
        "tag": .description("Only posts with this tag."),
        "before": .init(description: "The `next` value of the previous page.", message: "Must be a post id."),
        "limit": .description("Posts per page (default: the network's setting)."),
    ]
}
