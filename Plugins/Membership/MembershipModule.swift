import Kernel
import Storage

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
                        .init(name: "id", type: .string, default: nil, doc: "Stable key, e.g. \"school\"."),
                        .init(name: "label", type: .string, default: nil, doc: "The question as shown."),
                        .init(
                            name: "type", type: .choice(["text", "choice", "multiple", "url"]),
                            default: .string("text"), doc: "Kind of answer."),
                        .init(name: "options", type: .list(.string), default: .list([]), doc: "Choices, for choice and multiple."),
                        .init(name: "required", type: .bool, default: .bool(false), doc: "Must be answered at sign-up."),
                    ])),
                default: .list([]),
                doc: "Questions on the profile and the sign-up form (School, Role, Subjects …)."),
            .init(
                name: "session_idle_minutes", type: .int(min: 5, max: 525_600), default: .int(20_160),
                doc: "A session unused this long ends."),
            .init(
                name: "session_absolute_days", type: .int(min: 1, max: 3650), default: .int(90),
                doc: "A session ends this long after sign-in, used or not."),
        ])

    public init() {}

    public var migrations: [Migration] { [] }

    public func bootstrap(_ context: ModuleContext) throws {}
}
