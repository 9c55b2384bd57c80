import HTTP
import Kernel

/// The posts part of the blog's JSON API: list, read, write, change and delete posts, and a
/// member's drafts. Routes are declared in ``BlogAPI``.
///
/// ```swift
/// let posts = PostsController(blog: blog)
/// api.get("/posts/:id", summary: "One post.", operationID: "getBlogPost", use: posts.show)
/// ```
struct PostsController: Sendable {
    let blog: BlogService

    func list(_ ctx: RequestContext, _ query: PostListQuery) throws -> Page<PostSummaryResponse> {
        var filter = BlogService.PostQuery()
        if let sort = query.sort { filter.order = sort }
        if let handle = query.author {
            guard let member = try blog.person(handle: handle) else {
                throw WebError.notFound
            }
            filter.authorID = member.id
        }
        if let tag = query.tag { filter.tag = tag.lowercased() }
        let page = try blog.posts(
            filter, viewer: ctx.viewer, limit: PostListQuery.limit(query.limit, default: blog.postsPerPage),
            before: query.before)
        return Page(items: page.posts.map { summary($0) }, next: page.nextCursor)
    }

    func create(_ ctx: RequestContext, _ request: PostRequest) throws -> Created<PostResponse> {
        let me = try ctx.requireActiveMember()
        let post = try blog.createPost(request.applied(to: .init(title: "", body: "", publish: true)), by: me)
        return Created(response(post))
    }

    func drafts(_ ctx: RequestContext) throws -> ItemList<PostResponse> {
        let me = try ctx.requireMember()
        return ItemList(try blog.drafts(of: me.id).map { response($0) })
    }

    func show(_ ctx: RequestContext, _ id: Int64) throws -> PostResponse {
        guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw WebError.notFound }
        return response(post)
    }

    func update(_ ctx: RequestContext, _ id: Int64, _ request: PostRequest) throws -> PostResponse {
        let me = try ctx.requireActiveMember()
        guard let post = try blog.post(id: id, viewer: ctx.viewer), post.authorID == me.id else {
            throw WebError.notFound
        }
        var input = request.applied(to: BlogService.PostInput(post))
        if post.isPublished && !input.publish {
            throw DomainError.invalid([
                .init(field: "status", message: "A published post cannot go back to draft.")
            ])
        }
        input.publish = input.publish || post.isPublished
        return response(try blog.updatePost(id: id, input, by: me))
    }

    func delete(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        try blog.deletePost(id: id, by: try ctx.requireMember())
        return NoContent()
    }

    func response(_ post: BlogPost) -> PostResponse { PostResponse(post, views: blog.liveViews(of: post)) }

    func summary(_ post: BlogPost) -> PostSummaryResponse {
        PostSummaryResponse(post, views: blog.liveViews(of: post))
    }
}

/// Featuring posts on the blog's front page (administrators).
struct FeaturedPostsController: Sendable {
    let blog: BlogService

    func feature(_ ctx: RequestContext, _ id: Int64) throws -> PostResponse {
        try setFeatured(true, ctx, id)
    }

    func unfeature(_ ctx: RequestContext, _ id: Int64) throws -> PostResponse {
        try setFeatured(false, ctx, id)
    }

    private func setFeatured(_ featured: Bool, _ ctx: RequestContext, _ id: Int64) throws -> PostResponse {
        let post = try blog.setFeatured(featured, postID: id, by: try ctx.requireMember())
        return PostResponse(post, views: blog.liveViews(of: post))
    }
}
