import Foundation
import Testing

@testable import CPD

/// `pln admin seed` puts sessions when schools hold them (issue 20: "twilight" sessions started
/// at 06:47 or 00:07).
@Suite struct SeedTimesTests {
    @Test func seededSessionsStartAtSchoolTimesOnWeekdays() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let saturday = try #require(
            calendar.date(from: DateComponents(year: 2026, month: 12, day: 12, hour: 3)))
        for kind in CPDSeeder.sessionKinds {
            for minutes in [60, 90, 120, 180] {
                for slot in 0...6 {
                    for offset in 0..<7 {
                        let day = saturday.addingTimeInterval(Double(offset) * 86_400)
                        let start = CPDSeeder.schoolTime(
                            kind: kind, day: day, minutes: minutes, slot: slot, in: zone)
                        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: start)
                        #expect(![1, 7].contains(parts.weekday ?? 1), "\(kind) on a weekend")
                        let begins = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
                        let ends: Int = begins + minutes
                        if kind == "half-day course" || kind == "lesson study" {
                            let daytime: Set<Int> = [540, 780, 795]  // 09:00, 13:00, 13:15
                            #expect(daytime.contains(begins), "\(kind) at minute \(begins)")
                        } else {
                            let afterSchool: Bool = begins >= 945 && (minutes > 105 || ends <= 1050)  // 15:45 to 17:30
                            #expect(afterSchool, "\(kind) at minute \(begins)")
                        }
                    }
                }
            }
        }
    }
}
