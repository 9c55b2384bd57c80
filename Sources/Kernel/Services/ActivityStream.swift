import Foundation
import Storage

/// Who may see an activity entry. Private, group and hidden content never leaks through the
/// stream: the filter is applied in SQL for every query.
public enum ActivityScope: Sendable, Equatable {
    /// Anyone, signed in or not.
    case `public`
    /// Signed-in members.
    case members
    /// Members of one group.
    case group(Int64)
    /// Only the actor.
    case `private`

    var kind: String {
        switch self {
        case .public: return "public"
        case .members: return "members"
        case .group: return "group"
        case .private: return "private"
        }
    }

    var groupID: Int64? { if case .group(let id) = self { return id } else { return nil } }

    init(kind: String, id: Int64?) {
        switch kind {
        case "public": self = .public
        case "members": self = .members
        case "group": self = .group(id ?? 0)
        default: self = .private
        }
    }
}

/// Who is looking. Group memberships come from the groups module when it is enabled.
public struct Viewer: Sendable, Equatable {
    public var memberID: Int64?
    public var isModerator: Bool
    public var groupIDs: [Int64]

    public init(memberID: Int64?, isModerator: Bool = false, groupIDs: [Int64] = []) {
        self.memberID = memberID
        self.isModerator = isModerator
        self.groupIDs = groupIDs
    }

    public static let anonymous = Viewer(memberID: nil)

    /// A signed-in member, with the groups they belong to when the caller knows them.
    public init(_ member: SignedInMember, groupIDs: [Int64] = []) {
        self.init(memberID: member.id, isModerator: member.isModerator, groupIDs: groupIDs)
    }
}

/// A new activity to record.
public struct NewActivity: Sendable {
    public var module: String
    public var actorID: Int64
    public var actorName: String
    public var actorHandle: String
    /// Machine name of what happened, e.g. "joined", "published".
    public var verb: String
    public var objectKind: String?
    public var objectID: Int64?
    public var objectTitle: String?
    public var objectURL: String?
    public var excerpt: String?
    public var scope: ActivityScope
    /// Where it happened (e.g. a group), whatever its scope: pages of that place list it, and
    /// the place's owner re-scopes or erases its entries through it.
    public var context: ActivityContext?

    public init(
        module: String, actorID: Int64, actorName: String, actorHandle: String, verb: String,
        objectKind: String? = nil, objectID: Int64? = nil, objectTitle: String? = nil,
        objectURL: String? = nil, excerpt: String? = nil, scope: ActivityScope,
        context: ActivityContext? = nil
    ) {
        self.module = module
        self.actorID = actorID
        self.actorName = actorName
        self.actorHandle = actorHandle
        self.verb = verb
        self.objectKind = objectKind
        self.objectID = objectID
        self.objectTitle = objectTitle
        self.objectURL = objectURL
        self.excerpt = excerpt
        self.scope = scope
        self.context = context
    }
}

/// The place an activity happened in, named by its owner: `ActivityContext(kind: "group", id: 7)`.
public struct ActivityContext: Sendable, Equatable, Hashable {
    public var kind: String
    public var id: Int64
    public init(kind: String, id: Int64) {
        self.kind = kind
        self.id = id
    }
}

/// One recorded activity.
public struct ActivityEntry: Sendable, Equatable {
    public var id: Int64
    public var module: String
    public var actorID: Int64
    public var actorName: String
    public var actorHandle: String
    public var verb: String
    public var objectKind: String?
    public var objectID: Int64?
    public var objectTitle: String?
    public var objectURL: String?
    public var excerpt: String?
    public var scope: ActivityScope
    public var createdAt: Date
}

/// Consecutive entries with the same verb and object, shown as one line:
/// "Karen D Honeycutt, Jessica J Lenhart, Erin and 11 more joined".
public struct ActivityGroup: Sendable {
    /// The newest entry; it carries the verb, object and time shown.
    public var lead: ActivityEntry
    /// Distinct actors, newest first (the lead's actor first).
    public var actors: [(id: Int64, name: String, handle: String)]
    /// Entries gathered into this line.
    public var entryCount: Int
}

