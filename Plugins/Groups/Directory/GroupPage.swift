import Foundation
import HTTP
import Kernel
import Markdown
import Membership

/// A group's own page (about, leaders, newest members, discussions and activity), and the
/// header and membership controls the group's other pages share.
///
/// ```swift
/// let page = GroupPage(groups: groups)
/// web.pages("/groups") { pages in pages.get("/:slug", use: page.show) }
/// ```
struct GroupPage: Sendable {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        web.pages("/groups") { pages in
            pages.get("/:slug", use: show)
        }
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse { try groupPage(ctx, joinKit: FormKit()) }

    func header(_ ctx: RequestContext, _ group: Group, _ access: GroupAccess, current: String) -> HTML {
        var tabs: [(String, String)] = [("About", group.path)]
        if access.canReadContent {
            tabs += [("Discussions", "\(group.path)/discussions"), ("Members", "\(group.path)/members")]
        }
        if access.isChair { tabs.append(("Edit", "\(group.path)/edit")) }
        let links = tabs.map { tab -> HTML in
            "<li><a href=\"\(tab.1)\"\(tab.0 == current ? HTML(" aria-current=\"page\"") : HTML.empty)>\(tab.0)</a></li>"
        }
        let image = Self.image(group, size: 96)
        return """
            <header class="group-head">\(image)<div><h1>\(group.name)</h1>
            <p class="meta">\(group.category) · \(group.visibility.label) group · \(group.memberCount) \(group.memberCount == 1 ? "member" : "members")\(access.isMember ? HTML(" · you are \(access.role?.label.lowercased() ?? "member")") : HTML.empty)</p></div></header>
            <nav class="group-nav" aria-label="Group"><ul>\(links)</ul></nav>
            """
    }

    /// The group's picture, or a placeholder of its initials on a colour of its own. Decorative:
    /// the group's name is always beside it.
    static func image(_ group: Group, size: Int) -> HTML {
        if group.hasImage {
            return
                "<img class=\"group-image\" src=\"\(group.path)/image\" alt=\"\" width=\"\(size)\" height=\"\(size)\" loading=\"lazy\">"
        }
        let initials = group.name.split(whereSeparator: { $0.isWhitespace || $0 == "-" })
            .filter { $0.first?.isLetter ?? false || $0.first?.isNumber ?? false }
            .prefix(2).compactMap(\.first).map(String.init).joined().uppercased()
        return
            "<span class=\"group-image placeholder tone-\(placeholderTone(group.slug)) size-\(size)\" aria-hidden=\"true\">\(initials)</span>"
    }

    /// One of six colours, the same for a group every time (from its address, not random).
    static func placeholderTone(_ slug: String) -> Int {
        Int(slug.unicodeScalars.reduce(UInt32(7)) { ($0 &* 31 &+ $1.value) % 1_000_003 } % 6)
    }

    /// Join, ask to join, accept, withdraw or leave, as the viewer's standing allows. `returnTo`:
    /// a page of the group to come back to after joining (e.g. the discussion they wanted to reply to).
    func membershipControls(
        _ ctx: RequestContext, _ group: Group, _ access: GroupAccess, joinKit: FormKit,
        returnTo: String? = nil
    ) -> HTML {
        let back: HTML =
            returnTo.map { path -> HTML in "<input type=\"hidden\" name=\"next\" value=\"\(path)\">" } ?? ""
        guard ctx.member != nil else {
            return access.visibility == .hidden
                ? ""
                : "<p><a href=\"/sign-in?next=\(PercentDecoding.encode(group.path))\">Sign in</a> to join this group.</p>"
        }
        if access.isBanned { return "<p class=\"meta\">The chairs have removed you from this group.</p>" }
        if access.isInvited {
            return """
                <div class="card"><p>You have been invited to join this group.</p>
                <form method="post" action="\(group.path)/join" class="inline">\(ctx.csrfField)\(back)<button type="submit">Accept the invitation</button></form>
                <form method="post" action="\(group.path)/leave" class="inline">\(ctx.csrfField)<button type="submit" class="secondary">Decline</button></form></div>
                """
        }
        if access.hasRequested {
            return """
                <div class="meta">Your request to join is waiting for the chairs.
                <form method="post" action="\(group.path)/leave" class="inline">\(ctx.csrfField)<button type="submit" class="link">Withdraw it</button></form></div>
                """
        }
        if access.isMember {
            if access.isOwner { return "" }
            return """
                <form method="post" action="\(group.path)/leave" class="inline" data-confirm="Leave \(group.name)?">\(ctx.csrfField)<button type="submit" class="secondary">Leave the group</button></form>
                """
        }
        if access.isPendingSiteMember {
            return "<p class=\"meta\">\(SignedInMember.pendingApprovalMessage)</p>"
        }
        if access.canJoinDirectly {
            return
                "<form method=\"post\" action=\"\(group.path)/join\" class=\"inline\">\(ctx.csrfField)\(back)<button type=\"submit\">Join the group</button></form>"
        }
        if access.canRequest {
            return """
                <form method="post" action="\(group.path)/join" class="card">\(ctx.csrfField)\(back)
                \(joinKit.summary)\(joinKit.textarea("message", label: "Ask to join", hint: "Optional: a note for the chairs.", rows: 2, maxLength: GroupsService.maximumMessageLength))
                <p><button type="submit">Ask to join</button></p></form>
                """
        }
        return ""
    }

    func groupPage(_ ctx: RequestContext, joinKit: FormKit, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        let leaders = try groups.leaders(groupID: group.id)
        let someMembers = try access.canReadContent ? groups.newestMembers(groupID: group.id, limit: 12) : []
        // Every face on the page from one query.
        let photos = ctx.shell.membersWithPhotos((leaders + someMembers).map(\.memberID))
        let leaderItems = leaders.map { leader -> HTML in
            ctx.shell.withFace(
                name: leader.name, handle: leader.handle, hasPhoto: photos.contains(leader.memberID),
                tag: "li",
                "<a href=\"\(leader.profilePath)\">\(leader.name)</a> <span class=\"meta\">\(leader.role.label)</span>"
            )
        }
        let description: HTML =
            group.description.isEmpty
            ? "<p class=\"empty\">No description yet.</p>"
            : "<div class=\"prose\">\(HTML.markdown(group.description))</div>"
        // Report links appear when a module handles reports (the moderation module's contract).
        let reportLink: HTML =
            ctx.member != nil && group.ownerID != ctx.member?.id
                && ctx.shell.footerLinks.contains { $0.path == "/report" }
            ? " <a class=\"report\" href=\"/report?kind=group&amp;id=\(group.id)\">Report this group</a>" : ""
        let hiddenNote: HTML =
            group.isHidden
            ? "<p class=\"card\">Moderators have hidden this group: only its owner and moderators see it.</p>"
            : ""
        var body: HTML = """
            \(header(ctx, group, access, current: "About"))\(hiddenNote)
            \(membershipControls(ctx, group, access, joinKit: joinKit))
            <section class="about"><h2>About</h2>\(description)
            <p class="meta">\(group.visibility.explanation)\(reportLink)</p>
            \(leaderItems.isEmpty ? HTML("<p class=\"meta\">This group has no owner at the moment.</p>") : "<h3>Led by</h3><ul class=\"leaders\">\(leaderItems)</ul>")</section>
            """
        if access.canReadContent {
            let discussions = try groups.discussions(groupID: group.id, access: access, limit: 10)
            let start: HTML =
                access.canPost
                ? "<p><a class=\"button\" href=\"\(group.path)/discussions/new\">Start a discussion</a></p>"
                : ""
            let memberItems = someMembers.map { row -> HTML in
                "<li><a href=\"\(row.profilePath)\">\(ctx.shell.face(name: row.name, handle: row.handle, hasPhoto: photos.contains(row.memberID), size: 24))<span>\(row.name)</span></a></li>"
            }
            body += """
                <section><h2>Newest members</h2><ul class="member-names">\(memberItems)</ul>
                <p class="more"><a href="\(group.path)/members">All \(group.memberCount) members</a></p></section>
                <section><h2>Discussions</h2>\(start)\(DiscussionPages.list(ctx, group, discussions))
                <p class="more"><a href="\(group.path)/discussions">All discussions</a></p></section>
                <section><h2>Group activity</h2>\(try activity(ctx, group))</section>
                """
        } else {
            body += "<p class=\"card\">Only members see this group's discussions, members and activity.</p>"
        }
        return ctx.page(title: group.name, body: body, status: status)
    }

    /// The group's own activity. Private and hidden groups' entries are group-scoped, so the
    /// kernel's group filter finds them; a public group's entries are public, which that filter
    /// does not match, so they are read through the group's activity context.
    func activity(_ ctx: RequestContext, _ group: Group) throws -> HTML {
        if group.visibility != .public {
            let page = try ctx.services.activity.latest(
                for: ctx.viewer, limit: 10, before: nil, filter: ActivityFilter(groupID: group.id))
            return ctx.shell.activityList(page.groups)
        }
        let entries = try ctx.services.activity.entries(
            for: ctx.viewer, filter: ActivityFilter(context: .group(group.id)), limit: 10)
        let photos = ctx.shell.membersWithPhotos(entries.map(\.actorID))
        let lines = entries.map { entry -> HTML in
            let title = entry.objectTitle ?? ""
            let excerpt = entry.excerpt ?? ""
            return ctx.shell.withFace(
                name: entry.actorName, handle: entry.actorHandle, hasPhoto: photos.contains(entry.actorID),
                tag: "li", classes: "activity",
                """
                <span class="who">\(ctx.shell.memberLink(name: entry.actorName, handle: entry.actorHandle))</span> \(Self.phrase(entry.verb)) <a href="\(url: entry.objectURL ?? group.path)">\(title)</a> \
                <span class="when">\(ctx.shell.time(entry.createdAt))</span>\(excerpt.isEmpty ? HTML.empty : "<p class=\"excerpt\">\(excerpt)</p>")
                """)
        }
        return lines.isEmpty
            ? "<p class=\"empty\">Nothing yet.</p>" : "<ul class=\"activity-list\">\(lines)</ul>"
    }

    static func phrase(_ verb: String) -> String {
        switch verb {
        case "created": return "created the group"
        case "joined": return "joined the group"
        case "started": return "started a discussion"
        case "replied": return "replied to"
        default: return verb
        }
    }
}
