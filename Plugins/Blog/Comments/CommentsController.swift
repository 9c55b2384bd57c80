import HTTP
import Kernel

/// The comments part of the blog's JSON API: read a post's comment threads, comment, reply,
/// change and delete comments. Routes are declared in ``BlogAPI``.
///
/// ```swift
/// let comments = CommentsController(blog: blog)
/// api.get("/posts/:id/comments", summary: "Comments.", operationID: "listBlogComments", use: comments.list)
/// ```
struct CommentsController: Sendable {
    let blog: BlogService

    func list(_ ctx: RequestContext, _ postID: Int64, _ query: CommentListQuery) throws -> Page<
        CommentResponse
    > {
        let (threads, next) = try blog.comments(
            on: postID, viewer: ctx.viewer, after: query.after,
            limit: CommentListQuery.limit(query.limit, default: 50))
        return Page(
            items: threads.flatMap { [$0.comment] + $0.replies }.map(CommentResponse.init), next: next)
    }

    func create(_ ctx: RequestContext, _ postID: Int64, _ request: CommentRequest) throws -> Created<
        CommentResponse
    > {
        let me = try ctx.requireActiveMember()
        let comment = try blog.addComment(to: postID, body: request.body, parentID: request.parentID, by: me)
        return Created(CommentResponse(comment))
    }

    func update(_ ctx: RequestContext, _ id: Int64, _ request: CommentEditRequest) throws -> CommentResponse {
        let me = try ctx.requireActiveMember()
        guard let comment = try blog.comment(id: id, viewer: ctx.viewer), comment.authorID == me.id else {
            throw WebError.notFound
        }
        return CommentResponse(try blog.updateComment(id: comment.id, body: request.body, by: me))
    }

    func delete(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        let me = try ctx.requireMember()
        guard let comment = try blog.comment(id: id, viewer: ctx.viewer) else { throw WebError.notFound }
        try blog.deleteComment(id: comment.id, by: me)
        return NoContent()
    }
}
