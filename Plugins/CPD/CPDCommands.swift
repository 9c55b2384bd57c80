import Foundation
import Kernel

/// `pln admin cpd …`: sessions list|cancel|attendance, report, records export.
enum CPDCommands {
    static func command(_ cpd: CPDService) -> CommandSpec {
        .group(
            "cpd", abstract: "CPD sessions, reports and records.",
            [
                .group(
                    "sessions", abstract: "List, cancel and inspect CPD sessions.",
                    [
                        .command(ListSessions.self, cpd), .command(CancelSession.self, cpd),
                        .command(SessionAttendance.self, cpd),
                    ]),
                .command(ReportCommand.self, cpd),
                .group("records", abstract: "Members' CPD records.", [.command(ExportRecord.self, cpd)]),
            ])
    }

    /// A day in the network's time zone; the option's text is read by the service, whose zone it is.
    static func day(_ text: String?, option: String, in cpd: CPDService) throws -> Date {
        guard let text else { throw ConsoleError.usage("--\(option) is required (YYYY-MM-DD)") }
        guard let date = cpd.parseDay(text) else {
            throw ConsoleError.usage("--\(option) expects YYYY-MM-DD, got \"\(text)\"")
        }
        return date
    }
}

/// A session's number on the command line: a whole number above zero.
struct SessionNumber: CommandArgument {
    let value: Int64
    init?(argument: String) {
        guard let value = Int64(argument), value > 0 else { return nil }
        self.value = value
    }
    static var expectation: String { "a session number" }
    var argumentText: String { String(value) }
}

struct ListSessions: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "List sessions from today (or --from), soonest first.")
    @Option(help: "First day to list (YYYY-MM-DD).", valueName: "DATE") var from: String?
    @Option(help: "At most this many.", valueName: "N") var limit = 100
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ cpd: CPDService, console: Console) throws {
        let start =
            try from != nil
            ? CPDCommands.day(from, option: "from", in: cpd).addingTimeInterval(-43_200)
            : cpd.services.clock.now
        let list = try cpd.database.read { db in
            try db.query(
                "SELECT \(CPDSession.columns) FROM cpd_sessions s WHERE s.starts_at >= ? ORDER BY s.starts_at, s.id LIMIT ?",
                [start, PageSize.clamp(limit, to: 10_000)], CPDSession.decode)
        }
        let counts = try list.map { try cpd.placesTaken(sessionID: $0.id) }
        if json {
            console.printJSON(
                .array(
                    try zip(list, counts).map {
                        try JSONValue(encoding: SessionResponse($0.0, cpd: cpd, taken: $0.1))
                    }))
        } else {
            console.table(
                ["ID", "STARTS", "TITLE", "PLACES", "WAITING", "STATUS", "AUDIENCE"],
                zip(list, counts).map { session, taken in
                    [
                        String(session.id), CPDService.format(session.startsAt, of: session, style: .short),
                        session.title, "\(taken.booked)/\(session.capacity)", String(taken.waiting),
                        session.status.rawValue + (session.hidden ? " (hidden)" : ""),
                        session.audienceGroupID.map { "group \($0)" } ?? "network",
                    ]
                })
        }
    }
}

struct CancelSession: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "cancel", abstract: "Cancel a session; everyone booked is told by mail.")
    @Argument(help: "The session number.") var id: SessionNumber
    @Option(help: "Why (sent to everyone booked).", valueName: "TEXT") var reason = ""
    @Flag(help: "Do not ask for confirmation.") var yes: Bool

    func run(_ cpd: CPDService, console: Console) throws {
        guard let session = try cpd.session(id: id.value) else {
            throw ConsoleError.failure("no session \(id.value)")
        }
        try console.requireConfirmation(
            "Cancel \"\(session.title)\" and tell everyone booked?", unless: yes, refusal: "not cancelled")
        _ = try cpd.cancelSession(id: id.value, by: nil, reason: reason)
        console.print("cancelled session \(id.value)")
    }
}

struct SessionAttendance: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "attendance", abstract: "Show a session's bookings and register.")
    @Argument(help: "The session number.") var id: SessionNumber
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ cpd: CPDService, console: Console) throws {
        guard try cpd.session(id: id.value) != nil else {
            throw ConsoleError.failure("no session \(id.value)")
        }
        let list = try cpd.bookings(sessionID: id.value)
        if json {
            console.printJSON(
                .array(
                    list.map { item in
                        .object([
                            ("handle", .string(item.member.handle)), ("name", .string(item.member.name)),
                            ("status", .string(item.booking.status.rawValue)),
                            ("attended", item.booking.attended.map { .bool($0) } ?? .null),
                        ])
                    }))
        } else {
            console.table(
                ["HANDLE", "NAME", "STATUS", "ATTENDED"],
                list.map {
                    [
                        $0.member.handle, $0.member.name,
                        $0.booking.status.rawValue + ($0.booking.position.map { " #\($0)" } ?? ""),
                        $0.booking.attended.map { $0 ? "yes" : "no" } ?? "-",
                    ]
                })
        }
    }
}

struct ReportCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "report", abstract: "Hours and participation per school and area, places given and taken.")
    @Option(help: "First day (YYYY-MM-DD).", valueName: "DATE") var from: String?
    @Option(help: "Last day (YYYY-MM-DD).", valueName: "DATE") var to: String?
    @Flag(help: "Print CSV.") var csv: Bool
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ cpd: CPDService, console: Console) throws {
        let start = try CPDCommands.day(from, option: "from", in: cpd).addingTimeInterval(-43_200)
        let end = try CPDCommands.day(to, option: "to", in: cpd).addingTimeInterval(43_200)
        if end <= start { throw ConsoleError.usage("--to must not be before --from") }
        let result = try cpd.report(from: start, to: end)
        if csv {
            console.print(String(CPDService.reportCSV(result).dropLast(2)))
        } else if json {
            console.printJSON(try JSONValue(encoding: ReportResponse(result)))
        } else {
            console.table(
                ["SCHOOL", "PARTICIPANTS", "HOURS", "OFFERED", "GIVEN", "TAKEN"],
                result.schools.map {
                    [
                        $0.school, String($0.participants), Hours.text(minutes: $0.minutes),
                        String($0.sessionsOffered), String($0.placesGiven), String($0.placesTaken),
                    ]
                })
            console.print()
            console.table(
                ["AREA", "SESSIONS", "PARTICIPANTS", "HOURS"],
                result.areas.map {
                    [$0.area, String($0.sessions), String($0.participants), Hours.text(minutes: $0.minutes)]
                })
        }
    }
}

struct ExportRecord: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "export", abstract: "Print one member's CPD record as CSV.")
    @Argument(help: "The member's handle.") var handle: String

    func run(_ cpd: CPDService, console: Console) throws {
        guard let member = try cpd.membership.member(handle: handle) else {
            throw ConsoleError.failure(
                "no member with the handle \"\(handle)\"", hint: "list members with `pln admin members list`")
        }
        console.print(String(try cpd.recordCSV(of: member.id).dropLast(2)))
    }
}
