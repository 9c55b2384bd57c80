import Foundation
import HTTP
import Kernel
import Markdown

/// The blog part of the JSON API under /api/v1/blog, described in the OpenAPI document.
struct BlogAPI {
    let blog: BlogService

    static func postJSON(_ post: BlogPost, blog: BlogService, includeBody: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(post.id)), ("title", .string(post.title)), ("excerpt", .string(post.excerpt)),
            ("tags", .array(post.tags.map(JSONValue.string))), ("status", .string(post.status.rawValue)),
            ("visibility", .string(post.visibility.rawValue)),
            (
                "author",
                .object([
                    ("id", .int(post.authorID)), ("handle", .string(post.authorHandle)),
                    ("name", .string(post.authorName)),
                ])
            ),
            (
                "video",
                post.video.map { video in
                    .object([
                        ("provider", .string(video.provider.rawValue)), ("id", .string(video.videoID)),
                        ("embed_url", .string(video.embedURL)), ("url", .string(video.watchURL)),
                    ])
                } ?? .null
            ),
            ("featured", .bool(post.isFeatured)), ("featured_at", JSONValue(post.featuredAt)),
            ("views", .int(blog.liveViews(of: post))), ("comments", JSONValue(post.commentCount)),
            ("hidden", .bool(post.isHidden)), ("created_at", JSONValue(post.createdAt)),
            ("published_at", JSONValue(post.publishedAt)), ("edited_at", JSONValue(post.editedAt)),
            ("url", .string(post.path)),
        ]
        if includeBody {
            fields.append(("body", .string(post.body)))
            fields.append(("body_html", .string(MarkdownCache.html(post.body))))
        }
        return .object(fields)
    }

    static func commentJSON(_ comment: BlogComment) -> JSONValue {
        .object([
            ("id", .int(comment.id)), ("post_id", .int(comment.postID)),
            ("parent_id", JSONValue(comment.parentID)),
            (
                "author",
                .object([
                    ("id", .int(comment.authorID)), ("handle", .string(comment.authorHandle)),
                    ("name", .string(comment.authorName)),
                ])
            ),
            ("body", .string(comment.body)), ("body_html", .string(MarkdownCache.html(comment.body))),
            ("hidden", .bool(comment.isHidden)), ("created_at", JSONValue(comment.createdAt)),
            ("edited_at", JSONValue(comment.editedAt)),
        ])
    }

    /// Reads the post fields of a JSON body over `base` (a partial update keeps what is left out).
    static func input(_ body: JSONValue, over base: BlogService.PostInput) throws -> BlogService.PostInput {
        guard case .object = body else {
            throw WebError.badRequest("The request body must be a JSON object.")
        }
        var input = base
        var errors: [FieldError] = []
        func text(_ key: String, _ apply: (String) -> Void) {
            guard let value = body[key], value != .null else { return }
            if let string = value.stringValue {
                apply(string)
            } else {
                errors.append(.init(field: key, message: "Must be a string."))
            }
        }
        text("title") { input.title = $0 }
        text("body") { input.body = $0 }
        text("video_url") { input.videoURL = $0 }
        text("visibility") { input.visibility = $0 }
        if let tags = body["tags"], tags != .null {
            if let list = tags.arrayValue {
                let strings = list.compactMap(\.stringValue)
                if strings.count != list.count || strings.contains(where: { $0.contains(",") }) {
                    errors.append(
                        .init(field: "tags", message: "Must be a list of tags (strings without commas)."))
                } else {
                    input.tags = strings.joined(separator: ",")
                }
            } else if let string = tags.stringValue {
                input.tags = string
            } else {
                errors.append(.init(field: "tags", message: "Must be a list of strings."))
            }
        }
        if let status = body["status"], status != .null {
            switch status.stringValue {
            case "published": input.publish = true
            case "draft": input.publish = false
            default: errors.append(.init(field: "status", message: "Must be \"draft\" or \"published\"."))
            }
        }
        if !errors.isEmpty { throw DomainError.invalid(errors) }
        return input
    }

    func register(_ web: inout WebContributions) {
        let blog = self.blog
        let postRef: JSONValue = ["$ref": "#/components/schemas/BlogPost"]
        let commentRef: JSONValue = ["$ref": "#/components/schemas/BlogComment"]
        let idParameter: JSONValue = [
            "name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1],
        ]
        web.schema(
            "BlogPost",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "title": ["type": "string", "maxLength": 200],
                    "body": ["type": "string", "description": "Markdown source."],
                    "body_html": ["type": "string", "description": "The body rendered safely."],
                    "excerpt": ["type": "string"], "tags": ["type": "array", "items": ["type": "string"]],
                    "status": ["type": "string", "enum": ["draft", "published"]],
                    "visibility": ["type": "string", "enum": ["public", "members"]],
                    "author": [
                        "type": "object",
                        "properties": [
                            "id": ["type": "integer"], "handle": ["type": "string"],
                            "name": ["type": "string"],
                        ],
                    ],
                    "video": [
                        "type": ["object", "null"],
                        "properties": [
                            "provider": ["type": "string", "enum": ["youtube", "vimeo"]],
                            "id": ["type": "string"],
                            "embed_url": ["type": "string"], "url": ["type": "string"],
                        ],
                    ],
                    "featured": ["type": "boolean"],
                    "featured_at": ["type": ["string", "null"], "format": "date-time"],
                    "views": ["type": "integer"], "comments": ["type": "integer"],
                    "hidden": ["type": "boolean"],
                    "created_at": ["type": "string", "format": "date-time"],
                    "published_at": ["type": ["string", "null"], "format": "date-time"],
                    "edited_at": ["type": ["string", "null"], "format": "date-time"],
                    "url": ["type": "string"],
                ],
                "required": ["id", "title", "status", "author", "views", "url"],
            ])
        web.schema(
            "BlogPostInput",
            [
                "type": "object",
                "properties": [
                    "title": ["type": "string", "maxLength": 200], "body": ["type": "string"],
                    "tags": ["type": "array", "items": ["type": "string"]],
                    "video_url": ["type": "string", "description": "A YouTube or Vimeo page address."],
                    "visibility": ["type": "string", "enum": ["public", "members"]],
                    "status": ["type": "string", "enum": ["draft", "published"]],
                ],
            ])
        web.schema(
            "BlogComment",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "post_id": ["type": "integer"],
                    "parent_id": ["type": ["integer", "null"]],
                    "author": ["type": "object"], "body": ["type": "string"], "body_html": ["type": "string"],
                    "hidden": ["type": "boolean"], "created_at": ["type": "string", "format": "date-time"],
                    "edited_at": ["type": ["string", "null"], "format": "date-time"],
                ],
            ])

        web.api(
            "GET", "/api/v1/blog/posts",
            operation: [
                "summary": "Published blog posts you may read: the network blog, one member's, or one tag's.",
                "operationId": "listBlogPosts", "tags": ["blog"],
                "parameters": [
                    [
                        "name": "sort", "in": "query",
                        "schema": ["type": "string", "enum": ["newest", "views", "featured"]],
                    ],
                    [
                        "name": "author", "in": "query", "schema": ["type": "string"],
                        "description": "A member's handle.",
                    ],
                    ["name": "tag", "in": "query", "schema": ["type": "string"]],
                    [
                        "name": "before", "in": "query", "schema": ["type": "integer"],
                        "description": "The `next` value of the previous page.",
                    ],
                    [
                        "name": "limit", "in": "query",
                        "schema": ["type": "integer", "minimum": 1, "maximum": 100],
                    ],
                ],
                "responses": [
                    "200": [
                        "description": "A page of posts (without bodies).",
                        "content": [
                            "application/json": [
                                "schema": [
                                    "type": "object",
                                    "properties": [
                                        "items": ["type": "array", "items": postRef],
                                        "next": ["type": ["integer", "null"]],
                                    ],
                                ]
                            ]
                        ],
                    ]
                ],
            ]
        ) { ctx in
            let limit = min(100, max(1, ctx.query("limit").flatMap(Int.init) ?? blog.postsPerPage))
            var query = BlogService.PostQuery()
            if let sort = ctx.query("sort") {
                guard let order = BlogService.ListOrder(rawValue: sort) else {
                    throw DomainError.invalid([
                        .init(field: "sort", message: "Use newest, views or featured.")
                    ])
                }
                query.order = order
            }
            if let handle = ctx.query("author") {
                guard let member = try BlogPages.membership(ctx).member(handle: handle) else {
                    throw DomainError.notFound
                }
                query.authorID = member.id
            }
            if let tag = ctx.query("tag") { query.tag = tag.lowercased() }
            var before: Int64?
            if let text = ctx.query("before") {
                guard let value = Int64(text) else {
                    throw DomainError.invalid([.init(field: "before", message: "Must be a post id.")])
                }
                before = value
            }
            let page = try blog.posts(query, viewer: ctx.viewer, limit: limit, before: before)
            return ctx.json([
                "items": .array(page.posts.map { Self.postJSON($0, blog: blog, includeBody: false) }),
                "next": JSONValue(page.nextCursor),
            ])
        }

        web.api(
            "POST", "/api/v1/blog/posts", access: .members,
            operation: [
                "summary": "Write a post (published, or a draft with status \"draft\").",
                "operationId": "createBlogPost",
                "tags": ["blog"], "security": [["bearer": []]],
                "requestBody": OpenAPI.jsonBody(["$ref": "#/components/schemas/BlogPostInput"]),
                "responses": [
                    "201": [
                        "description": "The post.", "content": ["application/json": ["schema": postRef]],
                    ],
                    "422": ["description": "Validation failed; `errors` names the fields."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let input = try Self.input(try ctx.jsonBody(), over: .init(title: "", body: "", publish: true))
            let post = try blog.createPost(input, by: me)
            return ctx.json(Self.postJSON(post, blog: blog), status: .created)
        }

        web.api(
            "GET", "/api/v1/blog/drafts", access: .members,
            operation: [
                "summary": "Your drafts, newest first (no one else sees them).",
                "operationId": "listBlogDrafts",
                "tags": ["blog"], "security": [["bearer": []]],
                "responses": [
                    "200": [
                        "description": "Your drafts.",
                        "content": [
                            "application/json": [
                                "schema": [
                                    "type": "object",
                                    "properties": ["items": ["type": "array", "items": postRef]],
                                ]
                            ]
                        ],
                    ]
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            return ctx.json([
                "items": .array(try blog.drafts(of: me.id).map { Self.postJSON($0, blog: blog) })
            ])
        }

        web.api(
            "GET", "/api/v1/blog/posts/:id",
            operation: [
                "summary": "One post.", "operationId": "getBlogPost", "tags": ["blog"],
                "parameters": [idParameter],
                "responses": [
                    "200": [
                        "description": "The post.", "content": ["application/json": ["schema": postRef]],
                    ],
                    "404": ["description": "No such post, or you may not read it."],
                ],
            ]
        ) { ctx in
            guard let post = try blog.post(id: try ctx.idParameter("id"), viewer: ctx.viewer) else {
                throw DomainError.notFound
            }
            return ctx.json(Self.postJSON(post, blog: blog))
        }

        web.api(
            "PATCH", "/api/v1/blog/posts/:id", access: .members,
            operation: [
                "summary":
                    "Change your post; fields left out keep their value. Set status to \"published\" to publish a draft.",
                "operationId": "updateBlogPost", "tags": ["blog"], "security": [["bearer": []]],
                "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody(["$ref": "#/components/schemas/BlogPostInput"]),
                "responses": [
                    "200": [
                        "description": "The post.", "content": ["application/json": ["schema": postRef]],
                    ],
                    "404": ["description": "No such post of yours."],
                    "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let id = try ctx.idParameter("id")
            guard let post = try blog.post(id: id, viewer: ctx.viewer), post.authorID == me.id else {
                throw DomainError.notFound
            }
            var input = try Self.input(try ctx.jsonBody(), over: BlogService.PostInput(post))
            if post.isPublished && !input.publish {
                throw DomainError.invalid([
                    .init(field: "status", message: "A published post cannot go back to draft.")
                ])
            }
            input.publish = input.publish || post.isPublished
            return ctx.json(Self.postJSON(try blog.updatePost(id: id, input, by: me), blog: blog))
        }

        web.api(
            "DELETE", "/api/v1/blog/posts/:id", access: .members,
            operation: [
                "summary": "Delete a post (its author or an administrator).", "operationId": "deleteBlogPost",
                "tags": ["blog"], "security": [["bearer": []]], "parameters": [idParameter],
                "responses": ["204": ["description": "Deleted."], "403": ["description": "Not yours."]],
            ]
        ) { ctx in
            try blog.deletePost(id: try ctx.idParameter("id"), by: try ctx.requireMember())
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        for method in ["PUT", "DELETE"] {
            let featuring = method == "PUT"
            web.api(
                method, "/api/v1/blog/posts/:id/feature", access: .admins,
                operation: [
                    "summary": featuring
                        ? "Feature a post (administrators)." : "Unfeature a post (administrators).",
                    "operationId": .string(featuring ? "featureBlogPost" : "unfeatureBlogPost"),
                    "tags": ["blog"],
                    "security": [["bearer": []]], "parameters": [idParameter],
                    "responses": [
                        "200": [
                            "description": "The post.", "content": ["application/json": ["schema": postRef]],
                        ],
                        "403": ["description": "Not an administrator."],
                    ],
                ]
            ) { ctx in
                let post = try blog.setFeatured(
                    featuring, postID: try ctx.idParameter("id"), by: try ctx.requireMember())
                return ctx.json(Self.postJSON(post, blog: blog))
            }
        }

        web.api(
            "GET", "/api/v1/blog/posts/:id/comments",
            operation: [
                "summary": "A page of comment threads, oldest first; replies follow their comment.",
                "operationId": "listBlogComments", "tags": ["blog"],
                "parameters": [
                    idParameter,
                    [
                        "name": "after", "in": "query", "schema": ["type": "integer"],
                        "description": "The `next` value of the previous page.",
                    ],
                    [
                        "name": "limit", "in": "query",
                        "schema": ["type": "integer", "minimum": 1, "maximum": 200],
                    ],
                ],
                "responses": [
                    "200": [
                        "description": "Comments.",
                        "content": [
                            "application/json": [
                                "schema": [
                                    "type": "object",
                                    "properties": [
                                        "items": ["type": "array", "items": commentRef],
                                        "next": ["type": ["integer", "null"]],
                                    ],
                                ]
                            ]
                        ],
                    ]
                ],
            ]
        ) { ctx in
            let limit = min(200, max(1, ctx.query("limit").flatMap(Int.init) ?? 50))
            let (threads, next) = try blog.comments(
                on: try ctx.idParameter("id"), viewer: ctx.viewer,
                after: ctx.query("after").flatMap(Int64.init),
                limit: limit)
            let items = threads.flatMap { [$0.comment] + $0.replies }.map(Self.commentJSON)
            return ctx.json(["items": .array(items), "next": JSONValue(next)])
        }

        web.api(
            "POST", "/api/v1/blog/posts/:id/comments", access: .members,
            operation: [
                "summary": "Comment on a post, or reply to a top-level comment with parent_id.",
                "operationId": "createBlogComment", "tags": ["blog"], "security": [["bearer": []]],
                "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": ["body": ["type": "string"], "parent_id": ["type": "integer"]],
                    "required": ["body"],
                ]),
                "responses": [
                    "201": [
                        "description": "The comment.",
                        "content": ["application/json": ["schema": commentRef]],
                    ],
                    "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let body = try ctx.jsonBody()
            guard let text = body["body"]?.stringValue else {
                throw DomainError.invalid([.init(field: "body", message: "Enter your comment.")])
            }
            var parentID: Int64?
            if let parent = body["parent_id"], parent != .null {
                guard let value = parent.intValue else {
                    throw DomainError.invalid([.init(field: "parent_id", message: "Must be a comment id.")]
                    )
                }
                parentID = value
            }
            let comment = try blog.addComment(
                to: try ctx.idParameter("id"), body: text, parentID: parentID, by: me)
            return ctx.json(Self.commentJSON(comment), status: .created)
        }

        web.api(
            "PATCH", "/api/v1/blog/comments/:id", access: .members,
            operation: [
                "summary": "Change your comment.", "operationId": "updateBlogComment", "tags": ["blog"],
                "security": [["bearer": []]], "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody([
                    "type": "object", "properties": ["body": ["type": "string"]], "required": ["body"],
                ]),
                "responses": [
                    "200": [
                        "description": "The comment.",
                        "content": ["application/json": ["schema": commentRef]],
                    ]
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            guard let text = try ctx.jsonBody()["body"]?.stringValue else {
                throw DomainError.invalid([.init(field: "body", message: "Enter your comment.")])
            }
            guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer),
                comment.authorID == me.id
            else { throw DomainError.notFound }
            return ctx.json(Self.commentJSON(try blog.updateComment(id: comment.id, body: text, by: me)))
        }

        web.api(
            "DELETE", "/api/v1/blog/comments/:id", access: .members,
            operation: [
                "summary": "Delete a comment: your own, any on your post, or any as an administrator.",
                "operationId": "deleteBlogComment", "tags": ["blog"], "security": [["bearer": []]],
                "parameters": [idParameter],
                "responses": ["204": ["description": "Deleted."], "403": ["description": "Not allowed."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            guard let comment = try blog.comment(id: try ctx.idParameter("id"), viewer: ctx.viewer) else {
                throw DomainError.notFound
            }
            try blog.deleteComment(id: comment.id, by: me)
            return ctx.respond(HTTPResponse(status: .noContent))
        }
    }
}
