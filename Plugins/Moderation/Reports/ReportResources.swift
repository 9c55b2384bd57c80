import Foundation
import Kernel

// The JSON the API answers and accepts for reports; each type is its own OpenAPI schema.

extension ReportCategory: APIEnum {}

/// A report as its reporter sees it.
struct ReportResponse: APIModel {
    var id: Int64
    var caseID: Int64
    var kind: String
    var itemID: Int64?
    var title: String
    var category: ReportCategory
    var comment: String
    var status: String
    var outcome: String?
    var createdAt: Date
    var resolvedAt: Date?

    static let schemaName = "ModerationReport"
    static let schemaDescription: String? = "A report: what was reported, why, and what came of it."
    static let fieldHints: [String: SchemaHint] = [
        "kind": .description("The reported item's kind (\"general\" for a report about no item)."),
        "itemID": .description("The reported item; null for a general report."),
        "status": .description("\"open\" or \"closed\"."),
        "outcome": .description("What the reporter is told once the report is closed."),
    ]

    init(_ report: Report) {
        id = report.id
        caseID = report.caseID
        kind = report.kind
        itemID = report.itemID
        title = report.title
        category = report.category
        comment = report.comment
        status = report.status
        outcome = report.outcome
        createdAt = report.createdAt
        resolvedAt = report.resolvedAt
    }
}

/// An item of the member's own that waits for a moderator's approval.
struct HeldItemResponse: APIModel {
    var kind: String
    var id: Int64?
    var title: String
    var url: String

    static let schemaName = "ModerationHeldItem"
    static let schemaDescription: String? = "Your content that waits for a moderator's approval."

    init(_ held: ModerationCase) {
        kind = held.kind
        id = held.itemID
        title = held.title
        url = held.url
    }
}

/// A page of the member's reports, and what of theirs awaits approval.
struct MyReportsResponse: APIModel {
    var items: [ReportResponse]
    var next: Int64?
    var awaitingApproval: [HeldItemResponse]

    static let schemaName = "ModerationMyReports"
    static let schemaDescription: String? = "A page of your reports, and your content awaiting approval."
    static let fieldHints: [String: SchemaHint] = [
        "next": .description("Pass it back as `before` to fetch the next page; null on the last page.")
    ]
}

/// A report about an item (kind and id) or, with neither, about a general issue.
struct ReportRequest: APIModel {
    var kind: String?
    var id: Int64?
    var category: ReportCategory
    var comment: String?

    static let schemaName = "ModerationReportInput"
    static let fieldHints: [String: SchemaHint] = [
        "kind": .description(
            "The item's kind, as on its report link (status, blog_post, …); leave out for a general issue."),
        "id": .description("The item's id."),
        "category": .init(message: "Choose what kind of problem this is."),
        "comment": .init(
            description: "What happened (required for a general issue and for \"other\").",
            maxLength: ModerationService.maximumCommentLength),
    ]
}

/// The page of the member's reports.
struct MyReportsQuery: APIQuery {
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "before": .init(description: "The `next` of the previous page.", message: "Must be a report id."),
        "limit": .description("Reports per page (default 20)."),
    ]
}
