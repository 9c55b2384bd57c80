import Foundation
import HTTP
import Kernel

/// The moderation part of the JSON API: /api/v1/reports for every member, /api/v1/moderation for
/// moderators. Each operation is a named handler of a controller per sub-feature; the OpenAPI
/// document is derived from these declarations and the types the handlers take and return (see
/// docs/api.md).
struct ModerationAPI {
    let moderation: ModerationService

    // The console's `--json` and the data export print the API's JSON (the same keys, the same order).

    static func reportJSON(_ report: Report) throws -> JSONValue {
        try JSONValue(encoding: ReportResponse(report))
    }

    static func caseJSON(_ item: ModerationCase) throws -> JSONValue {
        try JSONValue(encoding: CaseResponse(item))
    }

    static func auditJSON(_ entry: AuditEntry) throws -> JSONValue {
        try JSONValue(encoding: AuditEntryResponse(entry))
    }

    static func detailJSON(_ detail: CaseDetail) throws -> JSONValue {
        try JSONValue(encoding: CaseDetailResponse(detail))
    }

    func register(_ web: inout WebContributions) {
        let reports = ReportsController(moderation: moderation)
        let cases = CasesController(moderation: moderation)
        let actions = ActionsController(moderation: moderation)
        web.apiGroup("/api/v1/reports", tag: "moderation") { api in
            api.post(
                "", access: .members,
                summary: "Report an item (kind and id) or, with neither, a general issue.",
                operationID: "fileReport", errors: [.forbidden, .notFound, .conflict, .tooManyRequests],
                use: reports.create)
            api.get(
                "", access: .members, summary: "Your reports and their outcomes, newest first.",
                operationID: "listMyReports", use: reports.mine)
        }
        web.apiGroup("/api/v1/moderation", tag: "moderation") { api in
            api.get(
                "/queue", access: .moderators,
                summary: "The review queue: safeguarding concerns first, then newest.",
                operationID: "moderationQueue", use: cases.queue)
            api.get(
                "/cases/:id", access: .moderators,
                summary: "One case: the item, its reports, private notes and actions.",
                operationID: "moderationCase", use: cases.show)
            api.get(
                "/reports/:id", access: .moderators, summary: "The case a report belongs to.",
                operationID: "moderationReport", use: cases.showReport)
            api.post(
                "/cases/:id/assign", access: .moderators,
                summary: "Assign a case to yourself (to: \"me\", or an empty body) or to nobody.",
                operationID: "assignCase", use: cases.assign)
            api.post(
                "/cases/:id/notes", access: .moderators, summary: "Add a private note to a case.",
                operationID: "addCaseNote", use: cases.addNote)
            api.post(
                "/cases/:id/actions", access: .moderators,
                summary: "Act on a case: the action, its mail and the reports it resolves commit together.",
                operationID: "actOnCase", errors: [.conflict], use: actions.actOnCase)
            api.post(
                "/members/:id/actions", access: .moderators,
                summary: "Warn, suspend, ban, reinstate or unban a member.",
                operationID: "actOnMember", errors: [.conflict], use: actions.actOnMember)
            api.get(
                "/audit", access: .moderators, summary: "The audit log, newest first.",
                operationID: "moderationAudit", use: actions.audit)
        }
    }
}
