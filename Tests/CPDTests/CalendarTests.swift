import Foundation
import Kernel
import Membership
import Testing

@testable import CPD

/// A strict reader of our own iCalendar output: it checks the physical format (CRLF only, at
/// most 75 octets a line, no line starting inside a UTF-8 character) and unfolds the lines.
struct StrictICalendar {
    struct Property: Equatable {
        var name: String
        var parameters: [String: String]
        var value: String
    }
    struct Component {
        var name: String
        var properties: [Property] = []
        var children: [Component] = []
        func all(_ name: String) -> [Property] { properties.filter { $0.name == name } }
        func first(_ name: String) -> Property? { properties.first { $0.name == name } }
    }
    var problems: [String] = []
    var root = Component(name: "ROOT")

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var physical: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 {
                if index + 1 < bytes.count && bytes[index + 1] == 10 {
                    physical.append(current)
                    current = []
                    index += 2
                    continue
                }
                problems.append("bare CR")
            } else if byte == 10 {
                problems.append("bare LF at byte \(index)")
            }
            current.append(byte)
            index += 1
        }
        if !current.isEmpty { problems.append("last line not ended by CRLF") }
        var logical: [String] = []
        for line in physical {
            if line.count > 75 { problems.append("line of \(line.count) octets") }
            if let first = line.first, first & 0xC0 == 0x80 { problems.append("line starts inside a UTF-8 character") }
            if let first = line.dropFirst().first, line.first == 32, first & 0xC0 == 0x80 {
                problems.append("continuation starts inside a UTF-8 character")
            }
            guard let text = String(validating: line, as: UTF8.self) else {
                problems.append("line is not valid UTF-8 on its own")
                continue
            }
            if text.hasPrefix(" ") || text.hasPrefix("\t") {
                guard !logical.isEmpty else {
                    problems.append("continuation without a line")
                    continue
                }
                logical[logical.count - 1] += String(text.dropFirst())
            } else {
                logical.append(text)
            }
        }
        var stack = [Component(name: "ROOT")]
        for line in logical {
            guard let colon = Self.valueColon(line) else {
                problems.append("no colon in \(line)")
                continue
            }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            let parts = head.split(separator: ";")
            let name = String(parts.first ?? "").uppercased()
            var parameters: [String: String] = [:]
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { parameters[String(pair[0]).uppercased()] = String(pair[1]) }
            }
            if name == "BEGIN" {
                stack.append(Component(name: value))
            } else if name == "END" {
                guard stack.count > 1, let last = stack.popLast(), last.name == value else {
                    problems.append("unbalanced END:\(value)")
                    continue
                }
                stack[stack.count - 1].children.append(last)
            } else {
                stack[stack.count - 1].properties.append(Property(name: name, parameters: parameters, value: value))
            }
        }
        if stack.count != 1 { problems.append("unclosed components") }
        root = stack[0]
    }

    /// The colon that ends the name and parameters (parameters may hold quoted colons).
    static func valueColon(_ line: String) -> String.Index? {
        var quoted = false
        for index in line.indices {
            if line[index] == "\"" { quoted.toggle() }
            if line[index] == ":" && !quoted { return index }
        }
        return nil
    }

    var calendar: Component? { root.children.first { $0.name == "VCALENDAR" } }
    var events: [Component] { calendar?.children.filter { $0.name == "VEVENT" } ?? [] }
    var timeZones: [Component] { calendar?.children.filter { $0.name == "VTIMEZONE" } ?? [] }

    /// Undoes TEXT escaping; nil when an escape is not one RFC 5545 allows.
    static func unescape(_ text: String) -> String? {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": out.append("\\")
                case ";": out.append(";")
                case ",": out.append(",")
                case "n", "N": out.append("\n")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == ";" || character == "," {
                return nil  // must have been escaped
            } else {
                out.append(character)
            }
        }
        return escaping ? nil : out
    }

    /// The UTC offset a VTIMEZONE gives for a local time "yyyyMMddTHHmmss": the latest onset
    /// at or before it.
    static func offset(in zone: Component, at local: String) -> String? {
        let observances = zone.children.filter { $0.name == "STANDARD" || $0.name == "DAYLIGHT" }
        let onsets = observances.compactMap { item -> (String, String)? in
            guard let start = item.first("DTSTART")?.value, let to = item.first("TZOFFSETTO")?.value else { return nil }
            return (start, to)
        }.filter { $0.0 <= local }.sorted { $0.0 < $1.0 }
        return onsets.last?.1
    }
}

