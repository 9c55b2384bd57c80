import Kernel

/// Leaders' reports in CPD's JSON API. Routes are declared in ``CPDAPI``.
///
/// ```swift
/// let reports = ReportsController(cpd: cpd)
/// api.get("/reports", access: .members, summary: "The report.", operationID: "getCPDReport", use: reports.show)
/// ```
struct ReportsController: Sendable {
    let cpd: CPDService

    func show(_ ctx: RequestContext, _ query: ReportQuery) throws -> ReportResponse {
        let scope = try ReportPages.reportScope(ctx)
        guard let from = cpd.parseDay(query.from ?? ""), let to = cpd.parseDay(query.to ?? "") else {
            throw DomainError.invalid([FieldError(field: "from", message: "Give from and to as YYYY-MM-DD.")])
        }
        let report = try cpd.report(
            from: from.addingTimeInterval(-43_200), to: to.addingTimeInterval(43_200), members: scope)
        return ReportResponse(report)
    }
}
