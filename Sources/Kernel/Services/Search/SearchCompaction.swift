import Foundation
import Storage

/// Keeping the index in one part. SQLite's FTS5 adds a segment to the index with every write
/// transaction and merges small segments as they pile up, but bigger ones stay apart, and every
/// query looks up each of its words in every segment: on the large seed (800,000 items) a
/// two-word search ran 7.3 million instructions over 12 segments and 4.5 million over one.
/// ``compact(pagesPerStep:maximumSteps:pause:)`` merges them into one in bounded steps, each its
/// own short write transaction; `pln serve` does it every night at 03:00 in the network's time
/// zone (``compactIfNight(at:timeZone:pause:)``), and `pln admin search compact`, the seed and a
/// reindex do it at once.
extension SearchService {
    static let compactionHour = 3

    /// Merges the index's parts until one is left (or `maximumSteps` ran), sleeping `pause`
    /// between steps so other writers go in between. Returns the steps that did work.
    @discardableResult
    public func compact(pagesPerStep: Int = 1_000, maximumSteps: Int = 100_000, pause: TimeInterval = 0)
        throws
        -> Int
    {
        var steps = 0
        while steps < maximumSteps {
            let worked = try database.write { try backend.compactStep(pages: pagesPerStep, in: $0) }
            guard worked else { break }
            steps += 1
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
        return steps
    }

    /// How many parts the index is in (nil where the backend has none).
    public func parts() throws -> Int? { try database.read { try backend.parts(in: $0) } }

    /// Compacts once a night, in the network's 03:00 hour: the server's background thread calls
    /// this between runs of due jobs. Returns the parts there were and the steps run, or nil when
    /// it was not the time (or this night's compaction already ran in this process). Servers sharing the database may
    /// each run it; after the first, the index is in one part and the others' steps find nothing.
    @discardableResult
    public func compactIfNight(at date: Date, timeZone: String, pause: TimeInterval = 0.02) throws -> (
        parts: Int?, steps: Int
    )? {
        let local = ZoneCalendar.shared(identifier: timeZone).local(date)
        guard local.hour == Self.compactionHour else { return nil }
        let claimed = lastCompactionDay.write { day -> Bool in
            guard day != local.dayNumber else { return false }
            day = local.dayNumber
            return true
        }
        guard claimed else { return nil }
        do {
            let parts = try parts()
            return (parts, try compact(pause: pause))
        } catch {
            // Not done: the next call this hour tries again.
            lastCompactionDay.write { $0 = Int.min }
            throw error
        }
    }
}
