import Foundation
import HTTP
import Kernel
import Membership

/// The CPD part of the JSON API under /api/v1/cpd, described in the OpenAPI document.
struct CPDAPI {
    let cpd: CPDService

    /// `forMember`: visitors never get the online link.
    static func sessionJSON(
        _ session: CPDSession, cpd: CPDService, taken: (booked: Int, waiting: Int)? = nil,
        forMember: Bool = true
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(session.id)), ("title", .string(session.title)),
            ("description", .string(session.description)),
            ("areas", .array(session.areas.map { .string($0) })), ("organiser_id", .int(session.organiserID)),
            ("facilitator_ids", .array(session.facilitatorIDs.map { .int($0) })),
            ("group_id", JSONValue(session.groupID)),
            ("audience_group_id", JSONValue(session.audienceGroupID)),
            ("host_school", .string(session.hostSchool)), ("starts_at", JSONValue(session.startsAt)),
            ("time_zone", .string(session.timeZone)),
            ("starts_local", .string(CPDService.format(session.startsAt, of: session, style: .long))),
            ("duration_minutes", JSONValue(session.durationMinutes)), ("venue", .string(session.venue)),
            ("online_url", .string(forMember ? session.onlineURL : "")),
            ("capacity", JSONValue(session.capacity)),
            ("status", .string(session.status.rawValue)), ("sequence", JSONValue(session.sequence)),
            ("booking_closes_at", JSONValue(cpd.bookingClosesAt(session))), ("url", .string(session.path)),
        ]
        if let taken {
            fields.append(("places_taken", JSONValue(taken.booked)))
            fields.append(("waiting", JSONValue(taken.waiting)))
        }
        return .object(fields)
    }

    static func bookingJSON(_ booking: Booking) -> JSONValue {
        .object([
            ("id", .int(booking.id)), ("session_id", .int(booking.sessionID)),
            ("member_id", .int(booking.memberID)),
            ("status", .string(booking.status.rawValue)),
            ("position", booking.position.map { JSONValue($0) } ?? .null),
            ("attended", booking.attended.map { .bool($0) } ?? .null),
            ("booked_at", JSONValue(booking.createdAt)),
        ])
    }

    static func recordJSON(_ entry: RecordEntry) -> JSONValue {
        .object([
            ("id", .int(entry.id)), ("title", .string(entry.title)), ("date", JSONValue(entry.date)),
            ("hours", .double(entry.hours)), ("minutes", JSONValue(entry.minutes)),
            ("kind", .string(entry.kind.rawValue)),
            ("pupil_focus", .string(entry.pupilFocus.rawValue)), ("standard", .string(entry.standard)),
            ("evidence_url", .string(entry.evidenceURL)), ("reflection", .string(entry.reflection)),
            ("impact", .string(entry.impact)), ("impact_at", JSONValue(entry.impactAt)),
            ("session_id", JSONValue(entry.sessionID)),
        ])
    }

    static func string(_ body: JSONValue, _ key: String) -> String {
        switch body[key] {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        default: return ""
        }
    }

    static func int(_ body: JSONValue, _ key: String) -> Int? {
        switch body[key] {
        case .int(let number)?: return Int(exactly: number)
        case .string(let text)?: return Int(text)
        default: return nil
        }
    }

    func register(_ web: inout WebContributions) {
        let cpd = self.cpd
        let bearer: JSONValue = [["bearer": []]]
        let idParameter: JSONValue = [
            "name": "id", "in": "path", "required": true, "schema": ["type": "integer"],
        ]
        web.schema(
            "CPDSession",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "title": ["type": "string"], "description": ["type": "string"],
                    "areas": ["type": "array", "items": ["type": "string"]],
                    "organiser_id": ["type": "integer"],
                    "facilitator_ids": ["type": "array", "items": ["type": "integer"]],
                    "group_id": ["type": ["integer", "null"]],
                    "audience_group_id": ["type": ["integer", "null"]],
                    "host_school": ["type": "string"],
                    "starts_at": ["type": "string", "format": "date-time"],
                    "time_zone": ["type": "string"], "duration_minutes": ["type": "integer"],
                    "venue": ["type": "string"], "online_url": ["type": "string"],
                    "capacity": ["type": "integer"],
                    "status": ["type": "string", "enum": ["scheduled", "cancelled"]],
                    "places_taken": ["type": "integer"], "waiting": ["type": "integer"],
                ],
            ])
        web.schema(
            "CPDRecordEntry",
            [
                "type": "object",
                "properties": [
                    "id": ["type": "integer"], "title": ["type": "string"],
                    "date": ["type": "string", "format": "date-time"],
                    "hours": ["type": "number"],
                    "kind": [
                        "type": "string", "enum": .array(RecordKind.allCases.map { .string($0.rawValue) }),
                    ],
                    "pupil_focus": ["type": "string", "enum": ["direct", "indirect"]],
                    "standard": ["type": "string"],
                    "evidence_url": ["type": "string", "format": "uri"], "reflection": ["type": "string"],
                    "impact": ["type": "string"], "session_id": ["type": ["integer", "null"]],
                ],
            ])
        let sessionRef: JSONValue = ["$ref": "#/components/schemas/CPDSession"]

        web.api(
            "GET", "/api/v1/cpd/sessions",
            operation: [
                "summary": "Upcoming CPD sessions you may see, soonest first.",
                "operationId": "listCPDSessions",
                "parameters": [
                    ["name": "area", "in": "query", "schema": ["type": "string"]],
                    [
                        "name": "after", "in": "query", "schema": ["type": "string"],
                        "description": "Cursor from the previous page's `next`.",
                    ],
                    [
                        "name": "limit", "in": "query",
                        "schema": ["type": "integer", "minimum": 1, "maximum": 100],
                    ],
                ],
                "responses": ["200": ["description": "A page of sessions."]],
            ]
        ) { ctx in
            let limit = min(100, max(1, ctx.query("limit").flatMap(Int.init) ?? 20))
            var cursor: (Date, Int64)?
            if let after = ctx.query("after") {
                let parts = after.split(separator: "_").compactMap { Int64($0) }
                guard parts.count == 2 else { throw WebError.badRequest("The cursor is malformed.") }
                cursor = (Date(timeIntervalSince1970: Double(parts[0]) / 1000), parts[1])
            }
            let viewer = ctx.viewer
            let list = try cpd.sessions(
                viewer: viewer, from: ctx.now.addingTimeInterval(-86_400), area: ctx.query("area"),
                limit: limit + 1,
                after: cursor)
            let page = Array(list.prefix(limit))
            var next: JSONValue = .null
            if list.count > limit, let last = page.last {
                next = .string("\(Int64((last.startsAt.timeIntervalSince1970 * 1000).rounded()))_\(last.id)")
            }
            let taken = try cpd.placesTaken(sessionIDs: page.map(\.id))
            return ctx.json([
                "items": .array(
                    page.map {
                        Self.sessionJSON(
                            $0, cpd: cpd, taken: taken[$0.id] ?? (0, 0), forMember: ctx.member != nil)
                    }),
                "next": next,
            ])
        }

        web.api(
            "POST", "/api/v1/cpd/sessions", access: .members,
            operation: [
                "summary": "Offer a CPD session.", "operationId": "offerCPDSession", "security": bearer,
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": [
                        "title": ["type": "string"], "description": ["type": "string"],
                        "areas": ["type": "array", "items": ["type": "string"]],
                        "facilitators": [
                            "type": "array", "items": ["type": "string"], "description": "Handles.",
                        ],
                        "host_school": ["type": "string"],
                        "starts": [
                            "type": "string", "description": "Local wall-clock time, YYYY-MM-DDTHH:MM.",
                        ],
                        "time_zone": ["type": "string", "description": "IANA zone; default the network's."],
                        "duration_minutes": ["type": "integer"], "venue": ["type": "string"],
                        "online_url": ["type": "string"], "capacity": ["type": "integer"],
                        "audience_group_id": ["type": "integer"], "group_id": ["type": "integer"],
                    ],
                    "required": ["title", "starts", "duration_minutes", "capacity"],
                ]),
                "responses": [
                    "201": [
                        "description": "The session.",
                        "content": ["application/json": ["schema": sessionRef]],
                    ],
                    "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let body = try ctx.jsonBody()
            let input = SessionInput(
                title: Self.string(body, "title"), description: Self.string(body, "description"),
                areas: body["areas"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                facilitators: (body["facilitators"]?.arrayValue?.compactMap(\.stringValue) ?? []).joined(
                    separator: ","),
                hostSchool: Self.string(body, "host_school"), starts: Self.string(body, "starts"),
                timeZone: Self.string(body, "time_zone"),
                durationMinutes: Self.string(body, "duration_minutes"),
                venue: Self.string(body, "venue"), onlineURL: Self.string(body, "online_url"),
                capacity: Self.string(body, "capacity"),
                audienceGroup: Self.string(body, "audience_group_id"),
                onBehalfOfGroup: Self.string(body, "group_id"))
            let session = try cpd.offer(input, by: me)
            return ctx.json(Self.sessionJSON(session, cpd: cpd, taken: (0, 0)), status: .created)
        }

        web.api(
            "GET", "/api/v1/cpd/sessions/:id",
            operation: [
                "summary": "One CPD session.", "operationId": "getCPDSession", "parameters": [idParameter],
                "responses": [
                    "200": [
                        "description": "The session.",
                        "content": ["application/json": ["schema": sessionRef]],
                    ],
                    "404": ["description": "No such session, or not visible to you."],
                ],
            ]
        ) { ctx in
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            return ctx.json(
                Self.sessionJSON(
                    session, cpd: cpd, taken: try cpd.placesTaken(sessionID: session.id),
                    forMember: ctx.member != nil))
        }

        web.api(
            "PATCH", "/api/v1/cpd/sessions/:id", access: .members,
            operation: [
                "summary": "Change a session's details (facilitators); fields left out keep their values.",
                "operationId": "updateCPDSession", "security": bearer, "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody(["type": "object"]),
                "responses": [
                    "200": [
                        "description": "The session.",
                        "content": ["application/json": ["schema": sessionRef]],
                    ],
                    "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let current = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            let body = try ctx.jsonBody()
            func field(_ key: String, _ fallback: String) -> String {
                body[key] == nil ? fallback : Self.string(body, key)
            }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = current.zone
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            let handles = try current.facilitatorIDs.filter { $0 != current.organiserID }.compactMap {
                try cpd.membership.member(id: $0)?.handle
            }
            let input = SessionInput(
                title: field("title", current.title), description: field("description", current.description),
                areas: body["areas"]?.arrayValue?.compactMap(\.stringValue) ?? current.areas,
                facilitators: (body["facilitators"]?.arrayValue?.compactMap(\.stringValue) ?? handles).joined(
                    separator: ","),
                hostSchool: field("host_school", current.hostSchool),
                starts: field("starts", formatter.string(from: current.startsAt)),
                timeZone: field("time_zone", current.timeZone),
                durationMinutes: field("duration_minutes", String(current.durationMinutes)),
                venue: field("venue", current.venue), onlineURL: field("online_url", current.onlineURL),
                capacity: field("capacity", String(current.capacity)))
            let session = try cpd.updateSession(id: current.id, input, by: me)
            return ctx.json(
                Self.sessionJSON(session, cpd: cpd, taken: try cpd.placesTaken(sessionID: session.id)))
        }

        web.api(
            "DELETE", "/api/v1/cpd/sessions/:id", access: .members,
            operation: [
                "summary": "Cancel a session (facilitators, administrators); everyone booked is told.",
                "operationId": "cancelCPDSession", "security": bearer, "parameters": [idParameter],
                "responses": [
                    "200": ["description": "The cancelled session."], "403": ["description": "Not yours."],
                    "409": ["description": "Already cancelled."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let reason = ctx.request.body.isEmpty ? "" : Self.string(try ctx.jsonBody(), "reason")
            let session = try cpd.cancelSession(id: try ctx.idParameter("id"), by: me, reason: reason)
            return ctx.json(Self.sessionJSON(session, cpd: cpd))
        }

        web.api(
            "GET", "/api/v1/cpd/sessions/:id/bookings", access: .members,
            operation: [
                "summary": "Bookings: all of them for facilitators, your own for anyone else.",
                "operationId": "listCPDBookings", "security": bearer, "parameters": [idParameter],
                "responses": ["200": ["description": "Bookings in order (booked, then the waiting list)."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            if session.isRunBy(me.id) || me.isAdmin {
                let list = try cpd.bookings(sessionID: session.id)
                return ctx.json([
                    "items": .array(
                        list.map { item in
                            var json = Self.bookingJSON(item.booking)
                            if case .object(var fields) = json {
                                fields.append(("handle", .string(item.member.handle)))
                                fields.append(("name", .string(item.member.name)))
                                json = .object(fields)
                            }
                            return json
                        })
                ])
            }
            let own = try cpd.booking(sessionID: session.id, memberID: me.id)
            return ctx.json([
                "items": .array(
                    [own].compactMap { $0 }.filter { $0.status != .cancelled }.map { Self.bookingJSON($0) })
            ])
        }

        web.api(
            "POST", "/api/v1/cpd/sessions/:id/bookings", access: .members,
            operation: [
                "summary": "Book a place (or join the waiting list when full).",
                "operationId": "bookCPDSession",
                "security": bearer, "parameters": [idParameter],
                "responses": [
                    "201": ["description": "Your booking; status is booked or waiting."],
                    "409": ["description": "Already booked, cancelled session, or booking closed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            let booking = try cpd.book(sessionID: session.id, memberID: me.id)
            return ctx.json(Self.bookingJSON(booking), status: .created)
        }

        web.api(
            "DELETE", "/api/v1/cpd/sessions/:id/bookings", access: .members,
            operation: [
                "summary": "Cancel your booking; the first person waiting gets the place.",
                "operationId": "cancelCPDBooking", "security": bearer, "parameters": [idParameter],
                "responses": [
                    "200": ["description": "Your cancelled booking."], "409": ["description": "No booking."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            let result = try cpd.cancelBooking(sessionID: session.id, memberID: me.id)
            return ctx.json(Self.bookingJSON(result.cancelled))
        }

        web.api(
            "GET", "/api/v1/cpd/sessions/:id/attendance", access: .members,
            operation: [
                "summary": "The attendance register (facilitators and administrators).",
                "operationId": "getCPDAttendance", "security": bearer, "parameters": [idParameter],
                "responses": ["200": ["description": "Booked members and whether they attended."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let session = try cpd.visibleSession(id: try ctx.idParameter("id"), viewer: ctx.viewer)
            guard session.isRunBy(me.id) || me.isAdmin else {
                throw DomainError.forbidden("Only the session's facilitators can see its register.")
            }
            let list = try cpd.bookings(sessionID: session.id).filter { $0.booking.status == .booked }
            return ctx.json([
                "items": .array(
                    list.map {
                        .object([
                            ("member_id", .int($0.member.id)), ("handle", .string($0.member.handle)),
                            ("name", .string($0.member.name)),
                            ("attended", $0.booking.attended.map { .bool($0) } ?? .null),
                        ])
                    })
            ])
        }

        web.api(
            "PUT", "/api/v1/cpd/sessions/:id/attendance", access: .members,
            operation: [
                "summary": "Mark the register: the members present; everyone else booked is marked absent.",
                "operationId": "markCPDAttendance", "security": bearer, "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": ["present": ["type": "array", "items": ["type": "integer"]]],
                    "required": ["present"],
                ]),
                "responses": [
                    "200": ["description": "The register."], "409": ["description": "Not started yet."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let body = try ctx.jsonBody()
            guard let items = body["present"]?.arrayValue else {
                throw DomainError.invalid([
                    FieldError(field: "present", message: "Give the ids of the members present.")
                ])
            }
            let present = Set(items.compactMap(\.intValue))
            let list = try cpd.markAttendance(sessionID: try ctx.idParameter("id"), present: present, by: me)
            return ctx.json(["items": .array(list.map { Self.bookingJSON($0) })])
        }

        web.api(
            "GET", "/api/v1/cpd/sessions/:id/evaluations", access: .members,
            operation: [
                "summary": "Aggregated evaluations (facilitators and administrators).",
                "operationId": "getCPDEvaluations", "security": bearer, "parameters": [idParameter],
                "responses": ["200": ["description": "Counts and averages; comments without names."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let summary = try cpd.evaluationSummary(sessionID: try ctx.idParameter("id"), by: me)
            func average(_ value: Double?) -> JSONValue {
                value.map { .double(($0 * 100).rounded() / 100) } ?? .null
            }
            return ctx.json(
                .object([
                    ("responses", JSONValue(summary.responses)),
                    ("average_rating", average(summary.averageRating)),
                    ("distribution", .array(summary.distribution.map { JSONValue($0) })),
                    ("will_change", .array(summary.changes.map { .string($0) })),
                    ("follow_ups", JSONValue(summary.followUps)),
                    ("average_reaction", average(summary.averageReaction)),
                    ("average_learning", average(summary.averageLearning)),
                    ("average_practice", average(summary.averagePractice)),
                    ("average_outcomes", average(summary.averageOutcomes)),
                    ("impact_comments", .array(summary.impactComments.map { .string($0) })),
                ]))
        }

        web.api(
            "POST", "/api/v1/cpd/sessions/:id/evaluations", access: .members,
            operation: [
                "summary":
                    "Evaluate a session you attended; with reaction/learning/practice/outcomes it is the follow-up.",
                "operationId": "evaluateCPDSession", "security": bearer, "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": [
                        "rating": ["type": "integer", "minimum": 1, "maximum": 5],
                        "will_change": ["type": "string"],
                        "reaction": ["type": "integer", "minimum": 1, "maximum": 5],
                        "learning": ["type": "integer", "minimum": 1, "maximum": 5],
                        "practice": ["type": "integer", "minimum": 1, "maximum": 5],
                        "outcomes": ["type": "integer", "minimum": 1, "maximum": 5],
                        "comment": ["type": "string"],
                    ],
                ]),
                "responses": [
                    "204": ["description": "Saved."], "403": ["description": "You did not attend."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let id = try ctx.idParameter("id")
            _ = try cpd.visibleSession(id: id, viewer: ctx.viewer)
            let body = try ctx.jsonBody()
            if body["reaction"] != nil {
                try cpd.followUp(
                    sessionID: id, memberID: me.id, reaction: Self.int(body, "reaction"),
                    learning: Self.int(body, "learning"), practice: Self.int(body, "practice"),
                    outcomes: Self.int(body, "outcomes"), comment: Self.string(body, "comment"))
            } else {
                try cpd.evaluate(
                    sessionID: id, memberID: me.id, rating: Self.int(body, "rating"),
                    willChange: Self.string(body, "will_change"))
            }
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        web.api(
            "GET", "/api/v1/cpd/record", access: .members,
            operation: [
                "summary": "Your personal CPD record, newest first.", "operationId": "getCPDRecord",
                "security": bearer,
                "responses": ["200": ["description": "Entries and total hours."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let entries = try cpd.fullRecord(of: me.id)
            let minutes = try cpd.totalMinutes(of: me.id)
            return ctx.json([
                "total_hours": .double(Double(minutes) / 60),
                "items": .array(entries.map { Self.recordJSON($0) }),
            ])
        }

        web.api(
            "POST", "/api/v1/cpd/record", access: .members,
            operation: [
                "summary": "Add an entry to your CPD record.", "operationId": "addCPDRecordEntry",
                "security": bearer,
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": [
                        "title": ["type": "string"], "date": ["type": "string", "format": "date"],
                        "hours": ["type": "number"],
                        "kind": [
                            "type": "string",
                            "enum": .array(RecordKind.allCases.map { .string($0.rawValue) }),
                        ],
                        "pupil_focus": ["type": "string", "enum": ["direct", "indirect"]],
                        "standard": ["type": "string"], "evidence_url": ["type": "string"],
                        "reflection": ["type": "string"],
                    ],
                    "required": ["title", "date", "hours", "kind", "pupil_focus"],
                ]),
                "responses": [
                    "201": ["description": "The entry."], "422": ["description": "Validation failed."],
                ],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let body = try ctx.jsonBody()
            let entry = try cpd.addEntry(
                memberID: me.id,
                RecordInput(
                    title: Self.string(body, "title"), date: Self.string(body, "date"),
                    hours: Self.string(body, "hours"),
                    kind: Self.string(body, "kind"), pupilFocus: Self.string(body, "pupil_focus"),
                    standard: Self.string(body, "standard"), evidenceURL: Self.string(body, "evidence_url"),
                    reflection: Self.string(body, "reflection")))
            return ctx.json(Self.recordJSON(entry), status: .created)
        }

        web.api(
            "PATCH", "/api/v1/cpd/record/:id", access: .members,
            operation: [
                "summary": "Add the impact follow-up to one of your entries.",
                "operationId": "updateCPDRecordImpact",
                "security": bearer, "parameters": [idParameter],
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": ["impact": ["type": "string"], "reflection": ["type": "string"]],
                    "required": ["impact"],
                ]),
                "responses": ["200": ["description": "The entry."]],
            ]
        ) { ctx in
            let me = try ctx.requireMember()
            let body = try ctx.jsonBody()
            let entry = try cpd.recordImpact(
                entryID: try ctx.idParameter("id"), memberID: me.id, impact: Self.string(body, "impact"),
                reflection: body["reflection"]?.stringValue)
            return ctx.json(Self.recordJSON(entry))
        }

        web.api(
            "GET", "/api/v1/cpd/expertise", access: .members,
            operation: [
                "summary": "The expertise taxonomy, or the experts in one area (with their school).",
                "operationId": "findCPDExperts", "security": bearer,
                "parameters": [["name": "area", "in": "query", "schema": ["type": "string"]]],
                "responses": ["200": ["description": "Areas with counts, or experts."]],
            ]
        ) { ctx in
            if let area = ctx.query("area") {
                guard cpd.areas.contains(area) else { throw DomainError.notFound }
                let experts = try cpd.experts(in: area, limit: 200)
                return ctx.json([
                    "area": .string(area),
                    "items": .array(
                        experts.map {
                            .object([
                                ("member_id", .int($0.memberID)), ("handle", .string($0.handle)),
                                ("name", .string($0.name)),
                                ("statement", .string($0.statement)), ("school", JSONValue($0.school)),
                            ])
                        }),
                ])
            }
            let counts = try cpd.expertCounts()
            return ctx.json([
                "areas": .array(
                    cpd.areas.map {
                        .object([("area", .string($0)), ("experts", JSONValue(counts[$0] ?? 0))])
                    })
            ])
        }

        web.api(
            "PUT", "/api/v1/cpd/expertise", access: .members,
            operation: [
                "summary": "Replace your areas of expertise.", "operationId": "setCPDExpertise",
                "security": bearer,
                "requestBody": OpenAPI.jsonBody([
                    "type": "object",
                    "properties": [
                        "items": [
                            "type": "array",
                            "items": [
                                "type": "object",
                                "properties": [
                                    "area": ["type": "string"],
                                    "statement": ["type": "string", "maxLength": 280],
                                ],
                            ],
                        ]
                    ],
                ]),
                "responses": ["204": ["description": "Saved."], "422": ["description": "Unknown area."]],
            ]
        ) { ctx in
            let me = try ctx.requireActiveMember()
            let body = try ctx.jsonBody()
            var entries: [String: String] = [:]
            for item in body["items"]?.arrayValue ?? [] {
                entries[Self.string(item, "area")] = Self.string(item, "statement")
            }
            try cpd.setExpertise(memberID: me.id, entries)
            return ctx.respond(HTTPResponse(status: .noContent))
        }

        web.api(
            "GET", "/api/v1/cpd/reports", access: .members,
            operation: [
                "summary": "Hours and participation per school and area; places given and taken per school.",
                "operationId": "getCPDReport", "security": bearer,
                "parameters": [
                    [
                        "name": "from", "in": "query", "required": true,
                        "schema": ["type": "string", "format": "date"],
                    ],
                    [
                        "name": "to", "in": "query", "required": true,
                        "schema": ["type": "string", "format": "date"],
                    ],
                ],
                "responses": [
                    "200": ["description": "The report."],
                    "403": ["description": "Administrators and group chairs only."],
                ],
            ]
        ) { ctx in
            let scope = try CPDPages.reportScope(ctx)
            guard let from = cpd.parseDay(ctx.query("from") ?? ""),
                let to = cpd.parseDay(ctx.query("to") ?? "")
            else {
                throw DomainError.invalid([
                    FieldError(field: "from", message: "Give from and to as YYYY-MM-DD.")
                ])
            }
            let report = try cpd.report(
                from: from.addingTimeInterval(-43_200), to: to.addingTimeInterval(43_200), members: scope)
            return ctx.json(Self.reportJSON(report))
        }
    }

    static func reportJSON(_ report: CPDReport) -> JSONValue {
        .object([
            ("from", JSONValue(report.from)), ("to", JSONValue(report.to)),
            (
                "schools",
                .array(
                    report.schools.map {
                        .object([
                            ("school", .string($0.school)), ("participants", JSONValue($0.participants)),
                            ("entries", JSONValue($0.entries)), ("hours", .double(Double($0.minutes) / 60)),
                            ("sessions_offered", JSONValue($0.sessionsOffered)),
                            ("places_given", JSONValue($0.placesGiven)),
                            ("places_taken", JSONValue($0.placesTaken)),
                        ])
                    })
            ),
            (
                "areas",
                .array(
                    report.areas.map {
                        .object([
                            ("area", .string($0.area)), ("sessions", JSONValue($0.sessions)),
                            ("participants", JSONValue($0.participants)),
                            ("hours", .double(Double($0.minutes) / 60)),
                        ])
                    })
            ),
        ])
    }
}
