import Foundation
import Kernel
import Markdown

// The JSON the API answers and accepts for comments; each type is its own OpenAPI schema.

/// A comment or a reply (a reply names its top-level comment in `parent_id`).
struct CommentResponse: APIModel {
    var id: Int64
    var postID: Int64
    var parentID: Int64?
    var author: AuthorResponse
    var body: String
    var bodyHTML: String
    var hidden: Bool
    var createdAt: Date
    var editedAt: Date?

    static let schemaName = "BlogComment"
    static let schemaDescription: String? = "A comment on a blog post."
    static let fieldHints: [String: SchemaHint] = [
        "parentID": .description("The top-level comment this replies to; null for a top-level comment."),
        "body": .description("Markdown source."),
        "bodyHTML": .description("The body rendered safely."),
        "hidden": .description("Hidden by moderation: seen only by its author and moderators."),
    ]

    init(_ comment: BlogComment) {
        id = comment.id
        postID = comment.postID
        parentID = comment.parentID
        author = AuthorResponse(id: comment.authorID, handle: comment.authorHandle, name: comment.authorName)
        body = comment.body
        bodyHTML = MarkdownCache.html(comment.body)
        hidden = comment.isHidden
        createdAt = comment.createdAt
        editedAt = comment.editedAt
    }
}

/// A new comment, or a reply to a top-level comment.
struct CommentRequest: APIModel {
    var body: String
    var parentID: Int64?

    static let schemaName = "BlogCommentInput"
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(description: "Markdown.", message: "Enter your comment."),
        "parentID": .init(description: "Reply to this top-level comment.", message: "Must be a comment id."),
    ]
}

/// A comment's new text.
struct CommentEditRequest: APIModel {
    var body: String

    static let schemaName = "BlogCommentEdit"
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(description: "Markdown.", message: "Enter your comment.")
    ]
}

/// The page of the comment list.
struct CommentListQuery: APIQuery {
    var after: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...200
    static let fieldHints: [String: SchemaHint] = [
        "after": .init(
            description: "The `next` value of the previous page.", message: "Must be a comment id."),
        "limit": .description("Top-level comments per page (default 50); their replies come with them."),
    ]
}
