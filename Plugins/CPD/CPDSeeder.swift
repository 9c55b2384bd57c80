import Foundation
import Kernel
import Storage

/// CPD's part of `pln admin seed`: members' expertise, sessions across the year with bookings,
/// waiting lists, registers and evaluations (so records and certificates exist), and upcoming
/// sessions to book.
enum CPDSeeder {
    static func seed(_ seed: SeedContext, cpd: CPDService) throws {
        let members = seed.shared["members"] ?? 0
        guard members > 10 else { return }
        let sessions: Int
        switch seed.scale {
        case .small: sessions = 16
        case .medium: sessions = 300
        case .large: sessions = 1500
        }
        let areas = cpd.areas
        let zone =
            TimeZone(identifier: seed.services.config.string("network", "time_zone")) ?? TimeZone(
                identifier: "UTC")!
        // Expertise for about one member in ten.
        for _ in 0..<(members / 10) {
            let id = Int64(seed.random.int(1...members))
            guard !areas.isEmpty else { break }
            let area = seed.random.pick(areas)
            try cpd.setExpertise(
                memberID: id,
                [
                    area: "I led \(area.lowercased()) in my school and am happy to help. "
                        + seed.random.pick(SeedWords.sentences)
                ])
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        var pending: [(session: CPDSession, booked: [Int64], facilitator: SignedInMember)] = []
        var attended = 0
        let span = 60 * 86_400.0 / Double(sessions)
        func markDue() throws {
            let now = seed.clock.now
            while let first = pending.first,
                first.session.startsAt.addingTimeInterval(Double(first.session.durationMinutes) * 60) < now
            {
                pending.removeFirst()
                let present = Set(first.booked.filter { _ in seed.random.int(0...9) < 8 })
                _ = try cpd.markAttendance(
                    sessionID: first.session.id, present: present, by: first.facilitator)
                attended += present.count
                for memberID in present where seed.random.int(0...2) == 0 {
                    try cpd.evaluate(
                        sessionID: first.session.id, memberID: memberID, rating: seed.random.int(3...5),
                        willChange: seed.random.pick(SeedWords.sentences))
                }
            }
        }
        for index in 0..<sessions {
            let upcoming = index >= sessions * 4 / 5
            seed.advance(by: upcoming ? span / 10 : span)
            try markDue()
            guard let facilitator = try seed.actor(Int64(seed.random.skewed(members) + 1)) else { continue }
            let area = areas.isEmpty ? "Leadership" : seed.random.pick(areas)
            // Past sessions start days after they are offered; the last fifth start after the real now.
            let base = upcoming ? seed.now : seed.clock.now
            let start = base.addingTimeInterval(Double(seed.random.int(3...20)) * 86_400).addingTimeInterval(
                Double(seed.random.int(0...6)) * 3600)
            let capacity = seed.random.pick([8, 12, 20, 30])
            let session = try cpd.offer(
                SessionInput(
                    title:
                        "\(area): \(seed.random.pick(sessionKinds))",
                    description: SeedWords.paragraph(&seed.random, sentences: 3), areas: [area],
                    hostSchool: SeedWords.school(seed.random.skewed(seed.scale.schools)),
                    starts: formatter.string(from: start),
                    timeZone: zone.identifier, durationMinutes: String(seed.random.pick([60, 90, 120, 180])),
                    venue: seed.random.int(0...3) == 0
                        ? ""
                        : "Staff room, " + SeedWords.school(seed.random.int(0...(seed.scale.schools - 1))),
                    onlineURL: "https://meet.example.org/cpd-\(index)", capacity: String(capacity)),
                by: facilitator)
            var booked: [Int64] = []
            for _ in 0..<(capacity + seed.random.int(-4...4)) {
                let memberID = Int64(seed.random.int(1...members))
                guard memberID != facilitator.id, !booked.contains(memberID) else { continue }
                if let booking = try? cpd.book(sessionID: session.id, memberID: memberID),
                    booking.status == .booked
                {
                    booked.append(memberID)
                }
            }
            if !upcoming { pending.append((session, booked, facilitator)) }
        }
        try markDue()
        seed.shared["cpd sessions"] = sessions
        seed.shared["cpd attendances"] = attended
        seed.log("  \(sessions) CPD sessions, \(attended) attendances")
    }

    static let sessionKinds = [
        "twilight workshop", "half-day course", "network meeting", "lesson study", "coaching session",
    ]

    /// Moves every seeded session to when a school would hold it, on the same day (or the
    /// Monday after a weekend), in the network's time zone: twilights and meetings after school
    /// from 15:45 (ending by 17:30 when they are short enough), half-day courses and lesson study
    /// from 09:00 (an INSET morning) or after lunch. Done after seeding and from each session's id
    /// rather than the random stream, so every seeded text stays as it was; lengths stay, so the
    /// hours in records still match.
    static func moveToSchoolTimes(_ seed: SeedContext, cpd: CPDService) throws {
        let zone =
            TimeZone(identifier: seed.services.config.string("network", "time_zone")) ?? TimeZone(
                identifier: "UTC")!
        try cpd.database.write { db in
            let sessions = try db.query("SELECT id, title, starts_at, duration_minutes FROM cpd_sessions") {
                (
                    id: try $0.value("id") as Int64, title: try $0.value("title") as String,
                    start: try $0.value("starts_at") as Date, minutes: try $0.value("duration_minutes") as Int
                )
            }
            for session in sessions {
                let kind = sessionKinds.first { session.title.hasSuffix(": \($0)") } ?? ""
                let start = schoolTime(
                    kind: kind, day: session.start, minutes: session.minutes, slot: Int(session.id % 7),
                    in: zone)
                try db.execute("UPDATE cpd_sessions SET starts_at = ? WHERE id = ?", [start, session.id])
            }
        }
    }

    /// When a school would hold a session of `kind` lasting `minutes` on `day` (see
    /// ``moveToSchoolTimes(_:cpd:)``); `slot` (0...6) picks among the plausible times.
    static func schoolTime(kind: String, day: Date, minutes: Int, slot: Int, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var date = calendar.startOfDay(for: day)
        switch calendar.component(.weekday, from: date) {
        case 7: date = calendar.date(byAdding: .day, value: 2, to: date) ?? date  // Saturday
        case 1: date = calendar.date(byAdding: .day, value: 1, to: date) ?? date  // Sunday
        default: break
        }
        let begins: Int  // minutes after midnight
        switch kind {
        case "half-day course", "lesson study": begins = [540, 540, 780, 540, 795, 540, 780][slot % 7]
        default:
            // After school: from 15:45, as late as ends by 17:30 allows.
            let latest = max(945, 1050 - minutes)
            let choices = [945, 960, 975, 990].filter { $0 <= latest }
            begins = choices.isEmpty ? 945 : choices[slot % choices.count]
        }
        return calendar.date(bySettingHour: begins / 60, minute: begins % 60, second: 0, of: date)
            ?? date.addingTimeInterval(Double(begins * 60))
    }
}
