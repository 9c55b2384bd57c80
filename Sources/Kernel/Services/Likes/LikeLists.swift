import Foundation
import Storage

/// Likes for lists of items and the full "who liked it" list.
extension Likes {
    /// Summaries of many items of one kind at once (two queries), for a page that already shows
    /// the viewer these items: it checks no visibility itself. Items nobody liked are absent.
    ///
    /// ```swift
    /// let likes = try services.likes.summaries(module: "blog", kind: "blog_comment", ids: ids, viewerID: me?.id)
    /// ```
    public func summaries(module: String, kind: String, ids: [Int64], viewerID: Int64?) throws -> [Int64:
        Summary]
    {
        guard !ids.isEmpty else { return [:] }
        return try services.database.read { db in
            try summaries(module: module, kind: kind, ids: ids, viewerID: viewerID, in: db)
        }
    }

    func summaries(module: String, kind: String, ids: [Int64], viewerID: Int64?, in db: Connection) throws
        -> [Int64: Summary]
    {
        var result: [Int64: Summary] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 400).map({ Array(ids[$0..<min($0 + 400, ids.count)]) }
        ) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let arguments: [any DatabaseValueConvertible] = [viewerID ?? 0, module, kind] + chunk
            try db.forEach(
                """
                SELECT content_id, count(*) AS likes, max(CASE WHEN member_id = ? THEN 1 ELSE 0 END) AS mine FROM likes
                WHERE module = ? AND kind = ? AND content_id IN (\(marks)) GROUP BY content_id
                """, arguments
            ) { row in
                let id: Int64 = try row.value("content_id")
                result[id] = Summary(
                    count: try row.value("likes"), likedByViewer: try row.value("mine") as Bool, latest: [])
            }
            try db.forEach(
                """
                SELECT content_id, member_id, member_name, member_handle FROM (
                    SELECT content_id, member_id, member_name, member_handle,
                        row_number() OVER (PARTITION BY content_id ORDER BY created_at DESC, member_id DESC) AS place
                    FROM likes WHERE module = ? AND kind = ? AND content_id IN (\(marks))) AS ranked
                WHERE place <= 3 ORDER BY content_id, place
                """, [module, kind] + chunk
            ) { row in
                let id: Int64 = try row.value("content_id")
                result[id]?.latest.append(
                    NotificationActor(
                        id: try row.value("member_id"), name: try row.value("member_name"),
                        handle: try row.value("member_handle")))
            }
        }
        return result
    }

    /// Everyone who likes `content`, the latest first (a page of `limit` from `offset`), for a
    /// viewer who may see it; not found otherwise.
    public func likers(
        _ content: ContentReference, viewer: SignedInMember?, limit: Int = 100, offset: Int = 0
    )
        throws -> [NotificationActor]
    {
        _ = try summary(content, viewer: viewer)
        return try services.database.read { db in
            try db.query(
                """
                SELECT member_id, member_name, member_handle FROM likes WHERE module = ? AND kind = ? AND content_id = ?
                ORDER BY created_at DESC, member_id DESC LIMIT ? OFFSET ?
                """, [content.module, content.kind, content.id, limit, offset]
            ) { row in
                NotificationActor(
                    id: try row.value("member_id"), name: try row.value("member_name"),
                    handle: try row.value("member_handle"))
            }
        }
    }
}
