import Foundation
import HTTP

/// Likes on the web: a form button modules put under likeable content (``RequestContext/likeButton(_:)``),
/// the form's route, and the typed API under /api/v1/likes/{module}/{kind}/{id}.
struct LikesWeb: Sendable {
    let services: Services

    func register(_ web: inout WebContributions) {
        web.pages("/likes", access: .members) { pages in
            pages.post("/:module/:kind/:id", use: toggle)
        }
        web.apiGroup("/api/v1", tag: "likes") { api in
            api.get(
                "/likes/:module/:kind/:id", summary: "How many members like a piece of content, and who.",
                operationID: "getLikes", use: show)
            api.put(
                "/likes/:module/:kind/:id", access: .members, summary: "Like a piece of content.",
                operationID: "like", errors: [.forbidden], use: like)
            api.delete(
                "/likes/:module/:kind/:id", access: .members, summary: "Take a like back.",
                operationID: "unlike", use: unlike)
        }
    }

    /// The form: like or unlike, then back to the page it came from.
    @Sendable func toggle(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireActiveMember()
        let content = ContentReference(
            module: try ctx.parameter("module"), kind: try ctx.parameter("kind"),
            id: try ctx.idParameter("id"))
        let form = try ctx.form()
        if form["action"] == "unlike" {
            try services.likes.unlike(content, by: member)
        } else {
            try services.likes.like(content, by: member)
        }
        return ctx.redirect(to: RedirectTarget.sameSitePath(form["back"]) ?? "/")
    }

    func show(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse {
        LikesResponse(
            try services.likes.summary(
                ContentReference(module: module, kind: kind, id: id), viewer: ctx.member))
    }

    func like(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse {
        LikesResponse(
            try services.likes.like(
                ContentReference(module: module, kind: kind, id: id), by: try ctx.requireActiveMember()))
    }

    func unlike(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse
    {
        LikesResponse(
            try services.likes.unlike(
                ContentReference(module: module, kind: kind, id: id), by: try ctx.requireMember()))
    }
}

struct LikesResponse: APIModel {
    struct Liker: APIModel {
        var handle: String
        var name: String
        static let schemaName = "Liker"
    }

    var count: Int
    var liked: Bool
    var latest: [Liker]
    static let schemaName = "Likes"
    static let fieldHints: [String: SchemaHint] = [
        "liked": .description("Whether the caller likes it."),
        "latest": .description("Up to 20 members who liked it, the latest first."),
    ]

    init(_ summary: Likes.Summary) {
        count = summary.count
        liked = summary.likedByViewer
        latest = summary.latest.map { Liker(handle: $0.handle, name: $0.name) }
    }
}

extension RequestContext {
    /// The like button with its count and who liked it, for content the viewer may see (a form:
    /// works without JavaScript). Empty when the content cannot be liked by this viewer.
    public func likeButton(_ content: ContentReference) -> HTML {
        guard let summary = try? services.likes.summary(content, viewer: member) else { return "" }
        let names = summary.latest.prefix(3).map(\.name)
        let who: HTML =
            summary.count == 0
            ? ""
            : " <span class=\"likers\">Liked by \(MemberNotification.actorPhrase(Array(names), total: summary.count))</span>"
        guard let member, member.mayWrite else {
            return summary.count == 0 ? "" : "<p class=\"likes\">\(summary.count) likes\(who)</p>"
        }
        let action = summary.likedByViewer ? "unlike" : "like"
        return """
            <form method="post" action="/likes/\(content.module)/\(content.kind)/\(content.id)" class="likes inline">\(csrfField)\
            <input type="hidden" name="action" value="\(action)"><input type="hidden" name="back" value="\(request.target)">\
            <button type="submit" class="secondary" aria-pressed="\(summary.likedByViewer ? "true" : "false")">Like \
            <span class="count">\(summary.count)</span></button>\(who)</form>
            """
    }
}
