import HTTP
import Kernel

/// The reporting part of the moderation API: file a report, list your reports and what of yours
/// awaits approval. Routes are declared in ``ModerationAPI``.
///
/// ```swift
/// let reports = ReportsController(moderation: moderation)
/// api.post("", access: .members, summary: "Report.", operationID: "fileReport", use: reports.create)
/// ```
struct ReportsController: Sendable {
    let moderation: ModerationService

    func create(_ ctx: RequestContext, _ request: ReportRequest) throws -> Created<ReportResponse> {
        let me = try ctx.requireActiveMember()
        let report = try moderation.fileReport(
            by: me, kind: request.kind, itemID: request.id, category: request.category.rawValue,
            comment: request.comment ?? "")
        return Created(ReportResponse(report))
    }

    func mine(_ ctx: RequestContext, _ query: MyReportsQuery) throws -> MyReportsResponse {
        let me = try ctx.requireMember()
        let limit = MyReportsQuery.limit(query.limit, default: 20)
        let reports = try moderation.reports(filedBy: me.id, limit: limit + 1, before: query.before)
        let page = Array(reports.prefix(limit))
        let held = try moderation.awaitingApproval(authorID: me.id)
        return MyReportsResponse(
            items: page.map(ReportResponse.init), next: reports.count > limit ? page.last?.id : nil,
            awaitingApproval: held.map(HeldItemResponse.init))
    }
}
