import Kernel
import Storage

/// Moderation: Report an Issue, one review queue, actions with an audit log.
public struct ModerationModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "moderation", title: "Moderation",
        summary: "Report an Issue, one review queue, actions with an audit log, approval and spam controls.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "premoderate_first_posts", type: .int(min: 0, max: 100), default: .int(0),
                doc: "A new member's first N posts wait for approval (0: none)."),
            .init(
                name: "premoderate_modules", type: .list(.string), default: .list([]),
                doc: "Modules in which every post waits for approval."),
        ])

    public init() {}

    public var migrations: [Migration] { [] }

    public func bootstrap(_ context: ModuleContext) throws {}
}
