import Foundation
import HTTP
import Kernel
import Markdown
import Storage

/// A group's discussions: the list, starting one, reading and replying, and the chairs' pins and locks.
struct DiscussionPages: Sendable {
    let groups: GroupsService
    let groupPage: GroupPage

    static let repliesPerPage = 50

    func register(_ web: inout WebContributions) {
        web.pages("/groups/:slug") { pages in
            pages.get("/discussions", use: index)
            pages.get("/discussions/new", access: .members, use: newDiscussion)
            pages.post("/discussions/new", access: .members, use: create)
            pages.get("/discussions/:id", use: show)
            pages.post("/discussions/:id/replies", access: .members, use: reply)
            pages.post("/discussions/:id/:action", access: .members, use: discussionAction)
            pages.post("/replies/:id/delete", access: .members, use: deleteReply)
        }
    }

    /// List a group's discussions, pinned first, then by latest reply.
    func index(_ ctx: RequestContext) throws -> HTTPResponse {
        let (group, access) = try readableGroup(ctx)
        let cursor = ctx.query("before").flatMap(DiscussionCursor.init)
        let pageSize = 20
        let found = try groups.discussions(
            groupID: group.id, access: access, limit: pageSize + 1, before: cursor)
        let shown = Array(found.prefix(pageSize))
        var body: HTML = """
            \(groupPage.header(ctx, group, access, current: "Discussions"))
            \(access.canPost ? HTML("<p><a class=\"button\" href=\"\(group.path)/discussions/new\">Start a discussion</a></p>") : HTML.empty)
            \(Self.list(ctx, group, shown))
            """
        if found.count > pageSize, let last = shown.last {
            body +=
                Pager.next(
                    "\(group.path)/discussions?before=\(DiscussionCursor(after: last).text)",
                    "Older discussions")
        }
        return ctx.page(title: "Discussions in \(group.name)", body: body)
    }

    func newDiscussion(_ ctx: RequestContext) throws -> HTTPResponse {
        let (group, access) = try readableGroup(ctx)
        guard access.canPost else { throw DomainError.forbidden("Join the group to start a discussion.") }
        return newForm(ctx, group, access, kit: FormKit())
    }