/// One page of the stream.
public struct ActivityPage: Sendable {
    public var groups: [ActivityGroup]
    /// Pass as `before` to get the next page; nil at the end.
    public var nextCursor: Int64?

    public init(groups: [ActivityGroup], nextCursor: Int64?) {
        self.groups = groups
        self.nextCursor = nextCursor
    }
}

/// Narrows the stream to some actors, one group's scope, or one context.
public struct ActivityFilter: Sendable {
    public var actorIDs: [Int64]?
    public var groupID: Int64?
    public var context: ActivityContext?
    public init(actorIDs: [Int64]? = nil, groupID: Int64? = nil, context: ActivityContext? = nil) {
        self.actorIDs = actorIDs
        self.groupID = groupID
        self.context = context
    }
    public static let all = ActivityFilter()
}

/// The "Latest Activity" stream: modules record what members did; viewers read the latest
/// entries they may see, newest first, with keyset pagination and aggregation.
///
/// ```swift
/// try services.activity.record(NewActivity(module: "membership", actorID: 7, actorName: "Erin",
///     actorHandle: "erin", verb: "joined", scope: .public), in: db)
/// let page = try services.activity.latest(for: .anonymous, limit: 10)
/// ```
public final class ActivityStream: Sendable {
    let database: Database
    private let enabledModules: ReadMostly<[String]>
    /// Bounds the rows one page may scan, so a viewer who may see little cannot make a page
    /// walk the whole table.
    public let scanLimit = 5000

    public init(database: Database, enabledModules: [String] = []) {
        self.database = database
        self.enabledModules = ReadMostly(enabledModules)
    }

    public func setEnabledModules(_ modules: [String]) {
        enabledModules.write { $0 = modules }
    }

    var enabledModuleList: [String] { enabledModules.read { $0 } }

    public static let migrations: [Migration] = [
        Migration(
            owner: "kernel", name: "002_activities",
            sql: """
                CREATE TABLE activities (
                    id INTEGER PRIMARY KEY,
                    module TEXT NOT NULL,
                    actor_id INTEGER NOT NULL,
                    actor_name TEXT NOT NULL,
                    actor_handle TEXT NOT NULL,
                    verb TEXT NOT NULL,
                    object_kind TEXT,
                    object_id INTEGER,
                    object_title TEXT,
                    object_url TEXT,
                    excerpt TEXT,
                    scope_kind TEXT NOT NULL,
                    scope_id INTEGER,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX activities_actor ON activities (actor_id, id);
                CREATE INDEX activities_scope ON activities (scope_kind, scope_id, id);
                CREATE INDEX activities_object ON activities (object_kind, object_id);
                """)
    ]

    /// Applied after the outbox and jobs tables (the kernel's migrations run in list order).
    public static let laterMigrations: [Migration] = [
        // A run of hidden entries (a spam wave held by moderation) made every page walk past
        // them: 9 ms per query with 40,000 hidden at the top of a million. Visible entries and
        // each member's hidden ones get their own partial indexes.
        Migration(
            owner: "kernel", name: "005_activity_visibility_indexes",
            sql: """
                CREATE INDEX activities_shown ON activities (id) WHERE hidden = 0;
                CREATE INDEX activities_hidden_actor ON activities (actor_id, id) WHERE hidden = 1;
                """),
        // The place an entry happened in (a group), so its owner reads, re-scopes and erases the
        // place's entries through the stream instead of keeping its own list of entry ids.
        Migration(
            owner: "kernel", name: "007_activity_context",
            sql: """
                ALTER TABLE activities ADD COLUMN context_kind TEXT;
                ALTER TABLE activities ADD COLUMN context_id INTEGER;
                CREATE INDEX activities_context ON activities (context_kind, context_id, id)
                    WHERE context_kind IS NOT NULL;
                """),
    ]

