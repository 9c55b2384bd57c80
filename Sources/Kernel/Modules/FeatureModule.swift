import Storage

/// A feature module: a manifest (data) plus a bootstrap (what it contributes when enabled).
/// The kernel knows no module by name; the `pln` executable lists the compiled-in ones in a
/// ``ModuleRegistry``.
///
/// ```swift
/// struct BlogModule: FeatureModule {
///     static let manifest = ModuleManifest(id: "blog", title: "Blog", summary: "…", dependencies: ["membership"])
///     var migrations: [Migration] { [Migration(owner: "blog", name: "001_posts", sql: "CREATE TABLE …")] }
///     func bootstrap(_ context: ModuleContext) throws { context.navigation(.init(title: "Blogs", path: "/blog")) }
/// }
/// ```
public protocol FeatureModule: Sendable {
    static var manifest: ModuleManifest { get }
    init()
    /// The module's schema history, in order. Run at start-up when the module is enabled.
    var migrations: [Migration] { get }
    /// Tables the module owns, dropped by `pln admin modules purge`.
    var ownedTables: [String] { get }
    /// Views the module publishes for other modules to read (join) in SQL: its read models.
    /// Everything else it owns is private to it. Created by its migrations.
    var readModels: [String] { get }
    /// Contributes routes, navigation, commands, handlers and hooks. Called only when enabled.
    func bootstrap(_ context: ModuleContext) throws
    /// Deletes what this module's own tables hold about the content of `moduleID`, whose data is
    /// being purged (moderation: its cases, reports and content index). Called by
    /// `pln admin modules purge` inside the purge's transaction for every module whose tables
    /// exist, enabled or not, so nothing is left to attach itself to new content.
    func forgetContent(ofModule moduleID: String, in db: Connection) throws
}

extension FeatureModule {
    public var ownedTables: [String] { [] }
    public var readModels: [String] { [] }
    public func forgetContent(ofModule moduleID: String, in db: Connection) throws {}
    public var manifest: ModuleManifest { Self.manifest }
}
