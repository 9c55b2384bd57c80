import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// The comments' HTML: the section under a post (threads, reply forms, the comment form), and
/// the pages that add, change and delete comments. Each page is a named handler.
///
/// ```swift
/// CommentPages(blog: blog).register(&web)   // in bootstrap
/// ```
struct CommentPages: Sendable {
    let blog: BlogService

    func register(_ web: inout WebContributions) {
        web.pages("/blog", access: .members) { pages in
            pages.post("/posts/:id/comments", use: create)
            pages.group("/comments/:id") { comment in
                comment.get("/edit", use: edit)
                comment.post("/edit", use: update)
                comment.post("/delete", use: delete)
            }
        }
    }

    /// Adds a comment or a reply; the post again with the form's errors when invalid.
    @Sendable func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        let id = try ctx.idParameter("id")
        let form = try ctx.form()
        let parentID = form["parent_id"].flatMap { Int64($0) }
        if form.asksForPreview {
            guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw DomainError.notFound }
            return try PostPages.postPage(
                ctx, blog: blog, post: post, commentForm: FormKit(form: form, errors: []), replyTo: parentID)
        }
        do {
            let comment = try blog.addComment(
                to: id, body: form["body"] ?? "", parentID: parentID, by: me)
            return ctx.redirect(
                to: "/blog/posts/\(id)#\(comment.anchor)", flash: "Your comment is posted.")
        } catch DomainError.invalid(let errors) {
            guard let post = try blog.post(id: id, viewer: ctx.viewer) else { throw DomainError.notFound }
            return try PostPages.postPage(
                ctx, blog: blog, post: post, commentForm: FormKit(form: form, errors: errors),
                replyTo: errors.contains { $0.field == "parent_id" } ? nil : parentID,
                status: HTTPStatus(code: 422))
        }
    }

    /// The form to change one's own comment.
    @Sendable func edit(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer),
            comment.authorID == me.id
        else { throw DomainError.notFound }
        return Self.editor(ctx, comment: comment, form: FormKit(values: ["body": comment.body]))
    }

    /// Saves a changed comment.
    @Sendable func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer),
            comment.authorID == me.id
        else { throw DomainError.notFound }
        let form = try ctx.form()
        if form.asksForPreview {
            return Self.editor(ctx, comment: comment, form: FormKit(form: form, errors: []))
        }
        do {
            let updated = try blog.updateComment(id: comment.id, body: form["body"] ?? "", by: me)
            return ctx.redirect(
                to: "/blog/posts/\(updated.postID)#\(updated.anchor)", flash: "Your comment is updated.")
        } catch DomainError.invalid(let errors) {
            return Self.editor(
                ctx, comment: comment, form: FormKit(form: form, errors: errors),
                status: HTTPStatus(code: 422))
        }
    }

    /// Deletes a comment and its replies.
    @Sendable func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer) else {
            throw DomainError.notFound
        }
        try blog.deleteComment(id: comment.id, by: me)
        return ctx.redirect(
            to: "/blog/posts/\(comment.postID)#comments", flash: "The comment is deleted.")
    }

    // MARK: HTML

    static func editor(
        _ ctx: RequestContext, comment: BlogComment, form: FormKit, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        let body: HTML = """
            <h1>Edit your comment</h1>\(form.summary)
            <form method="post" action="/blog/comments/\(comment.id)/edit" class="card">\(ctx.csrfField)
            \(form.markdown("body", label: "Comment", required: true, rows: 6, maxLength: BlogService.maximumCommentLength))
            <p><button type="submit">Save</button> \(form.previewButton(action: "/blog/comments/\(comment.id)/edit")) <a href="/blog/posts/\(comment.postID)#\(comment.anchor)">Cancel</a></p></form>
            """
        return ctx.page(title: "Edit your comment", body: body, status: status)
    }

    static func section(
        _ ctx: RequestContext, blog: BlogService, post: BlogPost, form: FormKit, replyTo: Int64?
    ) throws -> HTML {
        let after = ctx.query("comments_after").flatMap(Int64.init)
        let (threads, next) = try blog.comments(on: post.id, viewer: ctx.viewer, after: after, limit: 50)
        let canComment = ctx.member?.mayWrite ?? false
        // Hidden comments (shown to their author and moderators) cannot be liked.
        let likes = ctx.likeButtons(
            module: "blog", kind: "blog_comment",
            ids: threads.flatMap { [$0.comment] + $0.replies }.filter { !$0.isHidden }.map(\.id))
        // Every face on the page from one query.
        let photos = ctx.shell.membersWithPhotos(
            threads.flatMap { [$0.comment] + $0.replies }.map(\.authorID))
        let items = threads.map { thread -> HTML in
            let replies = thread.replies.map { reply -> HTML in
                "<li>\(item(reply, ctx, post: post, like: likes[reply.id], hasPhoto: photos.contains(reply.authorID)))</li>"
            }
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
                let preview: HTML =
                    isTarget && form.values[FormKit.previewField] == "body"
                    ? FormKit.preview(of: form.values["body"] ?? "", id: "reply-\(id)") : ""
                replyForm = """
                    <details class="reply"\(isTarget ? HTML(" open") : HTML.empty)><summary>Reply</summary>
                    <form method="post" action="\(post.path)/comments">\(ctx.csrfField)<input type="hidden" name="parent_id" value="\(id)">
                    <div class="field markdown-field">\(preview)<label for="reply-\(id)">Your reply</label>\(errorHTML)<textarea id="reply-\(id)" name="body" rows="3" required maxlength="\(BlogService.maximumCommentLength)"\(aria) data-markdown>\(isTarget ? form.values["body"] ?? "" : "")</textarea></div>
                    <p><button type="submit">Reply</button> \(FormKit.previewButton(action: "\(post.path)/comments", id: "reply-\(id)"))</p></form></details>
                    """
            }
            return """
                <li class="comment-thread">\(item(thread.comment, ctx, post: post, like: likes[thread.comment.id], hasPhoto: photos.contains(thread.comment.authorID)))\(replies.isEmpty ? HTML.empty : "<ol class=\"replies\">\(replies)</ol>")\(replyForm)</li>
                """
        }
        var html: HTML =
            "<section class=\"comments\" id=\"comments\"><h2>Comments (\(post.commentCount))</h2>"
        html +=
            items.isEmpty
            ? "<p class=\"empty\">No comments yet.</p>" : "<ol class=\"comment-list\">\(items)</ol>"
        if let next {
            html +=
                Pager.next(
                    "\(post.path)?comments_after=\(next)#comments", "More comments",
                    navigationLabel: "Comment pages")
        }
        if let me = ctx.member {
            if !me.mayWrite {
                html += "<p class=\"notice\">\(SignedInMember.pendingApprovalMessage)</p>"
            } else {
                let topForm = replyTo == nil ? form : FormKit()
                html += """
                    <form method="post" action="\(post.path)/comments" class="card comment-form">\(ctx.csrfField)\(topForm.summary)
                    \(topForm.markdown("body", label: "Add a comment", required: true, rows: 4, maxLength: BlogService.maximumCommentLength))
                    <p><button type="submit">Add comment</button> \(topForm.previewButton(action: "\(post.path)/comments"))</p></form>
                    """
            }
        } else {
            let name = ctx.shell.networkName
            let join = ctx.shell.joinPath ?? ""
            let signIn = ctx.shell.signInPath(next: post.path) ?? ""
            html += """
                <div class="card join-to-comment"><p>You need to be a member of \(name) to add comments!</p>
                <p><a class="button" href="\(join)">Join \(name)</a> or <a href="\(signIn)">sign in</a>.</p></div>
                """
        }
        return html + "</section>"
    }

    /// One comment: the author's face beside their name, when, the text and its actions.
    static func item(
        _ comment: BlogComment, _ ctx: RequestContext, post: BlogPost, like: HTML? = nil,
        hasPhoto: Bool = false
    ) -> HTML {
        var actions: [HTML] = like.map { $0.isEmpty ? [] : [$0] } ?? []
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
            : ctx.shell.memberLink(name: comment.authorName, handle: comment.authorHandle)
        let edited: HTML =
            comment.editedAt.map { " · <span class=\"edited\">edited \(ctx.shell.time($0))</span>" } ?? ""
        let hidden: HTML = comment.isHidden ? " · <span class=\"badge\">Hidden by moderation</span>" : ""
        let content: HTML = """
            <p class="meta">\(author) · \(ctx.shell.time(comment.createdAt))\(edited)\(hidden)</p>
            <div class="prose">\(HTML.markdown(comment.body))</div>
            \(actions.isEmpty ? HTML.empty : "<div class=\"actions small\">\(HTML.join(actions, separator: " "))</div>")
            """
        return ctx.shell.withFace(
            name: comment.authorName, handle: comment.authorHandle, hasPhoto: hasPhoto, tag: "article",
            classes: "comment", attributes: " id=\"\(comment.anchor)\"", content)
    }
}
