import Kernel
import Storage

/// Groups: the partnership's working groups, with discussions.
public struct GroupsModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "groups", title: "Groups",
        summary: "Strategic groups, clusters and subject networks, with discussions.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "who_can_create", type: .choice(["members", "admins"]), default: .string("members"),
                doc: "Who may create groups."),
            .init(
                name: "categories", type: .list(.string),
                default: .list(["Strategic group", "Cluster", "School", "Business managers", "Interest"].map(SettingValue.string)),
                doc: "Categories a group can be filed under."),
        ])

    public init() {}

    public var migrations: [Migration] { [] }

    public func bootstrap(_ context: ModuleContext) throws {}
}
