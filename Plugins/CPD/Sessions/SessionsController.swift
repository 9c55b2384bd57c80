import Foundation
import HTTP
import Kernel

/// The sessions part of CPD's JSON API: list, read, offer, change and cancel sessions. Routes
/// are declared in ``CPDAPI``.
///
/// ```swift
/// let sessions = SessionsController(cpd: cpd)
/// api.get("/sessions/:id", summary: "One CPD session.", operationID: "getCPDSession", use: sessions.show)
/// ```
struct SessionsController: Sendable {
    let cpd: CPDService

    func list(_ ctx: RequestContext, _ query: SessionListQuery) throws -> SessionPage {
        let limit = SessionListQuery.limit(query.limit, default: 20)
        var cursor: (Date, Int64)?
        if let after = query.after {
            let parts = after.split(separator: "_").compactMap { Int64($0) }
            guard parts.count == 2 else { throw WebError.badRequest("The cursor is malformed.") }
            cursor = (Date(timeIntervalSince1970: Double(parts[0]) / 1000), parts[1])
        }
        let list = try cpd.sessions(
            viewer: ctx.viewer, from: ctx.now.addingTimeInterval(-86_400), area: query.area, limit: limit + 1,
            after: cursor)
        let page = Array(list.prefix(limit))
        var next: String?
        if list.count > limit, let last = page.last {
            next = "\(Int64((last.startsAt.timeIntervalSince1970 * 1000).rounded()))_\(last.id)"
        }
        let taken = try cpd.placesTaken(sessionIDs: page.map(\.id))
        return SessionPage(
            items: page.map {
                SessionResponse($0, cpd: cpd, taken: taken[$0.id] ?? (0, 0), forMember: ctx.member != nil)
            },
            next: next)
    }

    func create(_ ctx: RequestContext, _ request: SessionRequest) throws -> Created<SessionResponse> {
        let me = try ctx.requireActiveMember()
        let session = try cpd.offer(
            request.applied(to: SessionInput(durationMinutes: "", capacity: "")), by: me)
        return Created(SessionResponse(session, cpd: cpd, taken: (0, 0)))
    }

    func show(_ ctx: RequestContext, _ id: Int64) throws -> SessionResponse {
        let session = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        return SessionResponse(
            session, cpd: cpd, taken: try cpd.placesTaken(sessionID: session.id), forMember: ctx.member != nil
        )
    }

    func update(_ ctx: RequestContext, _ id: Int64, _ request: SessionRequest) throws -> SessionResponse {
        let me = try ctx.requireMember()
        let current = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = current.zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let handles = try current.facilitatorIDs.filter { $0 != current.organiserID }.compactMap {
            try cpd.membership.member(id: $0)?.handle
        }
        let base = SessionInput(
            title: current.title, description: current.description, areas: current.areas,
            facilitators: handles.joined(separator: ","), hostSchool: current.hostSchool,
            starts: formatter.string(from: current.startsAt), timeZone: current.timeZone,
            durationMinutes: String(current.durationMinutes), venue: current.venue,
            onlineURL: current.onlineURL,
            capacity: String(current.capacity))
        let session = try cpd.updateSession(id: current.id, request.applied(to: base), by: me)
        return SessionResponse(session, cpd: cpd, taken: try cpd.placesTaken(sessionID: session.id))
    }

    func cancel(_ ctx: RequestContext, _ id: Int64, _ request: OptionalBody<CancelSessionRequest>) throws
        -> SessionResponse
    {
        let me = try ctx.requireMember()
        let session = try cpd.cancelSession(id: id, by: me, reason: request.value?.reason ?? "")
        return SessionResponse(session, cpd: cpd)
    }
}
