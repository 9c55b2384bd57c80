import HTTP
import Kernel

/// Bookings in CPD's JSON API: book a place, cancel it, see bookings. Routes are declared in
/// ``CPDAPI``.
///
/// ```swift
/// let bookings = BookingsController(cpd: cpd)
/// api.post("/sessions/:id/bookings", access: .members, summary: "Book a place.", operationID: "bookCPDSession", use: bookings.book)
/// ```
struct BookingsController: Sendable {
    let cpd: CPDService

    /// All of them for facilitators and administrators, your own for anyone else.
    func list(_ ctx: RequestContext, _ id: Int64) throws -> ItemList<BookingResponse> {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        if session.isRunBy(me.id) || me.isAdmin {
            return ItemList(
                try cpd.bookings(sessionID: session.id).map { BookingResponse($0.booking, member: $0.member) }
            )
        }
        let own = try cpd.booking(sessionID: session.id, memberID: me.id)
        return ItemList(
            [own].compactMap { $0 }.filter { $0.status != .cancelled }.map { BookingResponse($0) })
    }

    func book(_ ctx: RequestContext, _ id: Int64) throws -> Created<BookingResponse> {
        let me = try ctx.requireActiveMember()
        let session = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        return Created(BookingResponse(try cpd.book(sessionID: session.id, memberID: me.id)))
    }

    func cancel(_ ctx: RequestContext, _ id: Int64) throws -> BookingResponse {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        return BookingResponse(try cpd.cancelBooking(sessionID: session.id, memberID: me.id).cancelled)
    }
}

/// The attendance register in CPD's JSON API (facilitators and administrators).
struct AttendanceController: Sendable {
    let cpd: CPDService

    func register(_ ctx: RequestContext, _ id: Int64) throws -> ItemList<RegisterEntryResponse> {
        let me = try ctx.requireMember()
        let session = try cpd.visibleSession(id: id, viewer: ctx.viewer)
        guard session.isRunBy(me.id) || me.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators can see its register.")
        }
        let list = try cpd.bookings(sessionID: session.id).filter { $0.booking.status == .booked }
        return ItemList(
            list.map {
                RegisterEntryResponse(
                    memberID: $0.member.id, handle: $0.member.handle, name: $0.member.name,
                    attended: $0.booking.attended)
            })
    }

    func mark(_ ctx: RequestContext, _ id: Int64, _ request: AttendanceRequest) throws -> ItemList<
        BookingResponse
    > {
        let me = try ctx.requireMember()
        let list = try cpd.markAttendance(sessionID: id, present: Set(request.present), by: me)
        return ItemList(list.map { BookingResponse($0) })
    }
}
