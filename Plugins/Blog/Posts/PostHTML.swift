import Foundation
import HTTP
import Kernel
import Markdown

// The HTML the post pages share: a post in a list, a list with its pager, the writing form and
// a post's page.
extension PostPages {
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

    /// Posts as a list (`<ul class="post-list">`, one `<li>` each), their authors' photos read
    /// in one query.
    static func summaries(_ posts: [BlogPost], _ ctx: RequestContext, blog: BlogService, level: Int = 3)
        -> HTML
    {
        let photos = ctx.shell.membersWithPhotos(posts.map(\.authorID))
        let items = posts.map { post -> HTML in
            "<li>\(summary(post, ctx, blog: blog, level: level, hasPhoto: photos.contains(post.authorID)))</li>"
        }
        return "<ul class=\"post-list\">\(items)</ul>"
    }

    /// A post in a list: title, byline with the author's face, excerpt and "See More".
    static func summary(
        _ post: BlogPost, _ ctx: RequestContext, blog: BlogService, level: Int = 3, hasPhoto: Bool = false
    ) -> HTML {
        let comments = post.commentCount == 1 ? "1 comment" : "\(post.commentCount) comments"
        let badges: HTML =
            (post.isFeatured ? " <span class=\"badge\">Featured</span>" : "")
            + (post.video != nil ? " <span class=\"badge\">Video</span>" : "")
            + (post.visibility == .members ? " <span class=\"badge\">Members only</span>" : "")
            + (post.isHidden ? " <span class=\"badge\">Hidden by moderation</span>" : "")
        return """
            <article class="post-summary" id="post-\(post.id)"><h\(level)><a href="\(post.path)">\(post.title)</a>\(badges)</h\(level)>
            \(ctx.shell.withFace(name: post.authorName, handle: post.authorHandle, hasPhoto: hasPhoto, size: 24, classes: "byline", "<p class=\"meta\">by <a href=\"/blog/members/\(post.authorHandle)\">\(post.authorName)</a> · \(ctx.shell.time(post.publishedAt ?? post.createdAt)) · Views: \(blog.liveViews(of: post)) · \(comments)</p>"))
            <p class="excerpt">\(post.excerpt)</p>
            <p><a class="more" href="\(post.path)" aria-label="See more of \(post.title)">See More</a></p></article>
            """
    }

    static func list(_ page: BlogService.PostPage, _ ctx: RequestContext, blog: BlogService, nextPath: String)
        -> HTML
    {
        if page.posts.isEmpty { return "<p class=\"empty\">No blog posts yet.</p>" }
        var html = summaries(page.posts, ctx, blog: blog, level: 2)
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
            \(form.markdown("body", label: "Post", required: true, hint: "Markdown: **bold**, _italic_, [links](https://example.org), lists and headings.", rows: 16))
            \(form.input("tags", label: "Tags", hint: "Separate tags with commas, e.g. maths, early years."))
            \(videoField)
            \(form.select("visibility", label: "Who can read it", options: [("public", "Everyone"), ("members", "Members of \(ctx.shell.networkName) only")], includeBlank: false))
            <p>\(buttons) \(form.previewButton(action: action))</p></form>
            """
        return ctx.page(title: title, body: body, status: status)
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
        let like = ctx.likeButton(ContentReference(module: "blog", kind: "blog_post", id: post.id))
        if !like.isEmpty { actions.insert(like, at: 0) }
        let video = post.video.map { $0.iframe(title: "Video: \(post.title)") } ?? ""
        let bodyHTML = HTML.markdown(post.body)
        var html: HTML = """
            \(notices)
            <article class="post" id="post-\(post.id)">
            <h1>\(post.title)\(post.isFeatured ? HTML(" <span class=\"badge\">Featured</span>") : HTML.empty)</h1>
            \(ctx.shell.withFace(name: post.authorName, handle: post.authorHandle, hasPhoto: ctx.shell.membersWithPhotos([post.authorID]).contains(post.authorID), size: 40, classes: "byline", "<p class=\"meta\">\(meta)</p>"))
            \(video)
            <div class="prose">\(bodyHTML)</div>
            \(tagLinks(post.tags))
            \(actions.isEmpty ? HTML.empty : "<div class=\"actions\">\(HTML.join(actions, separator: " "))</div>")
            </article>
            """
        if post.isPublished {
            html += try CommentPages.section(
                ctx, blog: blog, post: post, form: commentForm, replyTo: replyTo)
        }
        return ctx.page(title: post.title, body: html, status: status)
    }
}
