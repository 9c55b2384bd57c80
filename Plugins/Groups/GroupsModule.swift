import Kernel
import Membership
import Storage

/// Groups: the partnership's working groups, with discussions.
///
/// ```swift
/// let registry = ModuleRegistry([MembershipModule.self, GroupsModule.self])
/// // config/pln.star: modules(enabled = ["membership", "groups"])
/// ```
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
                default: .list(
                    ["Strategic group", "Cluster", "School", "Business managers", "Interest"].map(
                        SettingValue.string)),
                doc: "Categories a group can be filed under.", constraint: .all(.each(.label), .distinct)),
        ])

    public init() {}

    public var migrations: [Migration] { GroupsSchema.migrations }

    public var ownedTables: [String] { GroupsSchema.tables }

    public func bootstrap(_ context: ModuleContext) throws {
        guard let membership = context.services.service(MembershipService.self) else {
            throw GroupsSetupError(
                message: "the groups module needs the membership module, which is not running")
        }
        let groups = GroupsService(services: context.services, membership: membership)
        context.seeder(order: 20) { seed in try GroupsSeeder.seed(seed, groups: groups) }
        context.services.provide(groups)
        GroupNotifications.register(context.services, groups: groups)
        context.stylesheet(GroupsStyles.css)
        context.services.provide(GroupScopesBox(groups))
        context.navigation(NavigationEntry(title: "Groups", path: "/groups", order: 30))
        context.navigationCount(path: "/groups") { member in
            try groups.waitingRequestCount(chairedBy: member.id)
        }
        context.activityPhrase(verb: "created") { _ in "created the group" }
        context.activityPhrase(verb: "joined") { _ in "joined the group" }
        context.activityPhrase(verb: "started") { _ in "started a discussion" }
        context.activityPhrase(verb: "replied") { _ in "replied to" }
        context.personalData(
            export: { memberID, db in try groups.export(memberID: memberID, in: db) },
            erase: { memberID, db in try groups.erase(memberID: memberID, in: db) })
        GroupsReportables.register(in: context, groups: groups)
        GroupsSearch.register(in: context, groups: groups)
        var web = context.web
        let groupPage = GroupPage(groups: groups)
        groupPage.register(&web)
        DirectoryPages(groups: groups).register(&web)
        MembershipPages(groups: groups, groupPage: groupPage).register(&web)
        DiscussionPages(groups: groups, groupPage: groupPage).register(&web)
        ImagePages(groups: groups).register(&web)
        GroupsHome(groups: groups).register(&web)
        GroupsAPI(groups: groups).register(&web)
        context.web = web
        for command in GroupsCommands.all(groups) { context.adminCommand(command) }
    }
}

/// The groups module could not start (its membership dependency is missing).
///
/// ```swift
/// do { try GroupsModule().bootstrap(context) } catch let error as GroupsSetupError { print(error) }
/// ```
public struct GroupsSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
