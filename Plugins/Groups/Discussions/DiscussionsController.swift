import HTTP
import Kernel

/// The discussions part of the groups JSON API: list, start, read, pin, lock, follow and delete
/// discussions. Routes are declared in ``GroupsAPI``.
///
/// ```swift
/// let discussions = DiscussionsController(groups: service)
/// api.get("/:slug/discussions/:id", summary: "One discussion.", operationID: "getGroupDiscussion", use: discussions.show)
/// ```
struct DiscussionsController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ slug: String, _ query: DiscussionListQuery) throws -> CursorPage<
        DiscussionResponse
    > {
        let (group, access) = try groups.readableGroup(slug: slug, for: ctx.member)
        let limit = DiscussionListQuery.limit(query.limit, default: 20)
        let found = try groups.discussions(
            groupID: group.id, access: access, limit: limit + 1,
            before: query.before.flatMap(DiscussionCursor.init))
        return CursorPage(
            found, limit: limit, item: { DiscussionResponse($0, in: group) },
            cursor: { DiscussionCursor(after: $0).text })
    }

    func create(_ ctx: RequestContext, _ slug: String, _ request: DiscussionRequest) throws -> Created<
        DiscussionResponse
    > {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: slug, for: me)
        let discussion = try groups.startDiscussion(
            groupID: group.id, by: me, title: request.title ?? "", body: request.body ?? "")
        return Created(DiscussionResponse(discussion, in: group))
    }

    func show(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> DiscussionResponse {
        let (group, access, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: ctx.member)
        var following: Bool?
        if let me = ctx.member, access.isMember {
            following = try groups.isFollowing(discussionID: discussion.id, memberID: me.id)
        }
        return DiscussionResponse(discussion, in: group, following: following)
    }

    func update(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ request: DiscussionUpdateRequest) throws
        -> DiscussionResponse
    {
        let me = try ctx.requireMember()
        let (group, _, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: me)
        if let pinned = request.pinned { try groups.setPinned(discussionID: discussion.id, pinned, by: me) }
        if let locked = request.locked { try groups.setLocked(discussionID: discussion.id, locked, by: me) }
        if let following = request.following {
            if following {
                try groups.follow(discussionID: discussion.id, by: me)
            } else {
                try groups.unfollow(discussionID: discussion.id, by: me)
            }
        }
        guard let updated = try groups.discussion(id: discussion.id) else { throw DomainError.notFound }
        return DiscussionResponse(updated, in: group)
    }

    func delete(_ ctx: RequestContext, _ slug: String, _ id: Int64) throws -> NoContent {
        let me = try ctx.requireMember()
        let (_, _, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: me)
        try groups.deleteDiscussion(id: discussion.id, by: me)
        return NoContent()
    }
}

/// Replies in a discussion: read, write and delete.
struct RepliesController: Sendable {
    let groups: GroupsService

    func list(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ query: ReplyListQuery) throws -> Page<
        ReplyResponse
    > {
        let (group, access, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: ctx.member)
        let limit = ReplyListQuery.limit(query.limit, default: 50)
        let found = try groups.replies(
            discussionID: discussion.id, access: access, limit: limit + 1, after: query.after)
        let page = found.prefix(limit)
        return Page(
            items: page.map { ReplyResponse($0, discussion: discussion, in: group) },
            next: found.count > limit ? page.last?.id : nil)
    }

    func create(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ request: ReplyRequest) throws
        -> Created<
            ReplyResponse
        >
    {
        let me = try ctx.requireMember()
        let (group, _, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: me)
        let reply = try groups.reply(to: discussion.id, by: me, body: request.body ?? "")
        return Created(ReplyResponse(reply, discussion: discussion, in: group))
    }

    func delete(_ ctx: RequestContext, _ slug: String, _ id: Int64, _ replyID: Int64) throws -> NoContent {
        let me = try ctx.requireMember()
        let (_, _, discussion) = try groups.readableDiscussion(slug: slug, id: id, for: me)
        guard try groups.discussionID(ofReply: replyID) == discussion.id else { throw DomainError.notFound }
        try groups.deleteReply(id: replyID, by: me)
        return NoContent()
    }
}

extension GroupsService {
    /// A discussion whose group's content the caller may read (401 for a visitor, 403 for
    /// others who may not), and which they may see (404 otherwise).
    func readableDiscussion(slug: String, id: Int64, for member: SignedInMember?) throws -> (
        Group, GroupAccess, Discussion
    ) {
        _ = try readableGroup(slug: slug, for: member)
        return try visibleDiscussion(slug: slug, id: id, for: member)
    }
}
