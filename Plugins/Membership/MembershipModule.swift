import Kernel
import Storage

extension SettingConstraint {
    /// Profile questions: each id once; options exactly for the questions that offer a choice.
    static let profileQuestions = SettingConstraint("ids used once; options for choice and multiple only") {
        value, _ in
        var problems: [SettingProblem] = []
        var firstIndex: [String: Int] = [:]
        for (index, question) in (value.listValue ?? []).enumerated() {
            guard let fields = question.recordValue else { continue }
            if let id = fields["id"]?.stringValue {
                if let first = firstIndex[id] {
                    problems.append(
                        SettingProblem(
                            "the id \"\(id)\" is already used by question [\(first)]",
                            at: [.index(index), .field("id")]))
                } else {
                    firstIndex[id] = index
                }
            }
            let type = fields["type"]?.stringValue ?? "text"
            let options = fields["options"]?.listValue ?? []
            if (type == "choice" || type == "multiple") && options.isEmpty {
                problems.append(
                    SettingProblem("a \"\(type)\" question needs options = [...]", at: [.index(index)]))
            } else if !(type == "choice" || type == "multiple") && !options.isEmpty {
                problems.append(
                    SettingProblem(
                        "options only apply to \"choice\" and \"multiple\" questions, and this one is \"\(type)\"",
                        at: [.index(index), .field("options")]))
            }
        }
        return problems
    }
}

/// Membership: joining, signing in, profiles, friends, statuses, the member directory.
/// Every other feature module depends on it.
public struct MembershipModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "membership", title: "Membership",
        summary: "Joining, signing in, profiles, friends, statuses and the member directory.",
        dependencies: [],
        settings: [
            .init(
                name: "signup", type: .choice(["open", "approval", "invite"]), default: .string("open"),
                doc: "How people join: open to all, approved by an admin, or by invitation only."),
            .init(
                name: "members_can_invite", type: .bool, default: .bool(false),
                doc: "Members (not only admins) may create invitation links."),
            .init(
                name: "directory_public", type: .bool, default: .bool(false),
                doc: "Visitors who are not signed in may browse the member directory."),
            .init(
                name: "profile_questions",
                type: .list(
                    .record([
                        .init(
                            name: "id", type: .string, default: nil, doc: "Stable key, e.g. \"school\".",
                            constraint: .identifier),
                        .init(
                            name: "label", type: .string, default: nil, doc: "The question as shown.",
                            constraint: .label),
                        .init(
                            name: "type", type: .choice(["text", "choice", "multiple", "url"]),
                            default: .string("text"), doc: "Kind of answer."),
                        .init(
                            name: "options", type: .list(.string), default: .list([]),
                            doc: "Choices, for choice and multiple.",
                            constraint: .all(.each(.label), .distinct)),
                        .init(
                            name: "required", type: .bool, default: .bool(false),
                            doc: "Must be answered at sign-up."),
                    ])),
                default: .list([]),
                doc: "Questions on the profile and the sign-up form (School, Role, Subjects …).",
                constraint: .profileQuestions),
            .init(
                name: "friend_requests_per_hour", type: .int(min: 1, max: 10_000), default: .int(30),
                doc: "How many friend requests a member may send in an hour (an abuse control)."),
            // A week unused ends a session; a month ends it whatever happens (OWASP's session
            // guidance for a site with personal data, and what a teacher's weekly rhythm needs).
            .init(
                name: "session_idle_minutes", type: .int(min: 5, max: 525_600), default: .int(7 * 24 * 60),
                doc:
                    "A signed-in session unused this long ends (checked by the server; last use is recorded at most every five minutes). Default: a week."
            ),
            .init(
                name: "session_absolute_days", type: .int(min: 1, max: 3650),
                default: .int(30),
                doc:
                    "A signed-in session, and an API token, ends this long after sign-in, used or not; the cookie lasts as long. Default: 30 days."
            ),
        ])

    public init() {}

    public var migrations: [Migration] { MembershipSchema.migrations }

    public var ownedTables: [String] { MembershipSchema.tables }

    public var readModels: [String] { MembershipSchema.readModels }

    public func bootstrap(_ context: ModuleContext) throws {
        let membership = MembershipService(services: context.services)
        membership.setPersonalDataHooks { [context] in context.personalDataHooks }
        MembershipSearch.register(in: context, membership: membership)
        context.services.provide(membership)
        // The directory's filter choices, counted before the first member asks for them.
        context.whenServing { [search = context.services.search] in
            let anyMember = Viewer(memberID: -1)
            try DirectoryFilters.countChoices(
                questions: membership.questions, search: search,
                viewers: membership.directoryIsPublic ? [anyMember, .anonymous] : [anyMember])
        }
        SocialNotifications.register(context.services)
        context.stylesheet(MembershipStyles.css)
        context.services.provide(AuthenticatorBox(MembershipAuthenticator(membership: membership)))
        context.services.provide(IdentityBox(MembershipIdentity(membership: membership)))
        context.services.outbox.setRecipientPolicy { address, db in
            try membership.mailStanding(of: address, in: db)
        }
        context.navigation(
            NavigationEntry(
                title: "Members", path: "/members", order: 20, membersOnly: !membership.directoryIsPublic))
        context.navigation(NavigationEntry(title: "Friends", path: "/friends", order: 80, membersOnly: true))
        context.adminLink(
            AdminLink(
                title: "Members", path: "/admin/members",
                summary: "Find members, approve those waiting, suspend, reinstate and change roles.",
                order: 10))
        context.adminLink(
            AdminLink(
                title: "Invitations", path: "/admin/invitations",
                summary: "Invite colleagues by mail and see who has joined.", order: 15))
        context.activityPhrase(verb: "joined") { _ in "joined" }
        context.activityPhrase(verb: "befriended") { group in
            group.actors.count > 1 ? "are now friends with" : "is now friends with"
        }
        context.activityPhrase(verb: "posted_status") { group in
            group.entryCount > 1 ? "posted statuses" : "posted a status"
        }
        context.activityPhrase(verb: "updated_profile") { group in
            group.actors.count > 1 ? "updated their profiles" : "updated their profile"
        }
        context.personalData(
            export: { memberID, db in try membership.export(memberID: memberID, in: db) },
            erase: { memberID, db in try membership.erase(memberID: memberID, in: db) })
        for kind in MembershipReportables.kinds(membership: membership, services: context.services) {
            context.reportable(kind)
        }
        var web = context.web
        JoinPages(membership: membership).register(&web)
        SessionPages(membership: membership).register(&web)
        PasswordResetPages(membership: membership).register(&web)
        AccountPages(membership: membership, context: context).register(&web)
        MemberPages(membership: membership).register(&web)
        StatusPages(membership: membership).register(&web)
        MemberHome(membership: membership).register(&web)
        MentionLookup(membership: membership).register(&web)
        FriendPages(membership: membership).register(&web)
        AdminPages(membership: membership).register(&web)
        InvitationPages(membership: membership).register(&web)
        MembershipAPI(membership: membership).register(&web)
        context.web = web
        for command in MembershipCommands.all(membership) { context.adminCommand(command) }
        context.seeder(order: 10) { seed in
            try MembershipSeeder.seedMembers(seed)
            try MembershipSeeder.seedFriendships(seed)
        }
        context.seeder(order: 1000) { seed in try MembershipSeeder.topUpWithStatuses(seed) }
        context.seeder(order: 1100) { seed in try MembershipSeeder.playRecentDays(seed) }
    }
}
