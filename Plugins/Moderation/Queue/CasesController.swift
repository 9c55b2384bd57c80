import HTTP
import Kernel

/// The review queue part of the moderation API: list cases, read one (or the one a report
/// belongs to), assign it, add private notes. Routes are declared in ``ModerationAPI``.
///
/// ```swift
/// let cases = CasesController(moderation: moderation)
/// api.get("/cases/:id", access: .moderators, summary: "One case.", operationID: "moderationCase", use: cases.show)
/// ```
struct CasesController: Sendable {
    let moderation: ModerationService

    func queue(_ ctx: RequestContext, _ query: QueueQuery) throws -> CursorPage<CaseResponse> {
        let me = try ctx.requireMember()
        var filter = QueueFilter(status: query.status ?? "active", kind: query.kind)
        if let text = query.category {
            guard let category = ReportCategory(rawValue: text) else {
                throw DomainError.invalid([
                    FieldError(field: "category", message: "Unknown category \"\(text)\".")
                ])
            }
            filter.category = category
        }
        if query.assigned == "me" { filter.assignedTo = me.id }
        let page = try moderation.queue(
            filter, limit: QueueQuery.limit(query.limit, default: 25), after: query.after)
        return CursorPage(items: page.cases.map(CaseResponse.init), next: page.next)
    }

    func show(_ ctx: RequestContext, _ id: Int64) throws -> CaseDetailResponse {
        CaseDetailResponse(try moderation.detail(caseID: id))
    }

    func showReport(_ ctx: RequestContext, _ reportID: Int64) throws -> CaseDetailResponse {
        guard let caseID = try moderation.caseID(ofReport: reportID) else { throw DomainError.notFound }
        return CaseDetailResponse(try moderation.detail(caseID: caseID))
    }

    /// No body assigns the case to the caller, as `{"to": "me"}` does.
    func assign(_ ctx: RequestContext, _ id: Int64, _ request: OptionalBody<AssignRequest>) throws
        -> CaseDetailResponse
    {
        let me = try ctx.requireMember()
        try moderation.assign(caseID: id, to: request.value?.to == .nobody ? nil : me.id)
        return CaseDetailResponse(try moderation.detail(caseID: id))
    }

    func addNote(_ ctx: RequestContext, _ id: Int64, _ request: NoteRequest) throws -> Created<
        NewCaseNoteResponse
    > {
        let me = try ctx.requireMember()
        do {
            let note = try moderation.addNote(caseID: id, body: request.body, by: ModeratorRef(member: me))
            return Created(NewCaseNoteResponse(note))
        } catch DomainError.invalid(let errors) {
            // The service names the page form's field ("note"); the API's is `body`.
            throw DomainError.invalid(
                errors.map { FieldError(field: $0.field == "note" ? "body" : $0.field, message: $0.message) })
        }
    }
}
