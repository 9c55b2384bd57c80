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
                default: .list(["Strategic group", "Cluster", "School", "Business managers", "Interest"].map(SettingValue.string)),
                doc: "Categories a group can be filed under.", constraint: .all(.each(.label), .distinct)),
        ])

    public init() {}

    public var migrations: [Migration] { GroupsSchema.migrations }

    public var ownedTables: [String] { GroupsSchema.tables }

    public func bootstrap(_ context: ModuleContext) throws {
        guard let membership = context.services.service(MembershipService.self) else {
            throw GroupsSetupError(message: "the groups module needs the membership module, which is not running")
        }
        let groups = GroupsService(services: context.services, membership: membership)
        context.seeder(order: 20) { seed in try GroupsSeeder.seed(seed, groups: groups) }
        let services = context.services
        context.services.provide(groups)
        context.stylesheet(GroupsStyles.css)
        context.services.provide(GroupScopesBox(groups))
        context.navigation(NavigationEntry(title: "Groups", path: "/groups", order: 30))
        context.activityPhrase(verb: "created") { _ in "created the group" }
        context.activityPhrase(verb: "joined") { _ in "joined the group" }
        context.activityPhrase(verb: "started") { _ in "started a discussion" }
        context.activityPhrase(verb: "replied") { _ in "replied to" }
        context.personalData(
            export: { memberID, db in try groups.export(memberID: memberID, in: db) },
            erase: { memberID, db in try groups.erase(memberID: memberID, in: db) })
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group", title: "group",
                lookup: { id, db in try groups.reportableGroup(id: id, in: db) },
                isVisible: { id, member, db in try groups.groupIsVisible(id: id, to: member, in: db) },
                setHidden: { id, hidden, db in try GroupsService.setGroupHidden(id: id, hidden, services: services, in: db) },
                delete: { id, db in
                    if let group = try groups.group(id: id, in: db) { try groups.deleteGroup(group, in: db) }
                }))
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group_discussion", title: "group discussion",
                lookup: { id, db in try groups.reportableDiscussion(id: id, in: db) },
                isVisible: { id, member, db in try groups.discussionIsVisible(id: id, to: member, in: db) },
                setHidden: { id, hidden, db in try GroupsService.setDiscussionHidden(id: id, hidden, services: services, in: db) },
                delete: { id, db in try GroupsService.deleteDiscussion(id: id, services: services, in: db) }))
        context.reportable(
            ReportableKind(
                module: "groups", kind: "group_reply", title: "group discussion reply",
                lookup: { id, db in try groups.reportableReply(id: id, in: db) },
                isVisible: { id, member, db in
                    guard let discussionID = try groups.reply(id: id, in: db)?.discussionID else { return false }
                    return try groups.discussionIsVisible(id: discussionID, to: member, in: db)
                },
                setHidden: { id, hidden, db in try GroupsService.setReplyHidden(id: id, hidden, services: services, in: db) },
                delete: { id, db in try GroupsService.deleteReply(id: id, services: services, in: db) },
                released: { id, db in try groups.replyReleased(id: id, in: db) }))
        var web = context.web
        let groupPages = GroupPages(groups: groups)
        groupPages.register(&web)
        DiscussionPages(groups: groups, groupPages: groupPages).register(&web)
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
