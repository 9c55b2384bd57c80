import Foundation
import HTTP
import Kernel

/// Friends: your friends and requests, befriending, declining, unfriending, and your friends'
/// activity.
///
/// ```swift
/// FriendPages(membership: membership).register(&web)   // /friends, /members/:handle/friend…
/// ```
struct FriendPages: Sendable {
    let membership: MembershipService

    /// Its routes.
    func register(_ web: inout WebContributions) {
        let friends = self
        web.pages("") { pages in
            pages.get("/friends", access: .members, use: friends.list)
            pages.post("/members/:handle/friend", access: .members, use: friends.befriend)
            pages.post("/members/:handle/decline", access: .members, use: friends.decline)
            pages.post("/members/:handle/unfriend", access: .members, use: friends.unfriend)
            pages.get("/activity/friends", access: .members, use: friends.activity)
        }
    }

    func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let incoming = try membership.requests(to: me.id)
        let outgoing = try membership.requests(from: me.id)
        let friends = try membership.friends(of: me.id)
        func row(_ member: Member, _ controls: HTML) -> HTML {
            "<li class=\"friend-row\"><a href=\"\(member.profilePath)\">\(MemberPages.avatar(member, size: 40))<span>\(member.name)</span></a> \(controls)</li>"
        }
        let incomingHTML = incoming.map { member in
            row(
                member,
                """
                <form method="post" action="/members/\(member.handle)/friend" class="inline">\(ctx.csrfField)<button type="submit">Accept</button></form>
                <form method="post" action="/members/\(member.handle)/decline" class="inline">\(ctx.csrfField)<button type="submit" class="secondary">Decline</button></form>
                """)
        }
        let outgoingHTML = outgoing.map { member in
            row(
                member,
                "<form method=\"post\" action=\"/members/\(member.handle)/decline\" class=\"inline\">\(ctx.csrfField)<button type=\"submit\" class=\"secondary\">Cancel request</button></form>"
            )
        }
        let friendsHTML = friends.map { member in
            row(
                member,
                "<form method=\"post\" action=\"/members/\(member.handle)/unfriend\" class=\"inline\" data-confirm=\"Remove \(member.name) from your friends?\">\(ctx.csrfField)<button type=\"submit\" class=\"link\">Remove</button></form>"
            )
        }
        let body: HTML = """
            <h1>Friends</h1>
            <section><h2>Requests for you</h2>\(incomingHTML.isEmpty ? HTML("<p class=\"empty\">None.</p>") : "<ul class=\"friend-rows\">\(incomingHTML)</ul>")</section>
            <section><h2>Requests you sent</h2>\(outgoingHTML.isEmpty ? HTML("<p class=\"empty\">None.</p>") : "<ul class=\"friend-rows\">\(outgoingHTML)</ul>")</section>
            <section><h2>Your friends (\(friends.count))</h2>\(friendsHTML.isEmpty ? HTML("<p class=\"empty\">No friends yet: find colleagues in the <a href=\"/members\">member directory</a>.</p>") : "<ul class=\"friend-rows\">\(friendsHTML)</ul>")</section>
            <p><a href="/activity/friends">Your friends' latest activity</a></p>
            """
        return ctx.page(title: "Friends", body: body)
    }

    func befriend(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireActiveMember()
        guard let other = try membership.member(handle: try ctx.parameter("handle")),
            let meMember = try membership.member(id: me.id)
        else {
            throw DomainError.notFound
        }
        let result = try membership.befriend(from: meMember, to: other.id)
        return ctx.redirect(
            to: other.profilePath,
            flash: result == .friends
                ? "You and \(other.name) are now friends." : "Friend request sent to \(other.name).")
    }

    func decline(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let other = try membership.member(handle: try ctx.parameter("handle")) else {
            throw DomainError.notFound
        }
        try membership.dropRequest(between: me.id, and: other.id)
        return ctx.redirect(to: "/friends", flash: "Request removed.", kind: .info)
    }

    func unfriend(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        guard let other = try membership.member(handle: try ctx.parameter("handle")) else {
            throw DomainError.notFound
        }
        try membership.unfriend(me.id, other.id)
        return ctx.redirect(
            to: "/friends", flash: "\(other.name) is no longer in your friends.", kind: .info)
    }

    func activity(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let ids = try membership.friendIDs(of: me.id)
        let cursor = ctx.query("before").flatMap(Int64.init)
        let page =
            ids.isEmpty
            ? ActivityPage(groups: [], nextCursor: nil)
            : try ctx.services.activity.latest(
                for: ctx.viewer, limit: 30, before: cursor, filter: ActivityFilter(actorIDs: ids))
        var body: HTML =
            "<h1>Your friends' activity</h1><p><a href=\"/activity\">Everyone's activity</a></p>\(ctx.shell.activityList(page.groups))"
        if let next = page.nextCursor {
            body +=
                Pager.next("/activity/friends?before=\(next)", "Older activity")
        }
        return ctx.page(title: "Friends' activity", body: body, sidebar: false)
    }
}
