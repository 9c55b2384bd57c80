import Foundation

/// Wall-clock dates in one time zone without ICU on the hot path: the zone's UTC offsets are
/// read once (every transition from 1970 to 2100), after which a date's local day, time and
/// weekday are integer arithmetic. Pages show a dozen or more times each; through `Calendar` and
/// `DateFormatter` those cost a fifth of a page's CPU (perf, home page on the large data set).
/// Outside the table's years it falls back to Foundation, so every date still gets an answer.
///
/// English names, as the network shows them ("Saturday", "12 March 2026, 09:30").
///
/// ```swift
/// let london = ZoneCalendar(TimeZone(identifier: "Europe/London")!)
/// london.string(date, .dayMonthYearTime)   // "29 November 2026, 08:21"
/// london.local(date).weekday               // 1 = Sunday … 7 = Saturday
/// ```
public struct ZoneCalendar: Sendable {
    public let timeZone: TimeZone
    /// Instants (Unix seconds) where the offset changes, ascending.
    private let transitions: [Int64]
    /// `offsets[i]` holds from `transitions[i - 1]` (inclusive) to `transitions[i]`.
    private let offsets: [Int]
    /// Short zone names by stretch (as `offsets`), for stretches from 2000 on.
    private let zoneNames: [String?]

    static let firstCovered: Int64 = 0  // 1970-01-01T00:00:00Z
    static let lastCovered: Int64 = 4_102_444_800  // 2100-01-01T00:00:00Z

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        var transitions: [Int64] = []
        var offsets = [
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(Self.firstCovered)))
        ]
        var cursor = Date(timeIntervalSince1970: TimeInterval(Self.firstCovered))
        let end = Date(timeIntervalSince1970: TimeInterval(Self.lastCovered))
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < end, next > cursor {
            // Every transition, even one that keeps the offset: the zone's name may change
            // (Casablanca's summer time +1 became standard +1 in 2018, "WEST" became "GMT+1").
            transitions.append(Int64(next.timeIntervalSince1970.rounded(.down)))
            offsets.append(timeZone.secondsFromGMT(for: next))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        // The zone's short name ("GMT", "BST", "GMT+1") in each stretch since 2000, as ICU's
        // en_GB "zzz" gives it: read once per stretch, not per date. Per stretch, not per offset:
        // a zone can rename the same offset (Casablanca's WEST became "GMT+1" in 2018).
        var zoneNames: [String?] = Array(repeating: nil, count: offsets.count)
        let namer = FormatterCache.formatter(pattern: "zzz", zone: timeZone)
        let since2000: Int64 = 946_684_800
        // The stretch in force on 1 January 2000 is the one before the first later transition.
        let start = transitions.firstIndex { $0 > since2000 } ?? transitions.count
        for index in start..<offsets.count {
            let first = index == 0 ? since2000 : max(since2000, transitions[index - 1])
            let last = (index < transitions.count ? transitions[index] : Self.lastCovered) - 1
            let name = namer.string(from: Date(timeIntervalSince1970: TimeInterval(first)))
            // Not every rename is a transition Foundation reports: when a stretch ends under
            // another name, its dates keep going through the formatter.
            if name == namer.string(from: Date(timeIntervalSince1970: TimeInterval(last))) {
                zoneNames[index] = name
            }
        }
        self.zoneNames = zoneNames
    }

    /// One calendar per zone for the whole process: building one reads every transition.
    public static func shared(_ timeZone: TimeZone) -> ZoneCalendar {
        shared(key: timeZone.identifier) { timeZone }
    }

    /// The same by zone name, without building a `TimeZone` when the calendar is cached (that
    /// goes through Foundation's own locked cache). An unknown name gets UTC.
    public static func shared(identifier: String) -> ZoneCalendar {
        shared(key: identifier) { TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)! }
    }

    private static func shared(key: String, zone: () -> TimeZone) -> ZoneCalendar {
        if let cached = cache.read({ $0[key] }) { return cached }
        let calendar = ZoneCalendar(zone())
        return cache.write { cache in
            if let cached = cache[key] { return cached }
            cache[key] = calendar
            return calendar
        }
    }

    private static let cache = ReadMostly<[String: ZoneCalendar]>([:])

    /// A date's fields on the zone's wall clock.
    public struct Local: Sendable, Equatable {
        public var year: Int
        public var month: Int  // 1…12
        public var day: Int  // 1…31
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var weekday: Int  // 1 = Sunday … 7 = Saturday, as Calendar counts
        /// Days since 1970-01-01 on the wall clock: subtract two to count calendar days between.
        public var dayNumber: Int
    }

    /// The offset from UTC, in seconds, at `date`.
    public func secondsFromGMT(for date: Date) -> Int {
        guard let seconds = Self.wholeSeconds(date), seconds >= Self.firstCovered, seconds < Self.lastCovered
        else {
            return timeZone.secondsFromGMT(for: date)
        }
        return offsets[stretch(containing: seconds)]
    }

    /// The number of transitions at or before `seconds`: the index of the offset in force.
    private func stretch(containing seconds: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public func local(_ date: Date) -> Local {
        guard let seconds = Self.wholeSeconds(date), seconds >= Self.firstCovered, seconds < Self.lastCovered
        else {
            return foundationLocal(date)
        }
        let wall = Int(seconds) + secondsFromGMT(for: date)
        let days = Self.floorDivide(wall, 86_400)
        let secondOfDay = wall - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        return Local(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60, weekday: Self.floorModulo(days + 4, 7) + 1, dayNumber: days)
    }

    public enum Style: Sendable {
        case weekday  // "Saturday"
        case dayMonth  // "12 March"
        case dayMonthYear  // "12 March 2026"
        case dayMonthYearTime  // "12 March 2026, 09:30"
        case weekdayDayMonthYearTimeZone  // "Thursday 12 March 2026, 09:30 GMT"
        case dayShortMonthYearTimeZone  // "12 Mar 2026, 09:30 GMT"

        /// The same text as a DateFormatter pattern (en_GB).
        var pattern: String {
            switch self {
            case .weekday: return "EEEE"
            case .dayMonth: return "d MMMM"
            case .dayMonthYear: return "d MMMM yyyy"
            case .dayMonthYearTime: return "d MMMM yyyy, HH:mm"
            case .weekdayDayMonthYearTimeZone: return "EEEE d MMMM yyyy, HH:mm zzz"
            case .dayShortMonthYearTimeZone: return "d MMM yyyy, HH:mm zzz"
            }
        }
    }

    public func string(_ date: Date, _ style: Style) -> String {
        let local = local(date)
        switch style {
        case .weekdayDayMonthYearTimeZone, .dayShortMonthYearTimeZone:
            guard let seconds = Self.wholeSeconds(date), seconds >= 946_684_800, seconds < Self.lastCovered,
                let zoneName = zoneNames[stretch(containing: seconds)]
            else {
                return FormatterCache.formatter(pattern: style.pattern, zone: timeZone).string(from: date)
            }
            let time = "\(Self.twoDigits(local.hour)):\(Self.twoDigits(local.minute)) \(zoneName)"
            if style == .dayShortMonthYearTimeZone {
                return "\(local.day) \(Self.shortMonths[local.month - 1]) \(Self.year(local.year)), \(time)"
            }
            return
                "\(Self.weekdays[local.weekday - 1]) \(local.day) \(Self.months[local.month - 1]) \(Self.year(local.year)), \(time)"
        case .weekday: return Self.weekdays[local.weekday - 1]
        case .dayMonth: return "\(local.day) \(Self.months[local.month - 1])"
        case .dayMonthYear: return "\(local.day) \(Self.months[local.month - 1]) \(Self.year(local.year))"
        case .dayMonthYearTime:
            guard (0...9999).contains(local.year) else {
                return
                    "\(local.day) \(Self.months[local.month - 1]) \(Self.year(local.year)), \(Self.twoDigits(local.hour)):\(Self.twoDigits(local.minute))"
            }
            // "12 September 2026, 09:30": 27 bytes at most. Written byte by byte: every activity
            // line prints one.
            return ASCIIText.make(capacity: 27) { out in
                out.digits(local.day)
                out.byte(UInt8(ascii: " "))
                out.text(Self.months[local.month - 1])
                out.byte(UInt8(ascii: " "))
                out.digits(local.year, width: 4)
                out.byte(UInt8(ascii: ","))
                out.byte(UInt8(ascii: " "))
                out.digits(local.hour, width: 2)
                out.byte(UInt8(ascii: ":"))
                out.digits(local.minute, width: 2)
            }
        }
    }

    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let shortMonths = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    // MARK: Arithmetic

    private static func wholeSeconds(_ date: Date) -> Int64? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 1e15 else { return nil }
        return Int64(interval.rounded(.down))
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }

    /// Year, month, day of a day count since 1970-01-01 in the proleptic Gregorian calendar
    /// (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    private static func year(_ value: Int) -> String {
        let digits = String(value)
        return digits.count < 4 && value >= 0
            ? String(repeating: "0", count: 4 - digits.count) + digits : digits
    }

    private func foundationLocal(_ date: Date) -> Local {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.era, .year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let year = parts.era == 0 ? 1 - (parts.year ?? 1) : parts.year ?? 1970
        let start = calendar.startOfDay(for: date)
        let wallStart = start.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: start))
        return Local(
            year: year, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0,
            second: parts.second ?? 0, weekday: parts.weekday ?? 1,
            dayNumber: Int((wallStart / 86_400).rounded(.down)))
    }
}