    func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, access) = try readableGroup(ctx)
        let form = try ctx.form()
        if form.asksForPreview {
            guard access.canPost else { throw DomainError.forbidden("Join the group to start a discussion.") }
            return newForm(ctx, group, access, kit: FormKit(form: form, errors: []))
        }
        do {
            let discussion = try groups.startDiscussion(
                groupID: group.id, by: me, title: form["title"] ?? "", body: form["body"] ?? "")
            return ctx.redirect(to: discussion.path(in: group), flash: "Your discussion has started.")
        } catch DomainError.invalid(let errors) {
            return newForm(
                ctx, group, access, kit: FormKit(form: form, errors: errors),
                status: HTTPStatus(code: 422))
        }
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try discussionPage(ctx, replyKit: FormKit())
    }

    func reply(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, _, discussion) = try groups.visibleDiscussion(
            slug: try ctx.parameter("slug"), id: try ctx.idParameter("id"), for: ctx.member)
        let form = try ctx.form()
        if form.asksForPreview { return try discussionPage(ctx, replyKit: FormKit(form: form, errors: [])) }
        do {
            let reply = try groups.reply(to: discussion.id, by: me, body: form["body"] ?? "")
            let start = Self.pageStart(for: reply.id, in: discussion.id, groups: groups)
            let query = start == 0 ? "" : "?after=\(start)"
            return ctx.redirect(
                to: "\(discussion.path(in: group))\(query)#reply-\(reply.id)",
                flash: "Your reply is posted.")
        } catch DomainError.invalid(let errors) {
            return try discussionPage(
                ctx, replyKit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    /// Following, pinning, locking and deleting: `action` names which.
    func discussionAction(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, _, discussion) = try groups.visibleDiscussion(
            slug: try ctx.parameter("slug"), id: try ctx.idParameter("id"), for: ctx.member)
        let flash: String
        switch try ctx.parameter("action") {
        case "follow":
            try groups.follow(discussionID: discussion.id, by: me)
            flash = "You follow this discussion: replies will come to you by email."
        case "unfollow":
            try groups.unfollow(discussionID: discussion.id, by: me)
            flash = "You no longer follow this discussion."
        case "pin":
            try groups.setPinned(discussionID: discussion.id, true, by: me)
            flash = "Pinned to the top of the group's discussions."
        case "unpin":
            try groups.setPinned(discussionID: discussion.id, false, by: me)
            flash = "Unpinned."
        case "lock":
            try groups.setLocked(discussionID: discussion.id, true, by: me)
            flash = "Locked: no more replies."
        case "unlock":
            try groups.setLocked(discussionID: discussion.id, false, by: me)
            flash = "Unlocked: members can reply again."
        case "delete":
            try groups.deleteDiscussion(id: discussion.id, by: me)
            return ctx.redirect(
                to: "\(group.path)/discussions", flash: "The discussion has been deleted.", kind: .info)
        default: throw DomainError.notFound
        }
        return ctx.redirect(to: discussion.path(in: group), flash: flash)
    }

    func deleteReply(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard access.canReadContent else { throw DomainError.notFound }
        let replyID = try ctx.idParameter("id")
        guard let discussionID = try groups.discussionID(ofReply: replyID),
            let discussion = try groups.discussion(id: discussionID), discussion.groupID == group.id
        else { throw DomainError.notFound }
        try groups.deleteReply(id: replyID, by: me)
        return ctx.redirect(
            to: discussion.path(in: group), flash: "The reply has been deleted.", kind: .info)
    }

    /// The group, if the viewer may read its content; 404 for hidden groups they cannot see,
    /// sign-in or 403 for a private group's content.
    func readableGroup(_ ctx: RequestContext) throws -> (Group, GroupAccess) {
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard access.canReadContent else {
            if ctx.member == nil { throw WebError.unauthorized }
            throw DomainError.forbidden("Only members of \(group.name) can read its discussions.")
        }
        return (group, access)
    }

    /// The `after` value of the page holding reply `id`, so a redirect lands where it is.
    static func pageStart(for id: Int64, in discussionID: Int64, groups: GroupsService) -> Int64 {
        let earlier =
            (try? groups.database.read { db in
                try db.scalar(
                    "SELECT count(*) FROM groups_reply WHERE discussion_id = ? AND id < ?",
                    [discussionID, id], as: Int.self)
            }) ?? 0
        let pageIndex = earlier / repliesPerPage
        if pageIndex == 0 { return 0 }
        let start =
            (try? groups.database.read { db in
                try db.scalar(
                    "SELECT id FROM groups_reply WHERE discussion_id = ? ORDER BY id LIMIT 1 OFFSET ?",
                    [discussionID, pageIndex * repliesPerPage - 1], as: Int64.self)
            }) ?? 0
        return start
    }

    static func list(_ ctx: RequestContext, _ group: Group, _ discussions: [Discussion]) -> HTML {
        if discussions.isEmpty { return "<p class=\"empty\">No discussions yet.</p>" }
        let photos = ctx.shell.membersWithPhotos(discussions.compactMap(\.authorID))
        let items = discussions.map { discussion -> HTML in
            var flags: [String] = []
            if discussion.isPinned { flags.append("pinned") }
            if discussion.isLocked { flags.append("locked") }
            if discussion.isHidden { flags.append("hidden by moderators") }
            let content: HTML = """
                <a href="\(discussion.path(in: group))">\(discussion.title)</a>\(flags.isEmpty ? HTML.empty : " <span class=\"meta\">(\(flags.joined(separator: ", ")))</span>")
                <p class="meta">started by \(discussion.authorName) \(ctx.shell.time(discussion.createdAt)) · \(discussion.replyCount) \(discussion.replyCount == 1 ? "reply" : "replies") · last \(ctx.shell.time(discussion.lastReplyAt))</p>
                """
            return ctx.shell.withFace(
                name: discussion.authorName, handle: discussion.authorHandle,
                hasPhoto: discussion.authorID.map { photos.contains($0) } ?? false, tag: "li",
                classes: "discussion",
                content)
        }
        return "<ul class=\"discussion-list\">\(items)</ul>"
    }

    func newForm(
        _ ctx: RequestContext, _ group: Group, _ access: GroupAccess, kit: FormKit, status: HTTPStatus = .ok
    )
        -> HTTPResponse
    {
        let body: HTML = """
            \(groupPage.header(ctx, group, access, current: "Discussions"))
            <h2>Start a discussion</h2>
            \(kit.summary)
            <form method="post" action="\(group.path)/discussions/new" class="card">\(ctx.csrfField)
            \(kit.input("title", label: "Title", required: true, maxLength: GroupsService.maximumTitleLength))
            \(kit.markdown("body", label: "Opening post", required: true, hint: "Markdown works: **bold**, _italic_, lists, [links](https://example.org).", rows: 10, maxLength: GroupsService.maximumPostLength))
            <p><button type="submit">Start the discussion</button> \(kit.previewButton(action: "\(group.path)/discussions/new")) <a href="\(group.path)/discussions">Cancel</a></p></form>
            """
        return ctx.page(title: "Start a discussion in \(group.name)", body: body, status: status)
    }

    static func author(_ name: String, _ handle: String) -> HTML {
        handle.isEmpty || handle.hasPrefix("former-member-")
            ? "\(name)" : "<a href=\"/members/\(handle)\">\(name)</a>"
    }

    func discussionPage(_ ctx: RequestContext, replyKit: FormKit, status: HTTPStatus = .ok) throws
        -> HTTPResponse
    {
        _ = try readableGroup(ctx)
        let (group, access, discussion) = try groups.visibleDiscussion(
            slug: try ctx.parameter("slug"), id: try ctx.idParameter("id"), for: ctx.member)
        let after = ctx.query("after").flatMap(Int64.init)
        let found = try groups.replies(
            discussionID: discussion.id, access: access, limit: Self.repliesPerPage + 1, after: after)
        let shown = Array(found.prefix(Self.repliesPerPage))
        let me = ctx.member
        func action(_ name: String, _ label: String, confirm: String? = nil) -> HTML {
            let confirmAttribute: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? ""
            return
                "<form method=\"post\" action=\"\(discussion.path(in: group))/\(name)\" class=\"inline\"\(confirmAttribute)>\(ctx.csrfField)<button type=\"submit\" class=\"link\">\(label)</button></form>"
        }
        var controls: [HTML] = []
        if access.isMember, let me {
            controls.append(
                try groups.isFollowing(discussionID: discussion.id, memberID: me.id)
                    ? action("unfollow", "Stop following") : action("follow", "Follow (replies by email)"))
        }
        if access.isChair {
            controls.append(discussion.isPinned ? action("unpin", "Unpin") : action("pin", "Pin"))
            controls.append(discussion.isLocked ? action("unlock", "Unlock") : action("lock", "Lock"))
        }
        if access.isChair || (access.isMember && discussion.authorID == me?.id) {
            controls.append(
                action("delete", "Delete", confirm: "Delete this discussion and all its replies?"))
        }
        if let me, me.id != discussion.authorID {
            controls.append(
                "<a class=\"report\" href=\"/report?kind=group_discussion&amp;id=\(discussion.id)\">Report</a>"
            )
        }
        // Hidden replies (shown to their author and moderators) cannot be liked.
        let likes = ctx.likeButtons(
            module: "groups", kind: "group_reply", ids: shown.filter { !$0.isHidden }.map(\.id))
        let topicLike: HTML =
            discussion.isHidden
            ? ""
            : ctx.likeButtons(module: "groups", kind: "group_discussion", ids: [discussion.id])[discussion.id]
                ?? ""
        // Every face on the page from one query.
        let photos = ctx.shell.membersWithPhotos(
            shown.compactMap(\.authorID) + [discussion.authorID].compactMap { $0 })
        let replyItems = shown.map { reply -> HTML in
            var delete: HTML = likes[reply.id].map { $0.isEmpty ? $0 : $0 + " " } ?? ""
            if access.isChair || (access.isMember && reply.authorID == me?.id) {
                delete =
                    "<form method=\"post\" action=\"\(group.path)/replies/\(reply.id)/delete\" class=\"inline\" data-confirm=\"Delete this reply?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Delete</button></form>"
            }
            if let me, me.id != reply.authorID {
                delete +=
                    " <a class=\"report\" href=\"/report?kind=group_reply&amp;id=\(reply.id)\">Report</a>"
            }
            let content: HTML = """
                <div class="meta">\(Self.author(reply.authorName, reply.authorHandle)) · \(ctx.shell.time(reply.createdAt))\(reply.isHidden ? HTML(" · hidden by moderators") : HTML.empty) \(delete)</div>
                <div class="prose">\(HTML.markdown(reply.body))</div>
                """
            return ctx.shell.withFace(
                name: reply.authorName, handle: reply.authorHandle,
                hasPhoto: reply.authorID.map { photos.contains($0) } ?? false, tag: "li",
                classes: "reply card",
                attributes: " id=\"reply-\(reply.id)\"", content)
        }
        var replyArea: HTML
        if discussion.isLocked {
            replyArea = "<p class=\"meta\">This discussion is locked: no more replies.</p>"
        } else if access.canPost {
            replyArea = """
                \(replyKit.summary)
                <form method="post" action="\(discussion.path(in: group))/replies" class="card">\(ctx.csrfField)
                \(replyKit.markdown("body", label: "Your reply", required: true, hint: "Markdown works.", rows: 6, maxLength: GroupsService.maximumPostLength))
                <p><button type="submit">Reply</button> \(replyKit.previewButton(action: "\(discussion.path(in: group))/replies"))</p></form>
                """
        } else {
            replyArea = joinToReply(ctx, group, access, discussion)
        }
        var pager: HTML = ""
        if found.count > Self.repliesPerPage, let last = shown.last {
            pager =
                Pager.next("\(discussion.path(in: group))?after=\(last.id)", "Later replies")
        }
        var flags: [String] = []
        if discussion.isPinned { flags.append("pinned") }
        if discussion.isLocked { flags.append("locked") }
        if discussion.isHidden { flags.append("hidden by moderators") }
        let startedBy: HTML =
            "<p class=\"meta\">Started by \(Self.author(discussion.authorName, discussion.authorHandle)) \(ctx.shell.time(discussion.createdAt))\(flags.isEmpty ? HTML.empty : " · \(flags.joined(separator: ", "))")</p>"
        let body: HTML = """
            \(Self.breadcrumb(group))
            <article class="discussion-topic">
            <h1>\(discussion.title)</h1>
            \(ctx.shell.withFace(name: discussion.authorName, handle: discussion.authorHandle, hasPhoto: discussion.authorID.map { photos.contains($0) } ?? false, size: 40, classes: "byline", startedBy))
            <div class="prose card">\(HTML.markdown(discussion.body))</div>
            \(topicLike.isEmpty ? HTML.empty : "<div class=\"actions\">\(topicLike)</div>")
            \(controls.isEmpty ? HTML.empty : "<div class=\"discussion-controls meta\">\(HTML.join(controls, separator: " · "))</div>")
            </article>
            <section><h2>\(discussion.replyCount) \(discussion.replyCount == 1 ? "reply" : "replies")</h2>
            \(after != nil ? HTML("<p><a href=\"\(discussion.path(in: group))\">First replies</a></p>") : HTML.empty)
            \(replyItems.isEmpty ? HTML.empty : "<ol class=\"replies\">\(replyItems)</ol>")
            \(pager)
            \(replyArea)</section>
            """
        return ctx.page(title: discussion.title, body: body, status: status)
    }

    /// Where a discussion sits: Groups › the group › Discussions (the page's own heading is the
    /// discussion's title).
    static func breadcrumb(_ group: Group) -> HTML {
        """
        <nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/groups">Groups</a></li><li><a href="\(group.path)">\(group.name)</a></li><li><a href="\(group.path)/discussions">Discussions</a></li></ol></nav>
        """
    }

    /// For someone who may read but not reply: the way in, coming back to this discussion —
    /// sign in to join, the Join button, the request form, or why not.
    func joinToReply(_ ctx: RequestContext, _ group: Group, _ access: GroupAccess, _ discussion: Discussion)
        -> HTML
    {
        let here = discussion.path(in: group)
        guard ctx.member != nil else {
            let signIn = ctx.shell.signInPath(next: here) ?? "/sign-in?next=\(PercentDecoding.encode(here))"
            let joinNetwork: HTML =
                ctx.shell.joinPath.map { path -> HTML in
                    " or <a href=\"\(path)\">join \(ctx.shell.networkName)</a>"
                } ?? ""
            return """
                <div class="card join-to-reply"><p>Join the group to reply.</p>
                <p><a class="button" href="\(signIn)">Sign in to join</a>\(joinNetwork)</p></div>
                """
        }
        if access.isPendingSiteMember {
            return "<p class=\"notice\">\(SignedInMember.pendingApprovalMessage)</p>"
        }
        if access.isBanned { return "<p class=\"meta\">The chairs have removed you from this group.</p>" }
        let controls = groupPage.membershipControls(ctx, group, access, joinKit: FormKit(), returnTo: here)
        return "<div class=\"card join-to-reply\"><p>Join the group to reply.</p>\(controls)</div>"
    }
}
