import Kernel

/// Evaluations in CPD's JSON API: attendees evaluate (and follow up weeks later); facilitators
/// see the aggregate. Routes are declared in ``CPDAPI``.
///
/// ```swift
/// let evaluations = EvaluationsController(cpd: cpd)
/// api.post("/sessions/:id/evaluations", access: .members, summary: "Evaluate.", operationID: "evaluateCPDSession", use: evaluations.evaluate)
/// ```
struct EvaluationsController: Sendable {
    let cpd: CPDService

    func summary(_ ctx: RequestContext, _ id: Int64) throws -> EvaluationSummaryResponse {
        EvaluationSummaryResponse(try cpd.evaluationSummary(sessionID: id, by: try ctx.requireMember()))
    }

    func evaluate(_ ctx: RequestContext, _ id: Int64, _ request: EvaluationRequest) throws -> NoContent {
        let me = try ctx.requireMember()
        _ = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        if request.reaction != nil {
            try cpd.followUp(
                sessionID: id, memberID: me.id, reaction: request.reaction, learning: request.learning,
                practice: request.practice, outcomes: request.outcomes, comment: request.comment ?? "")
        } else {
            try cpd.evaluate(
                sessionID: id, memberID: me.id, rating: request.rating, willChange: request.willChange ?? "")
        }
        return NoContent()
    }
}
