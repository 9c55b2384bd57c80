import Foundation
import Storage

/// The booted kernel: configuration resolved, storage open and migrated, enabled modules
/// bootstrapped in dependency order. Nothing of a disabled module runs.
///
/// ```swift
/// let kernel = try Kernel.boot(config: config, registry: ModuleRegistry([MembershipModule.self]))
/// try kernel.services.jobs.runDue()
/// ```
public final class Kernel: Sendable {
    public let registry: ModuleRegistry
    public let services: Services
    public let context: ModuleContext
    /// Enabled modules, dependencies first.
    public let modules: [any FeatureModule]

    init(registry: ModuleRegistry, services: Services, context: ModuleContext, modules: [any FeatureModule]) {
        self.registry = registry
        self.services = services
        self.context = context
        self.modules = modules
    }

    /// Every migration this binary knows: the kernel's and every compiled-in module's, so a
    /// disabled module's applied migrations are never taken for a newer binary's.
    public static func migrator(for registry: ModuleRegistry) -> Migrator {
        var migrator = Migrator(Services.kernelMigrations)
        for type in registry.modules { migrator.register(contentsOf: type.init().migrations) }
        return migrator
    }

    /// Opens the database of `config` and boots.
    public static func boot(
        config: DeploymentConfig, registry: ModuleRegistry, clock: any Clock = SystemClock(),
        log: Logger = Logger(), migrate: Bool = true
    ) throws -> Kernel {
        let database = try Database(
            location: config.storageLocation,
            configuration: .init(readers: config.readerConnections))
        return try boot(
            config: config, registry: registry, database: database, clock: clock, log: log, migrate: migrate)
    }

    /// Boots on an open database (tests pass a temporary one).
    public static func boot(
        config: DeploymentConfig, registry: ModuleRegistry, database: Database,
        clock: any Clock = SystemClock(),
        log: Logger = Logger(), migrate: Bool = true
    ) throws -> Kernel {
        let types = try registry.resolve(enabled: config.enabledModules)
        let services = Services(config: config, database: database, clock: clock, log: log)
        let migrator = migrator(for: registry)
        if migrate {
            try migrator.migrate(
                database, owners: Set(["kernel"] + types.map { $0.manifest.id }), now: clock.now)
            try restoreIDFloors(in: database)
        } else {
            let status = try migrator.status(of: database)
            if !status.unknown.isEmpty {
                throw StorageError(
                    kind: .migration,
                    message: "the database holds migrations this binary does not know: "
                        + status.unknown.joined(separator: ", "))
            }
        }
        services.activity.setEnabledModules(types.map { $0.manifest.id })
        let context = ModuleContext(services: services)
        services.jobs.register("outbox.deliver") { _ in try services.outbox.deliverDue() }
        if services.outbox.isDeliveryConfigured {
            try services.jobs.schedulePeriodic("outbox.deliver", every: 60)
        }
        try NotificationsSetup.install(in: context)
        var modules: [any FeatureModule] = []
        for type in types {
            let module = type.init()
            context.moduleID = type.manifest.id
            try module.bootstrap(context)
            modules.append(module)
        }
        context.moduleID = ""
        services.notificationCatalog.setReportableKinds(context.reportableKinds)
        if let identity = services.identity {
            MarkdownCache.setMentionPrefix(String(identity.profilePath(handle: "@").dropLast()))
        }
        return Kernel(registry: registry, services: services, context: context, modules: modules)
    }

    public var enabledModuleIDs: [String] { modules.map { $0.manifest.id } }

