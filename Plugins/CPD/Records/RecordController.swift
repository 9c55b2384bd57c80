import Kernel

/// A member's personal CPD record in the JSON API. Routes are declared in ``CPDAPI``.
///
/// ```swift
/// let record = RecordController(cpd: cpd)
/// api.get("/record", access: .members, summary: "Your record.", operationID: "getCPDRecord", use: record.show)
/// ```
struct RecordController: Sendable {
    let cpd: CPDService

    func show(_ ctx: RequestContext) throws -> RecordResponse {
        let me = try ctx.requireMember()
        let entries = try cpd.fullRecord(of: me.id)
        let minutes = try cpd.totalMinutes(of: me.id)
        return RecordResponse(totalHours: Double(minutes) / 60, items: entries.map(RecordEntryResponse.init))
    }

    func add(_ ctx: RequestContext, _ request: RecordRequest) throws -> Created<RecordEntryResponse> {
        let me = try ctx.requireMember()
        return Created(RecordEntryResponse(try cpd.addEntry(memberID: me.id, request.input)))
    }

    func recordImpact(_ ctx: RequestContext, _ id: Int64, _ request: RecordImpactRequest) throws
        -> RecordEntryResponse
    {
        let me = try ctx.requireMember()
        return RecordEntryResponse(
            try cpd.recordImpact(
                entryID: id, memberID: me.id, impact: request.impact, reflection: request.reflection))
    }
}
