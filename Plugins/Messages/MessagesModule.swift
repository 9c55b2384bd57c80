import Kernel
import Storage

/// Messages: private conversations between members, private by construction. Only the
/// participants read a conversation, each from the moment they were added; moderators see a
/// message only when a participant reports it (with the context the reporter chose) or the
/// content gate holds it, and every such opening is written to the audit log. No page, API,
/// console command, activity entry or feed shows messages to anyone else. `bootstrap` is the
/// module's table of contents (docs/modules.md).
///
/// ```swift
/// let network = try TestNetwork(modules: [MembershipModule.self, MessagesModule.self])
/// let messages = network.services.service(MessagesService.self)!
/// let conversation = try messages.start(.init(to: ["ben"], subject: "", body: "Hello"), by: ada)
/// ```
public struct MessagesModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "messages", title: "Messages",
        summary: "Private conversations between members, with blocking, reporting and mail.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "max_participants", type: .int(min: 2, max: 100), default: .int(20),
                doc: "Most members in one conversation, the writer included."),
            .init(
                name: "who_can_write", type: .choice(["anyone", "friends", "shared_group"]),
                default: .string("anyone"),
                doc:
                    "Whom a member may start a conversation with or add to one: anyone, their friends, or members who share a group with them. Administrators and moderators can always write."
            ),
            .init(
                name: "read_receipts", type: .bool, default: .bool(false),
                doc: "Show the other participants who has read the latest message."),
            .init(
                name: "messages_per_page", type: .int(min: 10, max: 200), default: .int(30),
                doc: "Messages on one page of a conversation (the newest; older ones a link away)."),
            .init(
                name: "messages_per_hour", type: .int(min: 1, max: 10_000), default: .int(60),
                doc:
                    "Messages one member may send in an hour (administrators and moderators are not limited)."
            ),
            .init(
                name: "conversations_per_hour", type: .int(min: 1, max: 1000), default: .int(10),
                doc:
                    "Conversations one member may start in an hour (administrators and moderators are not limited)."
            ),
            .init(
                name: "new_member_days", type: .int(min: 0, max: 365), default: .int(7),
                doc: "For this many days after joining a member counts as new (link limit)."),
            .init(
                name: "new_member_link_limit", type: .int(min: 0, max: 100), default: .int(1),
                doc: "Links a new member's message may hold; a message with more is refused."),
        ])

    public init() {}

    public var migrations: [Migration] { MessagesSchema.migrations }

    public var ownedTables: [String] { MessagesSchema.tables }

    public func bootstrap(_ context: ModuleContext) throws {
        let messages = MessagesService(services: context.services)
        context.services.provide(messages)

        ConversationPages(messages: messages).register(&context.web)
        BlockPages(messages: messages).register(&context.web)
        MailSettingsPages(messages: messages).register(&context.web)
        ReportPages(messages: messages).register(&context.web)
        MessagesAPI(messages: messages).register(&context.web)
        MailSettingsController(messages: messages).register(&context.web)
        context.navigation(
            NavigationEntry(title: "Messages", path: "/messages", order: 75, membersOnly: true))
        context.navigationCount(path: "/messages") { member in try messages.unreadCount(of: member.id) }
        context.stylesheet(MessagesStyles.css)
        MessageNotices.register(context.services)

        context.reportable(MessagesReportables.message(messages))
        MessagesSearch.register(in: context, messages: messages)
        context.personalData(export: messages.export(memberID:in:), erase: messages.erase(memberID:in:))
        context.adminCommand(MessagesCommands.command(messages))
        context.seeder(order: 60) { seed in try MessagesSeeder.seed(seed, messages: messages) }
    }
}
