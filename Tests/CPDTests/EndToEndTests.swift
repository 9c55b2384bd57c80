import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import CPD

@Suite("CPD end to end over HTTP", .serialized)
struct EndToEndTests {
    static func match(_ pattern: String, in text: String) -> String? {
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        let found = String(text[range])
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let result = regex.firstMatch(in: found, range: NSRange(found.startIndex..., in: found)),
            result.numberOfRanges > 1,
            let group = Range(result.range(at: 1), in: found)
        else { return found }
        return String(found[group])
    }

    static func localStart(_ clock: FixedClock, daysAhead: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: clock.now.addingTimeInterval(Double(daysAhead) * 86_400)) + "T16:00"
    }

    @Test(
        "offer, book to capacity, wait, cancel and promote, mark attendance, then record, certificate and calendar"
    )
    func mainJourney() throws {
        // 09:00 UTC today: the session starts a week ahead at 16:00 London time, so the clock
        // set after it ends is always over a week on (sessions idle out), whatever time it is now.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let morning = utc.startOfDay(for: Date()).addingTimeInterval(9 * 3600)
        let network = try TestNetwork(
            modules: [MembershipModule.self, CPDModule.self], clock: FixedClock(morning))
        defer { network.stop() }
        let membership = try #require(network.services.service(MembershipService.self))
        let facilitator = network.client()
        try facilitator.join(name: "Fran Facilitator", email: "fran@example.org")
        let alice = network.client()
        try alice.join(name: "Alice Attendee", email: "alice@example.org")
        let bob = network.client()
        try bob.join(name: "Bob Waiting", email: "bob@example.org")

        // Bad input comes back with errors beside the fields and what was typed kept.
        let invalid = try facilitator.submit(
            "/cpd/sessions", from: "/cpd/sessions/new",
            ["title": "", "venue": "Typed venue", "capacity": "0"])
        #expect(invalid.status == 422)
        #expect(invalid.text.contains("id=\"error-title\""))
        #expect(invalid.text.contains("value=\"Typed venue\""))

        let offered = try facilitator.submit(
            "/cpd/sessions", from: "/cpd/sessions/new",
            [
                "title": "Phonics: blending for Year 1", "description": "Bring a **phonics** plan.",
                "areas": "Phonics",
                "starts": Self.localStart(network.clock, daysAhead: 7), "time_zone": "Europe/London",
                "duration_minutes": "90", "venue": "Hilltop Primary, hall", "capacity": "1",
            ])
        #expect(offered.status == 303)
        let path = try #require(offered.location)
        let id = try #require(Self.match(#"/cpd/sessions/(\d+)"#, in: path))
        let sessionPage = try alice.get(path)
        #expect(sessionPage.status == 200)
        #expect(sessionPage.text.contains("Phonics: blending for Year 1"))
        #expect(sessionPage.text.contains("<strong>phonics</strong>"))
        #expect(sessionPage.text.contains("16:00"))

        // Two members book a session with one place: the second waits.
        #expect(try alice.submit("\(path)/book", from: path).status == 303)
        #expect(try alice.get(path).text.contains("You have a place."))
        #expect(try bob.submit("\(path)/book", from: path).status == 303)
        #expect(try bob.get(path).text.contains("You are number 1 on the waiting list."))

        // Only those running it may change it; the edit form comes filled in.
        let edit = try facilitator.get("\(path)/edit")
        #expect(edit.status == 200)
        #expect(edit.text.contains("value=\"Hilltop Primary, hall\""))
        #expect(try alice.get("\(path)/edit").status == 403)

        // The first cancels: the second is promoted and told by mail.
        #expect(try alice.submit("\(path)/unbook", from: path).status == 303)
        #expect(try bob.get(path).text.contains("You have a place."))
        let told = try network.services.outbox.list().filter {
            $0.to == "bob@example.org" && !$0.subject.hasPrefix("Finish joining")
        }
        #expect(told.count == 1)
        #expect(told.first?.subject.contains("gave you a place") == true)

        // Bob's private calendar lists the session; the network feed too.
        let calendarPage = try bob.submit("/cpd/calendar/token", from: "/cpd/calendar")
        let feedPath = try #require(
            Self.match(#"(/cpd/calendar/personal/[0-9a-f]{64}\.ics)"#, in: calendarPage.text))
        let stranger = network.client()
        let personal = try stranger.get(feedPath)
        #expect(personal.status == 200)
        #expect(personal.header("Content-Type")?.hasPrefix("text/calendar") == true)
        let personalFeed = StrictICalendar(personal.text)
        #expect(personalFeed.problems.isEmpty, "\(personalFeed.problems)")
        #expect(personalFeed.events.first?.first("UID")?.value.hasPrefix("cpd-session-\(id)@") == true)
        #expect(personalFeed.events.first?.first("DTSTART")?.parameters["TZID"] == "Europe/London")
        let networkFeed = StrictICalendar(try stranger.get("/cpd/calendar/network.ics").text)
        #expect(networkFeed.problems.isEmpty)
        #expect(networkFeed.events.count == 1)
        #expect(
            try stranger.get("/cpd/calendar/personal/\(String(repeating: "a", count: 64)).ics").status == 404)

        // After the session the facilitator marks the register.
        let session = try #require(try network.services.service(CPDService.self)?.session(id: Int64(id) ?? 0))
        network.clock.set(session.endsAt.addingTimeInterval(600))
        // Over a week has passed unused: sessions have ended (membership's idle limit), so everyone signs in again.
        for (client, handle) in [
            (facilitator, "fran-facilitator"), (alice, "alice-attendee"), (bob, "bob-waiting"),
        ] {
            #expect(try client.signIn(handle).status == 303)
        }
        let register = try facilitator.get("\(path)/register")
        #expect(register.status == 200)
        let bobMember = try #require(try membership.member(handle: Handle.derive(from: "Bob Waiting")))
        #expect(register.text.contains("value=\"\(bobMember.id)\""))
        #expect(try alice.get("\(path)/register").status == 403)
        let marked = try facilitator.submit(
            "\(path)/register", from: "\(path)/register", ["present": String(bobMember.id)])
        #expect(marked.status == 303)

        // Bob's record shows the hours; the certificate opens for him alone.
        let record = try bob.get("/cpd/record")
        #expect(record.text.contains("Phonics: blending for Year 1"))
        #expect(record.text.contains("<strong>1.5 hours</strong>"))
        let certificate = try bob.get("\(path)/certificate")
        #expect(certificate.status == 200)
        #expect(certificate.text.contains("Certificate of attendance"))
        #expect(certificate.text.contains("Bob Waiting"))
        #expect(certificate.text.contains("Fran Facilitator"))
        #expect(certificate.text.contains("<dt>Hours</dt><dd>1.5</dd>"))
        #expect(!certificate.text.contains("style=") && !certificate.text.contains("<script>"))
        #expect(try alice.get("\(path)/certificate").status == 404)
        let assertionPath = try #require(
            Self.match(#"(/cpd/badges/assertions/[0-9a-f]{32})"#, in: certificate.text))
        let assertion = try stranger.get(assertionPath)
        #expect(assertion.status == 200)
        let json = try #require(assertion.json as? [String: Any])
        #expect(json["type"] as? String == "Assertion")
        #expect((json["verification"] as? [String: Any])?["type"] as? String == "hosted")

        // The API agrees, and CSV export is an attachment.
        let api = try bob.get("/api/v1/cpd/record")
        #expect((api.json as? [String: Any])?["total_hours"] as? Double == 1.5)
        let csv = try bob.get("/cpd/record.csv")
        #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.text.hasPrefix("Date,Title,Hours"))
        #expect(csv.text.contains(",Phonics: blending for Year 1,1.5,"))

        // Bob evaluates; the facilitator sees the aggregate.
        #expect(
            try bob.submit(
                "\(path)/evaluate", from: "\(path)/evaluate",
                ["rating": "5", "will_change": "Daily blending drills"]
            ).status == 303)
        let results = try facilitator.get("/api/v1/cpd/sessions/\(id)/evaluations")
        #expect((results.json as? [String: Any])?["responses"] as? Int == 1)
        #expect(try bob.get("/api/v1/cpd/sessions/\(id)/evaluations").status == 403)

        // Correcting the register revokes the badge: its URL answers 410.
        #expect(try facilitator.submit("\(path)/register", from: "\(path)/register", [:]).status == 303)
        #expect(try stranger.get(assertionPath).status == 410)

        // The console sees the session and its register.
        let listed = network.admin(["cpd", "sessions", "list", "--from", "2000-01-01"])
        #expect(listed.code == 0)
        #expect(listed.out.contains("Phonics: blending for Year 1"))
        let attendance = network.admin(["cpd", "sessions", "attendance", id, "--json"])
        #expect(attendance.code == 0)
        #expect(attendance.out.contains("\"bob-waiting\"") || attendance.out.contains(bobMember.handle))
        #expect(network.admin(["cpd", "sessions", "attendance", "999"]).code != 0)
    }

    @Test(
        "group-audience sessions do not leak to outsiders or visitors through pages, API, activity or feeds")
    func groupSessionsOverHTTP() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let scopes = FakeGroupScopes()
        network.services.provide(GroupScopesBox(scopes))
        let membership = try #require(network.services.service(MembershipService.self))
        let cpd = try #require(network.services.service(CPDService.self))
        let insiderClient = network.client()
        try insiderClient.join(name: "Ivy Insider", email: "ivy@example.org")
        let outsiderClient = network.client()
        try outsiderClient.join(name: "Oscar Outsider", email: "oscar@example.org")
        let insider = try #require(try membership.member(handle: Handle.derive(from: "Ivy Insider")))
        scopes.add(insider.id, to: 3)
        let session = try cpd.offer(
            SessionInput(
                title: "Cluster three secret planning", starts: Self.localStart(network.clock, daysAhead: 5),
                durationMinutes: "60", venue: "Room 3", capacity: "4", audienceGroup: "3"),
            by: SignedInMember(id: insider.id, handle: insider.handle, name: insider.name, role: insider.role)
        )
        let visitor = network.client()
        for client in [outsiderClient, visitor] {
            #expect(try client.get(session.path).status == 404)
            #expect(try client.get("/api/v1/cpd/sessions/\(session.id)").status == 404)
            #expect(!(try client.get("/cpd").text.contains("Cluster three")))
            #expect(!(try client.get("/api/v1/cpd/sessions").text.contains("Cluster three")))
            #expect(!(try client.get("/cpd/calendar/network.ics").text.contains("Cluster three")))
            #expect(!(try client.get("/api/v1/activity").text.contains("Cluster three")))
            #expect(!(try client.get("/activity").text.contains("Cluster three")))
        }
        let booking = try outsiderClient.post(
            "\(session.path)/book", form: ["_csrf": try outsiderClient.get("/cpd").csrf ?? ""])
        #expect(booking.status == 404)
        #expect(try insiderClient.get(session.path).status == 200)
        #expect(try insiderClient.get("/api/v1/activity").text.contains("Cluster three"))
    }
}

