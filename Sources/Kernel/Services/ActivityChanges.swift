import Foundation
import Storage

/// Which recorded entries a change applies to: entries about one object or a set of objects,
/// by one actor, or in one context, narrowed by module and verb. Modules name their content
/// by kind and id; the stream owns the rows.
///
/// ```swift
/// try services.activity.deleteEntries(.objects("blog_comment", ids: commentIDs).inModule("blog"), in: db)
/// try services.activity.deleteEntries(.actor(memberID).inModule("cpd").excludingVerbs("offered"), in: db)
/// ```
public struct ActivitySelection: Sendable {
    public var module: String?
    public var objectKind: String?
    public var objectIDs: [Int64]?
    public var actorID: Int64?
    public var verbs: [String]?
    public var excludedVerbs: [String] = []
    public var context: ActivityContext?

    public init(
        module: String? = nil, objectKind: String? = nil, objectIDs: [Int64]? = nil, actorID: Int64? = nil,
        verbs: [String]? = nil, excludedVerbs: [String] = [], context: ActivityContext? = nil
    ) {
        self.module = module
        self.objectKind = objectKind
        self.objectIDs = objectIDs
        self.actorID = actorID
        self.verbs = verbs
        self.excludedVerbs = excludedVerbs
        self.context = context
    }

    /// Entries about one piece of content.
    public static func object(_ kind: String, id: Int64) -> ActivitySelection {
        ActivitySelection(objectKind: kind, objectIDs: [id])
    }

    /// Entries about several pieces of content of one kind (e.g. every comment of a post).
    public static func objects(_ kind: String, ids: [Int64]) -> ActivitySelection {
        ActivitySelection(objectKind: kind, objectIDs: ids)
    }

    /// Entries whose actor is this member.
    public static func actor(_ memberID: Int64) -> ActivitySelection { ActivitySelection(actorID: memberID) }

    /// Entries that happened in this place.
    public static func context(_ context: ActivityContext) -> ActivitySelection {
        ActivitySelection(context: context)
    }

    /// Every entry a module recorded (its data is being purged).
    public static func module(_ module: String) -> ActivitySelection { ActivitySelection(module: module) }

    public func inModule(_ module: String) -> ActivitySelection {
        var copy = self
        copy.module = module
        return copy
    }

    public func by(actor memberID: Int64) -> ActivitySelection {
        var copy = self
        copy.actorID = memberID
        return copy
    }

    public func verbs(_ verbs: String...) -> ActivitySelection {
        var copy = self
        copy.verbs = verbs
        return copy
    }

    public func excludingVerbs(_ verbs: String...) -> ActivitySelection {
        var copy = self
        copy.excludedVerbs = verbs
        return copy
    }

    /// The WHERE clause and its arguments; nil when the selection can match nothing (an empty
    /// set of ids). Every selection names at least one of module, object, actor or context, so
    /// a change never reaches the whole stream by accident.
    func condition() -> (sql: String, arguments: [any DatabaseValueConvertible])? {
        if let ids = objectIDs, ids.isEmpty { return nil }
        if let verbs, verbs.isEmpty { return nil }
        var terms: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let objectKind {
            terms.append("object_kind = ?")
            arguments.append(objectKind)
        }
        if let ids = objectIDs {
            if ids.count == 1 {
                terms.append("object_id = ?")
                arguments.append(ids[0])
            } else {
                terms.append("object_id IN (SELECT value FROM json_each(?))")
                arguments.append("[" + ids.map(String.init).joined(separator: ",") + "]")
            }
        }
        if let actorID {
            terms.append("actor_id = ?")
            arguments.append(actorID)
        }
        if let context {
            terms.append("context_kind = ? AND context_id = ?")
            arguments += [context.kind, context.id] as [any DatabaseValueConvertible]
        }
        if let module {
            terms.append("module = ?")
            arguments.append(module)
        }
        precondition(!terms.isEmpty, "an activity selection names a module, an object, an actor or a context")
        if let verbs {
            terms.append("verb IN (SELECT value FROM json_each(?))")
            arguments.append(Self.jsonStrings(verbs))
        }
        if !excludedVerbs.isEmpty {
            terms.append("verb NOT IN (SELECT value FROM json_each(?))")
            arguments.append(Self.jsonStrings(excludedVerbs))
        }
        return (terms.joined(separator: " AND "), arguments)
    }

    private static func jsonStrings(_ items: [String]) -> String {
        JSONValue.array(items.map { .string($0) }).jsonText()
    }
}

/// New values for the stored copies of an object's title, excerpt, link and scope, or of an
/// actor's name and handle. Nil leaves a column as it is.
public struct ActivityUpdate: Sendable {
    public var objectTitle: String?
    public var excerpt: String?
    public var objectURL: String?
    /// Clears the link (the object is gone, e.g. an erased member's profile).
    public var removesObjectURL: Bool
    public var scope: ActivityScope?
    public var actorName: String?
    public var actorHandle: String?

