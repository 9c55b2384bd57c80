import Foundation
import Kernel

/// The service's side of view counts: the number a page shows, and counting a page view.
extension BlogService {
    /// The number a page shows: stored views plus those counted since the last flush.
    public func liveViews(of post: BlogPost) -> Int64 {
        post.storedViews + views.pending(for: post.id, after: post.viewGeneration)
    }

    /// Counts a page view (see ``ViewCounter``). Never throws: a failed count must not fail the page.
    @discardableResult
    public func recordView(of post: BlogPost, viewer: ViewCounter.ViewerKey, userAgent: String) -> Bool {
        guard post.status == .published else { return false }
        do {
            return try views.record(
                postID: post.id, authorID: post.authorID, viewer: viewer, userAgent: userAgent)
        } catch {
            services.log.error("blog view not counted", ["post": String(post.id), "error": "\(error)"])
            return false
        }
    }
}

extension ViewCounter.ViewerKey {
    /// Who is asking for a page: a signed-in member by id, anyone else by address and User-Agent.
    init(_ ctx: RequestContext) {
        if let member = ctx.member {
            self = .member(member.id)
        } else {
            self = .visitor(
                address: ctx.request.remoteAddress, userAgent: ctx.request.headers["User-Agent"] ?? "")
        }
    }
}
