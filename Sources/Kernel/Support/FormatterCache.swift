import Foundation

/// Date formatters and calendars are slow to create and not safe to share across threads:
/// each thread keeps its own, by time zone and pattern.
///
/// ```swift
/// let formatter = FormatterCache.formatter(pattern: "d MMMM yyyy", zone: zone)
/// ```
public enum FormatterCache {
    public static func formatter(pattern: String, zone: TimeZone, locale: String = "en_GB") -> DateFormatter {
        let key = "pln.formatter.\(locale).\(zone.identifier).\(pattern)"
        if let cached = Thread.current.threadDictionary[key] as? DateFormatter { return cached }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        Thread.current.threadDictionary[key] = formatter
        return formatter
    }

    public static func calendar(zone: TimeZone) -> Calendar {
        let key = "pln.calendar.\(zone.identifier)"
        if let cached = Thread.current.threadDictionary[key] as? Calendar { return cached }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        Thread.current.threadDictionary[key] = calendar
        return calendar
    }
}
