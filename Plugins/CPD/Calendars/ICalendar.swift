import Foundation

/// Writes iCalendar (RFC 5545) feeds: CRLF line ends, lines folded at 75 octets without
/// splitting a UTF-8 character, TEXT escaping, and a VTIMEZONE for every TZID used.
///
/// ```swift
/// var calendar = ICalendar(name: "Hilltop CPD", productID: "-//PLN//CPD//EN")
/// calendar.add(ICalendar.Event(uid: "cpd-1@example.org", stamp: now, start: start, end: end, timeZone: "Europe/London", summary: "Phonics"))
/// let text = calendar.render()
/// ```
public struct ICalendar: Sendable {
    /// One VEVENT; times are instants, written in `timeZone` with a TZID (or in UTC).
    public struct Event: Sendable {
        public var uid: String
        public var stamp: Date
        public var start: Date
        public var end: Date
        /// IANA zone for DTSTART/DTEND with TZID; "UTC" (or an unknown zone) writes UTC times.
        public var timeZone: String
        public var summary: String
        public var description: String
        public var location: String
        public var url: String
        public var sequence: Int
        public var cancelled: Bool
        public var lastModified: Date?

        public init(
            uid: String, stamp: Date, start: Date, end: Date, timeZone: String, summary: String,
            description: String = "",
            location: String = "", url: String = "", sequence: Int = 0, cancelled: Bool = false,
            lastModified: Date? = nil
        ) {
            self.uid = uid
            self.stamp = stamp
            self.start = start
            self.end = end
            self.timeZone = timeZone
            self.summary = summary
            self.description = description
            self.location = location
            self.url = url
            self.sequence = sequence
            self.cancelled = cancelled
            self.lastModified = lastModified
        }
    }

    public var name: String
    public var productID: String
    public private(set) var events: [Event] = []

    public init(name: String, productID: String = "-//PLN//CPD//EN") {
        self.name = name
        self.productID = productID
    }

    public mutating func add(_ event: Event) { events.append(event) }

    /// The zone an event's times are written in, or nil for UTC.
    static func zone(named name: String) -> TimeZone? {
        guard name != "UTC", name != "Etc/UTC", let zone = TimeZone(identifier: name) else { return nil }
        return zone
    }

    public func render() -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + Self.escape(productID), "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name),
        ]
        var zones: [String: (Date, Date)] = [:]
        for event in events where Self.zone(named: event.timeZone) != nil {
            let range = zones[event.timeZone] ?? (event.start, event.end)
            zones[event.timeZone] = (min(range.0, event.start), max(range.1, event.end))
        }
        for (name, range) in zones.sorted(by: { $0.key < $1.key }) {
            if let zone = Self.zone(named: name) { lines += Self.timeZoneComponent(zone, covering: range) }
        }
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + Self.escape(event.uid))
            lines.append("DTSTAMP:" + Self.utc(event.stamp))
            if let zone = Self.zone(named: event.timeZone) {
                lines.append("DTSTART;TZID=\(zone.identifier):" + Self.local(event.start, zone: zone))
                lines.append("DTEND;TZID=\(zone.identifier):" + Self.local(event.end, zone: zone))
            } else {
                lines.append("DTSTART:" + Self.utc(event.start))
                lines.append("DTEND:" + Self.utc(event.end))
            }
            lines.append("SUMMARY:" + Self.escape(event.summary))
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(event.description)) }
            if !event.location.isEmpty { lines.append("LOCATION:" + Self.escape(event.location)) }
            if !event.url.isEmpty { lines.append("URL:" + event.url.filter { !$0.isNewline && $0 != " " }) }
            lines.append("SEQUENCE:\(event.sequence)")
            lines.append("STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"))
            if let modified = event.lastModified { lines.append("LAST-MODIFIED:" + Self.utc(modified)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map { Self.fold($0) + "\r\n" }.joined()
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and newlines as \n.
    public static func escape(_ text: String) -> String {
        var out = ""
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\r", with: "\n")
        for scalar in normalised.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                // Other control characters are not allowed in content lines.
                if scalar.value < 0x20 || scalar.value == 0x7f { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line into lines of at most 75 octets, continuation lines starting with a
    /// space; breaks fall between characters, never inside a UTF-8 sequence.
    public static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        if bytes.count <= 75 { return line }
        var pieces: [String] = []
        var start = 0
        var limit = 75
        while start < bytes.count {
            var end = min(start + limit, bytes.count)
            // Back off while `end` points at a continuation byte (10xxxxxx).
            while end < bytes.count && end > start && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            pieces.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end
            limit = 74
        }
        return pieces.joined(separator: "\r\n ")
    }

    static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func local(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter.string(from: date)
    }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        let text = String(format: "%@%02d%02d", sign, magnitude / 3600, (magnitude % 3600) / 60)
        return magnitude % 60 == 0 ? text : text + String(format: "%02d", magnitude % 60)
    }

    /// A VTIMEZONE from the system's zone data: every transition from a year before the first
    /// event to a year after the last, written out explicitly (no RRULE to get wrong). A zone
    /// with no transitions gets one STANDARD observance.
    static func timeZoneComponent(_ zone: TimeZone, covering range: (Date, Date)) -> [String] {
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + zone.identifier]
        let from = range.0.addingTimeInterval(-366 * 86_400)
        let to = range.1.addingTimeInterval(366 * 86_400)
        var transitions: [Date] = []
        var cursor = from
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= to,
            transitions.count < 200
        {
            transitions.append(next)
            cursor = next
        }
        // The observance in force at `from`, so every event time is covered by some onset.
        let initialOffset = zone.secondsFromGMT(for: from)
        let initialDaylight = zone.isDaylightSavingTime(for: from)
        let initialName = zone.abbreviation(for: from) ?? zone.identifier
        lines += [
            "BEGIN:" + (initialDaylight ? "DAYLIGHT" : "STANDARD"),
            "DTSTART:" + local(from, zone: zone),
            "TZOFFSETFROM:" + offset(initialOffset), "TZOFFSETTO:" + offset(initialOffset),
            "TZNAME:" + escape(initialName),
            "END:" + (initialDaylight ? "DAYLIGHT" : "STANDARD"),
        ]
        for moment in transitions {
            let before = zone.secondsFromGMT(for: moment.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: moment)
            let daylight = zone.isDaylightSavingTime(for: moment)
            let kind = daylight ? "DAYLIGHT" : "STANDARD"
            // DTSTART is the onset in the local time that was in force before it.
            let onset = local(moment, zone: TimeZone(secondsFromGMT: before) ?? zone)
            lines += [
                "BEGIN:" + kind, "DTSTART:" + onset, "TZOFFSETFROM:" + offset(before),
                "TZOFFSETTO:" + offset(after),
                "TZNAME:" + escape(zone.abbreviation(for: moment) ?? zone.identifier), "END:" + kind,
            ]
        }
        lines.append("END:VTIMEZONE")
        return lines
    }
}
