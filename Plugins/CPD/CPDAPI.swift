import Kernel

/// The CPD part of the JSON API under /api/v1/cpd. Each operation is a named handler of a
/// controller per sub-feature; the OpenAPI document is derived from these declarations and the
/// types the handlers take and return (see docs/api.md).
struct CPDAPI {
    let cpd: CPDService

    func register(_ web: inout WebContributions) {
        let sessions = SessionsController(cpd: cpd)
        let bookings = BookingsController(cpd: cpd)
        let attendance = AttendanceController(cpd: cpd)
        let evaluations = EvaluationsController(cpd: cpd)
        let record = RecordController(cpd: cpd)
        let expertise = ExpertiseController(cpd: cpd)
        let reports = ReportsController(cpd: cpd)
        web.apiGroup("/api/v1/cpd", tag: "cpd") { api in
            api.get(
                "/sessions", summary: "Upcoming CPD sessions you may see, soonest first.",
                operationID: "listCPDSessions", errors: [.badRequest], use: sessions.list)
            api.post(
                "/sessions", access: .members, summary: "Offer a CPD session.",
                operationID: "offerCPDSession",
                errors: [.forbidden], use: sessions.create)
            api.get(
                "/sessions/:id", summary: "One CPD session.", operationID: "getCPDSession", use: sessions.show
            )
            api.patch(
                "/sessions/:id", access: .members,
                summary: "Change a session's details (facilitators); fields left out keep their values.",
                operationID: "updateCPDSession", errors: [.forbidden, .conflict], use: sessions.update)
            api.delete(
                "/sessions/:id", access: .members,
                summary: "Cancel a session (facilitators, administrators); everyone booked is told.",
                description: "The body, with a reason to pass on, may be left out.",
                operationID: "cancelCPDSession", errors: [.forbidden, .conflict], use: sessions.cancel)

            api.get(
                "/sessions/:id/bookings", access: .members,
                summary: "Bookings: all of them for facilitators, your own for anyone else.",
                operationID: "listCPDBookings", use: bookings.list)
            api.post(
                "/sessions/:id/bookings", access: .members,
                summary: "Book a place (or join the waiting list when full).", operationID: "bookCPDSession",
                errors: [.forbidden, .conflict], use: bookings.book)
            api.delete(
                "/sessions/:id/bookings", access: .members,
                summary: "Cancel your booking; the first person waiting gets the place.",
                operationID: "cancelCPDBooking", errors: [.conflict], use: bookings.cancel)

            api.get(
                "/sessions/:id/attendance", access: .members,
                summary: "The attendance register (facilitators and administrators).",
                operationID: "getCPDAttendance", errors: [.forbidden], use: attendance.register)
            api.put(
                "/sessions/:id/attendance", access: .members,
                summary: "Mark the register: the members present; everyone else booked is marked absent.",
                operationID: "markCPDAttendance", errors: [.forbidden, .conflict], use: attendance.mark)

            api.get(
                "/sessions/:id/evaluations", access: .members,
                summary: "Aggregated evaluations (facilitators and administrators).",
                operationID: "getCPDEvaluations", errors: [.forbidden], use: evaluations.summary)
            api.post(
                "/sessions/:id/evaluations", access: .members,
                summary:
                    "Evaluate a session you attended; with reaction/learning/practice/outcomes it is the follow-up.",
                operationID: "evaluateCPDSession", errors: [.forbidden, .conflict], use: evaluations.evaluate)

            api.get(
                "/record", access: .members, summary: "Your personal CPD record, newest first.",
                operationID: "getCPDRecord", use: record.show)
            api.post(
                "/record", access: .members, summary: "Add an entry to your CPD record.",
                operationID: "addCPDRecordEntry", use: record.add)
            api.patch(
                "/record/:id", access: .members, summary: "Add the impact follow-up to one of your entries.",
                operationID: "updateCPDRecordImpact", use: record.recordImpact)

            api.get(
                "/expertise", access: .members,
                summary: "The expertise taxonomy, or the experts in one area (with their school).",
                operationID: "findCPDExperts", errors: [.notFound], use: expertise.find)
            api.put(
                "/expertise", access: .members, summary: "Replace your areas of expertise.",
                operationID: "setCPDExpertise", errors: [.forbidden], use: expertise.set)

            api.get(
                "/reports", access: .members,
                summary: "Hours and participation per school and area; places given and taken per school.",
                description:
                    "Administrators see everyone; group chairs the members of the groups they chair.",
                operationID: "getCPDReport", errors: [.forbidden], use: reports.show)
        }
    }
}
