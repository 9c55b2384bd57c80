import Foundation
import Kernel
import Storage

/// The blog's part of a member's digest: posts published since their last digest that they may
/// read (not their own, not hidden).
extension BlogService {
    static let digestItemLimit = 10

    func digestSection(memberID: Int64, since: Date, in db: Connection) throws -> DigestSection? {
        let ids = try db.query(
            """
            SELECT id FROM blog_posts WHERE status = 'published' AND hidden = 0 AND published_at > ? AND author_id <> ?
            ORDER BY published_at DESC, id DESC LIMIT 50
            """, [since, memberID]
        ) { try $0.value(column: 0) as Int64 }
        let viewer = Viewer(memberID: memberID)
        var items: [DigestItem] = []
        for id in ids where items.count < Self.digestItemLimit {
            // The reader's own rules: members-only posts, suspended authors.
            guard let post = try post(id: id, viewer: viewer, countingComments: false, in: db),
                post.isPublished,
                !post.isHidden
            else { continue }
            items.append(DigestItem(text: "“\(post.title)” by \(post.authorName)", link: post.path))
        }
        return items.isEmpty ? nil : DigestSection(title: "New on the blog", items: items)
    }
}