    public init(
        objectTitle: String? = nil, excerpt: String? = nil, objectURL: String? = nil,
        removesObjectURL: Bool = false,
        scope: ActivityScope? = nil, actorName: String? = nil, actorHandle: String? = nil
    ) {
        self.objectTitle = objectTitle
        self.excerpt = excerpt
        self.objectURL = objectURL
        self.removesObjectURL = removesObjectURL
        self.scope = scope
        self.actorName = actorName
        self.actorHandle = actorHandle
    }
}

extension ActivityContext {
    /// A group of the groups module.
    public static func group(_ id: Int64) -> ActivityContext { ActivityContext(kind: "group", id: id) }
}

/// Changes to recorded entries, each inside the caller's write transaction: hiding and showing
/// (moderation), erasing (deleted content, erased accounts), refreshing stored copies (edits).
extension ActivityStream {
    /// Hides (or shows again) every entry about an object — for moderation.
    public func setHidden(_ hidden: Bool, objectKind: String, objectID: Int64, in db: Connection) throws {
        try setHidden(hidden, .object(objectKind, id: objectID), in: db)
    }

    /// Hides (or shows again) every entry by one actor — for suspensions.
    public func setHidden(_ hidden: Bool, actorID: Int64, in db: Connection) throws {
        try setHidden(hidden, .actor(actorID), in: db)
    }

    /// Hides (or shows again) the selected entries.
    public func setHidden(_ hidden: Bool, _ selection: ActivitySelection, in db: Connection) throws {
        guard let condition = selection.condition() else { return }
        try db.execute(
            "UPDATE activities SET hidden = ? WHERE \(condition.sql)",
            [hidden as any DatabaseValueConvertible] + condition.arguments)
    }

    /// Deletes every entry about an object (it was deleted).
    public func deleteEntries(objectKind: String, objectID: Int64, in db: Connection) throws {
        try deleteEntries(.object(objectKind, id: objectID), in: db)
    }

    /// Deletes the selected entries.
    public func deleteEntries(_ selection: ActivitySelection, in db: Connection) throws {
        guard let condition = selection.condition() else { return }
        try db.execute("DELETE FROM activities WHERE \(condition.sql)", condition.arguments)
    }

    /// Rewrites the stored copies in the selected entries (a post's new title, a comment's new
    /// text, a group's new visibility, a member's new name).
    public func update(_ selection: ActivitySelection, _ update: ActivityUpdate, in db: Connection) throws {
        var assignments: [String] = []
        var values: [any DatabaseValueConvertible] = []
        func set(_ column: String, _ value: any DatabaseValueConvertible) {
            assignments.append("\(column) = ?")
            values.append(value)
        }
        if let title = update.objectTitle { set("object_title", title) }
        if let excerpt = update.excerpt { set("excerpt", excerpt) }
        if update.removesObjectURL {
            set("object_url", String?.none)
        } else if let url = update.objectURL {
            set("object_url", url)
        }
        if let scope = update.scope {
            set("scope_kind", scope.kind)
            set("scope_id", scope.groupID)
        }
        if let name = update.actorName { set("actor_name", name) }
        if let handle = update.actorHandle { set("actor_handle", handle) }
        guard !assignments.isEmpty, let condition = selection.condition() else { return }
        try db.execute(
            "UPDATE activities SET \(assignments.joined(separator: ", ")) WHERE \(condition.sql)",
            values + condition.arguments)
    }

    /// Files existing entries under a context, by entry id (a module moving its own list of
    /// entry ids into the stream, in a migration).
    public static func assign(_ context: ActivityContext, toEntries ids: [Int64], in db: Connection) throws {
        guard !ids.isEmpty else { return }
        try db.execute(
            """
            UPDATE activities SET context_kind = ?, context_id = ?
            WHERE id IN (SELECT value FROM json_each(?))
            """, [context.kind, context.id, "[" + ids.map(String.init).joined(separator: ",") + "]"])
    }

    /// The newest entries `viewer` may see, one by one (not gathered into lines): for pages that
    /// word entries their own way, such as a group's activity.
    public func entries(for viewer: Viewer, filter: ActivityFilter, limit: Int) throws -> [ActivityEntry] {
        let limit = max(1, min(limit, 100))
        let parts = Self.visibleQuery(viewer: viewer, modules: enabledModuleList, filter: filter)
        return try database.read { db in
            var rows: [ActivityEntry] = []
            for part in parts {
                rows += try db.query(part.sql, part.arguments + [Int64.max, limit], Self.entry)
            }
            rows.sort { $0.id > $1.id }
            return Array(rows.prefix(limit))
        }
    }
}
