import Foundation
import HTTP
import Kernel
import Markdown

/// The member directory, profiles, avatars and editing your profile.
///
/// ```swift
/// MemberPages(membership: membership).register(&web)   // /members, /members/:handle, /profile/edit
/// ```
struct MemberPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let profiles = self
        web.pages("") { pages in
            pages.get("/members", use: profiles.directory)
            pages.get("/members/:handle", use: profiles.show)
            pages.get("/members/:handle/avatar", use: profiles.avatarImage)
            pages.get("/profile/edit", access: .members, use: profiles.editForm)
            pages.post("/profile/edit", access: .members, bodyLimit: 3 * 1024 * 1024, use: profiles.update)
        }
    }

    func directory(_ ctx: RequestContext) throws -> HTTPResponse {
        if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
        let order = MembershipService.DirectoryOrder(rawValue: ctx.query("sort") ?? "") ?? .newest
        let search = ctx.query("q")?.trimmingCharacters(in: .whitespaces)
        var after: Member?
        if let handle = ctx.query("after") { after = try membership.member(handle: handle) }
        let pageSize = 24
        let filters = DirectoryFilters(ctx, questions: membership.questions)
        let members =
            filters.isActive
            ? try membership.filteredDirectory(filters, viewer: ctx.viewer, limit: pageSize + 1, after: after)
            : try membership.directory(
                order: order, filter: nil, search: search, limit: pageSize + 1, after: after)
        let shown = members.prefix(pageSize)
        let cards = shown.map { member -> HTML in
            var card = "<li class=\"member-card\"><a href=\""
            HTML.escape(member.profilePath, into: &card)
            card += "\">"
            card += Self.avatar(member, size: 64).text
            card += "<span class=\"name\">"
            HTML.escape(member.name, into: &card)
            card += "</span></a><span class=\"meta\">joined "
            card += ctx.shell.time(member.createdAt).text
            card += "</span></li>"
            return HTML(trustedRenderer: card)
        }
        let filterControls = try filters.controls(
            ctx, questions: membership.questions, search: ctx.services.search)
        var body: HTML = """
            <h1>Members</h1>
            <form method="get" action="/members" class="card filters" role="search">
            \(FormKit(values: ["q": search ?? "", "sort": order.rawValue]).input("q", label: "Name or words", type: "search"))
            \(filterControls)
            \(FormKit(values: ["sort": order.rawValue]).select("sort", label: "Order", options: [("newest", "Newest first"), ("name", "By name")], includeBlank: false))
            <p><button type="submit">Show</button></p></form>
            """
        body +=
            shown.isEmpty
            ? "<p class=\"empty\">No members match.</p>" : "<ul class=\"member-grid\">\(cards)</ul>"
        if members.count > pageSize, let last = shown.last {
            let query =
                filters.isActive
                ? "\(filters.queryString)&after=\(PercentDecoding.encode(last.handle))"
                : "sort=\(order.rawValue)&q=\(PercentDecoding.encode(search ?? ""))&after=\(PercentDecoding.encode(last.handle))"
            body +=
                Pager.next("/members?\(query)", "More members")
        }
        return ctx.page(title: "Members", body: body)
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        if !membership.directoryIsPublic && ctx.member == nil { throw WebError.unauthorized }
        guard let member = try membership.member(handle: try ctx.parameter("handle")),
            membership.profileIsVisible(member, to: ctx.member)
        else {
            throw DomainError.notFound
        }
        let viewer = ctx.viewer
        // Report links appear when a module handles reports (the moderation module's contract).
        let reportable = ctx.shell.footerLinks.contains { $0.path == "/report" }
        let answers = try membership.database.read { try membership.answers(of: member.id, in: $0) }
        let friendList = try membership.someFriends(of: member.id, limit: 12)
        let total = try membership.friendCount(of: member.id)
        let statuses = try membership.statuses(of: member.id, viewer: viewer, limit: 10)
        // Statuses have their own section: Recent activity shows the rest of what they did.
        let activity = try ctx.services.activity.latest(
            for: viewer, limit: 20, before: nil, filter: ActivityFilter(actorIDs: [member.id])
        ).groups.filter { !Self.isStatus($0.lead) }.prefix(10)
        var answerRows: [HTML] = []
        for question in membership.questions {
            guard let answer = answers[question.id], !answer.isEmpty else { continue }
            let shown: HTML =
                question.kind == .url
                ? "<a href=\"\(url: answer)\" rel=\"nofollow ugc noopener\">\(answer)</a>"
                : "\(answer.replacingOccurrences(of: "\n", with: ", "))"
            answerRows.append("<dt>\(question.label)</dt><dd>\(shown)</dd>")
        }
        var actions: HTML = ""
        if let me = ctx.member {
            if me.id == member.id {
                actions =
                    "<p><a class=\"button\" href=\"/profile/edit\">Edit your profile</a> <a href=\"/account\">Account settings</a></p>"
            } else {
                actions = friendButton(
                    ctx, member: member,
                    relationship: try membership.relationship(between: me.id, and: member.id))
                // Messages' navigation link is its contract: while it is enabled, write from here.
                if ctx.shell.navigation.contains(where: { $0.path == "/messages" }) {
                    actions +=
                        "<p><a class=\"button\" href=\"/messages/new?to=\(member.handle)\">Message</a></p>"
                }
            }
            if me.id != member.id && reportable {
                actions +=
                    "<p class=\"meta\"><a class=\"report\" href=\"/report?kind=profile&amp;id=\(member.id)\">Report this profile</a></p>"
            }
            if me.isAdmin && me.id != member.id {
                actions += "<p><a href=\"/admin/members/\(member.handle)\">Manage this member</a></p>"
            }
        }
        var statusForm: HTML = ""
        if ctx.member?.id == member.id && (ctx.member?.mayWrite ?? false) {
            statusForm = """
                <form method="post" action="/statuses" class="card status-form">\(ctx.csrfField)
                \(FormKit().textarea("body", label: "What are you working on?", rows: 3, maxLength: MembershipService.maximumStatusLength))
                <p><button type="submit">Post status</button></p></form>
                """
        }
        // Hidden statuses (shown to their author and moderators) cannot be liked.
        let likes = ctx.likeButtons(
            module: "membership", kind: "status", ids: statuses.filter { !$0.hidden }.map(\.id))
        let statusItems = statuses.map { status -> HTML in
            var delete: HTML = likes[status.id].map { $0.isEmpty ? $0 : $0 + " " } ?? ""
            if let me = ctx.member, me.id == status.memberID || me.isModerator {
                delete =
                    "<form method=\"post\" action=\"/statuses/\(status.id)/delete\" class=\"inline\" data-confirm=\"Delete this status?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Delete</button></form>"
            }
            if let me = ctx.member, me.id != status.memberID, reportable {
                delete +=
                    " <a class=\"report\" href=\"/report?kind=status&amp;id=\(status.id)\">Report</a>"
            }
            return ctx.shell.withFace(
                name: member.name, handle: member.handle, hasPhoto: member.hasAvatar, tag: "li",
                classes: "status",
                attributes: " id=\"status-\(status.id)\"",
                "<p class=\"meta\"><strong>\(member.name)</strong> · \(ctx.shell.time(status.createdAt))\(status.hidden ? HTML(" · hidden") : HTML.empty)</p><p>\(MembershipService.linkify(status.body))</p>\(delete.isEmpty ? HTML.empty : "<div class=\"actions small\">\(delete)</div>")"
            )
        }
        let friendItems = friendList.map { friend -> HTML in
            "<li><a href=\"\(friend.profilePath)\">\(Self.avatar(friend, size: 40))<span>\(friend.name)</span></a></li>"
        }
        let bio =
            member.bio.isEmpty ? HTML.empty : "<div class=\"prose\">\(HTML.markdown(member.bio))</div>"
        let body: HTML = """
            <article class="profile">
            <header class="profile-head">\(Self.avatar(member, size: 128))<div><h1>\(member.name)</h1>
            <p class="meta">@\(member.handle) · \(member.role == .member ? "Member" : member.role.rawValue.capitalized) · joined \(ctx.shell.time(member.createdAt))\(member.status == .pending ? HTML(" · awaiting approval") : HTML.empty)\(member.status == .suspended ? HTML(" · suspended") : HTML.empty)</p>
            \(actions)</div></header>
            \(answerRows.isEmpty ? HTML.empty : "<dl class=\"answers card\">\(answerRows)</dl>")
            \(bio)
            \(statusForm)
            <section><h2>Statuses</h2>\(statusItems.isEmpty ? HTML("<p class=\"empty\">No statuses yet.</p>") : "<ul class=\"statuses\">\(statusItems)</ul>")</section>
            <section><h2>Friends (\(total))</h2>\(friendItems.isEmpty ? HTML("<p class=\"empty\">No friends yet.</p>") : "<ul class=\"friend-list\">\(friendItems)</ul>")</section>
            <section><h2>Recent activity</h2>\(ctx.shell.activityList(Array(activity)))</section>
            </article>
            """
        return ctx.page(title: member.name, body: body)
    }

    /// A status line in the stream (the profile lists statuses on their own).
    static func isStatus(_ entry: ActivityEntry) -> Bool {
        entry.module == "membership" && entry.verb == "posted_status"
    }

    func avatarImage(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try membership.member(handle: try ctx.parameter("handle")),
            member.status == .active || member.status == .pending,
            let avatar = try membership.avatar(memberID: member.id)
        else { throw DomainError.notFound }
        var response = HTTPResponse.bytes(avatar.bytes, contentType: avatar.type)
        response.headers.add("Cache-Control", "public, max-age=300")
        response.headers.add("ETag", "\"\(SHA256.hex(bytes: avatar.bytes).prefix(16))\"")
        return response
    }

    func editForm(_ ctx: RequestContext) throws -> HTTPResponse {
        try editPage(ctx, form: nil)
    }

    func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let form = try ctx.form()
        // A Preview (no JavaScript) shows the form again with the bio rendered; nothing is saved,
        // and a chosen picture has to be chosen again (a browser cannot keep a file field).
        if form.asksForPreview {
            return try editPage(ctx, form: ctx.previewKit(form, fileField: "avatar", fileNoun: "picture"))
        }
        var answers: [String: String] = [:]
        for question in membership.questions {
            answers[question.id] = form.values("answer-\(question.id)").joined(separator: "\n")
        }
        do {
            if let file = try ctx.file("avatar") {
                try membership.setAvatar(memberID: me.id, bytes: file.body)
            }
            if form["remove_avatar"] == "1" { try membership.removeAvatar(memberID: me.id) }
            let member = try membership.updateProfile(
                memberID: me.id,
                .init(
                    name: form["name"] ?? "", handle: form["handle"] ?? "", bio: form["bio"] ?? "",
                    answers: answers))
            return ctx.redirect(to: member.profilePath, flash: "Your profile has been updated.")
        } catch DomainError.invalid(let errors) {
            return try editPage(
                ctx, form: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    /// Appended piece by piece, the initials read as bytes (``Shell/initials(_:)``): split by
    /// `Character` and interpolated, the directory's 24 cost 13,000 instructions each, an eighth
    /// of the page.
    static func avatar(_ member: Member, size: Int) -> HTML {
        var out: String
        if member.hasAvatar {
            out = "<img class=\"avatar\" src=\"/members/"
            HTML.escape(member.handle, into: &out)
            out += "/avatar\" alt=\"\" width=\""
            out += String(size)
            out += "\" height=\""
            out += String(size)
            out += "\">"
        } else {
            out = "<span class=\"avatar initials size-"
            out += String(size)
            out += "\" aria-hidden=\"true\">"
            HTML.escape(Shell.initials(member.name), into: &out)
            out += "</span>"
        }
        return HTML(trustedRenderer: out)
    }

    func friendButton(_ ctx: RequestContext, member: Member, relationship: MembershipService.Relationship)
        -> HTML
    {
        switch relationship {
        case .friends:
            return
                "<div class=\"meta\">You are friends. <form method=\"post\" action=\"/members/\(member.handle)/unfriend\" class=\"inline\" data-confirm=\"Remove \(member.name) from your friends?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Remove friend</button></form></div>"
        case .requestSent:
            return
                "<div class=\"meta\">Friend request sent. <form method=\"post\" action=\"/members/\(member.handle)/decline\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Cancel</button></form></div>"
        case .requestReceived:
            return
                "<form method=\"post\" action=\"/members/\(member.handle)/friend\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Accept friend request</button></form> <form method=\"post\" action=\"/members/\(member.handle)/decline\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Decline</button></form>"
        case .none:
            if !(ctx.member?.mayWrite ?? false) || member.status != .active { return "" }
            return
                "<form method=\"post\" action=\"/members/\(member.handle)/friend\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\">Add as friend</button></form>"
        case .same: return ""
        }
    }

    func editPage(_ ctx: RequestContext, form: FormKit?, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let member = try membership.member(id: me.id) else { throw DomainError.notFound }
        let answers = try membership.database.read { try membership.answers(of: me.id, in: $0) }
        var values = ["name": member.name, "handle": member.handle, "bio": member.bio]
        for (question, answer) in answers { values["answer-\(question)"] = answer }
        let kit = form ?? FormKit(values: values)
        var questionFields: [HTML] = []
        for question in membership.questions {
            let name = "answer-\(question.id)"
            switch question.kind {
            case .choice:
                questionFields.append(
                    kit.select(name, label: question.label, options: question.options.map { ($0, $0) }))
            case .multiple:
                questionFields.append(kit.checkboxes(name, legend: question.label, options: question.options))
            case .url: questionFields.append(kit.input(name, label: question.label, type: "url"))
            case .text: questionFields.append(kit.input(name, label: question.label))
            }
        }
        let body: HTML = """
            <h1>Edit your profile</h1>
            \(kit.summary)
            <form method="post" action="/profile/edit" enctype="multipart/form-data" class="card">\(ctx.csrfField)
            \(kit.input("name", label: "Your name", required: true, maxLength: 80))
            \(kit.input("handle", label: "Handle", required: true, hint: "Your profile lives at /members/<handle>.", maxLength: 30))
            <div class="field"><label for="field-avatar">Picture</label><p class="hint" id="hint-avatar">PNG, JPEG, GIF or WebP, at most 2 MB.</p>\(kit.error("avatar").map { m -> HTML in "<p class=\"field-error\" id=\"error-avatar\">\(m)</p>" } ?? HTML.empty)<input type="file" id="field-avatar" name="avatar" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="hint-avatar"></div>
            \(member.hasAvatar ? kit.checkbox("remove_avatar", label: "Remove my picture") : HTML.empty)
            \(kit.markdown("bio", label: "About you", hint: "Markdown works: **bold**, _italic_, [links](https://example.org).", maxLength: 5000))
            \(questionFields)
            <p><button type="submit">Save profile</button> \(kit.previewButton(action: "/profile/edit", field: "bio")) <a href="\(member.profilePath)">Cancel</a></p>
            </form>
            """
        return ctx.page(title: "Edit your profile", body: body, status: status)
    }
}
