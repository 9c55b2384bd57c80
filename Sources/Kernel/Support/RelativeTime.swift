import Foundation

/// Times as the seed network showed them: "just now", "5 minutes ago", "19 hours ago",
/// "yesterday", a weekday within the last week ("Saturday"), then a date ("12 March" or
/// "12 March 2024" in another year).
///
/// ```swift
/// RelativeTime.describe(date, now: Date(), timeZone: TimeZone(identifier: "Europe/London")!)
/// ```
public enum RelativeTime {
    public static func describe(_ date: Date, now: Date, timeZone: TimeZone) -> String {
        describe(date, now: now, calendar: ZoneCalendar.shared(timeZone))
    }

    /// The same with the zone's offsets already read: what pages use, once per time shown.
    public static func describe(_ date: Date, now: Date, calendar: ZoneCalendar) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "just now" }
        if seconds < 3600 {
            let minutes = Int(seconds / 60)
            return minutes == 1 ? "1 minute ago" : "\(minutes) minutes ago"
        }
        let today = calendar.local(now)
        let day = calendar.local(date)
        let days = today.dayNumber - day.dayNumber
        if days == 0 || seconds < 6 * 3600 {
            let hours = Int(seconds / 3600)
            return hours == 1 ? "1 hour ago" : "\(hours) hours ago"
        }
        if days == 1 { return "yesterday" }
        if days < 7 { return calendar.string(date, .weekday) }
        return calendar.string(date, day.year == today.year ? .dayMonth : .dayMonthYear)
    }
}