@Suite("iCalendar feeds (RFC 5545)")
struct CalendarTests {
    @Test("long lines fold at 75 octets without splitting a UTF-8 character")
    func folding() {
        let text = "SUMMARY:" + String(repeating: "Phonics é 😀 ", count: 30)
        let folded = ICalendar.fold(text)
        let reader = StrictICalendar("BEGIN:VCALENDAR\r\n" + folded + "\r\nEND:VCALENDAR\r\n")
        #expect(reader.problems.isEmpty, "\(reader.problems)")
        #expect(reader.calendar?.first("SUMMARY")?.value == String(text.dropFirst(8)))
        for line in folded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(ICalendar.fold("SHORT:line") == "SHORT:line")
        // Exactly 75 octets stays on one line; 76 folds.
        let exact = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(exact) == exact)
        #expect(ICalendar.fold(exact + "b") == exact + "\r\n b")
        // A two-byte character straddling octet 75 moves whole to the next line.
        let straddle = String(repeating: "a", count: 74) + "é"
        #expect(ICalendar.fold(straddle) == String(repeating: "a", count: 74) + "\r\n é")
    }

    @Test("TEXT values escape backslash, semicolon, comma and newlines")
    func escaping() {
        #expect(ICalendar.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(StrictICalendar.unescape(ICalendar.escape("Hall; room 3, upstairs\\left\nBring laptops")) == "Hall; room 3, upstairs\\left\nBring laptops")
    }

    @Test("a feed has CRLF lines, UID, DTSTAMP and DTSTART on every event, and a VTIMEZONE per TZID")
    func feedStructure() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let london = try fixture.cpd.offer(
            SessionInput(
                title: "Safeguarding update, part 1; for DSLs", description: "Bring: policy, logs\\notes\nand questions",
                starts: fixture.localStart(daysAhead: 10, time: "16:00"), durationMinutes: "90",
                venue: "Hilltop Primary, hall", capacity: "20"),
            by: fixture.signedIn(organiser))
        let newYork = try fixture.offer(by: organiser, title: "Visiting speaker", daysAhead: 200, zone: "America/New_York")
        let utc = try fixture.offer(by: organiser, title: "Online UTC session", daysAhead: 20, zone: "UTC")
        let text = try fixture.cpd.feed(viewer: .anonymous)
        let reader = StrictICalendar(text)
        #expect(reader.problems.isEmpty, "\(reader.problems)")
        #expect(reader.calendar?.first("VERSION")?.value == "2.0")
        #expect(reader.calendar?.first("PRODID") != nil)
        #expect(reader.events.count == 3)
        for event in reader.events {
            #expect(event.all("UID").count == 1)
            #expect(event.first("DTSTAMP")?.value.hasSuffix("Z") == true)
            #expect(event.all("DTSTART").count == 1)
            if let tzid = event.first("DTSTART")?.parameters["TZID"] {
                #expect(reader.timeZones.contains { $0.first("TZID")?.value == tzid }, "no VTIMEZONE for \(tzid)")
            }
        }
        #expect(Set(reader.timeZones.compactMap { $0.first("TZID")?.value }) == ["Europe/London", "America/New_York"])
        let first = try #require(reader.events.first { $0.first("UID")?.value == "cpd-session-\(london.id)@pln.example.org" })
        let start = try #require(first.first("DTSTART"))
        #expect(start.parameters["TZID"] == "Europe/London")
        #expect(start.value == ICalendar.local(london.startsAt, zone: london.zone))
        #expect(start.value.hasSuffix("T160000"))
        #expect(StrictICalendar.unescape(first.first("SUMMARY")?.value ?? "") == "Safeguarding update, part 1; for DSLs")
        #expect(StrictICalendar.unescape(first.first("DESCRIPTION")?.value ?? "") == "Bring: policy, logs\\notes\nand questions")
        #expect(StrictICalendar.unescape(first.first("LOCATION")?.value ?? "") == "Hilltop Primary, hall")
        let utcEvent = try #require(reader.events.first { $0.first("UID")?.value.hasPrefix("cpd-session-\(utc.id)@") == true })
        #expect(utcEvent.first("DTSTART")?.parameters["TZID"] == nil)
        #expect(utcEvent.first("DTSTART")?.value == ICalendar.utc(utc.startsAt))
        _ = newYork
    }

    @Test("each VTIMEZONE gives the offset Foundation gives for the event's local time")
    func timeZoneOffsetsAreRight() throws {
        let fixture = try CPDFixture(clock: FixedClock(Date(timeIntervalSince1970: 1_767_225_600)))  // 1 Jan 2026
        let organiser = try fixture.member("Olive Organiser")
        var sessions: [CPDSession] = []
        for (days, zone) in [(30, "Europe/London"), (180, "Europe/London"), (100, "America/New_York"), (200, "Australia/Sydney"), (50, "Asia/Kolkata")] {
            sessions.append(try fixture.offer(by: organiser, title: "In \(zone)", daysAhead: days, zone: zone))
        }
        let reader = StrictICalendar(try fixture.cpd.feed(viewer: .anonymous))
        #expect(reader.problems.isEmpty, "\(reader.problems)")
        for session in sessions {
            let event = try #require(reader.events.first { $0.first("UID")?.value.hasPrefix("cpd-session-\(session.id)@") == true })
            let start = try #require(event.first("DTSTART"))
            let zone = try #require(reader.timeZones.first { $0.first("TZID")?.value == start.parameters["TZID"] })
            let expected = ICalendar.offset(session.zone.secondsFromGMT(for: session.startsAt))
            #expect(StrictICalendar.offset(in: zone, at: start.value) == expected, "\(session.timeZone)")
        }
    }

    @Test("a cancelled session stays in the feed as STATUS:CANCELLED with SEQUENCE raised")
    func cancelledSessions() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let session = try fixture.offer(by: organiser)
        let before = StrictICalendar(try fixture.cpd.feed(viewer: .anonymous))
        #expect(before.events.first?.first("STATUS")?.value == "CONFIRMED")
        #expect(before.events.first?.first("SEQUENCE")?.value == "0")
        fixture.clock.advance(by: 3600)
        try fixture.cpd.cancelSession(id: session.id, by: fixture.signedIn(organiser), reason: "Snow")
        let after = StrictICalendar(try fixture.cpd.feed(viewer: .anonymous))
        let event = try #require(after.events.first)
        #expect(event.first("STATUS")?.value == "CANCELLED")
        #expect(event.first("SEQUENCE")?.value == "1")
        #expect(event.first("UID") == before.events.first?.first("UID"))
        #expect(event.first("DTSTAMP")?.value == ICalendar.utc(fixture.clock.now))
    }

    @Test("the personal feed needs a current token and shows my bookings; revoking turns it off")
    func personalFeed() throws {
        let fixture = try CPDFixture()
        let organiser = try fixture.member("Olive Organiser")
        let mine = try fixture.offer(by: organiser, title: "Booked by me")
        _ = try fixture.offer(by: organiser, title: "Not booked")
        let member = try fixture.member("Fee Feeder")
        _ = try fixture.cpd.book(sessionID: mine.id, memberID: member.id)
        let token = try fixture.cpd.newFeedToken(memberID: member.id)
        #expect(token.count == 64)
        let found = try #require(try fixture.cpd.member(forFeedToken: token + ".ics"))
        #expect(found.id == member.id)
        let reader = StrictICalendar(try fixture.cpd.personalFeed(member: found))
        #expect(reader.problems.isEmpty)
        #expect(reader.events.compactMap { $0.first("SUMMARY")?.value } == ["Booked by me"])
        #expect(try fixture.cpd.member(forFeedToken: String(repeating: "0", count: 64)) == nil)
        let replacement = try fixture.cpd.newFeedToken(memberID: member.id)
        #expect(try fixture.cpd.member(forFeedToken: token) == nil)
        #expect(try fixture.cpd.member(forFeedToken: replacement)?.id == member.id)
        try fixture.cpd.revokeFeedToken(memberID: member.id)
        #expect(try fixture.cpd.member(forFeedToken: replacement) == nil)
    }
}
