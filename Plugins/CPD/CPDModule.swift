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
                doc: "The taxonomy members tag their expertise with.",
                constraint: .all(.each(.label), .distinct)),
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
        context.seeder(order: 1050) { seed in try CPDSeeder.moveToSchoolTimes(seed, cpd: cpd) }
        context.services.provide(cpd)
        CPDNotifications.register(context.services, cpd: cpd)
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
        context.reportable(CPDReportables.session(cpd))
        CPDSearch.register(in: context, cpd: cpd)
        try context.job(CPDService.followUpJob) { payload in try cpd.runFollowUp(payload: payload) }
        var web = context.web
        CPDPages(cpd: cpd).register(&web)
        CPDAPI(cpd: cpd).register(&web)
        context.web = web
        context.adminCommand(CPDCommands.command(cpd))
    }
}
