import Kernel
import Membership
import Storage

/// CPD: sessions shared across schools, personal CPD records, expertise and certificates.
///
/// ```swift
/// let registry = ModuleRegistry([MembershipModule.self, CPDModule.self])
/// let cpd = kernel.services.service(CPDService.self)
/// ```
public struct CPDModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "cpd", title: "CPD",
        summary: "Sessions shared across schools, personal CPD records, expertise and certificates.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "expertise_areas", type: .list(.string),
                default: .list(
                    [
                        "Phonics", "Maths mastery", "SEND", "Safeguarding", "Early Years", "Leadership",
                        "School business management",
                    ].map(SettingValue.string)),
                doc: "The taxonomy members tag their expertise with.", constraint: .all(.each(.label), .distinct)),
            .init(
                name: "follow_up_weeks", type: .int(min: 1, max: 52), default: .int(6),
                doc: "Weeks after a session when attendees are asked about its impact."),
            .init(
                name: "booking_cutoff_hours", type: .int(min: 0, max: 720), default: .int(24),
                doc: "Booking closes this many hours before a session starts."),
        ])

    public init() {}

    public var migrations: [Migration] { CPDSchema.migrations }

    public var ownedTables: [String] { CPDSchema.tables }

    public func bootstrap(_ context: ModuleContext) throws {
        guard let membership = context.services.service(MembershipService.self) else {
            throw WebError.badRequest("The CPD module needs the membership module.")
        }
        let cpd = CPDService(services: context.services, membership: membership)
        context.seeder(order: 40) { seed in try CPDSeeder.seed(seed, cpd: cpd) }
        context.services.provide(cpd)
        context.stylesheet(CPDStyles.css)
        context.navigation(NavigationEntry(title: "CPD", path: "/cpd", order: 40))
        context.activityPhrase(verb: "offered") { _ in "is offering a CPD session" }
        context.activityPhrase(verb: "attended") { _ in "attended" }
        context.activityPhrase(verb: "earned_certificate") { group in
            group.actors.count > 1 ? "earned certificates for" : "earned a certificate for"
        }
        context.personalData(
            export: { memberID, db in try cpd.export(memberID: memberID, in: db) },
            erase: { memberID, db in try cpd.erase(memberID: memberID, in: db) })
        let activity = context.services.activity
        context.reportable(
            ReportableKind(
                module: "cpd", kind: "cpd_session", title: "CPD session",
                lookup: { id, db in
                    try cpd.session(id: id, in: db).map { session in
                        ReportableItem(
                            title: session.title, authorID: session.organiserID, url: session.path,
                            excerpt: Excerpt.make(session.description, length: 200), isHidden: session.hidden,
                            text: session.description)
                    }
                },
                isVisible: { id, member, db in
                    guard let session = try cpd.session(id: id, in: db) else { return false }
                    return cpd.canSee(session, viewer: cpd.viewer(memberID: member.id, isModerator: member.isModerator))
                },
                setHidden: { id, hidden, db in
                    try db.execute("UPDATE cpd_sessions SET hidden = ? WHERE id = ?", [hidden, id])
                    try activity.setHidden(hidden, objectKind: "cpd_session", objectID: id, in: db)
                },
                delete: { id, db in
                    try db.execute("DELETE FROM cpd_sessions WHERE id = ?", [id])
                    try activity.deleteEntries(objectKind: "cpd_session", objectID: id, in: db)
                }))
        try context.job(CPDService.followUpJob) { payload in try cpd.runFollowUp(payload: payload) }
        var web = context.web
        CPDPages(cpd: cpd).register(&web)
        CPDAPI(cpd: cpd).register(&web)
        context.web = web
        context.adminCommand(CPDCommands.command(cpd))
    }
}
