import Kernel

/// The blog part of the JSON API under /api/v1/blog. Each operation is a named handler of a
/// controller per sub-feature; the OpenAPI document is derived from these declarations and the
/// types the handlers take and return (see docs/api.md).
struct BlogAPI {
    let blog: BlogService

    /// A post as the API shows it, for the console's `--json` (the same JSON, the same order).
    static func postJSON(_ post: BlogPost, blog: BlogService, includeBody: Bool = true) throws -> JSONValue {
        let views = blog.liveViews(of: post)
        return includeBody
            ? try JSONValue(encoding: PostResponse(post, views: views))
            : try JSONValue(encoding: PostSummaryResponse(post, views: views))
    }

    func register(_ web: inout WebContributions) {
        let posts = PostsController(blog: blog)
        let featured = FeaturedPostsController(blog: blog)
        let comments = CommentsController(blog: blog)
        web.apiGroup("/api/v1/blog", tag: "blog") { api in
            api.get(
                "/posts",
                summary: "Published blog posts you may read: the network blog, one member's, or one tag's.",
                operationID: "listBlogPosts", errors: [.notFound], use: posts.list)
            api.post(
                "/posts", access: .members,
                summary: "Write a post (published, or a draft with status \"draft\").",
                operationID: "createBlogPost", errors: [.forbidden], use: posts.create)
            api.get(
                "/drafts", access: .members, summary: "Your drafts, newest first (no one else sees them).",
                operationID: "listBlogDrafts", use: posts.drafts)
            api.get("/posts/:id", summary: "One post.", operationID: "getBlogPost", use: posts.show)
            api.patch(
                "/posts/:id", access: .members,
                summary:
                    "Change your post; fields left out keep their value. Set status to \"published\" to publish a draft.",
                operationID: "updateBlogPost", errors: [.forbidden], use: posts.update)
            api.delete(
                "/posts/:id", access: .members, summary: "Delete a post (its author or an administrator).",
                operationID: "deleteBlogPost", errors: [.forbidden], use: posts.delete)

            api.put(
                "/posts/:id/feature", access: .admins, summary: "Feature a post (administrators).",
                operationID: "featureBlogPost", use: featured.feature)
            api.delete(
                "/posts/:id/feature", access: .admins, summary: "Unfeature a post (administrators).",
                operationID: "unfeatureBlogPost", use: featured.unfeature)

            api.get(
                "/posts/:id/comments",
                summary: "A page of comment threads, oldest first; replies follow their comment.",
                operationID: "listBlogComments", use: comments.list)
            api.post(
                "/posts/:id/comments", access: .members,
                summary: "Comment on a post, or reply to a top-level comment with parent_id.",
                operationID: "createBlogComment", errors: [.forbidden], use: comments.create)
            api.patch(
                "/comments/:id", access: .members, summary: "Change your comment.",
                operationID: "updateBlogComment",
                errors: [.forbidden], use: comments.update)
            api.delete(
                "/comments/:id", access: .members,
                summary: "Delete a comment: your own, any on your post, or any as an administrator.",
                operationID: "deleteBlogComment", errors: [.forbidden], use: comments.delete)
            api.likeOperations("/posts/:id/like", noun: "post", name: "BlogPost", services: blog.services) {
                ContentReference(module: "blog", kind: "blog_post", id: $0)
            }
            api.likeOperations(
                "/comments/:id/like", noun: "comment", name: "BlogComment", services: blog.services
            ) { ContentReference(module: "blog", kind: "blog_comment", id: $0) }
        }
    }
}
