import Foundation
import Storage

/// Likes on content (blog posts, comments, statuses, discussions, replies): one kernel table
/// keyed by the content reference. A member may like only what they may see and what is not
/// hidden (the content's reportable kind decides, as for notifications); the author hears of
/// likes through one grouped notification ("Ben and 4 others liked your …").
///
/// ```swift
/// let summary = try services.likes.like(ContentReference(module: "blog", kind: "blog_post", id: 7), by: me)
/// summary.count   // 5
/// ```
public struct Likes: Sendable {
    let services: Services

    /// How a piece of content stands: its like count, whether the viewer likes it, the latest likers.
    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var likedByViewer: Bool
        public var latest: [NotificationActor]
    }

    static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "012_likes",
            sql: """
                CREATE TABLE likes (
                    module TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    content_id INTEGER NOT NULL,
                    member_id INTEGER NOT NULL,
                    member_name TEXT NOT NULL,
                    member_handle TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (module, kind, content_id, member_id)
                );
                CREATE INDEX likes_by_member ON likes (member_id);
                CREATE INDEX likes_latest ON likes (module, kind, content_id, created_at);
                """)
    ]

    /// Likes `content` for `member` (again is a no-op) and notifies its author.
    @discardableResult
    public func like(_ content: ContentReference, by member: SignedInMember) throws -> Summary {
        try member.requireMayWrite()
        return try services.database.write { db in
            let item = try visibleItem(content, for: member, in: db)
            try db.execute(
                """
                INSERT INTO likes (module, kind, content_id, member_id, member_name, member_handle, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [
                    content.module, content.kind, content.id, member.id, member.name, member.handle,
                    services.clock.now,
                ])
            if db.changes > 0, let authorID = item.authorID {
                let kind = services.notificationCatalog.reportable(content)?.title ?? "post"
                try services.notifications.publish(
                    NewNotification(
                        recipientID: authorID, kind: NotificationKind.like.id,
                        actor: NotificationActor(member),
                        subject: content, text: "liked your \(kind)", link: item.url), in: db)
            }
            return try summary(content, viewerID: member.id, in: db)
        }
    }

    /// Takes the member's like back.
    @discardableResult
    public func unlike(_ content: ContentReference, by member: SignedInMember) throws -> Summary {
        try services.database.write { db in
            _ = try visibleItem(content, for: member, in: db)
            try db.execute(
                "DELETE FROM likes WHERE module = ? AND kind = ? AND content_id = ? AND member_id = ?",
                [content.module, content.kind, content.id, member.id])
            return try summary(content, viewerID: member.id, in: db)
        }
    }

    /// The count, the viewer's like and the latest likers; not found for content the viewer may not see.
    public func summary(_ content: ContentReference, viewer: SignedInMember?) throws -> Summary {
        try services.database.read { db in
            if let viewer {
                _ = try visibleItem(content, for: viewer, in: db)
            } else {
                try requirePublic(content, in: db)
            }
            return try summary(content, viewerID: viewer?.id, in: db)
        }
    }

    func summary(_ content: ContentReference, viewerID: Int64?, in db: Connection) throws -> Summary {
        let arguments: [any DatabaseValueConvertible] = [content.module, content.kind, content.id]
        let count =
            try db.scalar(
                "SELECT count(*) FROM likes WHERE module = ? AND kind = ? AND content_id = ?", arguments,
                as: Int.self)
            ?? 0
        let liked =
            try viewerID.map {
                try db.scalar(
                    "SELECT 1 FROM likes WHERE module = ? AND kind = ? AND content_id = ? AND member_id = ?",
                    arguments + [$0], as: Int.self) != nil
            } ?? false
        let latest = try db.query(
            """
            SELECT member_id, member_name, member_handle FROM likes WHERE module = ? AND kind = ? AND content_id = ?
            ORDER BY created_at DESC LIMIT 20
            """, arguments
        ) { row in
            NotificationActor(
                id: try row.value("member_id"), name: try row.value("member_name"),
                handle: try row.value("member_handle"))
        }
        return Summary(count: count, likedByViewer: liked, latest: latest)
    }

    /// The item, when the member may see it and it is not hidden; otherwise not found.
    private func visibleItem(_ content: ContentReference, for member: SignedInMember, in db: Connection)
        throws
        -> ReportableItem
    {
        guard let kind = services.notificationCatalog.reportable(content),
            let item = try kind.lookup(content.id, db), !item.isHidden,
            try kind.isVisible(content.id, member, db)
        else { throw DomainError.notFound }
        return item
    }

    /// For visitors: only content anyone may see (a member id of 0 sees what is public).
    private func requirePublic(_ content: ContentReference, in db: Connection) throws {
        _ = try visibleItem(content, for: SignedInMember(id: 0, handle: "", name: "", role: .member), in: db)
    }

    // MARK: Personal data

    public func export(memberID: Int64, in db: Connection) throws -> JSONValue {
        .array(
            try db.query(
                "SELECT module, kind, content_id, created_at FROM likes WHERE member_id = ? ORDER BY created_at",
                [memberID]
            ) { row -> JSONValue in
                [
                    "module": .string(try row.value("module")), "kind": .string(try row.value("kind")),
                    "id": .int(try row.value("content_id")),
                    "liked_at": JSONValue(try row.value("created_at") as Date),
                ]
            })
    }

    public func erase(memberID: Int64, in db: Connection) throws {
        try db.execute("DELETE FROM likes WHERE member_id = ?", [memberID])
    }

    /// Forgets likes of a purged module's content.
    public static func forgetContent(ofModule moduleID: String, in db: Connection) throws {
        try db.execute("DELETE FROM likes WHERE module = ?", [moduleID])
    }
}

extension Services {
    /// The likes service (see ``Likes``).
    public var likes: Likes { Likes(services: self) }
}
