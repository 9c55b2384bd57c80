import Foundation
import HTTP
import Kernel
import Membership

/// Joining and leaving a group, its members page, and the chairs' controls: approving and
/// refusing requests, inviting, removing, banning, roles and handing the group over.
///
/// ```swift
/// let membership = MembershipPages(groups: groups, groupPage: GroupPage(groups: groups))
/// web.pages("/groups/:slug", access: .members) { pages in pages.post("/join", use: membership.join) }
/// ```
struct MembershipPages: Sendable {
    let groups: GroupsService
    let groupPage: GroupPage

    func register(_ web: inout WebContributions) {
        web.pages("/groups/:slug", access: .members) { pages in
            pages.post("/join", use: join)
            pages.post("/leave", use: leave)
            pages.get("/members", access: .anyone, use: members)
            pages.post("/invite", use: invite)
            pages.post("/members/:handle/:action", use: memberAction)
        }
    }

    func join(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        let form = try ctx.form()
        // Back to the page of the group they joined from (a discussion), else the group's page.
        let back =
            RedirectTarget.sameSitePath(form["next"]).flatMap { $0.hasPrefix(group.path + "/") ? $0 : nil }
            ?? group.path
        do {
            switch try groups.join(groupID: group.id, by: me, message: form["message"] ?? "") {
            case .joined: return ctx.redirect(to: back, flash: "Welcome to \(group.name).")
            case .requested:
                return ctx.redirect(
                    to: back, flash: "Your request has been sent to the group's chairs.", kind: .info)
            }
        } catch DomainError.invalid(let errors) {
            return try groupPage.groupPage(
                ctx, joinKit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        }
    }

    func leave(_ ctx: RequestContext) throws -> HTTPResponse {
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

    func members(_ ctx: RequestContext) throws -> HTTPResponse { try membersPage(ctx, inviteKit: FormKit()) }

    func invite(_ ctx: RequestContext) throws -> HTTPResponse {
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
            return try membersPage(
                ctx, inviteKit: FormKit(form: form, errors: errors), status: HTTPStatus(code: 422))
        } catch DomainError.conflict(let message) {
            return try membersPage(
                ctx,
                inviteKit: FormKit(form: form, errors: [FieldError(field: "handle", message: message)]),
                status: HTTPStatus(code: 422))
        }
    }

    /// The chairs' buttons on the members page, one form each: `action` names what to do.
    func memberAction(_ ctx: RequestContext) throws -> HTTPResponse {
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
        var photos = ctx.shell.membersWithPhotos(shown.map(\.memberID))
        /// The member's face and name, linked to their profile.
        func who(_ row: GroupMembership) -> HTML {
            "<a href=\"\(row.profilePath)\">\(ctx.shell.face(name: row.name, handle: row.handle, hasPhoto: photos.contains(row.memberID)))<span>\(row.name)</span></a>"
        }
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
                <li class="member-row">\(who(row)) <span class="meta">\(row.role.label) · since \(ctx.shell.time(row.since))</span> \(HTML.join(controls, separator: " · "))</li>
                """
        }
        var body: HTML = """
            \(groupPage.header(ctx, group, access, current: "Members"))
            <section><h2>Members (\(group.memberCount))</h2><ul class="member-rows">\(rows)</ul>
            """
        if found.count > pageSize, let last = shown.last {
            body +=
                Pager.next(
                    "\(group.path)/members?after=\(PercentDecoding.encode(last.handle))", "More members")
        }
        body += "</section>"
        if access.isChair {
            let requested = try groups.members(groupID: group.id, state: .requested, limit: 200)
            let invited = try groups.members(groupID: group.id, state: .invited, limit: 200)
            let banned = try groups.members(groupID: group.id, state: .banned, limit: 200)
            photos = ctx.shell.membersWithPhotos((requested + invited + banned).map(\.memberID))
            let requests = requested.map { row -> HTML in
                """
                <li class="member-row">\(who(row)) <span class="meta">asked \(ctx.shell.time(row.since))</span>
                \(row.message.isEmpty ? HTML.empty : "<q>\(row.message)</q>") \(button(row, "approve", "Approve", style: "")) \(button(row, "refuse", "Refuse", style: "secondary"))</li>
                """
            }
            let invitations = invited.map { row -> HTML in
                "<li class=\"member-row\">\(who(row)) <span class=\"meta\">invited \(ctx.shell.time(row.since))</span> \(button(row, "cancel-invitation", "Withdraw"))</li>"
            }
            let bans = banned.map { row -> HTML in
                "<li class=\"member-row\">\(who(row)) <span class=\"meta\">banned \(ctx.shell.time(row.since))</span> \(button(row, "unban", "Lift the ban"))</li>"
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
