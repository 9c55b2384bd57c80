import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import CPD

/// The CPD API's JSON, byte for byte, and its input errors: what clients of the API rely on,
/// pinned so that a change of the types behind it shows here.
@Suite("CPD API contract", .serialized)
struct CPDAPIContractTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    static func network() throws -> (TestNetwork, fran: TestClient, bob: TestClient) {
        let network = try TestNetwork(
            modules: [MembershipModule.self, CPDModule.self], clock: FixedClock(now))
        try network.services.member("Fran <Facilitator>", email: "fran@school.example", role: .admin)
        try network.services.member("Bob Booker", email: "bob@school.example")
        func signIn(_ login: String) throws -> TestClient {
            let client = network.client()
            let session = try client.send(
                json: "POST", "/api/v1/sessions", ["login": login, "password": MemberFixture.password])
            client.bearer = (session.json as? [String: Any])?["token"] as? String
            return client
        }
        return (network, try signIn("fran@school.example"), try signIn("bob@school.example"))
    }

    static var offer: [String: Any] {
        [
            "title": "Phonics & \"blending\"", "description": "Bring a <plan>.", "areas": ["Phonics"],
            "starts": "2026-09-24T16:00", "time_zone": "Europe/London", "duration_minutes": 90,
            "venue": "Hilltop Primary, hall", "online_url": "https://meet.example/x", "capacity": 1,
        ]
    }

    /// The session as offered, up to its venue.
    static let sessionStart =
        #"{"id":1,"title":"Phonics \u0026 \"blending\"","description":"Bring a \u003cplan\u003e.","areas":["Phonics"],"#
        + #""organiser_id":1,"facilitator_ids":[1],"group_id":null,"audience_group_id":null,"host_school":"","#
        + #""starts_at":"2026-09-24T15:00:00Z","time_zone":"Europe/London","#
        + #""starts_local":"Thursday 24 September 2026, 16:00 BST","duration_minutes":90,"#

    static func session(
        venue: String = "Hilltop Primary, hall", onlineURL: String = "https://meet.example/x",
        capacity: Int = 1,
        status: String = "scheduled", sequence: Int = 0, places: String? = #","places_taken":0,"waiting":0"#
    ) -> String {
        sessionStart
            + #""venue":"\#(venue)","online_url":"\#(onlineURL)","capacity":\#(capacity),"status":"\#(status)","#
            + #""sequence":\#(sequence),"booking_closes_at":"2026-09-23T15:00:00Z","url":"/cpd/sessions/1""#
            + (places ?? "") + "}"
    }

    static let booking =
        #"{"id":1,"session_id":1,"member_id":2,"status":"booked","position":null,"attended":null,"#
        + #""booked_at":"2026-09-21T14:13:20Z"}"#

    @Test func sessionsAndBookingsAnswerTheirExactJSON() throws {
        let (network, fran, bob) = try Self.network()
        defer { network.stop() }
        let created = try fran.send(json: "POST", "/api/v1/cpd/sessions", Self.offer)
        #expect(created.status == 201)
        #expect(created.text == Self.session())
        // Visitors never get the online link.
        #expect(try network.client().get("/api/v1/cpd/sessions/1").text == Self.session(onlineURL: ""))
        #expect(
            try bob.get("/api/v1/cpd/sessions?limit=1").text == #"{"items":["# + Self.session()
                + #"],"next":null}"#)

        let booked = try bob.send(json: "POST", "/api/v1/cpd/sessions/1/bookings", nil)
        #expect(booked.status == 201)
        #expect(booked.text == Self.booking)
        #expect(try bob.get("/api/v1/cpd/sessions/1/bookings").text == #"{"items":["# + Self.booking + "]}")
        // Facilitators see who booked.
        #expect(
            try fran.get("/api/v1/cpd/sessions/1/bookings").text
                == #"{"items":["# + Self.booking.dropLast()
                + #","handle":"bob-booker","name":"Bob Booker"}]}"#)

        let patched = try fran.send(
            json: "PATCH", "/api/v1/cpd/sessions/1", ["venue": "Library", "capacity": 2])
        #expect(patched.status == 200)
        #expect(
            patched.text
                == Self.session(
                    venue: "Library", capacity: 2, sequence: 1, places: #","places_taken":1,"waiting":0"#))
        let unbooked = try bob.send(json: "DELETE", "/api/v1/cpd/sessions/1/bookings", nil)
        #expect(unbooked.text == Self.booking.replacingOccurrences(of: "\"booked\"", with: "\"cancelled\""))
        // A cancelled session has no place counts.
        let cancelled = try fran.send(json: "DELETE", "/api/v1/cpd/sessions/1", ["reason": "Snow"])
        #expect(cancelled.status == 200)
        #expect(
            cancelled.text
                == Self.session(venue: "Library", capacity: 2, status: "cancelled", sequence: 2, places: nil))
    }

    @Test func attendanceEvaluationsRecordAndReportAnswerTheirExactJSON() throws {
        let (network, fran, bob) = try Self.network()
        defer { network.stop() }
        #expect(try fran.send(json: "POST", "/api/v1/cpd/sessions", Self.offer).status == 201)
        #expect(try bob.send(json: "POST", "/api/v1/cpd/sessions/1/bookings", nil).status == 201)
        network.clock.advance(by: 4 * 86_400)
        let marked = try fran.send(json: "PUT", "/api/v1/cpd/sessions/1/attendance", ["present": [2]])
        #expect(marked.status == 200)
        #expect(
            marked.text == #"{"items":["#
                + Self.booking.replacingOccurrences(of: "\"attended\":null", with: "\"attended\":true") + "]}"
        )
        #expect(
            try fran.get("/api/v1/cpd/sessions/1/attendance").text
                == #"{"items":[{"member_id":2,"handle":"bob-booker","name":"Bob Booker","attended":true}]}"#)

        let evaluated = try bob.send(
            json: "POST", "/api/v1/cpd/sessions/1/evaluations", ["rating": 4, "will_change": "Daily drills"])
        #expect(evaluated.status == 204 && evaluated.text.isEmpty)
        #expect(
            try fran.get("/api/v1/cpd/sessions/1/evaluations").text
                == #"{"responses":1,"average_rating":4.0,"distribution":[0,0,0,1,0],"will_change":["Daily drills"],"#
                + #""follow_ups":0,"average_reaction":null,"average_learning":null,"average_practice":null,"#
                + #""average_outcomes":null,"impact_comments":[]}"#)

        let added = try bob.send(
            json: "POST", "/api/v1/cpd/record",
            [
                "title": "Reading \"Rosenshine\"", "date": "2026-09-01", "hours": 1.5, "kind": "reading",
                "pupil_focus": "indirect", "evidence_url": "https://example.org/r",
            ])
        let entry =
            #"{"id":2,"title":"Reading \"Rosenshine\"","date":"2026-09-01T11:00:00Z","hours":1.5,"minutes":90,"#
            + #""kind":"reading","pupil_focus":"indirect","standard":"","evidence_url":"https://example.org/r","#
            + #""reflection":"","impact":"","impact_at":null,"session_id":null}"#
        #expect(added.status == 201)
        #expect(added.text == entry)
        let impact = try bob.send(json: "PATCH", "/api/v1/cpd/record/2", ["impact": "Shorter starters."])
        let withImpact = entry.replacingOccurrences(
            of: #""impact":"","impact_at":null"#,
            with: #""impact":"Shorter starters.","impact_at":"2026-09-25T14:13:20Z""#)
        #expect(impact.text == withImpact)
        #expect(
            try bob.get("/api/v1/cpd/record").text
                == #"{"total_hours":3.0,"items":[{"id":1,"title":"Phonics \u0026 \"blending\"","#
                + #""date":"2026-09-24T15:00:00Z","hours":1.5,"minutes":90,"kind":"course","pupil_focus":"indirect","#
                + #""standard":"","evidence_url":"","reflection":"","impact":"","impact_at":null,"session_id":1},"#
                + withImpact + "]}")
        #expect(
            try fran.get("/api/v1/cpd/reports?from=2026-01-01&to=2026-12-31").text
                == #"{"from":"2026-01-01T00:00:00Z","to":"2027-01-01T00:00:00Z","schools":[{"school":"(no school given)","#
                + #""participants":1,"entries":2,"hours":3.0,"sessions_offered":1,"places_given":0,"places_taken":0}],"#
                + #""areas":[{"area":"Phonics","sessions":1,"participants":1,"hours":1.5}]}"#)
    }

    @Test func expertiseAnswersItsExactJSON() throws {
        let (network, fran, bob) = try Self.network()
        defer { network.stop() }
        let set = try bob.send(
            json: "PUT", "/api/v1/cpd/expertise",
            ["items": [["area": "Phonics", "statement": "RWI trainer"], ["area": "SEND", "statement": ""]]])
        #expect(set.status == 204)
        #expect(
            try fran.get("/api/v1/cpd/expertise").text
                == #"{"areas":[{"area":"Phonics","experts":1},{"area":"Maths mastery","experts":0},"#
                + #"{"area":"SEND","experts":1},{"area":"Safeguarding","experts":0},{"area":"Early Years","experts":0},"#
                + #"{"area":"Leadership","experts":0},{"area":"School business management","experts":0}]}"#)
        #expect(
            try fran.get("/api/v1/cpd/expertise?area=Phonics").text
                == #"{"area":"Phonics","items":[{"member_id":2,"handle":"bob-booker","name":"Bob Booker","#
                + #""statement":"RWI trainer","school":null}]}"#)
    }

    @Test func badInputIsAProblemNamingEachField() throws {
        let (network, fran, bob) = try Self.network()
        defer { network.stop() }
        func problem(_ errors: [(String, String)]) -> String {
            let detail = errors.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
                .replacingOccurrences(of: "\"", with: "\\\"")
            let list = errors.map {
                #"{"field":"\#($0.0)","message":"\#($0.1.replacingOccurrences(of: "\"", with: "\\\""))"}"#
            }.joined(separator: ",")
            return
                #"{"type":"about:blank","title":"Please check what you entered","status":422,"detail":"\#(detail)","errors":[\#(list)]}"#
        }
        let empty = try fran.send(json: "POST", "/api/v1/cpd/sessions", [:])
        #expect(empty.status == 422)
        #expect(
            empty.text
                == problem([
                    ("title", "Enter title."), ("starts", "Enter when the session starts."),
                    ("duration_minutes", "Enter a duration between 5 and 1440 minutes."),
                    ("capacity", "Enter how many places there are (1 to 10000)."),
                    ("venue", "Give a venue or an online link."),
                ]))
        #expect(try fran.send(json: "POST", "/api/v1/cpd/sessions", Self.offer).status == 201)
        let present = try fran.send(json: "PUT", "/api/v1/cpd/sessions/1/attendance", [:])
        #expect(present.status == 422)
        #expect(present.text == problem([("present", "Give the ids of the members present.")]))
        let record = try bob.send(json: "POST", "/api/v1/cpd/record", ["title": "X"])
        #expect(
            record.text
                == problem([
                    ("date", "Enter the date as YYYY-MM-DD."),
                    ("hours", "Enter the hours as a number, e.g. 1.5 (at most 1000)."),
                    ("kind", "Choose what kind of activity it was."),
                    ("pupil_focus", "Choose whether it focused on pupils directly or indirectly."),
                ]))
        #expect(
            try bob.send(json: "PATCH", "/api/v1/cpd/record/1", [:]).text
                == problem([("impact", "Enter impact.")]))
        let report = try fran.get("/api/v1/cpd/reports?from=yesterday")
        #expect(report.status == 422)
        #expect(report.text == problem([("from", "Give from and to as YYYY-MM-DD.")]))
        #expect(
            try bob.send(json: "PUT", "/api/v1/cpd/expertise", ["items": [["area": "Knitting"]]]).text
                == problem([("areas", "\"Knitting\" is not one of this network's areas.")]))
        #expect(try bob.get("/api/v1/cpd/reports?from=2026-01-01&to=2026-02-01").status == 403)
        #expect(try bob.get("/api/v1/cpd/sessions?after=x").status == 400)
        #expect(try bob.get("/api/v1/cpd/expertise?area=Knitting").status == 404)
        #expect(try bob.get("/api/v1/cpd/sessions/abc").status == 404)
        #expect(try network.client().get("/api/v1/cpd/record").status == 401)
        // The reason for cancelling may be left out.
        #expect(try fran.send("DELETE", "/api/v1/cpd/sessions/1", headers: [], body: []).status == 200)
    }
}

extension CPDAPIContractTests {
    /// The document is derived from the types the handlers answer, so the session schema lists
    /// every key a session has (it once lacked url, sequence, starts_local and booking_closes_at).
    @Test func theDocumentDescribesWhatIsServed() throws {
        let (network, fran, _) = try Self.network()
        defer { network.stop() }
        let document = try #require(try network.client().get("/api/v1/openapi.json").json as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let session = try #require(schemas["CPDSession"] as? [String: Any])
        let documented = Set(((session["properties"] as? [String: Any]) ?? [:]).keys)
        #expect(try fran.send(json: "POST", "/api/v1/cpd/sessions", Self.offer).status == 201)
        let served = try #require(try fran.get("/api/v1/cpd/sessions/1").json as? [String: Any])
        #expect(documented == Set(served.keys))
        #expect(documented.isSuperset(of: ["url", "sequence", "starts_local", "booking_closes_at"]))
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let offer = try #require(paths["/api/v1/cpd/sessions"]?["post"] as? [String: Any])
        let responses = try #require(offer["responses"] as? [String: Any])
        #expect(Set(responses.keys).isSuperset(of: ["201", "400", "401", "403", "422"]))
    }
}
