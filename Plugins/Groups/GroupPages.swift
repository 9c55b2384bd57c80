import Foundation
import HTTP
import Kernel
import Markdown
import Membership
import Storage

/// The groups directory, My groups, creating and editing groups, the group page, and the
/// members page with the chairs' controls.
struct GroupPages {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        let pages = self
        let groups = self.groups

        web.page("GET", "/groups") { ctx in try pages.directory(ctx) }
        web.page("GET", "/groups/mine", access: .members) { ctx in try pages.myGroups(ctx) }
        web.page("GET", "/groups/new", access: .members) { ctx in
            guard groups.canCreate(ctx.member) else {
                throw DomainError.forbidden("You cannot create groups on this network.")
            }
            return pages.editForm(ctx, group: nil, kit: FormKit(values: ["visibility": "private"]))
        }
        web.page("POST", "/groups/new", access: .members, bodyLimit: 3 * 1024 * 1024) { ctx in
            let me = try ctx.requireMember()
            let form = try ctx.form()
            do {
                let image = try ctx.file("image")?.body
                let group = try groups.create(Self.draft(form), by: me, image: image)
                return ctx.redirect(to: group.path, flash: "Your group “\(group.name)” is ready.")
            } catch DomainError.invalid(let errors) {
                return pages.editForm(
                    ctx, group: nil, kit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }
        web.page("GET", "/groups/:slug") { ctx in try pages.groupPage(ctx, joinKit: FormKit()) }
        web.page("GET", "/groups/:slug/image") { ctx in
            let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            guard let image = try groups.image(groupID: group.id) else { throw DomainError.notFound }
            var response = HTTPResponse.bytes(image.bytes, contentType: image.type)
            response.headers.add(
                "Cache-Control", group.visibility == .public ? "public, max-age=300" : "private, max-age=300")
            return response
        }
        web.page("GET", "/groups/:slug/edit", access: .members) { ctx in
            let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can edit it.") }
            return pages.editForm(
                ctx, group: group,
                kit: FormKit(values: [
                    "name": group.name, "description": group.description, "category": group.category,
                    "visibility": group.visibility.rawValue,
                ]))
        }
        web.page("POST", "/groups/:slug/edit", access: .members, bodyLimit: 3 * 1024 * 1024) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can edit it.") }
            let form = try ctx.form()
            do {
                var draft = Self.draft(form)
                draft.slug = group.slug
                if let image = try ctx.file("image") {
                    try groups.setImage(groupID: group.id, bytes: image.body, by: me)
                } else if form["remove_image"] == "1" {
                    try groups.removeImage(groupID: group.id, by: me)
                }
                let updated = try groups.update(groupID: group.id, draft, by: me)
                return ctx.redirect(to: updated.path, flash: "The group has been updated.")
            } catch DomainError.invalid(let errors) {
                return pages.editForm(
                    ctx, group: group, kit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422)
                )
            }
        }
        web.page("POST", "/groups/:slug/delete", access: .members) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            try groups.delete(groupID: group.id, by: me)
            return ctx.redirect(
                to: "/groups", flash: "The group “\(group.name)” has been deleted.", kind: .info)
        }

        // Joining and leaving.
        web.page("POST", "/groups/:slug/join", access: .members) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            let form = try ctx.form()
            do {
                switch try groups.join(groupID: group.id, by: me, message: form["message"] ?? "") {
                case .joined: return ctx.redirect(to: group.path, flash: "Welcome to \(group.name).")
                case .requested:
                    return ctx.redirect(
                        to: group.path, flash: "Your request has been sent to the group's chairs.",
                        kind: .info)
                }
            } catch DomainError.invalid(let errors) {
                return try pages.groupPage(
                    ctx, joinKit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            }
        }
        web.page("POST", "/groups/:slug/leave", access: .members) { ctx in
            let me = try ctx.requireMember()
            let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            try groups.leave(groupID: group.id, by: me)
            let message: String
            switch access.state {
            case .invited: message = "You declined the invitation."
            case .requested: message = "You withdrew your request."
            default: message = "You left \(group.name)."
            }
            // A hidden group disappears for someone who is no longer in it.
            return ctx.redirect(
                to: group.visibility == .hidden ? "/groups/mine" : group.path, flash: message, kind: .info)
        }

        // The members page and the chairs' controls.
        web.page("GET", "/groups/:slug/members") { ctx in try pages.membersPage(ctx, inviteKit: FormKit()) }
        web.page("POST", "/groups/:slug/invite", access: .members) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            let form = try ctx.form()
            let handle = (form["handle"] ?? "").trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "@"))
            do {
                guard !handle.isEmpty, let invitee = try groups.membership.member(handle: handle) else {
                    throw DomainError.invalid([
                        FieldError(field: "handle", message: "There is no member with that handle.")
                    ])
                }
                try groups.invite(
                    groupID: group.id, memberID: invitee.id, by: me, message: form["message"] ?? "")
                return ctx.redirect(to: "\(group.path)/members", flash: "\(invitee.name) has been invited.")
            } catch DomainError.invalid(let errors) {
                return try pages.membersPage(
                    ctx, inviteKit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
            } catch DomainError.conflict(let message) {
                return try pages.membersPage(
                    ctx,
                    inviteKit: FormKit(form: form, errors: [FieldError(field: "handle", message: message)]),
                    status: HTTPStatus(code: 422))
            }
        }
        web.page("POST", "/groups/:slug/members/:handle/:action", access: .members) { ctx in
            let me = try ctx.requireMember()
            let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
            guard let target = try groups.membership.member(handle: try ctx.parameter("handle")) else {
                throw DomainError.notFound
            }
            let flash: String
            switch try ctx.parameter("action") {
            case "approve":
                try groups.approve(groupID: group.id, memberID: target.id, by: me)
                flash = "\(target.name) is now a member."
            case "refuse":
                try groups.refuse(groupID: group.id, memberID: target.id, by: me)
                flash = "You refused \(target.name)'s request."
            case "cancel-invitation":
                try groups.cancelInvitation(groupID: group.id, memberID: target.id, by: me)
                flash = "The invitation to \(target.name) has been withdrawn."
            case "remove":
                try groups.remove(groupID: group.id, memberID: target.id, by: me)
                flash = "\(target.name) has been removed from the group."
            case "ban":
                try groups.ban(groupID: group.id, memberID: target.id, by: me)
                flash = "\(target.name) has been removed and banned."
            case "unban":
                try groups.unban(groupID: group.id, memberID: target.id, by: me)
                flash = "The ban on \(target.name) has been lifted."
            case "promote":
                try groups.setRole(groupID: group.id, memberID: target.id, to: .chair, by: me)
                flash = "\(target.name) is now a chair."
            case "demote":
                try groups.setRole(groupID: group.id, memberID: target.id, to: .member, by: me)
                flash = "\(target.name) is no longer a chair."
            case "transfer":
                try groups.transferOwnership(groupID: group.id, to: target.id, by: me)
                flash = "\(target.name) now owns the group; you remain a chair."
            default: throw DomainError.notFound
            }
            return ctx.redirect(to: "\(group.path)/members", flash: flash)
        }
    }

    static func draft(_ form: FormData) -> GroupsService.Draft {
        GroupsService.Draft(
            name: form["name"] ?? "", slug: form["slug"] ?? "", description: form["description"] ?? "",
            category: form["category"] ?? "", visibility: GroupVisibility(rawValue: form["visibility"] ?? ""))
    }

    // MARK: Directory

    func directory(_ ctx: RequestContext) throws -> HTTPResponse {
        let search = ctx.query("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let category = ctx.query("category").flatMap { groups.categories.contains($0) ? $0 : nil }
        let pageSize = 24
        let after = groups.directoryCursor(slug: ctx.query("after"), for: ctx.member)
        let found = try groups.directory(
            for: ctx.member, search: search, category: category, limit: pageSize + 1, after: after)
        let shown = Array(found.prefix(pageSize))
        let cards = shown.map { groupCard($0) }
        var actions: [HTML] = []
        if ctx.member != nil { actions.append("<a href=\"/groups/mine\">My groups</a>") }
        if groups.canCreate(ctx.member) {
            actions.append("<a class=\"button\" href=\"/groups/new\">Create a group</a>")
        }
        let filterKit = FormKit(values: ["q": search, "category": category ?? ""])
        var body: HTML = """
            <h1>Groups</h1>
            \(actions.isEmpty ? HTML.empty : "<div class=\"actions\">\(HTML.join(actions, separator: " "))</div>")
            <form method="get" action="/groups" class="card filters" role="search">
            \(filterKit.input("q", label: "Name", type: "search"))
            \(filterKit.select("category", label: "Category", options: [("", "All categories")] + groups.categories.map { ($0, $0) }, includeBlank: false))
            <p><button type="submit">Find groups</button></p></form>
            """
        body +=
            shown.isEmpty
            ? "<p class=\"empty\">No groups match.</p>" : "<ul class=\"group-list\">\(cards)</ul>"
        if found.count > pageSize, let last = shown.last {
            let query =
                "q=\(PercentDecoding.encode(search))&category=\(PercentDecoding.encode(category ?? ""))&after=\(PercentDecoding.encode(last.slug))"
            body +=
                Pager.next("/groups?\(query)", "More groups")
        }
        return ctx.page(title: "Groups", body: body)
    }

    func groupCard(_ group: Group, note: HTML = "") -> HTML {
        let excerpt = Excerpt.make(group.description, length: 200)
        return """
            <li class="card group-card"><h2><a href="\(group.path)">\(group.name)</a></h2>
            <p class="meta">\(group.category) · \(group.visibility.label) · \(group.memberCount) \(group.memberCount == 1 ? "member" : "members")\(note)</p>
            \(excerpt.isEmpty ? HTML.empty : "<p>\(excerpt)</p>")</li>
            """
    }

    func myGroups(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let mine = try groups.groups(of: me.id)
        let invitations = mine.filter { $0.membership.state == .invited }.map { entry -> HTML in
            """
            <li class="card"><h2><a href="\(entry.group.path)">\(entry.group.name)</a></h2>
            \(entry.membership.message.isEmpty ? HTML.empty : "<p>\(entry.membership.message)</p>")
            <form method="post" action="\(entry.group.path)/join" class="inline">\(ctx.csrfField)<button type="submit">Accept</button></form>
            <form method="post" action="\(entry.group.path)/leave" class="inline">\(ctx.csrfField)<button type="submit" class="secondary">Decline</button></form></li>
            """
        }
        let member = mine.filter { $0.membership.state == .active }.map { entry in
            groupCard(
                entry.group,
                note: entry.membership.role == .member
                    ? "" : " · you are \(entry.membership.role.label.lowercased())")
        }
        let requested = mine.filter { $0.membership.state == .requested }.map {
            groupCard($0.group, note: " · request sent")
        }
        let body: HTML = """
            <h1>My groups</h1>
            <p><a href="/groups">Find groups</a>\(groups.canCreate(ctx.member) ? HTML(" · <a href=\"/groups/new\">Create a group</a>") : HTML.empty)</p>
            \(invitations.isEmpty ? HTML.empty : "<section><h2>Invitations</h2><ul class=\"group-list\">\(invitations)</ul></section>")
            <section><h2>Your groups</h2>\(member.isEmpty ? HTML("<p class=\"empty\">You are not in any group yet.</p>") : "<ul class=\"group-list\">\(member)</ul>")</section>
            \(requested.isEmpty ? HTML.empty : "<section><h2>Waiting for the chairs</h2><ul class=\"group-list\">\(requested)</ul></section>")
            """
        return ctx.page(title: "My groups", body: body)
    }

    // MARK: Create and edit

    func editForm(_ ctx: RequestContext, group: Group?, kit: FormKit, status: HTTPStatus = .ok)
        -> HTTPResponse
    {
        let action = group.map { "\($0.path)/edit" } ?? "/groups/new"
        let visibilityOptions = GroupVisibility.allCases.map {
            ($0.rawValue, "\($0.label) — \($0.explanation)")
        }
        var deleteForm: HTML = ""
        if let group {
            deleteForm = """
                <form method="post" action="\(group.path)/delete" class="card" data-confirm="Delete \(group.name) with all its discussions? This cannot be undone.">\(ctx.csrfField)
                <p>Only the owner can delete the group, with all its discussions.</p><button type="submit" class="danger">Delete this group</button></form>
                """
        }
        let imageError: HTML =
            kit.error("image").map { message -> HTML in
                "<p class=\"field-error\" id=\"error-image\">\(message)</p>"
            } ?? ""
        let body: HTML = """
            <h1>\(group.map { "Edit \($0.name)" } ?? "Create a group")</h1>
            \(kit.summary)
            <form method="post" action="\(action)" enctype="multipart/form-data" class="card">\(ctx.csrfField)
            \(kit.input("name", label: "Name", required: true, maxLength: GroupsService.maximumNameLength))
            \(group == nil ? kit.input("slug", label: "Web address", hint: "Optional: the group lives at /groups/<address>. Left empty, it comes from the name.", maxLength: 60) : HTML.empty)
            \(kit.select("category", label: "Category", options: groups.categories.map { ($0, $0) }, required: true))
            \(kit.select("visibility", label: "Who can see it", options: visibilityOptions, required: true, includeBlank: false))
            \(kit.textarea("description", label: "About the group", hint: "Markdown works: **bold**, _italic_, [links](https://example.org).", maxLength: GroupsService.maximumDescriptionLength))
            <div class="field"><label for="field-image">Image</label><p class="hint" id="hint-image">PNG, JPEG, GIF or WebP, at most 2 MB.</p>\(imageError)<input type="file" id="field-image" name="image" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="hint-image"></div>
            \(group?.hasImage == true ? kit.checkbox("remove_image", label: "Remove the image") : HTML.empty)
            <p><button type="submit">\(group == nil ? "Create the group" : "Save changes")</button> <a href="\(group?.path ?? "/groups")">Cancel</a></p>
            </form>
            \(deleteForm)
            """
        return ctx.page(
            title: group == nil ? "Create a group" : "Edit \(group?.name ?? "")", body: body, status: status)
    }

    // MARK: The group page

    func header(_ ctx: RequestContext, _ group: Group, _ access: GroupAccess, current: String) -> HTML {
        var tabs: [(String, String)] = [("About", group.path)]
        if access.canReadContent {
            tabs += [("Discussions", "\(group.path)/discussions"), ("Members", "\(group.path)/members")]
        }
        if access.isChair { tabs.append(("Edit", "\(group.path)/edit")) }
        let links = tabs.map { tab -> HTML in
            "<li><a href=\"\(tab.1)\"\(tab.0 == current ? HTML(" aria-current=\"page\"") : HTML.empty)>\(tab.0)</a></li>"
        }
        let image: HTML =
            group.hasImage
            ? "<img class=\"group-image\" src=\"\(group.path)/image\" alt=\"\" width=\"96\" height=\"96\">"
            : ""
        return """
            <header class="group-head">\(image)<div><h1>\(group.name)</h1>
            <p class="meta">\(group.category) · \(group.visibility.label) group · \(group.memberCount) \(group.memberCount == 1 ? "member" : "members")\(access.isMember ? HTML(" · you are \(access.role?.label.lowercased() ?? "member")") : HTML.empty)</p></div></header>
            <nav class="group-nav" aria-label="Group"><ul>\(links)</ul></nav>
            """
    }

    func membershipControls(_ ctx: RequestContext, _ group: Group, _ access: GroupAccess, joinKit: FormKit)
        -> HTML
    {
        guard ctx.member != nil else {
            return access.visibility == .hidden
                ? ""
                : "<p><a href=\"/sign-in?next=\(PercentDecoding.encode(group.path))\">Sign in</a> to join this group.</p>"
        }
        if access.isBanned { return "<p class=\"meta\">The chairs have removed you from this group.</p>" }
        if access.isInvited {
            return """
                <div class="card"><p>You have been invited to join this group.</p>
                <form method="post" action="\(group.path)/join" class="inline">\(ctx.csrfField)<button type="submit">Accept the invitation</button></form>
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
                "<form method=\"post\" action=\"\(group.path)/join\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Join the group</button></form>"
        }
        if access.canRequest {
            return """
                <form method="post" action="\(group.path)/join" class="card">\(ctx.csrfField)
                \(joinKit.summary)\(joinKit.textarea("message", label: "Ask to join", hint: "Optional: a note for the chairs.", rows: 2, maxLength: GroupsService.maximumMessageLength))
                <p><button type="submit">Ask to join</button></p></form>
                """
        }
        return ""
    }

    func groupPage(_ ctx: RequestContext, joinKit: FormKit, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        let leaders = try groups.leaders(groupID: group.id)
        let leaderItems = leaders.map { leader -> HTML in
            "<li><a href=\"\(leader.profilePath)\">\(leader.name)</a> <span class=\"meta\">\(leader.role.label)</span></li>"
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
            let someMembers = try groups.newestMembers(groupID: group.id, limit: 12).map { row -> HTML in
                "<li><a href=\"\(row.profilePath)\">\(row.name)</a></li>"
            }
            body += """
                <section><h2>Newest members</h2><ul class="member-names">\(someMembers)</ul>
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
        let lines = entries.map { entry -> HTML in
            let title = entry.objectTitle ?? ""
            let excerpt = entry.excerpt ?? ""
            return """
                <li class="activity"><span class="who">\(ctx.shell.memberLink(name: entry.actorName, handle: entry.actorHandle))</span> \(Self.phrase(entry.verb)) <a href="\(url: entry.objectURL ?? group.path)">\(title)</a> \
                <span class="when">\(ctx.shell.time(entry.createdAt))</span>\(excerpt.isEmpty ? HTML.empty : "<p class=\"excerpt\">\(excerpt)</p>")</li>
                """
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

    // MARK: Members

    func membersPage(_ ctx: RequestContext, inviteKit: FormKit, status: HTTPStatus = .ok) throws
        -> HTTPResponse
    {
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard access.canReadContent else {
            if ctx.member == nil { throw WebError.unauthorized }
            throw DomainError.forbidden("Only members see who is in this group.")
        }
        var after: (name: String, id: Int64)?
        if let handle = ctx.query("after"), let member = try groups.membership.member(handle: handle) {
            after = (member.name, member.id)
        }
        let pageSize = 50
        let found = try groups.members(groupID: group.id, limit: pageSize + 1, after: after)
        let shown = Array(found.prefix(pageSize))
        func button(
            _ row: GroupMembership, _ action: String, _ label: String, confirm: String? = nil,
            style: String = "link"
        )
            -> HTML
        {
            let confirmAttribute: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? ""
            return """
                <form method="post" action="\(group.path)/members/\(row.handle)/\(action)" class="inline"\(confirmAttribute)>\(ctx.csrfField)<button type="submit" class="\(style)">\(label)</button></form>
                """
        }
        let rows = shown.map { row -> HTML in
            var controls: [HTML] = []
            if access.isChair && row.memberID != ctx.member?.id && row.role != .owner {
                if row.role == .member {
                    controls.append(button(row, "promote", "Make chair"))
                } else if access.isOwner {
                    controls.append(button(row, "demote", "Make ordinary member"))
                }
                if row.role == .member || access.isOwner {
                    controls.append(
                        button(row, "remove", "Remove", confirm: "Remove \(row.name) from the group?"))
                    controls.append(
                        button(row, "ban", "Ban", confirm: "Remove \(row.name) and bar them from the group?"))
                }
                if access.isOwner {
                    controls.append(
                        button(
                            row, "transfer", "Make owner",
                            confirm: "Hand the group over to \(row.name)? You will remain a chair."))
                }
            }
            return """
                <li class="member-row"><a href="\(row.profilePath)">\(row.name)</a> <span class="meta">\(row.role.label) · since \(ctx.shell.time(row.since))</span> \(HTML.join(controls, separator: " · "))</li>
                """
        }
        var body: HTML = """
            \(header(ctx, group, access, current: "Members"))
            <section><h2>Members (\(group.memberCount))</h2><ul class="member-rows">\(rows)</ul>
            """
        if found.count > pageSize, let last = shown.last {
            body +=
                Pager.next("\(group.path)/members?after=\(PercentDecoding.encode(last.handle))", "More members")
        }
        body += "</section>"
        if access.isChair {
            let requests = try groups.members(groupID: group.id, state: .requested, limit: 200).map {
                row -> HTML in
                """
                <li class="member-row"><a href="\(row.profilePath)">\(row.name)</a> <span class="meta">asked \(ctx.shell.time(row.since))</span>
                \(row.message.isEmpty ? HTML.empty : "<q>\(row.message)</q>") \(button(row, "approve", "Approve", style: "")) \(button(row, "refuse", "Refuse", style: "secondary"))</li>
                """
            }
            let invitations = try groups.members(groupID: group.id, state: .invited, limit: 200).map {
                row -> HTML in
                "<li class=\"member-row\"><a href=\"\(row.profilePath)\">\(row.name)</a> <span class=\"meta\">invited \(ctx.shell.time(row.since))</span> \(button(row, "cancel-invitation", "Withdraw"))</li>"
            }
            let bans = try groups.members(groupID: group.id, state: .banned, limit: 200).map { row -> HTML in
                "<li class=\"member-row\"><a href=\"\(row.profilePath)\">\(row.name)</a> <span class=\"meta\">banned \(ctx.shell.time(row.since))</span> \(button(row, "unban", "Lift the ban"))</li>"
            }
            body += """
                <section><h2>Requests to join</h2>\(requests.isEmpty ? HTML("<p class=\"empty\">None.</p>") : "<ul class=\"member-rows\">\(requests)</ul>")</section>
                <section><h2>Invite a member</h2>\(inviteKit.summary)
                <form method="post" action="\(group.path)/invite" class="card">\(ctx.csrfField)
                \(inviteKit.input("handle", label: "Their handle", required: true, hint: "As in their profile address: /members/<handle>.", maxLength: 40))
                \(inviteKit.textarea("message", label: "A note", rows: 2, maxLength: GroupsService.maximumMessageLength))
                <p><button type="submit">Invite</button></p></form>
                \(invitations.isEmpty ? HTML.empty : "<h3>Invitations waiting</h3><ul class=\"member-rows\">\(invitations)</ul>")</section>
                <section><h2>Banned</h2>\(bans.isEmpty ? HTML("<p class=\"empty\">Nobody.</p>") : "<ul class=\"member-rows\">\(bans)</ul>")</section>
                """
        }
        return ctx.page(title: "Members of \(group.name)", body: body, status: status)
    }
}
