import Foundation
import Kernel

/// `pln admin cpd …`: sessions list|cancel|attendance, report, records export.
enum CPDCommands {
    static func command(_ cpd: CPDService) -> CommandSpec {
        let json = ArgumentSpec.flag("json", "Print JSON.")
        @Sendable func sessionID(_ args: ParsedArguments) throws -> Int64 {
            let text = try args.required("id")
            guard let id = Int64(text), id > 0 else {
                throw ConsoleError.usage("<id> must be a session number, got \"\(text)\"")
            }
            return id
        }
        @Sendable func day(_ args: ParsedArguments, _ name: String) throws -> Date {
            guard let text = args[name] else {
                throw ConsoleError.usage("--\(name) is required (YYYY-MM-DD)")
            }
            guard let date = cpd.parseDay(text) else {
                throw ConsoleError.usage("--\(name) expects YYYY-MM-DD, got \"\(text)\"")
            }
            return date
        }

        let sessions = CommandSpec(
            name: "sessions", abstract: "List, cancel and inspect CPD sessions.",
            subcommands: [
                CommandSpec(
                    name: "list", abstract: "List sessions from today (or --from), soonest first.",
                    arguments: [
                        .option("from", "First day to list (YYYY-MM-DD).", valueName: "DATE"),
                        .option("limit", "At most this many.", valueName: "N", default: "100"), json,
                    ]
                ) { args, console in
                    let from =
                        try args["from"] != nil
                        ? day(args, "from").addingTimeInterval(-43_200) : cpd.services.clock.now
                    let limit = try args.integer("limit") ?? 100
                    let list = try cpd.database.read { db in
                        try db.query(
                            "SELECT \(CPDSession.columns) FROM cpd_sessions s WHERE s.starts_at >= ? ORDER BY s.starts_at, s.id LIMIT ?",
                            [from, PageSize.clamp(limit, to: 10_000)], CPDSession.decode)
                    }
                    let counts = try list.map { try cpd.placesTaken(sessionID: $0.id) }
                    if args.json {
                        console.printJSON(
                            .array(zip(list, counts).map { CPDAPI.sessionJSON($0.0, cpd: cpd, taken: $0.1) }))
                    } else {
                        console.table(
                            ["ID", "STARTS", "TITLE", "PLACES", "WAITING", "STATUS", "AUDIENCE"],
                            zip(list, counts).map { session, taken in
                                [
                                    String(session.id),
                                    CPDService.format(session.startsAt, of: session, style: .short),
                                    session.title, "\(taken.booked)/\(session.capacity)",
                                    String(taken.waiting),
                                    session.status.rawValue + (session.hidden ? " (hidden)" : ""),
                                    session.audienceGroupID.map { "group \($0)" } ?? "network",
                                ]
                            })
                    }
                },
                CommandSpec(
                    name: "cancel", abstract: "Cancel a session; everyone booked is told by mail.",
                    arguments: [
                        .positional("id", "The session number."),
                        .option("reason", "Why (sent to everyone booked).", valueName: "TEXT", default: ""),
                        .flag("yes", "Do not ask for confirmation."),
                    ]
                ) { args, console in
                    let id = try sessionID(args)
                    guard let session = try cpd.session(id: id) else {
                        throw ConsoleError.failure("no session \(id)")
                    }
                    if !args.flag("yes")
                        && !console.confirm("Cancel \"\(session.title)\" and tell everyone booked?")
                    {
                        throw ConsoleError.failure("not cancelled")
                    }
                    _ = try cpd.cancelSession(id: id, by: nil, reason: args["reason"] ?? "")
                    console.print("cancelled session \(id)")
                },
                CommandSpec(
                    name: "attendance", abstract: "Show a session's bookings and register.",
                    arguments: [.positional("id", "The session number."), json]
                ) { args, console in
                    let id = try sessionID(args)
                    guard try cpd.session(id: id) != nil else {
                        throw ConsoleError.failure("no session \(id)")
                    }
                    let list = try cpd.bookings(sessionID: id)
                    if args.json {
                        console.printJSON(
                            .array(
                                list.map { item in
                                    .object([
                                        ("handle", .string(item.member.handle)),
                                        ("name", .string(item.member.name)),
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
                                    $0.booking.status.rawValue
                                        + ($0.booking.position.map { " #\($0)" } ?? ""),
                                    $0.booking.attended.map { $0 ? "yes" : "no" } ?? "-",
                                ]
                            })
                    }
                },
            ])

        let report = CommandSpec(
            name: "report", abstract: "Hours and participation per school and area, places given and taken.",
            arguments: [
                .option("from", "First day (YYYY-MM-DD).", valueName: "DATE"),
                .option("to", "Last day (YYYY-MM-DD).", valueName: "DATE"), .flag("csv", "Print CSV."), json,
            ]
        ) { args, console in
            let from = try day(args, "from").addingTimeInterval(-43_200)
            let to = try day(args, "to").addingTimeInterval(43_200)
            if to <= from { throw ConsoleError.usage("--to must not be before --from") }
            let result = try cpd.report(from: from, to: to)
            if args.flag("csv") {
                console.print(String(CPDService.reportCSV(result).dropLast(2)))
            } else if args.json {
                console.printJSON(CPDAPI.reportJSON(result))
            } else {
                console.table(
                    ["SCHOOL", "PARTICIPANTS", "HOURS", "OFFERED", "GIVEN", "TAKEN"],
                    result.schools.map {
                        [
                            $0.school, String($0.participants), Hours.text(minutes: $0.minutes),
                            String($0.sessionsOffered),
                            String($0.placesGiven), String($0.placesTaken),
                        ]
                    })
                console.print()
                console.table(
                    ["AREA", "SESSIONS", "PARTICIPANTS", "HOURS"],
                    result.areas.map {
                        [
                            $0.area, String($0.sessions), String($0.participants),
                            Hours.text(minutes: $0.minutes),
                        ]
                    })
            }
        }

        let records = CommandSpec(
            name: "records", abstract: "Members' CPD records.",
            subcommands: [
                CommandSpec(
                    name: "export", abstract: "Print one member's CPD record as CSV.",
                    arguments: [.positional("handle", "The member's handle.")]
                ) { args, console in
                    let handle = try args.required("handle")
                    guard let member = try cpd.membership.member(handle: handle) else {
                        throw ConsoleError.failure(
                            "no member with the handle \"\(handle)\"",
                            hint: "list members with `pln admin members list`")
                    }
                    console.print(String(try cpd.recordCSV(of: member.id).dropLast(2)))
                }
            ])

        return CommandSpec(
            name: "cpd", abstract: "CPD sessions, reports and records.",
            subcommands: [sessions, report, records])
    }
}
