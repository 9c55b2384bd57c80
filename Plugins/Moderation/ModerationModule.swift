import Kernel
import Membership
import Storage

/// Moderation: Report an Issue, one review queue, actions with an audit log, pre-moderation and
/// spam holds. Every module's reportable kinds (``ReportableKind``) are moderated the same way.
///
/// ```swift
/// let registry = ModuleRegistry([MembershipModule.self, ModerationModule.self])
/// // members report at /report?kind=status&id=7; moderators work at /moderation
/// ```
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
                doc: "Modules in which every post waits for approval.",
                constraint: .all(.moduleIDs, .distinct)),
            .init(
                name: "reports_per_hour", type: .int(min: 1, max: 1000), default: .int(10),
                doc: "Reports one member may file in an hour (moderators are not limited)."),
            .init(
                name: "posts_per_hour", type: .int(min: 0, max: 10_000), default: .int(30),
                doc:
                    "Posts one member may make in an hour before further posts are held for review (0: no limit)."
            ),
            .init(
                name: "new_member_days", type: .int(min: 0, max: 365), default: .int(7),
                doc: "For this many days after joining a member counts as new (link limit)."),
            .init(
                name: "new_member_link_limit", type: .int(min: 0, max: 100), default: .int(2),
                doc: "A new member's post with more links than this is held for review."),
            .init(
                name: "held_words", type: .list(.string), default: .list([]),
                doc:
                    "Posts containing one of these words are held for review; \"re:<pattern>\" is a regular expression.",
                constraint: .all(.heldWords, .distinct)),
        ])

    public init() {}

    public var migrations: [Migration] { ModerationSchema.migrations }

    public var ownedTables: [String] { ModerationSchema.tables }

    /// A purged module's cases, their reports and notes, and its content index go; the audit log
    /// keeps its entries (with the target's title as it was), no longer linked to a case.
    public func forgetContent(ofModule moduleID: String, in db: Connection) throws {
        let cases = "SELECT id FROM moderation_cases WHERE module = ?"
        try db.execute("UPDATE moderation_actions SET case_id = NULL WHERE case_id IN (\(cases))", [moduleID])
        try db.execute("DELETE FROM moderation_reports WHERE case_id IN (\(cases))", [moduleID])
        try db.execute("DELETE FROM moderation_notes WHERE case_id IN (\(cases))", [moduleID])
        try db.execute("DELETE FROM moderation_cases WHERE module = ?", [moduleID])
        try db.execute("DELETE FROM moderation_content WHERE module = ?", [moduleID])
    }

    public func bootstrap(_ context: ModuleContext) throws {
        // Read lazily: modules bootstrapped after moderation register their kinds later.
        let moderation = ModerationService(
            services: context.services, kinds: { [context] in context.reportableKinds })
        context.services.provide(moderation)
        context.stylesheet(ModerationStyles.css)
        context.services.provide(ContentGateBox(moderation))
        context.services.provide(AuditLogBox(SharedAuditLog(services: context.services)))
        context.services.provide(MemberModerationBox(ConsoleMemberModeration(moderation: moderation)))
        context.footer(FooterLink(title: "Badges", path: "/badges", order: 70))
        context.navigation(
            NavigationEntry(title: "Moderation", path: "/moderation", order: 90, audience: .moderators))
        context.navigationCount(path: "/moderation") { member in
            member.isModerator ? try moderation.waitingCaseCount() : 0
        }
        context.adminLink(
            AdminLink(
                title: "Moderation queue", path: "/moderation",
                summary: "Reports and posts awaiting approval, safeguarding concerns first.", order: 20,
                forModerators: true))
        context.adminLink(
            AdminLink(
                title: "Audit log", path: "/moderation/audit",
                summary: "Every moderation action, who took it and why.", order: 25, forModerators: true))
        context.footer(FooterLink(title: "Report an Issue", path: "/report", order: 80))
        context.on(ContentEvent.self) { event in try moderation.contentChanged(event) }
        context.on(MemberStatusChanged.self) { event in
            if event.status == .active { try moderation.enforceBan(memberID: event.memberID) }
        }
        context.personalData(
            export: { memberID, db in try moderation.export(memberID: memberID, in: db) },
            erase: { memberID, db in try moderation.erase(memberID: memberID, in: db) })
        var web = context.web
        let queue = QueuePages(moderation: moderation)
        ReportPages(moderation: moderation).register(&web)
        queue.register(&web)
        ActionPages(moderation: moderation, queue: queue).register(&web)
        BadgesPages(moderation: moderation).register(&web)
        ModerationAPI(moderation: moderation).register(&web)
        context.web = web
        for command in ModerationCommands.all(moderation) { context.adminCommand(command) }
    }
}
