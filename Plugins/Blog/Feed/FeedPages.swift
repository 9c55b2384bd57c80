import Foundation
import HTTP
import Kernel

/// The feeds: the network blog, each member's blog and each tag. Feeds are public documents,
/// so they list what an anonymous visitor may read: published, public, not hidden.
///
/// ```swift
/// FeedPages(blog: blog).register(&web)   // GET /blog/feed.atom, /blog/members/:handle/feed.atom, …
/// ```
struct FeedPages: Sendable {
    let blog: BlogService
    static let entries = 20

    func register(_ web: inout WebContributions) {
        web.pages("/blog") { pages in
            pages.get("/feed.atom", use: network)
            pages.get("/members/:handle/feed.atom", use: member)
            pages.get("/tags/:tag/feed.atom", use: tag)
        }
    }

    @Sendable func network(_ ctx: RequestContext) throws -> HTTPResponse {
        let posts = try blog.posts(.init(order: .newest), viewer: .anonymous, limit: Self.entries).posts
        let base = blog.services.baseURL
        return Self.respond(
            AtomFeed(
                title: "\(ctx.shell.networkName) — Blog", id: base + "/blog",
                selfURL: base + "/blog/feed.atom",
                pageURL: base + "/blog", base: base, updated: blog.now, posts: posts), ctx)
    }

    @Sendable func member(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let member = try blog.person(handle: try ctx.parameter("handle")),
            member.status == .active
        else { throw DomainError.notFound }
        let posts = try blog.posts(.init(authorID: member.id), viewer: .anonymous, limit: Self.entries)
            .posts
        let base = blog.services.baseURL
        let path = "/blog/members/\(member.handle)"
        return Self.respond(
            AtomFeed(
                title: "\(member.name)’s blog — \(ctx.shell.networkName)", id: base + path,
                selfURL: base + path + "/feed.atom", pageURL: base + path, base: base, updated: blog.now,
                posts: posts), ctx)
    }

    @Sendable func tag(_ ctx: RequestContext) throws -> HTTPResponse {
        let tag = try ctx.parameter("tag").lowercased()
        let posts = try blog.posts(.init(tag: tag), viewer: .anonymous, limit: Self.entries).posts
        let base = blog.services.baseURL
        let path = "/blog/tags/\(PercentDecoding.encode(tag))"
        return Self.respond(
            AtomFeed(
                title: "Blog posts tagged “\(tag)” — \(ctx.shell.networkName)", id: base + path,
                selfURL: base + path + "/feed.atom", pageURL: base + path, base: base, updated: blog.now,
                posts: posts), ctx)
    }

    static func respond(_ feed: AtomFeed, _ ctx: RequestContext) -> HTTPResponse {
        var response = HTTPResponse.bytes(
            Array(feed.xml.utf8), contentType: "application/atom+xml; charset=utf-8")
        response.headers.add("Cache-Control", "public, max-age=300")
        return ctx.respond(response)
    }
}
