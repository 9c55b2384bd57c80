import HTTP
import Kernel

/// Serves a group's picture to whoever may see the group.
///
/// ```swift
/// let images = ImagePages(groups: groups)
/// web.pages("/groups") { pages in pages.get("/:slug/image", use: images.show) }
/// ```
struct ImagePages: Sendable {
    let groups: GroupsService

    func register(_ web: inout WebContributions) {
        web.pages("/groups") { pages in
            pages.get("/:slug/image", use: show)
        }
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let (group, _) = try groups.visibleGroup(slug: try ctx.parameter("slug"), for: ctx.member)
        guard let image = try groups.image(groupID: group.id) else { throw DomainError.notFound }
        var response = HTTPResponse.bytes(image.bytes, contentType: image.type)
        response.headers.add(
            "Cache-Control", group.visibility == .public ? "public, max-age=300" : "private, max-age=300")
        return response
    }
}
