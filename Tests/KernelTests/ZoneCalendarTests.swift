import Foundation
import Markdown
import Testing

@testable import Kernel

/// ZoneCalendar replaces Calendar and DateFormatter on the pages' hot path, so it is checked
/// against them: the same wall clock, weekday and text for dates across a century and zones with
/// odd rules (half-hour DST, 45-minute offsets, zones that changed their standard offset).
@Suite struct ZoneCalendarTests {
    static let zones = [
        "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "UTC",
        "America/Sao_Paulo", "Europe/Moscow", "Africa/Casablanca", "Pacific/Apia", "America/St_Johns",
    ]

    /// Deterministic dates from 1970 to 2099, plus the hour either side of each zone's transitions.
    static func dates(around zone: TimeZone, count: Int) -> [Date] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var dates: [Date] = []
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: TimeInterval((state >> 11) % 4_102_444_800)))
        }
        var cursor = Date(timeIntervalSince1970: 1_500_000_000)
        for _ in 0..<40 {
            guard let next = zone.nextDaylightSavingTimeTransition(after: cursor) else { break }
            dates += [-3601, -1, 0, 1, 3599].map { next.addingTimeInterval($0) }
            cursor = next
        }
        return dates
    }

    @Test(arguments: zones)
    func localFieldsMatchFoundation(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let fast = ZoneCalendar(zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        for date in Self.dates(around: zone, count: 3000) {
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let local = fast.local(date)
            #expect(fast.secondsFromGMT(for: date) == zone.secondsFromGMT(for: date), "\(identifier) \(date)")
            #expect(
                [local.year, local.month, local.day, local.hour, local.minute, local.second, local.weekday]
                    == [
                        parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second,
                        parts.weekday,
                    ],
                "\(identifier) \(date)")
        }
    }

    @Test(arguments: zones)
    func textMatchesDateFormatter(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let fast = ZoneCalendar(zone)
        let styles: [(ZoneCalendar.Style, String)] = [
            (.weekday, "EEEE"), (.dayMonth, "d MMMM"), (.dayMonthYear, "d MMMM yyyy"),
            (.dayMonthYearTime, "d MMMM yyyy, HH:mm"),
        ]
        for date in Self.dates(around: zone, count: 500) {
            for (style, pattern) in styles {
                let formatter = FormatterCache.formatter(pattern: pattern, zone: zone)
                #expect(
                    fast.string(date, style) == formatter.string(from: date),
                    "\(identifier) \(pattern) \(date)")
            }
        }
    }

    @Test(arguments: zones)
    func textWithTheZoneNameMatchesDateFormatterFrom2000(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let fast = ZoneCalendar.shared(zone)
        for date in Self.dates(around: zone, count: 1500) where date.timeIntervalSince1970 >= 946_684_800 {
            for style in [ZoneCalendar.Style.weekdayDayMonthYearTimeZone, .dayShortMonthYearTimeZone] {
                let formatter = FormatterCache.formatter(pattern: style.pattern, zone: zone)
                #expect(
                    fast.string(date, style) == formatter.string(from: date), "\(identifier) \(style) \(date)"
                )
            }
        }
    }

    @Test func dayNumbersCountCalendarDaysAcrossDaylightSaving() throws {
        let london = ZoneCalendar(try #require(TimeZone(identifier: "Europe/London")))
        // 2026-03-29 is the spring-forward day (23 hours); 2026-10-25 the fall-back day (25 hours).
        let before = Date(timeIntervalSince1970: 1_774_656_000)  // 2026-03-28T00:00:00Z, Saturday
        let after = before.addingTimeInterval(2 * 86_400)  // 2026-03-30T00:00:00Z = 01:00 BST, Monday
        #expect(london.local(after).dayNumber - london.local(before).dayNumber == 2)
        #expect(london.local(before).weekday == 7)
        #expect(london.local(after).hour == 1)
        let autumn = Date(timeIntervalSince1970: 1_792_969_200)  // 2026-10-25T23:00:00Z = 23:00 GMT
        #expect(london.string(autumn, .dayMonthYearTime) == "25 October 2026, 23:00")
    }

    @Test func datesOutsideTheTableFallBackToFoundation() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let fast = ZoneCalendar(zone)
        let formatter = FormatterCache.formatter(pattern: "d MMMM yyyy, HH:mm", zone: zone)
        for seconds in [-2_208_988_800.0, -1.0, 4_102_444_800, 7_258_118_400] {  // 1900, 1969, 2100, 2200
            let date = Date(timeIntervalSince1970: seconds)
            #expect(fast.string(date, .dayMonthYearTime) == formatter.string(from: date), "\(date)")
        }
    }

    @Test func relativeTimesReadAsBefore() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        let calendar = ZoneCalendar(zone)
        let now = Date(timeIntervalSince1970: 1_795_942_800)  // Sunday 29 November 2026, 09:00 GMT
        func text(_ secondsAgo: TimeInterval) -> String {
            RelativeTime.describe(now.addingTimeInterval(-secondsAgo), now: now, calendar: calendar)
        }
        #expect(text(30) == "just now")
        #expect(text(-600) == "just now")
        #expect(text(60) == "1 minute ago")
        #expect(text(59 * 60) == "59 minutes ago")
        #expect(text(3600) == "1 hour ago")
        #expect(text(8 * 3600) == "8 hours ago")  // 01:00 today
        #expect(text(10 * 3600) == "yesterday")  // 23:00 yesterday
        #expect(text(3 * 86_400) == "Thursday")
        #expect(text(30 * 86_400) == "30 October")
        #expect(text(400 * 86_400) == "25 October 2025")
    }
}

@Suite(.serialized) struct MarkdownCacheTests {
    @Test func cachedHTMLIsWhatTheRendererGives() {
        for source in [
            "*hi* <script>alert(1)</script>", "[x](javascript:alert(1))", "# Title\n\n- a\n- b", "",
        ] {
            #expect(MarkdownCache.html(source) == Markdown.html(source))
            #expect(MarkdownCache.html(source) == Markdown.html(source))  // the cached copy
            #expect(HTML.markdown(source).text == Markdown.html(source))
        }
        // An edit is another text: the new rendering, never the old one.
        #expect(MarkdownCache.html("**old**") == "<p><strong>old</strong></p>\n")
        #expect(MarkdownCache.html("**new**") == "<p><strong>new</strong></p>\n")
    }

    @Test func theCacheStaysWithinTwoGenerations() {
        MarkdownCache.removeAll()
        let chunk = String(repeating: "word ", count: 12_000)  // 60 kB, under largestSource
        for index in 0..<400 { _ = MarkdownCache.html(chunk + String(index)) }
        #expect(MarkdownCache.heldBytes <= 2 * MarkdownCache.generationBytes)
        #expect(MarkdownCache.heldBytes > MarkdownCache.generationBytes / 2)
        let huge = String(repeating: "x", count: MarkdownCache.largestSource + 1)
        let before = MarkdownCache.heldBytes
        #expect(MarkdownCache.html(huge) == Markdown.html(huge))
        #expect(MarkdownCache.heldBytes == before)
        MarkdownCache.removeAll()
    }
}
