import Foundation
import HTTP

/// Likes on the web: a form button modules put under likeable content (``RequestContext/likeButton(_:)``),
/// the form's route (answering JSON to pln.js), the "who liked it" page, and the typed API under
/// /api/v1/likes/{module}/{kind}/{id}. Modules add the same three operations on their own
/// resources with ``LikeOperations``.
struct LikesWeb: Sendable {
    let services: Services

    func register(_ web: inout WebContributions) {
        web.pages("/likes") { pages in
            pages.post("/:module/:kind/:id", access: .members, use: toggle)
            pages.get("/:module/:kind/:id", use: likersPage)
        }
        let operations = LikeOperations(services: services)
        web.apiGroup("/api/v1", tag: "likes") { api in
            api.get(
                "/likes/:module/:kind/:id", summary: "How many members like a piece of content, and who.",
                operationID: "getLikes", use: operations.show)
            api.put(
                "/likes/:module/:kind/:id", access: .members, summary: "Like a piece of content.",
                operationID: "like", errors: [.forbidden], use: operations.like)
            api.delete(
                "/likes/:module/:kind/:id", access: .members, summary: "Take a like back.",
                operationID: "unlike", use: operations.unlike)
        }
    }

    /// The form: like or unlike, then back to the page it came from (or the new state as JSON
    /// when pln.js sent it).
    @Sendable func toggle(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireActiveMember()
        let content = try Self.content(ctx)
        let form = try ctx.form()
        let summary =
            form["action"] == "unlike"
            ? try services.likes.unlike(content, by: member) : try services.likes.like(content, by: member)
        if ctx.request.headers["Accept"]?.contains("application/json") == true {
            return HTTPResponse.json(LikesResponse(summary))
        }
        return ctx.redirect(to: RedirectTarget.sameSitePath(form["back"]) ?? "/")
    }

    /// Who liked it: every liker, linked to their profile; not found for content the viewer may not see.
    @Sendable func likersPage(_ ctx: RequestContext) throws -> HTTPResponse {
        let content = try Self.content(ctx)
        let likers = try services.likes.likers(content, viewer: ctx.member, limit: 500)
        let title = services.notificationCatalog.reportable(content)?.title ?? "content"
        let back = try services.database.read { db in
            try services.notificationCatalog.reportable(content)?.lookup(content.id, db)?.url
        }
        let items = likers.map { person -> HTML in
            "<li>\(ctx.shell.memberLink(name: person.name, handle: person.handle))</li>"
        }
        let body: HTML = """
            <h1>Who likes this \(title)</h1>
            \(back.map { "<p><a href=\"\($0)\">Back to the \(title)</a></p>" as HTML } ?? HTML.empty)
            \(items.isEmpty ? HTML("<p class=\"empty\">Nobody yet.</p>") : "<ul class=\"likers-list\">\(HTML.join(items))</ul>")
            """
        return ctx.page(title: "Who likes this \(title)", body: body)
    }

    static func content(_ ctx: RequestContext) throws -> ContentReference {
        ContentReference(
            module: try ctx.parameter("module"), kind: try ctx.parameter("kind"),
            id: try ctx.idParameter("id"))
    }
}

/// The typed like operations of one likeable resource, for a module's API: its handlers resolve
/// their path to the content and call these.
///
/// ```swift
/// let likes = LikeOperations(services: services)
/// func likePost(_ ctx: RequestContext, _ id: Int64) throws -> LikesResponse {
///     try likes.like(ctx, ContentReference(module: "blog", kind: "blog_post", id: id))
/// }
/// ```
public struct LikeOperations: Sendable {
    let services: Services
    public init(services: Services) { self.services = services }

    public func show(_ ctx: RequestContext, _ content: ContentReference) throws -> LikesResponse {
        LikesResponse(try services.likes.summary(content, viewer: ctx.member))
    }

    public func like(_ ctx: RequestContext, _ content: ContentReference) throws -> LikesResponse {
        LikesResponse(try services.likes.like(content, by: try ctx.requireActiveMember()))
    }

    public func unlike(_ ctx: RequestContext, _ content: ContentReference) throws -> LikesResponse {
        LikesResponse(try services.likes.unlike(content, by: try ctx.requireMember()))
    }

