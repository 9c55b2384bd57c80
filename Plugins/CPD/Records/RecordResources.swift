import Foundation
import Kernel

// The JSON the API answers and accepts for a member's personal CPD record.

extension RecordKind: APIEnum {}
extension PupilFocus: APIEnum {}

/// One entry of a personal CPD record.
struct RecordEntryResponse: APIModel {
    var id: Int64
    var title: String
    var date: Date
    var hours: Double
    var minutes: Int
    var kind: RecordKind
    var pupilFocus: PupilFocus
    var standard: String
    var evidenceURL: String
    var reflection: String
    var impact: String
    var impactAt: Date?
    var sessionID: Int64?

    static let schemaName = "CPDRecordEntry"
    static let schemaDescription: String? = "An entry of a personal CPD record."
    static let fieldHints: [String: SchemaHint] = [
        "date": .description("The day of the activity (noon in the network's zone)."),
        "sessionID": .description("The session attended, for entries credited by the register."),
    ]

    init(_ entry: RecordEntry) {
        id = entry.id
        title = entry.title
        date = entry.date
        hours = entry.hours
        minutes = entry.minutes
        kind = entry.kind
        pupilFocus = entry.pupilFocus
        standard = entry.standard
        evidenceURL = entry.evidenceURL
        reflection = entry.reflection
        impact = entry.impact
        impactAt = entry.impactAt
        sessionID = entry.sessionID
    }
}

/// A member's whole record and its total.
struct RecordResponse: APIModel {
    var totalHours: Double
    var items: [RecordEntryResponse]

    static let schemaName = "CPDRecord"
    static let schemaDescription: String? = "Your CPD record, newest first, and its total hours."
}

/// A new entry of your own. Left out: empty (the service names what is missing).
struct RecordRequest: APIModel {
    var title: String?
    var date: String?
    var hours: Double?
    var kind: RecordKind?
    var pupilFocus: PupilFocus?
    var standard: String?
    var evidenceURL: String?
    var reflection: String?

    static let schemaName = "CPDRecordEntryInput"
    static let fieldHints: [String: SchemaHint] = [
        "title": .description("Required."),
        "date": .init(description: "Required.", format: "date"),
        "hours": .description("Required: more than 0, at most 1000."),
        "kind": .description("Required."),
        "pupilFocus": .description("Required."),
        "evidenceURL": .init(format: "uri"),
    ]

    var input: RecordInput {
        RecordInput(
            title: title ?? "", date: date ?? "", hours: hours.map { String($0) } ?? "",
            kind: kind?.rawValue ?? "", pupilFocus: pupilFocus?.rawValue ?? "", standard: standard ?? "",
            evidenceURL: evidenceURL ?? "", reflection: reflection ?? "")
    }
}

/// The impact follow-up of an entry.
struct RecordImpactRequest: APIModel {
    var impact: String
    var reflection: String?

    static let schemaName = "CPDRecordImpactInput"
    static let fieldHints: [String: SchemaHint] = [
        "impact": .init(message: "Enter impact."),
        "reflection": .description("Left out: the reflection is kept."),
    ]
}
