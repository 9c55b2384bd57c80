import Foundation
import HTTP
import Kernel
import Markdown
import Membership
import Storage

/// The groups directory, My groups, and creating, editing and deleting a group.
///
/// ```swift
/// let directory = DirectoryPages(groups: groups)
/// web.pages("/groups") { pages in pages.get("", use: directory.directory) }
/// ```
struct DirectoryPages: Sendable {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        web.pages("/groups") { pages in
            pages.get("", use: directory)
            pages.get("/mine", access: .members, use: myGroups)
            pages.get("/new", access: .members, use: newGroup)
            pages.post("/new", access: .members, bodyLimit: 3 * 1024 * 1024, use: create)
            pages.get("/:slug/edit", access: .members, use: edit)
            pages.post("/:slug/edit", access: .members, bodyLimit: 3 * 1024 * 1024, use: update)
            pages.post("/:slug/delete", access: .members, use: delete)
        }
    }

    func newGroup(_ ctx: RequestContext) throws -> HTTPResponse {
        guard groups.canCreate(ctx.member) else {
            throw DomainError.forbidden("You cannot create groups on this network.")
        }
        return editForm(ctx, group: nil, kit: FormKit(values: ["visibility": "private"]))
    }

    func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        if form.asksForPreview {
            guard groups.canCreate(ctx.member) else {
                throw DomainError.forbidden("You cannot create groups on this network.")
            }
            return editForm(
                ctx, group: nil, kit: try ctx.previewKit(form, fileField: "image", fileNoun: "image"))
        }
        do {
            let image = try ctx.file("image")?.body
            let group = try groups.create(Self.draft(form), by: me, image: image)
            return ctx.redirect(to: group.path, flash: "Your group “\(group.name)” is ready.")
        } catch DomainError.invalid(let errors) {
            return editForm(
                ctx, group: nil, kit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func edit(_ ctx: RequestContext) throws -> HTTPResponse {
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can edit it.") }
        return editForm(
            ctx, group: group,
            kit: FormKit(values: [
                "name": group.name, "description": group.description, "category": group.category,
                "visibility": group.visibility.rawValue,
            ]))
    }

    func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, access) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard access.isChair else { throw DomainError.forbidden("Only the group's chairs can edit it.") }
        let form = try ctx.form()
        if form.asksForPreview {
            return editForm(
                ctx, group: group, kit: try ctx.previewKit(form, fileField: "image", fileNoun: "image"))
        }
        do {
            var draft = Self.draft(form)
            draft.slug = group.slug
            // A refused image changes nothing: it is checked before the details are saved.
            let image = try ctx.file("image")
            if let image { _ = try GroupsService.validateImage(image.body) }
            let updated = try groups.update(groupID: group.id, draft, by: me)
            if let image {
                try groups.setImage(groupID: group.id, bytes: image.body, by: me)
            } else if form["remove_image"] == "1" {
                try groups.removeImage(groupID: group.id, by: me)
            }
            return ctx.redirect(to: updated.path, flash: "The group has been updated.")
        } catch DomainError.invalid(let errors) {
            return editForm(
                ctx, group: group, kit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422)
            )
        }
    }

    func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        try groups.delete(groupID: group.id, by: me)
        return ctx.redirect(
            to: "/groups", flash: "The group “\(group.name)” has been deleted.", kind: .info)
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
        let notice = ctx.member.map { GroupsHome(groups: groups).chairNotice(ctx, memberID: $0.id) } ?? ""
        var body: HTML = """
            <h1>Groups</h1>
            \(notice)
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
            <li class="card group-card media">\(GroupPage.image(group, size: 64))<div class="media-body"><h2><a href="\(group.path)">\(group.name)</a></h2>
            <p class="meta">\(group.category) · \(group.visibility.label) · \(group.memberCount) \(group.memberCount == 1 ? "member" : "members")\(note)</p>
            \(excerpt.isEmpty ? HTML.empty : "<p>\(excerpt)</p>")</div></li>
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
            \(kit.markdown("description", label: "About the group", hint: "Markdown works: **bold**, _italic_, [links](https://example.org).", maxLength: GroupsService.maximumDescriptionLength))
            <div class="field"><label for="field-image">Image</label><p class="hint" id="hint-image">PNG, JPEG, GIF or WebP, at most 2 MB. Without one, the group is shown by its initials. The image belongs to the group: it stays when the chair who chose it leaves.</p>\(imageError)<input type="file" id="field-image" name="image" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="hint-image\(imageError.isEmpty ? HTML.empty : HTML(" error-image\" aria-invalid=\"true"))"></div>
            \(group?.hasImage == true ? kit.checkbox("remove_image", label: "Remove the image") : HTML.empty)
            <p><button type="submit">\(group == nil ? "Create the group" : "Save changes")</button> \(kit.previewButton(action: action, field: "description")) <a href="\(group?.path ?? "/groups")">Cancel</a></p>
            </form>
            \(deleteForm)
            """
        return ctx.page(
            title: group == nil ? "Create a group" : "Edit \(group?.name ?? "")", body: body, status: status)
    }

}
