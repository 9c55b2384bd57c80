import Foundation
import HTTP
import Kernel
import Markdown

/// The posts' HTML pages: the network blog, each member's blog, each tag, a post, the writing
/// and editing forms, drafts, featuring, and the network home's featured block. Each page is a
/// named handler; the HTML pieces they share are in PostHTML.swift.
///
/// ```swift
/// PostPages(blog: blog).register(&web)   // in bootstrap
/// ```
struct PostPages: Sendable {
    let blog: BlogService

    func register(_ web: inout WebContributions) {
        web.home(HomeSection(order: 20, render: home))
        web.pages("/blog") { pages in
            pages.get("", use: index)
            pages.get("/members/:handle", use: memberBlog)
            pages.get("/tags/:tag", use: tagged)
            pages.get("/posts/:id", use: show)
            pages.group("", access: .members) { member in
                member.get("/drafts", use: drafts)
                member.get("/new", use: new)
                member.post("/new", use: create)
            }
            pages.group("/posts/:id", access: .members) { post in
                post.get("/edit", use: edit)
                post.post("/edit", use: update)
                post.post("/publish", use: publish)
                post.post("/delete", use: delete)
                post.post("/feature", access: .admins, use: feature)
                post.post("/unfeature", access: .admins, use: unfeature)
            }
        }
    }

    /// The network home's block: featured posts, or the latest when none is featured.
    @Sendable func home(_ ctx: RequestContext) throws -> HTML {
        let featured = try blog.posts(.init(order: .featured), viewer: ctx.viewer, limit: 3).posts
        if !featured.isEmpty {
            return """
                <section class="blog-featured"><h2>Featured blog posts</h2>\(Self.summaries(featured, ctx, blog: blog))
                <p class="more"><a href="/blog">See all blog posts</a></p></section>
                """
        }
        let latest = try blog.posts(.init(order: .newest), viewer: ctx.viewer, limit: 3).posts
        if latest.isEmpty { return "" }
        return """
            <section class="blog-latest"><h2>Latest blog posts</h2>\(Self.summaries(latest, ctx, blog: blog))
            <p class="more"><a href="/blog">See all blog posts</a></p></section>
            """
    }