@Suite("CPD pages over HTTP", .serialized)
struct PageTests {
    @Test("every CPD page renders for its audience, and forms keep typed values on errors")
    func pagesRender() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self, CPDModule.self],
            settings: ["membership": ["profile_questions": schoolQuestion]])
        defer { network.stop() }
        let membership = try #require(network.services.service(MembershipService.self))
        let admin = network.client()
        try admin.join(name: "Ada Admin", email: "ada@example.org", extra: ["answer-school": "Hilltop"])
        let adminMember = try #require(try membership.member(handle: Handle.derive(from: "Ada Admin")))
        _ = try membership.setRole(memberID: adminMember.id, to: .admin)
        let member = network.client()
        try member.join(name: "Mo Member", email: "mo@example.org", extra: ["answer-school": "Riverside"])

        // Expertise: tag, then find.
        let saved = try member.submit(
            "/cpd/expertise/mine", from: "/cpd/expertise/mine", ["area-0": "1", "statement-0": "RWI trainer"])
        #expect(saved.status == 303)
        let experts = try admin.get("/cpd/expertise?area=Phonics")
        #expect(experts.status == 200)
        #expect(
            experts.text.contains("Mo Member") && experts.text.contains("Riverside")
                && experts.text.contains("RWI trainer"))
        let api = try admin.get("/api/v1/cpd/expertise?area=Phonics")
        let items = (api.json as? [String: Any])?["items"] as? [[String: Any]]
        #expect(items?.first?["school"] as? String == "Riverside")
        let tooLong = try member.submit(
            "/cpd/expertise/mine", from: "/cpd/expertise/mine",
            ["area-1": "1", "statement-1": String(repeating: "x", count: 300)])
        #expect(tooLong.status == 422)
        #expect(tooLong.text.contains("id=\"error-statement-1\""))

        // Own record entries through the form, with errors beside fields.
        let bad = try member.submit(
            "/cpd/record/new", from: "/cpd/record/new",
            [
                "title": "Coaching cycle", "date": "2025-09-01", "hours": "two", "kind": "coaching",
                "pupil_focus": "direct", "evidence_url": "javascript:alert(1)",
            ])
        #expect(bad.status == 422)
        #expect(bad.text.contains("id=\"error-hours\"") && bad.text.contains("id=\"error-evidence_url\""))
        #expect(bad.text.contains("value=\"Coaching cycle\""))
        let good = try member.submit(
            "/cpd/record/new", from: "/cpd/record/new",
            [
                "title": "Coaching cycle", "date": "2025-09-01", "hours": "2", "kind": "coaching",
                "pupil_focus": "direct", "standard": "TS5", "evidence_url": "https://example.org/log",
            ])
        #expect(good.status == 303)
        let print = try member.get("/cpd/record/print")
        #expect(
            print.status == 200 && print.text.contains("Coaching cycle")
                && print.text.contains("record-print"))
        #expect(!print.text.contains(" style="))

        for path in [
            "/cpd", "/cpd/sessions/new", "/cpd/bookings", "/cpd/record", "/cpd/expertise", "/cpd/calendar",
            "/cpd/calendar/network.ics", "/cpd/badges/issuer", "/cpd/badges/image.svg",
        ] {
            let page = try member.get(path)
            #expect(page.status == 200, "\(path): \(page.status)")
        }
        #expect(try member.get("/cpd/reports").status == 403)
        let report = try admin.get("/cpd/reports?from=2025-01-01&to=2030-12-31")
        #expect(report.status == 200)
        #expect(report.text.contains("Riverside"))
        let reportCSV = try admin.get("/cpd/reports.csv?from=2025-01-01&to=2030-12-31")
        #expect(reportCSV.status == 200 && reportCSV.text.hasPrefix("Section,Name"))
        #expect(try admin.get("/api/v1/cpd/reports?from=2025-01-01&to=2030-12-31").status == 200)
        let visitor = network.client()
        #expect(try visitor.get("/cpd/record").status == 303)
        #expect(try visitor.get("/api/v1/cpd/record").status == 401)

        // The OpenAPI document describes the CPD operations.
        let openAPI = try visitor.get("/api/v1/openapi.json").text
        for operation in [
            "listCPDSessions", "bookCPDSession", "markCPDAttendance", "getCPDRecord", "findCPDExperts",
            "getCPDReport",
        ] {
            #expect(openAPI.contains(operation), "\(operation)")
        }
        let console = network.admin(["cpd", "report", "--from", "2025-01-01", "--to", "2030-12-31", "--csv"])
        #expect(console.code == 0)
        #expect(console.out.contains("Riverside"))
        #expect(network.admin(["cpd", "report", "--from", "yesterday", "--to", "2030-12-31"]).code == 2)
    }
}

