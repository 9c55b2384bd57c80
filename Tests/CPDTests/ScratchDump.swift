import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import CPD

@Test("scratch dump") func scratchDump() throws {
    let network = try TestNetwork(modules: [MembershipModule.self, CPDModule.self])
    defer { network.stop() }
    let a = network.client()
    try a.join(name: "Fran Facilitator", email: "fran@example.org")
    let r = try a.submit("/cpd/sessions", from: "/cpd/sessions/new", ["title": "Phonics & <b>blending</b>", "areas": "Phonics", "starts": EndToEndTests.localStart(network.clock, daysAhead: 3), "duration_minutes": "90", "venue": "Hall", "capacity": "2"])
    let path = r.location ?? ""
    let b = network.client()
    try b.join(name: "Bob", email: "bob@example.org")
    try b.submit("\(path)/book", from: path)
    for (client, p, name) in [(a, "/cpd", "list"), (a, path, "session"), (b, path, "session-b"), (a, "/cpd/sessions/new", "new"), (a, "/cpd/calendar", "calendar"), (a, "/cpd/calendar/network.ics", "ics"), (b, "/cpd/record", "record")] {
        try client.get(p).text.write(toFile: "/tmp/cpd-\(name).html", atomically: true, encoding: .utf8)
    }
}
