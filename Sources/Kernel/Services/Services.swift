import Foundation
import Storage

/// The shared services every module reaches through one container. Tests build it with a
/// ``FixedClock`` and a temporary database.
///
/// ```swift
/// let services = try Services(config: config, database: db, clock: FixedClock())
/// try services.database.write { db in try services.activity.record(…, at: services.clock.now, in: db) }
/// ```
public final class Services: Sendable {
    public let config: DeploymentConfig
    public let database: Database
    public let clock: any Clock
    public let log: Logger
    public let events: EventBus
    public let activity: ActivityStream
    public let outbox: Outbox
    public let jobs: JobScheduler
    /// The kinds and hooks the notifications service uses (``notifications``).
    public let notificationCatalog = NotificationCatalog()
    /// The search index modules feed (``SearchService``).
    public let search: SearchService
    /// The network's public address (`network.base_url`) without a trailing slash: links in
    /// mail, feeds, calendars and badges start with it.
    public let baseURL: String
    private let extras = ReadMostly<[ObjectIdentifier: any Sendable]>([:])

    public init(
        config: DeploymentConfig, database: Database, clock: any Clock = SystemClock(), log: Logger = Logger()
    ) {
        self.config = config
        self.database = database
        self.clock = clock
        self.log = log
        events = EventBus(log: log)
        activity = ActivityStream(database: database, enabledModules: config.enabledModules)
        let command = config.strings("mail", "sendmail")
        outbox = Outbox(
            database: database, clock: clock, sendmailCommand: command.isEmpty ? nil : command,
            fromAddress: config.string("mail", "from"))
        jobs = JobScheduler(database: database, clock: clock, log: log)
        var base = config.string("network", "base_url")
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        search = SearchService(
            database: database,
            backend: database.dialect == .postgres
                ? PostgresSearchIndex() as any SearchBackend : SQLiteSearchIndex(), log: log)
        search.use { [extras] in extras.read { $0[ObjectIdentifier(IdentityBox.self)] as? IdentityBox } }
        events.onWrite(ContentEvent.self) { [search] event, db in try search.contentChanged(event, in: db) }
    }

    /// The absolute URL of a path on this network, for places a relative link does not work
    /// (mail, feeds, calendars, badges): `link("/blog/7")` is "https://pln.example.org/blog/7".
    public func link(_ path: String) -> String {
        path.isEmpty || path.hasPrefix("/") ? baseURL + path : baseURL + "/" + path
    }

    /// Registers a service a module offers to the modules that depend on it.
    public func provide<S: Sendable>(_ service: S, as type: S.Type = S.self) {
        extras.write { $0[ObjectIdentifier(type)] = service }
    }

    /// A service some module provided, or nil when that module is not enabled.
    public func service<S: Sendable>(_ type: S.Type) -> S? {
        extras.read { $0[ObjectIdentifier(type)] as? S }
    }

    /// The kernel's own migrations.
    public static let kernelMigrations: [Migration] =
        [
            Migration(
                owner: "kernel", name: "001_settings",
                sql: "CREATE TABLE kernel_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        ]
        + ActivityStream.migrations + Outbox.migrations + JobScheduler.migrations
        + ActivityStream.laterMigrations + Outbox.laterMigrations
        + NotificationSchema.migrations + Likes.migrations
        + SQLiteSearchIndex.migrations.map {
            $0.name == "008_search" ? $0.withPostgres(PostgresSearchSchema.migration) : $0
        } + [
            NotificationSchema.fanoutProgress, NotificationSchema.coveringUnreadIndex,
            SQLiteSearchIndex.documentLength,
        ]
}