    /// Deletes every row and table a disabled module owns. Refuses for an enabled module.
    public static func purge(
        moduleID: String, registry: ModuleRegistry, config: DeploymentConfig, database: Database
    )
        throws
    {
        guard let type = registry.module(id: moduleID) else {
            throw ConsoleError.failure(
                "unknown module \"\(moduleID)\"",
                hint: closestMatch(to: moduleID, among: registry.manifests.map(\.id)).map {
                    "did you mean \"\($0)\"?"
                })
        }
        guard !config.enabledModules.contains(moduleID) else {
            throw ConsoleError.failure(
                "module \"\(moduleID)\" is enabled: its data cannot be purged",
                hint: "disable it in the config script first")
        }
        let module = type.init()
        try database.withWriter { db in
            // Foreign keys off while dropping, so the order of the module's tables does not matter.
            try db.executeScript("PRAGMA foreign_keys = OFF")
            defer { try? db.executeScript("PRAGMA foreign_keys = ON") }
            try db.execute("BEGIN IMMEDIATE")
            do {
                let installed = Set(
                    try db.query("SELECT DISTINCT owner FROM pln_migrations") {
                        try $0.value("owner") as String
                    })
                // Views first: they read the tables, and the module's migrations create them again.
                for view in module.readModels {
                    try db.executeScript(
                        "DROP VIEW IF EXISTS \"\(view.replacingOccurrences(of: "\"", with: ""))\"")
                }
                for table in module.ownedTables {
                    let name = table.replacingOccurrences(of: "\"", with: "")
                    guard
                        try db.scalar(
                            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [name],
                            as: Int.self) != nil
                    else { continue }
                    try rememberIDFloor(of: name, in: db)
                    try db.executeScript("DROP TABLE \"\(name)\"")
                }
                try db.execute("DELETE FROM activities WHERE module = ?", [moduleID])
                try Notifications.forgetContent(ofModule: moduleID, in: db)
                try Likes.forgetContent(ofModule: moduleID, in: db)
                try SQLiteSearchIndex().removeAll(module: moduleID, in: db)
                for other in registry.modules
                where other.manifest.id != moduleID && installed.contains(other.manifest.id) {
                    try other.init().forgetContent(ofModule: moduleID, in: db)
                }
                try db.execute("DELETE FROM pln_migrations WHERE owner = ?", [moduleID])
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Keeps, in `kernel_state`, the highest id a table being dropped has handed out: when the
    /// module is enabled again its tables start above it (``restoreIDFloors(in:)``), so old
    /// links, audit entries and mail never point at new content.
    static func rememberIDFloor(of table: String, in db: Connection) throws {
        let highest = try db.highestIDEverUsed(in: table)
        guard highest > 0 else { return }
        let key = "id_floor:" + table
        let known = try db.scalar("SELECT value FROM kernel_state WHERE key = ?", [key], as: String.self)
            .flatMap { Int64($0) }
        try db.execute(
            "INSERT OR REPLACE INTO kernel_state (key, value) VALUES (?, ?)",
            [key, String(max(highest, known ?? 0))])
    }

    /// Raises the next id of every re-created table to its remembered floor (see
    /// ``rememberIDFloor(of:in:)``); run after migrations.
    static func restoreIDFloors(in database: Database) throws {
        try database.write { db in
            let floors = try db.query("SELECT key, value FROM kernel_state WHERE key LIKE 'id_floor:%'") {
                row in
                (
                    table: String((try row.value("key") as String).dropFirst("id_floor:".count)),
                    floor: Int64(try row.value("value") as String) ?? 0
                )
            }
            for (table, floor) in floors { try db.raiseNextID(of: table, above: floor) }
        }
    }
}

extension Kernel {
    /// Runs each module's ``ModuleContext/whenServing(_:)`` work in turn (`pln serve` does, on a
    /// background thread, once it takes requests), logging how long each took or why it failed.
    public func runServingHooks(log: Logger) {
        for hook in context.servingHooks {
            let start = Date()
            do {
                try hook.run()
                log.info(
                    "warmed up",
                    ["module": hook.module, "ms": String(Int(Date().timeIntervalSince(start) * 1000))])
            } catch {
                log.warning("warm-up failed", ["module": hook.module, "error": "\(error)"])
            }
        }
    }
}
