import Foundation
import Kernel

// The JSON the API answers and accepts for discussions and replies; each type is its own
// OpenAPI schema.

/// Who wrote a discussion or reply: `handle` is null when they have left the network.
struct GroupAuthorResponse: APIModel {
    var handle: String?
    var name: String

    static let schemaName = "GroupAuthor"

    init(name: String, handle: String) {
        let former = handle.isEmpty || handle.hasPrefix("former-member-")
        self.handle = former ? nil : handle
        self.name = name
    }
}

/// A discussion with its opening post. `following` is there only for members of the group on
/// the discussion's own address (left out, not null, otherwise).
struct DiscussionResponse: APIModel {
    var id: Int64
    var group: String
    var title: String
    var body: String
    var author: GroupAuthorResponse
    var pinned: Bool
    var locked: Bool
    var hidden: Bool
    var replyCount: Int
    var createdAt: Date
    var lastReplyAt: Date
    var url: String
    var following: Bool?

    static let schemaName = "GroupDiscussion"
    static let schemaDescription: String? = "A discussion in a group."
    static let fieldHints: [String: SchemaHint] = [
        "group": .description("The group's slug."),
        "body": .description("Markdown."),
        "hidden": .description("Hidden by moderation: seen only by its author and moderators."),
        "url": .description("The discussion's page, relative to the network's address."),
        "following": .description(
            "Whether you follow it (mail on new replies): members of the group, on GET of one discussion only."
        ),
    ]

    init(_ discussion: Discussion, in group: Group, following: Bool? = nil) {
        id = discussion.id
        self.group = group.slug
        title = discussion.title
        body = discussion.body
        author = GroupAuthorResponse(name: discussion.authorName, handle: discussion.authorHandle)
        pinned = discussion.isPinned
        locked = discussion.isLocked
        hidden = discussion.isHidden
        replyCount = discussion.replyCount
        createdAt = discussion.createdAt
        lastReplyAt = discussion.lastReplyAt
        url = discussion.path(in: group)
        self.following = following
    }

    // `following` is left out when nil, as the API always answered.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(group, forKey: .group)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encode(author, forKey: .author)
        try container.encode(pinned, forKey: .pinned)
        try container.encode(locked, forKey: .locked)
        try container.encode(hidden, forKey: .hidden)
        try container.encode(replyCount, forKey: .replyCount)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastReplyAt, forKey: .lastReplyAt)
        try container.encode(url, forKey: .url)
        if let following { try container.encode(following, forKey: .following) }
    }
}

/// A reply in a discussion.
struct ReplyResponse: APIModel {
    var id: Int64
    var discussionID: Int64
    var body: String
    var author: GroupAuthorResponse
    var hidden: Bool
    var createdAt: Date
    var url: String

    static let schemaName = "GroupReply"
    static let schemaDescription: String? = "A reply in a group discussion."
    static let fieldHints: [String: SchemaHint] = [
        "body": .description("Markdown."),
        "hidden": .description("Hidden by moderation: seen only by its author and moderators."),
        "url": .description("The reply on the discussion's page, relative to the network's address."),
    ]

    init(_ reply: DiscussionReply, discussion: Discussion, in group: Group) {
        id = reply.id
        discussionID = reply.discussionID
        body = reply.body
        author = GroupAuthorResponse(name: reply.authorName, handle: reply.authorHandle)
        hidden = reply.isHidden
        createdAt = reply.createdAt
        url = "\(discussion.path(in: group))#reply-\(reply.id)"
    }
}

/// A new discussion. The service names what is missing.
struct DiscussionRequest: APIModel {
    var title: String?
    var body: String?

    static let schemaName = "GroupDiscussionInput"
    static let fieldHints: [String: SchemaHint] = [
        "title": .init(maxLength: 200),
        "body": .description("Markdown: the opening post."),
    ]
}

/// Pinning and locking (chairs), following (members); fields left out stay as they are.
struct DiscussionUpdateRequest: APIModel {
    var pinned: Bool?
    var locked: Bool?
    var following: Bool?

    static let schemaName = "GroupDiscussionUpdate"
}

/// A new reply.
struct ReplyRequest: APIModel {
    var body: String?

    static let schemaName = "GroupReplyInput"
    static let fieldHints: [String: SchemaHint] = ["body": .description("Markdown.")]
}

/// The page of the discussion list.
struct DiscussionListQuery: APIQuery {
    var before: String?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "before": .description("The `next` value of the previous page."),
        "limit": .description("Discussions per page (default 20)."),
    ]
}

/// The page of the reply list.
struct ReplyListQuery: APIQuery {
    var after: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...200
    static let fieldHints: [String: SchemaHint] = [
        "after": .init(
            description: "Id of the last reply of the previous page (its `next`).",
            message: "Must be a reply id."),
        "limit": .description("Replies per page (default 50)."),
    ]
}
