import Foundation
import Kernel

// The JSON the API answers for leaders' reports.

/// One school's row of the report.
struct ReportSchoolResponse: APIModel {
    var school: String
    var participants: Int
    var entries: Int
    var hours: Double
    var sessionsOffered: Int
    var placesGiven: Int
    var placesTaken: Int

    static let schemaName = "CPDReportSchool"
    static let fieldHints: [String: SchemaHint] = [
        "placesGiven": .description("Places taken at this school's sessions by members of other schools."),
        "placesTaken": .description("Places this school's members took at other schools' sessions."),
    ]

    init(_ row: CPDReport.SchoolRow) {
        school = row.school
        participants = row.participants
        entries = row.entries
        hours = Double(row.minutes) / 60
        sessionsOffered = row.sessionsOffered
        placesGiven = row.placesGiven
        placesTaken = row.placesTaken
    }
}

/// One area's row of the report.
struct ReportAreaResponse: APIModel {
    var area: String
    var sessions: Int
    var participants: Int
    var hours: Double

    static let schemaName = "CPDReportArea"

    init(_ row: CPDReport.AreaRow) {
        area = row.area
        sessions = row.sessions
        participants = row.participants
        hours = Double(row.minutes) / 60
    }
}

/// Hours and participation per school and area; places given and taken per school.
struct ReportResponse: APIModel {
    var from: Date
    var to: Date
    var schools: [ReportSchoolResponse]
    var areas: [ReportAreaResponse]

    static let schemaName = "CPDReport"
    static let schemaDescription: String? =
        "Hours and participation per school and area; places given and taken per school."

    init(_ report: CPDReport) {
        from = report.from
        to = report.to
        schools = report.schools.map(ReportSchoolResponse.init)
        areas = report.areas.map(ReportAreaResponse.init)
    }
}

/// The report's period, both days included.
struct ReportQuery: APIQuery {
    var from: String?
    var to: String?

    static let fieldHints: [String: SchemaHint] = [
        "from": .init(description: "The first day, YYYY-MM-DD (required).", format: "date"),
        "to": .init(description: "The last day, YYYY-MM-DD (required).", format: "date"),
    ]
}
