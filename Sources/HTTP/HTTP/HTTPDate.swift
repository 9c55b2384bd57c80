import Glibc

/// HTTP-date (RFC 9110 §5.6.7): formats IMF-fixdate and parses all three accepted forms.
///
/// ```swift
/// HTTPDate.format(epochSeconds: 784111777)          // "Sun, 06 Nov 1994 08:49:37 GMT"
/// HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")  // 784111777 (obsolete RFC 850 form)
/// HTTPDate.parse("Sun Nov  6 08:49:37 1994")        // 784111777 (asctime form)
/// ```
public enum HTTPDate {
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// IMF-fixdate for seconds since the Unix epoch.
    public static func format(epochSeconds: Int) -> String {
        String(decoding: formatBytes(epochSeconds: epochSeconds), as: UTF8.self)
    }

    /// The current time as IMF-fixdate.
    public static func now() -> String { format(epochSeconds: time(nil)) }

    static func formatBytes(epochSeconds: Int) -> [UInt8] {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: dayNames[Int(parts.tm_wday) % 7].utf8)
        out.append(contentsOf: ", ".utf8)
        appendTwoDigits(Int(parts.tm_mday), to: &out)
        out.append(32)
        out.append(contentsOf: monthNames[Int(parts.tm_mon) % 12].utf8)
        out.append(32)
        let year = Int(parts.tm_year) + 1900
        appendTwoDigits(year / 100, to: &out)
        appendTwoDigits(year % 100, to: &out)
        out.append(32)
        appendTwoDigits(Int(parts.tm_hour), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_min), to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_sec), to: &out)
        out.append(contentsOf: " GMT".utf8)
        return out
    }

    private static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + (value / 10) % 10))
        out.append(UInt8(48 + value % 10))
    }

    /// Seconds since the epoch, or nil when the string is not an HTTP-date.
    public static func parse(_ string: String) -> Int? {
        let parts = string.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        if parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","),
            dayNames.contains(String(parts[0].dropLast())), parts[5] == "GMT", parts[1].count == 2,
            parts[3].count == 4, let day = Int(parts[1]), let month = monthNames.firstIndex(of: parts[2]),
            let year = Int(parts[3]), let time = parseTime(parts[4])
        {
            return epoch(year: year, month: month, day: day, time: time)
        }
        // rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT
        if parts.count == 4, parts[0].hasSuffix(","), longDayNames.contains(String(parts[0].dropLast())),
            parts[3] == "GMT"
        {
            let date = parts[1].split(separator: "-").map(String.init)
            guard date.count == 3, date[0].count == 2, date[2].count == 2, let day = Int(date[0]),
                let month = monthNames.firstIndex(of: date[1]), let shortYear = Int(date[2]),
                let time = parseTime(parts[2])
            else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            var year = 2000 + shortYear
            var now = time_t(time_t(Glibc.time(nil)))
            var parts = tm()
            gmtime_r(&now, &parts)
            if year > Int(parts.tm_year) + 1900 + 50 { year -= 100 }
            return epoch(year: year, month: month, day: day, time: time)
        }
        // asctime-date: Sun Nov  6 08:49:37 1994
        if parts.count == 5, dayNames.contains(parts[0]), let month = monthNames.firstIndex(of: parts[1]),
            (1...2).contains(parts[2].count), let day = Int(parts[2]), let time = parseTime(parts[3]),
            parts[4].count == 4, let year = Int(parts[4])
        {
            return epoch(year: year, month: month, day: day, time: time)
        }
        return nil
    }

    private static func parseTime(_ string: String) -> (Int, Int, Int)? {
        let fields = string.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(fields[0]), let minute = Int(fields[1]), let second = Int(fields[2]),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        return (hour, minute, second)
    }

    private static func epoch(year: Int, month: Int, day: Int, time: (Int, Int, Int)) -> Int? {
        guard (1...31).contains(day), year >= 1900, year < 10000 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(time.0)
        parts.tm_min = Int32(time.1)
        parts.tm_sec = Int32(time.2)
        let result = timegm(&parts)
        // timegm normalises 31 Feb to 3 Mar: reject dates that did not survive unchanged.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month) else { return nil }
        return Int(result)
    }
}