@Suite("Booking races over HTTP", .serialized)
struct HTTPRaceTests {
    @Test("members booking the last place over HTTP at the same moment: exactly one gets it")
    func concurrentHTTPBookings() async throws {
        let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
        defer { network.stop() }
        let membership = try #require(network.services.service(MembershipService.self))
        let cpd = try #require(network.services.service(CPDService.self))
        let organiser = try membership.join(
            .init(
                name: "Olive Organiser", email: "olive@example.org", password: "a long enough password",
                acceptsTerms: true))
        let session = try cpd.offer(
            SessionInput(
                title: "Last place", starts: EndToEndTests.localStart(network.clock, daysAhead: 5),
                durationMinutes: "60",
                venue: "Hall", capacity: "1"),
            by: SignedInMember(
                id: organiser.id, handle: organiser.handle, name: organiser.name, role: organiser.role))
        var clients: [(TestClient, String)] = []
        for index in 1...6 {
            let client = network.client()
            try client.join(name: "Racer \(index)", email: "racer\(index)@example.org")
            clients.append((client, try client.get(session.path).csrf ?? ""))
        }
        let path = session.path
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (client, csrf) in clients {
                group.addTask { try client.post("\(path)/book", form: ["_csrf": csrf]).status }
            }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { $0 == 303 })
        let taken = try cpd.placesTaken(sessionID: session.id)
        #expect(taken.booked == 1)
        #expect(taken.waiting == 5)
    }
}
