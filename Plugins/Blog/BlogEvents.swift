import Kernel

/// A post was published (delivered after commit).
///
/// ```swift
/// context.on(BlogPostPublished.self) { event in print(event.postID, event.title) }
/// ```
public struct BlogPostPublished: DomainEvent {
    public static let name = "blog.post_published"
    public var postID: Int64
    public var authorID: Int64
    public var title: String
}

/// A comment was added (delivered after commit).
///
/// ```swift
/// context.on(BlogCommentAdded.self) { event in print(event.commentID, event.postID) }
/// ```
public struct BlogCommentAdded: DomainEvent {
    public static let name = "blog.comment_added"
    public var commentID: Int64
    public var postID: Int64
    public var authorID: Int64
}
