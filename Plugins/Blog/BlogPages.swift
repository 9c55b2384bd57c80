import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The blog's HTML pages: the network blog, each member's blog, each tag, a post with its
/// comments, the writing and editing forms, and the network home's featured block.
struct BlogPages {
    let blog: BlogService

    func register(_ web: inout WebContributions) {
        let blog = self.blog

        web.home(
            HomeSection(order: 20) { ctx in
                let featured = try blog.posts(.init(order: .featured), viewer: ctx.viewer, limit: 3).posts
                if !featured.isEmpty {
                    return """
                        <section class="blog-featured"><h2>Featured blog posts</h2>\(featured.map { Self.summary($0, ctx, blog: blog) })
                        <p class="more"><a href="/blog">See all blog posts</a></p></section>
                        """
                }
                let latest = try blog.posts(.init(order: .newest), viewer: ctx.viewer, limit: 3).posts
                if latest.isEmpty { return "" }
                return """
                    <section class="blog-latest"><h2>Latest blog posts</h2>\(latest.map { Self.summary($0, ctx, blog: blog) })
                    <p class="more"><a href="/blog">See all blog posts</a></p></section>
                    """
            })

        web.page("GET", "/blog") { ctx in
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
                        <section class="blog-featured card"><h2>Featured</h2>\(featured.map { Self.summary($0, ctx, blog: blog) })
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

        web.page("GET", "/blog/members/:handle") { ctx in
            let membership = try Self.membership(ctx)
            guard let member = try membership.member(handle: try ctx.parameter("handle")),
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

        web.page("GET", "/blog/tags/:tag") { ctx in
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

        web.page("GET", "/blog/drafts", access: .members) { ctx in
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

        web.page("GET", "/blog/new", access: .members) { ctx in
            _ = try ctx.requireActiveMember()
            return Self.editor(ctx, blog: blog, form: FormKit(values: ["visibility": "public"]), post: nil)
        }

        web.page("POST", "/blog/new", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let form = try ctx.form()
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

        web.page("GET", "/blog/posts/:id") { ctx in
            let id = try ctx.idParameter("id")
            guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw DomainError.notFound }
            // HEAD requests and speculative prefetches are not someone reading the post.
            let purpose = (ctx.request.headers["Sec-Purpose"] ?? ctx.request.headers["Purpose"] ?? "")
                .lowercased()
            if ctx.request.method == "GET" && !purpose.contains("prefetch") {
                blog.recordView(
                    of: post, viewer: Self.viewerKey(ctx), userAgent: ctx.request.headers["User-Agent"] ?? "")
            }
            return try Self.postPage(ctx, blog: blog, post: post, commentForm: FormKit())
        }

        web.page("GET", "/blog/posts/:id/edit", access: .members) { ctx in
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

        web.page("POST", "/blog/posts/:id/edit", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let id = try ctx.idParameter("id")
            guard let post = try blog.post(id: id, viewer: ctx.viewer), post.authorID == me.id else {
                throw DomainError.notFound
            }
            let form = try ctx.form()
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

        web.page("POST", "/blog/posts/:id/publish", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let post = try blog.publish(postID: try ctx.idParameter("id"), by: me)
            return ctx.redirect(to: post.path, flash: "Your post is published.")
        }

        web.page("POST", "/blog/posts/:id/delete", access: .members) { ctx in
            let me = try ctx.requireMember()
            try blog.deletePost(id: try ctx.idParameter("id"), by: me)
            return ctx.redirect(to: "/blog", flash: "The post is deleted.")
        }

        web.page("POST", "/blog/posts/:id/feature", access: .admins) { ctx in
            let post = try blog.setFeatured(
                true, postID: try ctx.idParameter("id"), by: try ctx.requireMember())
            return ctx.redirect(to: post.path, flash: "The post is featured on the blog and the home page.")
        }

        web.page("POST", "/blog/posts/:id/unfeature", access: .admins) { ctx in
            let post = try blog.setFeatured(
                false, postID: try ctx.idParameter("id"), by: try ctx.requireMember())
            return ctx.redirect(to: post.path, flash: "The post is no longer featured.")
        }

        web.page("POST", "/blog/posts/:id/comments", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            let id = try ctx.idParameter("id")
            let form = try ctx.form()
            let parentID = form["parent_id"].flatMap { Int64($0) }
            do {
                let comment = try blog.addComment(
                    to: id, body: form["body"] ?? "", parentID: parentID, by: me)
                return ctx.redirect(
                    to: "/blog/posts/\(id)#\(comment.anchor)", flash: "Your comment is posted.")
            } catch DomainError.invalid(let errors) {
                guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw DomainError.notFound }
                return try Self.postPage(
                    ctx, blog: blog, post: post, commentForm: FormKit(form: form, errors: errors),
                    replyTo: errors.contains { $0.field == "parent_id" } ? nil : parentID,
                    status: HTTPStatus(code: 422))
            }
        }

        web.page("GET", "/blog/comments/:id/edit", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer),
                comment.authorID == me.id
            else { throw DomainError.notFound }
            return Self.commentEditor(ctx, comment: comment, form: FormKit(values: ["body": comment.body]))
        }

        web.page("POST", "/blog/comments/:id/edit", access: .members) { ctx in
            let me = try ctx.requireActiveMember()
            guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer),
                comment.authorID == me.id
            else { throw DomainError.notFound }
            let form = try ctx.form()
            do {
                let updated = try blog.updateComment(id: comment.id, body: form["body"] ?? "", by: me)
                return ctx.redirect(
                    to: "/blog/posts/\(updated.postID)#\(updated.anchor)", flash: "Your comment is updated.")
            } catch DomainError.invalid(let errors) {
                return Self.commentEditor(
                    ctx, comment: comment, form: FormKit(form: form, errors: errors),
                    status: HTTPStatus(code: 422))
            }
        }

        web.page("POST", "/blog/comments/:id/delete", access: .members) { ctx in
            let me = try ctx.requireMember()
            guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer) else {
                throw DomainError.notFound
            }
            try blog.deleteComment(id: comment.id, by: me)
            return ctx.redirect(
                to: "/blog/posts/\(comment.postID)#comments", flash: "The comment is deleted.")
        }
    }

    // MARK: Helpers

    static func membership(_ ctx: RequestContext) throws -> MembershipService {
        guard let membership = ctx.services.service(MembershipService.self) else {
            throw DomainError.notFound
        }
        return membership
    }

    static func viewerKey(_ ctx: RequestContext) -> ViewCounter.ViewerKey {
        if let member = ctx.member { return .member(member.id) }
        return .visitor(
            address: ctx.request.remoteAddress, userAgent: ctx.request.headers["User-Agent"] ?? "")
    }

    static func input(_ form: FormData) -> BlogService.PostInput {
        BlogService.PostInput(
            title: form["title"] ?? "", body: form["body"] ?? "", tags: form["tags"] ?? "",
            videoURL: form["video_url"] ?? "", visibility: form["visibility"] ?? "public",
            publish: form["action"] == "publish")
    }

    static func tagLinks(_ tags: [String]) -> HTML {
        if tags.isEmpty { return "" }
        let links = tags.map { tag -> HTML in
            "<a href=\"/blog/tags/\(PercentDecoding.encode(tag))\" rel=\"tag\">\(tag)</a>"
        }
        return "<p class=\"tags\">Tags: \(HTML.join(links, separator: ", "))</p>"
    }

    /// A post in a list: title, byline, excerpt and "See More".
    static func summary(_ post: BlogPost, _ ctx: RequestContext, blog: BlogService, level: Int = 3) -> HTML {
        let comments = post.commentCount == 1 ? "1 comment" : "\(post.commentCount) comments"
        let badges: HTML =
            (post.isFeatured ? " <span class=\"badge\">Featured</span>" : "")
            + (post.video != nil ? " <span class=\"badge\">Video</span>" : "")
            + (post.visibility == .members ? " <span class=\"badge\">Members only</span>" : "")
            + (post.isHidden ? " <span class=\"badge\">Hidden by moderation</span>" : "")
        return """
            <article class="post-summary" id="post-\(post.id)"><h\(level)><a href="\(post.path)">\(post.title)</a>\(badges)</h\(level)>
            <p class="meta">by <a href="/blog/members/\(post.authorHandle)">\(post.authorName)</a> · \(ctx.shell.time(post.publishedAt ?? post.createdAt)) · Views: \(blog.liveViews(of: post)) · \(comments)</p>
            <p class="excerpt">\(post.excerpt)</p>
            <p><a class="more" href="\(post.path)" aria-label="See more of \(post.title)">See More</a></p></article>
            """
    }

    static func list(_ page: BlogService.PostPage, _ ctx: RequestContext, blog: BlogService, nextPath: String)
        -> HTML
    {
        if page.posts.isEmpty { return "<p class=\"empty\">No blog posts yet.</p>" }
        var html: HTML =
            "<div class=\"post-list\">\(page.posts.map { summary($0, ctx, blog: blog, level: 2) })</div>"
        if let next = page.nextCursor {
            html +=
                Pager.next("\(nextPath)\(next)", "More posts")
        }
        return html
    }

    /// The writing form, for a new post (post nil) or an existing one.
    static func editor(
        _ ctx: RequestContext, blog: BlogService, form: FormKit, post: BlogPost?, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        let action = post.map { "\($0.path)/edit" } ?? "/blog/new"
        let providers = blog.videoProviders.map(\.displayName).joined(separator: " or ")
        let buttons: HTML =
            post?.isPublished == true
            ? "<button type=\"submit\" name=\"action\" value=\"publish\">Save changes</button>"
            : """
            <button type="submit" name="action" value="publish">Publish</button> \
            <button type="submit" name="action" value="draft" class="secondary">Save draft</button>
            """
        let title = post == nil ? "Write a blog post" : "Edit “\(post?.title ?? "")”"
        let videoField: HTML =
            blog.videoProviders.isEmpty
            ? ""
            : form.input(
                "video_url", label: "Video (optional)", type: "url",
                hint: "Paste the address of a video on \(providers) to show it above your post.")
        let body: HTML = """
            <h1>\(title)</h1>
            \(form.summary)
            <form method="post" action="\(action)" class="card post-form">\(ctx.csrfField)
            \(form.input("title", label: "Title", required: true, maxLength: BlogService.maximumTitleLength))
            \(form.textarea("body", label: "Post", required: true, hint: "Markdown: **bold**, _italic_, [links](https://example.org), lists and headings.", rows: 16))
            \(form.input("tags", label: "Tags", hint: "Separate tags with commas, e.g. maths, early years."))
            \(videoField)
            \(form.select("visibility", label: "Who can read it", options: [("public", "Everyone"), ("members", "Members of \(ctx.shell.networkName) only")], includeBlank: false))
            <p>\(buttons)</p></form>
            """
        return ctx.page(title: title, body: body, status: status)
    }

    static func commentEditor(
        _ ctx: RequestContext, comment: BlogComment, form: FormKit, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        let body: HTML = """
            <h1>Edit your comment</h1>\(form.summary)
            <form method="post" action="/blog/comments/\(comment.id)/edit" class="card">\(ctx.csrfField)
            \(form.textarea("body", label: "Comment", required: true, rows: 6, maxLength: BlogService.maximumCommentLength))
            <p><button type="submit">Save</button> <a href="/blog/posts/\(comment.postID)#\(comment.anchor)">Cancel</a></p></form>
            """
        return ctx.page(title: "Edit your comment", body: body, status: status)
    }

    /// A post with its comments and the comment form (or, for visitors, the invitation to join).
    static func postPage(
        _ ctx: RequestContext, blog: BlogService, post: BlogPost, commentForm: FormKit, replyTo: Int64? = nil,
        status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        let me = ctx.member
        var notices: [HTML] = []
        if post.status == .draft {
            notices.append("<p class=\"flash flash-info\">This is a draft: only you can see it.</p>")
        }
        if post.isHidden {
            notices.append(
                "<p class=\"flash flash-error\">This post is hidden by moderation: only you and the moderators can see it.</p>"
            )
        }
        var meta: HTML = "Posted by <a href=\"/blog/members/\(post.authorHandle)\">\(post.authorName)</a>"
        if let published = post.publishedAt { meta += " · \(ctx.shell.time(published))" }
        if let edited = post.editedAt {
            meta += " · <span class=\"edited\">edited \(ctx.shell.time(edited))</span>"
        }
        meta += " · <span class=\"views\">Views: \(blog.liveViews(of: post))</span>"
        var actions: [HTML] = []
        if let me {
            if me.id == post.authorID {
                actions.append("<a href=\"\(post.path)/edit\">Edit</a>")
                if post.status == .draft {
                    actions.append(
                        "<form method=\"post\" action=\"\(post.path)/publish\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Publish</button></form>"
                    )
                }
            }
            if me.id == post.authorID || me.isAdmin {
                actions.append(
                    "<form method=\"post\" action=\"\(post.path)/delete\" class=\"inline\" data-confirm=\"Delete this post and its comments?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Delete</button></form>"
                )
            }
            if me.isAdmin && post.isPublished && !post.isHidden {
                let verb = post.isFeatured ? "unfeature" : "feature"
                actions.append(
                    "<form method=\"post\" action=\"\(post.path)/\(verb)\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">\(post.isFeatured ? "Unfeature" : "Feature")</button></form>"
                )
            }
            if me.id != post.authorID && post.isPublished {
                actions.append(
                    "<a class=\"report\" href=\"/report?kind=blog_post&amp;id=\(post.id)\">Report this post</a>"
                )
            }
        }
        let video = post.video.map { $0.iframe(title: "Video: \(post.title)") } ?? ""
        let bodyHTML = HTML.markdown(post.body)
        var html: HTML = """
            \(notices)
            <article class="post" id="post-\(post.id)">
            <h1>\(post.title)\(post.isFeatured ? HTML(" <span class=\"badge\">Featured</span>") : HTML.empty)</h1>
            <p class="meta">\(meta)</p>
            \(video)
            <div class="prose">\(bodyHTML)</div>
            \(tagLinks(post.tags))
            \(actions.isEmpty ? HTML.empty : "<div class=\"actions\">\(HTML.join(actions, separator: " "))</div>")
            </article>
            """
        if post.isPublished {
            html += try commentsSection(
                ctx, blog: blog, post: post, form: commentForm, replyTo: replyTo)
        }
        return ctx.page(title: post.title, body: html, status: status)
    }

    static func commentsSection(
        _ ctx: RequestContext, blog: BlogService, post: BlogPost, form: FormKit, replyTo: Int64?
    ) throws -> HTML {
        let after = ctx.query("comments_after").flatMap(Int64.init)
        let (threads, next) = try blog.comments(on: post.id, viewer: ctx.viewer, after: after, limit: 50)
        let canComment = ctx.member?.mayWrite ?? false
        let items = threads.map { thread -> HTML in
            let replies = thread.replies.map { commentItem($0, ctx, post: post) }
            var replyForm: HTML = ""
            if canComment {
                // Written by hand rather than with FormKit: every thread has one, and ids must stay unique.
                let id = thread.comment.id
                let isTarget = replyTo == id
                let error = isTarget ? form.error("body") : nil
                let errorHTML: HTML =
                    error.map { "<p class=\"field-error\" id=\"reply-error-\(id)\">\($0)</p>" } ?? ""
                let aria: HTML =
                    error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"reply-error-\(id)\""
                replyForm = """
                    <details class="reply"\(isTarget ? HTML(" open") : HTML.empty)><summary>Reply</summary>
                    <form method="post" action="\(post.path)/comments">\(ctx.csrfField)<input type="hidden" name="parent_id" value="\(id)">
                    <div class="field"><label for="reply-\(id)">Your reply</label>\(errorHTML)<textarea id="reply-\(id)" name="body" rows="3" required maxlength="\(BlogService.maximumCommentLength)"\(aria)>\(isTarget ? form.values["body"] ?? "" : "")</textarea></div>
                    <p><button type="submit">Reply</button></p></form></details>
                    """
            }
            return """
                <li class="comment-thread">\(commentItem(thread.comment, ctx, post: post))\(replies.isEmpty ? HTML.empty : "<ol class=\"replies\">\(replies)</ol>")\(replyForm)</li>
                """
        }
        var html: HTML =
            "<section class=\"comments\" id=\"comments\"><h2>Comments (\(post.commentCount))</h2>"
        html +=
            items.isEmpty
            ? "<p class=\"empty\">No comments yet.</p>" : "<ol class=\"comment-list\">\(items)</ol>"
        if let next {
            html +=
                Pager.next("\(post.path)?comments_after=\(next)#comments", "More comments", navigationLabel: "Comment pages")
        }
        if let me = ctx.member {
            if !me.mayWrite {
                html += "<p class=\"notice\">\(SignedInMember.pendingApprovalMessage)</p>"
            } else {
                let topForm = replyTo == nil ? form : FormKit()
                html += """
                    <form method="post" action="\(post.path)/comments" class="card comment-form">\(ctx.csrfField)\(topForm.summary)
                    \(topForm.textarea("body", label: "Add a comment", required: true, rows: 4, maxLength: BlogService.maximumCommentLength))
                    <p><button type="submit">Add comment</button></p></form>
                    """
            }
        } else {
            let name = ctx.shell.networkName
            html += """
                <div class="card join-to-comment"><p>You need to be a member of \(name) to add comments!</p>
                <p><a class="button" href="/join">Join \(name)</a> or <a href="/sign-in?next=\(PercentDecoding.encode(post.path))">sign in</a>.</p></div>
                """
        }
        return html + "</section>"
    }

    static func commentItem(_ comment: BlogComment, _ ctx: RequestContext, post: BlogPost) -> HTML {
        var actions: [HTML] = []
        if let me = ctx.member {
            if me.id == comment.authorID {
                actions.append("<a href=\"/blog/comments/\(comment.id)/edit\">Edit</a>")
            }
            if BlogService.mayDelete(comment, on: post, by: me) {
                actions.append(
                    "<form method=\"post\" action=\"/blog/comments/\(comment.id)/delete\" class=\"inline\" data-confirm=\"Delete this comment and its replies?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Delete</button></form>"
                )
            }
            if me.id != comment.authorID {
                actions.append(
                    "<a class=\"report\" href=\"/report?kind=blog_comment&amp;id=\(comment.id)\">Report</a>")
            }
        }
        let author: HTML =
            comment.authorName == Member.formerMemberName
            ? "\(comment.authorName)"
            : "<a href=\"/members/\(comment.authorHandle)\">\(comment.authorName)</a>"
        let edited: HTML =
            comment.editedAt.map { " · <span class=\"edited\">edited \(ctx.shell.time($0))</span>" } ?? ""
        let hidden: HTML = comment.isHidden ? " · <span class=\"badge\">Hidden by moderation</span>" : ""
        return """
            <article class="comment" id="\(comment.anchor)"><p class="meta">\(author) · \(ctx.shell.time(comment.createdAt))\(edited)\(hidden)</p>
            <div class="prose">\(HTML.markdown(comment.body))</div>
            \(actions.isEmpty ? HTML.empty : "<div class=\"actions small\">\(HTML.join(actions, separator: " "))</div>")</article>
            """
    }
}