    /// The network blog: newest, most viewed or featured, with the featured block on top.
    @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let order = BlogService.ListOrder(rawValue: ctx.query("sort") ?? "") ?? .newest
        let before = ctx.query("before").flatMap(Int64.init)
        let page = try blog.posts(
            .init(order: order), viewer: ctx.viewer, limit: blog.postsPerPage, before: before)
        var body: HTML = "<h1>Blog</h1>"
        if ctx.member != nil {
            body +=
                "<p><a class=\"button\" href=\"/blog/new\">Write a blog post</a> <a href=\"/blog/drafts\">Your drafts</a></p>"
        }
        if order == .newest && before == nil {
            let featured = try blog.posts(.init(order: .featured), viewer: ctx.viewer, limit: 3).posts
            if !featured.isEmpty {
                body += """
                    <section class="blog-featured card"><h2>Featured</h2>\(Self.summaries(featured, ctx, blog: blog))
                    <p class="more"><a href="/blog?sort=featured">All featured posts</a></p></section>
                    """
            }
        }
        let tabs = BlogService.ListOrder.allCases.map { item -> HTML in
            let current = item == order ? HTML(" aria-current=\"page\"") : HTML.empty
            return "<li><a href=\"/blog?sort=\(item.rawValue)\"\(current)>\(item.title)</a></li>"
        }
        body += "<nav class=\"blog-tabs\" aria-label=\"Order\"><ul>\(tabs)</ul></nav>"
        body += Self.list(page, ctx, blog: blog, nextPath: "/blog?sort=\(order.rawValue)&before=")
        body += "<p class=\"small\"><a href=\"/blog/feed.atom\">Atom feed</a></p>"
        return ctx.page(title: "Blog", body: body)
    }

    /// One member's blog.
    @Sendable func memberBlog(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try blog.person(handle: try ctx.parameter("handle")),
            member.status != .deleted
        else { throw DomainError.notFound }
        if member.status == .suspended && !(ctx.member?.isModerator ?? false)
            && ctx.member?.id != member.id
        {
            throw DomainError.notFound
        }
        let before = ctx.query("before").flatMap(Int64.init)
        let page = try blog.posts(
            .init(authorID: member.id), viewer: ctx.viewer, limit: blog.postsPerPage, before: before)
        var body: HTML = "<h1>\(member.name)’s blog</h1>"
        if ctx.member?.id == member.id {
            body +=
                "<p><a class=\"button\" href=\"/blog/new\">Write a blog post</a> <a href=\"/blog/drafts\">Your drafts</a></p>"
        }
        body += Self.list(page, ctx, blog: blog, nextPath: "/blog/members/\(member.handle)?before=")
        body +=
            "<p class=\"small\"><a href=\"\(member.profilePath)\">Profile</a> · <a href=\"/blog/members/\(member.handle)/feed.atom\">Atom feed</a></p>"
        return ctx.page(title: "\(member.name)’s blog", body: body)
    }

    /// Posts with one tag.
    @Sendable func tagged(_ ctx: RequestContext) throws -> HTTPResponse {
        let tag = try ctx.parameter("tag").lowercased()
        let before = ctx.query("before").flatMap(Int64.init)
        let page = try blog.posts(
            .init(tag: tag), viewer: ctx.viewer, limit: blog.postsPerPage, before: before)
        let encoded = PercentDecoding.encode(tag)
        var body: HTML = "<h1>Blog posts tagged “\(tag)”</h1>"
        body += Self.list(page, ctx, blog: blog, nextPath: "/blog/tags/\(encoded)?before=")
        body += "<p class=\"small\"><a href=\"/blog/tags/\(encoded)/feed.atom\">Atom feed</a></p>"
        return ctx.page(title: "Tagged \(tag)", body: body)
    }

    /// The signed-in member's drafts.
    @Sendable func drafts(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let drafts = try blog.drafts(of: me.id)
        let items = drafts.map { post -> HTML in
            """
            <li><a href="\(post.path)">\(post.title)</a> <span class="meta">saved \(ctx.shell.time(post.updatedAt))</span>
            <a href="\(post.path)/edit">Edit</a></li>
            """
        }
        let body: HTML = """
            <h1>Your drafts</h1><p class="hint">Only you can see drafts until you publish them.</p>
            \(items.isEmpty ? HTML("<p class=\"empty\">No drafts.</p>") : "<ul class=\"drafts\">\(items)</ul>")
            <p><a class="button" href="/blog/new">Write a blog post</a></p>
            """
        return ctx.page(title: "Your drafts", body: body)
    }

    /// The writing form.
    @Sendable func new(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try ctx.requireActiveMember()
        return Self.editor(ctx, blog: blog, form: FormKit(values: ["visibility": "public"]), post: nil)
    }

    /// Publishes a post or saves a draft; the form again with its errors when invalid.
    @Sendable func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let form = try ctx.form()
        if form.asksForPreview {
            return Self.editor(ctx, blog: blog, form: FormKit(form: form, errors: []), post: nil)
        }
        do {
            let post = try blog.createPost(Self.input(form), by: me)
            let message =
                post.isPublished ? "Your post is published." : "Your draft is saved. Only you can see it."
            return ctx.redirect(to: post.path, flash: message)
        } catch DomainError.invalid(let errors) {
            return Self.editor(
                ctx, blog: blog, form: FormKit(form: form, errors: errors), post: nil,
                status: HTTPStatus(code: 422))
        }
    }

    /// A post with its comments; counts a view.
    @Sendable func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.idParameter("id")
        guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw DomainError.notFound }
        // HEAD requests and speculative prefetches are not someone reading the post.
        let purpose = (ctx.request.headers["Sec-Purpose"] ?? ctx.request.headers["Purpose"] ?? "")
            .lowercased()
        if ctx.request.method == "GET" && !purpose.contains("prefetch") {
            blog.recordView(
                of: post, viewer: ViewCounter.ViewerKey(ctx),
                userAgent: ctx.request.headers["User-Agent"] ?? "")
        }
        return try Self.postPage(ctx, blog: blog, post: post, commentForm: FormKit())
    }

    /// The editing form (the author only).
    @Sendable func edit(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard let post = try blog.post(id: try ctx.idParameter("id"), viewer: ctx.viewer),
            post.authorID == me.id
        else { throw DomainError.notFound }
        let input = BlogService.PostInput(post)
        let values = [
            "title": input.title, "body": input.body, "tags": input.tags, "video_url": input.videoURL,
            "visibility": input.visibility,
        ]
        return Self.editor(ctx, blog: blog, form: FormKit(values: values), post: post)
    }

    /// Saves changes, publishing a draft when asked.
    @Sendable func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let id = try ctx.idParameter("id")
        guard let post = try blog.post(id: id, viewer: ctx.viewer), post.authorID == me.id else {
            throw DomainError.notFound
        }
        let form = try ctx.form()
        if form.asksForPreview {
            return Self.editor(ctx, blog: blog, form: FormKit(form: form, errors: []), post: post)
        }
        var input = Self.input(form)
        input.publish = post.isPublished || input.publish
        do {
            let updated = try blog.updatePost(id: id, input, by: me)
            let message =
                !post.isPublished && updated.isPublished
                ? "Your post is published."
                : (updated.isPublished ? "Your post is updated." : "Your draft is saved.")
            return ctx.redirect(to: updated.path, flash: message)
        } catch DomainError.invalid(let errors) {
            return Self.editor(
                ctx, blog: blog, form: FormKit(form: form, errors: errors), post: post,
                status: HTTPStatus(code: 422))
        }
    }

    /// Publishes a draft as it is.
    @Sendable func publish(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let post = try blog.publish(postID: try ctx.idParameter("id"), by: me)
        return ctx.redirect(to: post.path, flash: "Your post is published.")
    }

    /// Deletes a post (its author or an administrator).
    @Sendable func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        try blog.deletePost(id: try ctx.idParameter("id"), by: me)
        return ctx.redirect(to: "/blog", flash: "The post is deleted.")
    }

    /// Features a post (administrators).
    @Sendable func feature(_ ctx: RequestContext) throws -> HTTPResponse {
        let post = try blog.setFeatured(
            true, postID: try ctx.idParameter("id"), by: try ctx.requireMember())
        return ctx.redirect(to: post.path, flash: "The post is featured on the blog and the home page.")
    }

    /// Unfeatures a post (administrators).
    @Sendable func unfeature(_ ctx: RequestContext) throws -> HTTPResponse {
        let post = try blog.setFeatured(
            false, postID: try ctx.idParameter("id"), by: try ctx.requireMember())
        return ctx.redirect(to: post.path, flash: "The post is no longer featured.")
    }
}