    /// Records an activity inside the caller's write transaction, so it exists exactly when
    /// the change it describes does.
    @discardableResult
    public func record(_ activity: NewActivity, at date: Date, in db: Connection) throws -> Int64 {
        try db.execute(
            """
            INSERT INTO activities (module, actor_id, actor_name, actor_handle, verb, object_kind,
                object_id, object_title, object_url, excerpt, scope_kind, scope_id, context_kind, context_id,
                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                activity.module, activity.actorID, activity.actorName, activity.actorHandle,
                activity.verb, activity.objectKind, activity.objectID, activity.objectTitle,
                activity.objectURL, activity.excerpt, activity.scope.kind, activity.scope.groupID,
                activity.context?.kind, activity.context?.id, date,
            ])
        return db.lastInsertedRowID
    }

    /// The latest entries `viewer` may see, newest first, aggregated, `limit` lines at most.
    public func latest(
        for viewer: Viewer, limit: Int = 20, before cursor: Int64? = nil, filter: ActivityFilter = .all
    ) throws -> ActivityPage {
        try database.read { db in
            try latest(for: viewer, limit: limit, before: cursor, filter: filter, in: db)
        }
    }

    public func latest(
        for viewer: Viewer, limit: Int, before cursor: Int64?, filter: ActivityFilter, in db: Connection
    ) throws -> ActivityPage {
        let limit = PageSize.clamp(limit, to: 100)
        let modules = enabledModules.read { $0 }
        let parts = Self.visibleQuery(viewer: viewer, modules: modules, filter: filter)
        var groups: [ActivityGroup] = []
        var position = cursor ?? Int64.max
        var scanned = 0
        // Most lines are one entry or a few: read a little more than a page first, and more
        // (four times as much each round) only while entries keep folding into lines. (Each
        // entry read costs ~5,000 instructions to decode: the sidebar's eight lines read 12.)
        var batch = min(500, limit + 4)
        while true {
            var rows = try db.query(parts[0].sql, parts[0].arguments + [position, batch], Self.entry)
            if parts.count > 1 {
                // Both parts come newest first: merged, the first `batch` of the union.
                rows += try db.query(parts[1].sql, parts[1].arguments + [position, batch], Self.entry)
                rows.sort { $0.id > $1.id }
                if rows.count > batch { rows.removeLast(rows.count - batch) }
            }
            for entry in rows {
                scanned += 1
                if var last = groups.last, Self.aggregates(last.lead, entry) {
                    if !last.actors.contains(where: { $0.id == entry.actorID }) {
                        last.actors.append((entry.actorID, entry.actorName, entry.actorHandle))
                    }
                    last.entryCount += 1
                    groups[groups.count - 1] = last
                } else {
                    if groups.count == limit {
                        return ActivityPage(groups: groups, nextCursor: position)
                    }
                    groups.append(
                        ActivityGroup(
                            lead: entry, actors: [(entry.actorID, entry.actorName, entry.actorHandle)],
                            entryCount: 1))
                }
                position = entry.id
            }
            if rows.count < batch { return ActivityPage(groups: groups, nextCursor: nil) }
            if scanned >= scanLimit { return ActivityPage(groups: groups, nextCursor: position) }
            batch = min(500, batch * 4)
        }
    }

    /// Lines gather entries of the same module, verb and object. Entries about different
    /// objects ("published post A", "published post B") stay apart: merging them would lose
    /// what was published.
    static func aggregates(_ a: ActivityEntry, _ b: ActivityEntry) -> Bool {
        a.module == b.module && a.verb == b.verb && a.objectKind == b.objectKind
            && a.objectID == b.objectID
    }

    /// The SQL for entries `viewer` may see, each part ending in `id < ? … LIMIT ?`: one part,
    /// or for a member who is not a moderator, unfiltered, two (visible entries, and their own
    /// hidden ones), each newest first, to be merged.
    static func visibleQuery(viewer: Viewer, modules: [String], filter: ActivityFilter) -> [(
        sql: String, arguments: [any DatabaseValueConvertible]
    )] {
        // The visibility conditions use `+column` so SQLite does not pick the scope or actor
        // index and then sort every visible row: most rows are visible, so walking newest
        // first and stopping at LIMIT is fastest (at 1M rows: ~1 ms instead of ~1 s). Without
        // a filter, `hidden = 0` walks the partial index of visible entries, so hidden ones cost
        // nothing; a filter keeps its own index (it picks few rows).
        let unfiltered = filter.actorIDs == nil && filter.groupID == nil && filter.context == nil
        var filters: [String] = []
        var filterArguments: [any DatabaseValueConvertible] = []
        if let actors = filter.actorIDs {
            filters.append("actor_id IN (SELECT value FROM json_each(?))")
            filterArguments.append(jsonArray(actors.map(String.init)))
        }
        if let group = filter.groupID {
            filters.append("scope_kind = 'group' AND scope_id = ?")
            filterArguments.append(group)
        }
        if let context = filter.context {
            filters.append("context_kind = ? AND context_id = ?")
            filterArguments += [context.kind, context.id] as [any DatabaseValueConvertible]
        }
        let moduleCondition = "+module IN (SELECT value FROM json_each(?))"
        let moduleArgument = jsonArray(modules.map { "\"\($0)\"" })
        let shown = unfiltered ? "hidden = 0" : "+hidden = 0"
        func part(_ conditions: [String], _ arguments: [any DatabaseValueConvertible]) -> (
            sql: String, arguments: [any DatabaseValueConvertible]
        ) {
            let sql = """
                SELECT \(entryColumns)
                FROM activities
                WHERE \((conditions + filters).joined(separator: " AND ")) AND id < ?
                ORDER BY id DESC LIMIT ?
                """
            return (sql, arguments + filterArguments)
        }
        guard let memberID = viewer.memberID else {
            return [part([moduleCondition, "+scope_kind = 'public'", shown], [moduleArgument])]
        }
        let scope = """
            (+scope_kind IN ('public', 'members')
             OR (+scope_kind = 'group' AND +scope_id IN (SELECT value FROM json_each(?)))
             OR +actor_id = ?)
            """
        let scopeArguments: [any DatabaseValueConvertible] = [
            moduleArgument, jsonArray(viewer.groupIDs.map(String.init)), memberID,
        ]
        if viewer.isModerator {
            return [part([moduleCondition, scope], scopeArguments)]
        }
        if !unfiltered {
            // The filter's index drives the walk; visibility is checked row by row. (Split in
            // two, the member's own hidden entries would be looked for among all of theirs.)
            return [
                part([moduleCondition, scope, "(+hidden = 0 OR +actor_id = ?)"], scopeArguments + [memberID])
            ]
        }
        return [
            part([moduleCondition, scope, shown], scopeArguments),
            part(["actor_id = ?", "hidden = 1", moduleCondition], [memberID, moduleArgument]),
        ]
    }

    private static func jsonArray(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    /// The columns ``entry(_:)`` reads, in this order: every query it decodes selects them first.
    static let entryColumns = """
        id, module, actor_id, actor_name, actor_handle, verb, object_kind, object_id,
            object_title, object_url, excerpt, scope_kind, scope_id, created_at
        """

    /// Decodes by position (the order of ``entryColumns``): pages decode dozens of entries
    /// each, and finding 14 columns by name was a tenth of a page's CPU (perf).
    static func entry(_ row: Row) throws -> ActivityEntry {
        ActivityEntry(
            id: try row.value(column: 0), module: try row.value(column: 1), actorID: try row.value(column: 2),
            actorName: try row.value(column: 3), actorHandle: try row.value(column: 4),
            verb: try row.value(column: 5), objectKind: try row.optional(column: 6),
            objectID: try row.optional(column: 7), objectTitle: try row.optional(column: 8),
            objectURL: try row.optional(column: 9), excerpt: try row.optional(column: 10),
            scope: ActivityScope(kind: try row.value(column: 11), id: try row.optional(column: 12)),
            createdAt: try row.value(column: 13))
    }
}
