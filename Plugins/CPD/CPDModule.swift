import Kernel
import Storage

/// CPD: sessions shared across schools, personal CPD records, expertise, certificates.
public struct CPDModule: FeatureModule {
    public static let manifest = ModuleManifest(
        id: "cpd", title: "CPD",
        summary: "Sessions shared across schools, personal CPD records, expertise and certificates.",
        dependencies: ["membership"],
        settings: [
            .init(
                name: "expertise_areas", type: .list(.string),
                default: .list(
                    ["Phonics", "Maths mastery", "SEND", "Safeguarding", "Early Years", "Leadership",
                     "School business management"].map(SettingValue.string)),
                doc: "The taxonomy members tag their expertise with."),
            .init(
                name: "follow_up_weeks", type: .int(min: 1, max: 52), default: .int(6),
                doc: "Weeks after a session when attendees are asked about its impact."),
            .init(
                name: "booking_cutoff_hours", type: .int(min: 0, max: 720), default: .int(24),
                doc: "Booking closes this many hours before a session starts."),
        ])

    public init() {}

    public var migrations: [Migration] { [] }

    public func bootstrap(_ context: ModuleContext) throws {}
}