    func show(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse {
        try show(ctx, ContentReference(module: module, kind: kind, id: id))
    }

    func like(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse {
        try like(ctx, ContentReference(module: module, kind: kind, id: id))
    }

    func unlike(_ ctx: RequestContext, _ module: String, _ kind: String, _ id: Int64) throws -> LikesResponse
    {
        try unlike(ctx, ContentReference(module: module, kind: kind, id: id))
    }
}

/// A piece of content's likes as the API shows them.
public struct LikesResponse: APIModel {
    public struct Liker: APIModel {
        public var handle: String
        public var name: String
        public static let schemaName = "Liker"
    }

    public var count: Int
    public var liked: Bool
    public var latest: [Liker]
    public static let schemaName = "Likes"
    public static let fieldHints: [String: SchemaHint] = [
        "liked": .description("Whether the caller likes it."),
        "latest": .description("Up to 20 members who liked it, the latest first."),
    ]

    public init(_ summary: Likes.Summary) {
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
        return likeButton(content, summary: summary)
    }

    /// Like buttons for items of one kind a page already shows the viewer (one read for all);
    /// leave out hidden items, which cannot be liked.
    ///
    /// ```swift
    /// let likes = ctx.likeButtons(module: "blog", kind: "blog_comment", ids: comments.filter { !$0.isHidden }.map(\.id))
    /// html += likes[comment.id] ?? ""
    /// ```
    public func likeButtons(module: String, kind: String, ids: [Int64]) -> [Int64: HTML] {
        let found =
            (try? services.likes.summaries(module: module, kind: kind, ids: ids, viewerID: member?.id)) ?? [:]
        var buttons: [Int64: HTML] = [:]
        for id in ids {
            buttons[id] = likeButton(
                ContentReference(module: module, kind: kind, id: id),
                summary: found[id] ?? Likes.Summary(count: 0, likedByViewer: false, latest: []))
        }
        return buttons
    }

    func likeButton(_ content: ContentReference, summary: Likes.Summary) -> HTML {
        let path = "/likes/\(content.module)/\(content.kind)/\(content.id)"
        let names = summary.latest.prefix(3).map(\.name)
        let who: HTML =
            summary.count == 0
            ? ""
            : " <a class=\"likers\" href=\"\(path)\">Liked by \(MemberNotification.actorPhrase(Array(names), total: summary.count))</a>"
        guard let member, member.mayWrite else {
            return summary.count == 0
                ? ""
                : "<span class=\"likes\">\(summary.count) \(summary.count == 1 ? "like" : "likes")\(who)</span>"
        }
        let action = summary.likedByViewer ? "unlike" : "like"
        return """
            <form method="post" action="\(path)" class="likes inline" data-like>\(csrfField)\
            <input type="hidden" name="action" value="\(action)"><input type="hidden" name="back" value="\(request.target)">\
            <button type="submit" class="secondary" aria-pressed="\(summary.likedByViewer ? "true" : "false")">Like \
            <span class="count" aria-label="\(summary.count) \(summary.count == 1 ? "like" : "likes")">\(summary.count)</span></button>\(who)</form>
            """
    }
}

/// The like operations of a resource named by one id, resolved to its content.
struct IDLikeOperations: Sendable {
    let likes: LikeOperations
    let content: @Sendable (Int64) -> ContentReference

    func show(_ ctx: RequestContext, _ id: Int64) throws -> LikesResponse { try likes.show(ctx, content(id)) }
    func like(_ ctx: RequestContext, _ id: Int64) throws -> LikesResponse { try likes.like(ctx, content(id)) }
    func unlike(_ ctx: RequestContext, _ id: Int64) throws -> LikesResponse {
        try likes.unlike(ctx, content(id))
    }
}

extension APIGroup {
    /// GET, PUT and DELETE on `path` (with one `:id`) for a likeable resource: its likes, like it,
    /// take the like back; operation ids `get<Name>Likes`, `like<Name>`, `unlike<Name>`.
    ///
    /// ```swift
    /// api.likeOperations("/posts/:id/like", noun: "post", name: "BlogPost", services: services) {
    ///     ContentReference(module: "blog", kind: "blog_post", id: $0)
    /// }
    /// ```
    public mutating func likeOperations(
        _ path: String, noun: String, name: String, services: Services,
        content: @escaping @Sendable (Int64) -> ContentReference
    ) {
        let operations = IDLikeOperations(likes: LikeOperations(services: services), content: content)
        get(
            path, summary: "How many members like a \(noun), and who.", operationID: "get\(name)Likes",
            use: operations.show)
        put(
            path, access: .members, summary: "Like a \(noun).", operationID: "like\(name)",
            errors: [.forbidden],
            use: operations.like)
        delete(
            path, access: .members, summary: "Take back your like of a \(noun).",
            operationID: "unlike\(name)",
            use: operations.unlike)
    }
}
