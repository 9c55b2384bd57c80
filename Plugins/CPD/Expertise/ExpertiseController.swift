import Kernel

/// The expertise directory in CPD's JSON API. Routes are declared in ``CPDAPI``.
///
/// ```swift
/// let expertise = ExpertiseController(cpd: cpd)
/// api.get("/expertise", access: .members, summary: "Find experts.", operationID: "findCPDExperts", use: expertise.find)
/// ```
struct ExpertiseController: Sendable {
    let cpd: CPDService

    func find(_ ctx: RequestContext, _ query: ExpertiseQuery) throws -> ExpertiseResponse {
        if let area = query.area {
            guard cpd.areas.contains(area) else { throw DomainError.notFound }
            let experts = try cpd.experts(in: area, limit: 200)
            return ExpertiseResponse(area: area, items: experts.map(ExpertResponse.init))
        }
        let counts = try cpd.expertCounts()
        return ExpertiseResponse(
            areas: cpd.areas.map { ExpertiseAreaResponse(area: $0, experts: counts[$0] ?? 0) })
    }

    func set(_ ctx: RequestContext, _ request: ExpertiseRequest) throws -> NoContent {
        let me = try ctx.requireActiveMember()
        var entries: [String: String] = [:]
        for item in request.items ?? [] { entries[item.area] = item.statement ?? "" }
        try cpd.setExpertise(memberID: me.id, entries)
        return NoContent()
    }
}
