import Foundation
import Kernel

// The JSON the API answers and accepts for the review queue and its cases; each type is its own
// OpenAPI schema.

extension CaseStatus: APIEnum {}

/// A case: every report about one item (or one general report), or one held item.
struct CaseResponse: APIModel {
    var id: Int64
    var kind: String
    var itemID: Int64?
    var module: String
    var title: String
    var url: String
    var excerpt: String
    var authorID: Int64?
    var status: CaseStatus
    var holdReason: String?
    var safeguarding: Bool
    var reportCount: Int
    var assignedTo: Int64?
    var resolution: String?
    var createdAt: Date
    var updatedAt: Date
    var resolvedAt: Date?

    static let schemaName = "ModerationCase"
    static let schemaDescription: String? = "A case of the review queue."
    static let fieldHints: [String: SchemaHint] = [
        "holdReason": .description("Why the item was held for approval; null unless it was."),
        "safeguarding": .description("A safeguarding concern was reported: it comes first in the queue."),
        "assignedTo": .description("The moderator (member id) working on it; null: nobody."),
    ]

    init(_ item: ModerationCase) {
        id = item.id
        kind = item.kind
        itemID = item.itemID
        module = item.module
        title = item.title
        url = item.url
        excerpt = item.excerpt
        authorID = item.authorID
        status = item.status
        holdReason = item.holdReason
        safeguarding = item.isSafeguarding
        reportCount = item.reportCount
        assignedTo = item.assignedTo
        resolution = item.resolution
        createdAt = item.createdAt
        updatedAt = item.updatedAt
        resolvedAt = item.resolvedAt
    }
}

/// The reported item as it is now.
struct CaseItemResponse: APIModel {
    var title: String
    var url: String
    var excerpt: String
    var authorID: Int64?
    var hidden: Bool

    static let schemaName = "ModerationCaseItem"
    static let schemaDescription: String? = "The item a case is about, as it is now."
}

/// The author of the item, and where they stand.
struct CaseAuthorResponse: APIModel {
    var handle: String
    var name: String?
    var banned: Bool
    var suspended: Bool

    static let schemaName = "ModerationCaseAuthor"
    static let schemaDescription: String? =
        "The author of a case's item, and whether they are banned or suspended."
}

/// A report as moderators see it: with its reporter.
struct CaseReportResponse: APIModel {
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
    var reporterID: Int64?

    static let schemaName = "ModerationCaseReport"
    static let schemaDescription: String? = "A report of a case, with its reporter (null once erased)."

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
        reporterID = report.reporterID
    }
}

/// A moderators' private note on a case.
struct CaseNoteResponse: APIModel {
    var id: Int64
    var authorID: Int64?
    var authorName: String
    var body: String
    var createdAt: Date

    static let schemaName = "ModerationCaseNote"
    static let schemaDescription: String? = "A private note on a case, seen only by moderators."

    init(_ note: CaseNote) {
        id = note.id
        authorID = note.authorID
        authorName = note.authorName
        body = note.body
        createdAt = note.createdAt
    }
}

/// A note just added.
struct NewCaseNoteResponse: APIModel {
    var id: Int64
    var authorName: String
    var body: String
    var createdAt: Date

    static let schemaName = "ModerationNewCaseNote"
    static let schemaDescription: String? = "The note added to the case."

    init(_ note: CaseNote) {
        id = note.id
        authorName = note.authorName
        body = note.body
        createdAt = note.createdAt
    }
}

/// One case with everything a moderator needs to decide.
struct CaseDetailResponse: APIModel {
    var `case`: CaseResponse
    var kindTitle: String
    var item: CaseItemResponse?
    var author: CaseAuthorResponse?
    var reports: [CaseReportResponse]
    var notes: [CaseNoteResponse]
    var actions: [AuditEntryResponse]

    static let schemaName = "ModerationCaseDetail"
    static let schemaDescription: String? = "A case: its item, reports, private notes and the actions taken."
    static let fieldHints: [String: SchemaHint] = [
        "item": .description("The item as it is now; null when it was deleted, or for a general report.")
    ]

    init(_ detail: CaseDetail) {
        `case` = CaseResponse(detail.moderationCase)
        kindTitle = detail.kindTitle
        item = detail.item.map {
            CaseItemResponse(
                title: $0.title, url: $0.url, excerpt: $0.excerpt, authorID: $0.authorID, hidden: $0.isHidden)
        }
        author = detail.authorHandle.map {
            CaseAuthorResponse(
                handle: $0, name: detail.authorName, banned: detail.isAuthorBanned,
                suspended: detail.authorIsSuspended)
        }
        reports = detail.reports.map(CaseReportResponse.init)
        notes = detail.notes.map(CaseNoteResponse.init)
        actions = detail.actions.map(AuditEntryResponse.init)
    }
}

/// Which cases the queue lists.
struct QueueQuery: APIQuery {
    var status: String?
    var category: String?
    var kind: String?
    var assigned: String?
    var after: String?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "status": .description("One of \(QueueFilter.statuses.joined(separator: ", ")) (default active)."),
        "category": .description(
            "Only cases with a report of this category: \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", "))."
        ),
        "kind": .description("Only cases about items of this kind."),
        "assigned": .description("\"me\": only the cases assigned to you."),
        "after": .description("The `next` of the previous page."),
        "limit": .description("Cases per page (default 25)."),
    ]
}

/// Whom a case is assigned to.
struct AssignRequest: APIModel {
    enum Assignee: String, APIEnum {
        case me, nobody
    }

    var to: Assignee?

    static let schemaName = "ModerationAssignment"
    static let fieldHints: [String: SchemaHint] = [
        "to": .description("\"me\" (the default) or \"nobody\".")
    ]
}

/// A private note's text.
struct NoteRequest: APIModel {
    var body: String

    static let schemaName = "ModerationCaseNoteInput"
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(
            description: "Seen only by moderators.", maxLength: ModerationService.maximumCommentLength,
            message: "Enter note.")
    ]
}
