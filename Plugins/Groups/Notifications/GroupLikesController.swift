import Kernel

/// Likes on discussions and replies in the groups API: GET, PUT and DELETE on `…/like` (the
/// count and who, like, take the like back); 404 when the path does not name it or the caller
/// may not see it.
///
/// ```swift
/// GroupLikesController(groups: groups).register(&api)
/// ```
struct GroupLikesController: Sendable {
    let groups: GroupsService
    let likes: LikeOperations

    init(groups: GroupsService) {
        self.groups = groups
        likes = LikeOperations(services: groups.services)
    }

    func register(_ api: inout APIGroup) {
        api.get(
            "/:slug/discussions/:id/like", summary: "How many members like a discussion, and who.",
            operationID: "getGroupDiscussionLikes", use: showDiscussion)
        api.put(
            "/:slug/discussions/:id/like", access: .members, summary: "Like a discussion.",
            operationID: "likeGroupDiscussion", errors: [.forbidden], use: likeDiscussion)
        api.delete(
            "/:slug/discussions/:id/like", access: .members, summary: "Take back your like of a discussion.",
            operationID: "unlikeGroupDiscussion", use: unlikeDiscussion)
        api.get(
            "/:slug/discussions/:id/replies/:reply/like", summary: "How many members like a reply, and who.",
            operationID: "getGroupReplyLikes", use: showReply)
        api.put(
            "/:slug/discussions/:id/replies/:reply/like", access: .members, summary: "Like a reply.",
            operationID: "likeGroupReply", errors: [.forbidden], use: likeReply)
        api.delete(
            "/:slug/discussions/:id/replies/:reply/like", access: .members,
            summary: "Take back your like of a reply.", operationID: "unlikeGroupReply", use: unlikeReply)
    }

    /// The discussion, when the path names it and the caller may read it.
    private func discussion(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> ContentReference {
        let (_, _, discussion) = try groups.visibleDiscussion(slug: slug, id: id, for: ctx.member)
        return ContentReference(module: "groups", kind: "group_discussion", id: discussion.id)
    }

    /// The reply, when it belongs to the discussion the path names.
    private func reply(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ replyID: Int64) throws
        -> ContentReference
    {
        _ = try discussion(ctx, slug, id)
        guard try groups.discussionID(ofReply: replyID) == id else { throw DomainError.notFound }
        return ContentReference(module: "groups", kind: "group_reply", id: replyID)
    }

    func showDiscussion(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> LikesResponse {
        try likes.show(ctx, try discussion(ctx, slug, id))
    }
    func likeDiscussion(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> LikesResponse {
        try likes.like(ctx, try discussion(ctx, slug, id))
    }
    func unlikeDiscussion(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> LikesResponse {
        try likes.unlike(ctx, try discussion(ctx, slug, id))
    }
    func showReply(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ reply: Int64) throws -> LikesResponse
    {
        try likes.show(ctx, try self.reply(ctx, slug, id, reply))
    }
    func likeReply(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ reply: Int64) throws -> LikesResponse
    {
        try likes.like(ctx, try self.reply(ctx, slug, id, reply))
    }
    func unlikeReply(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ reply: Int64) throws
        -> LikesResponse
    {
        try likes.unlike(ctx, try self.reply(ctx, slug, id, reply))
    }
}
