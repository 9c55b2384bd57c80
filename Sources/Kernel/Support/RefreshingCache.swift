import Foundation

/// Values that are costly to compute and may be a little old (the directory's filter choices):
/// each key is computed by one caller at a time, and an old value keeps being served while one
/// refresh runs in the background.
///
/// Without it, every request that found the value expired computed it again at once. When the
/// directory's choices (~100 ms to count 100,000 members' answers) expired under 64 connections,
/// all four workers counted at the same time and every request waited ~250–380 ms for them:
/// wrk's p99 for that 10-second run was 176–323 ms instead of 16 ms.
///
/// ```swift
/// let cache = RefreshingCache<[String]>(maxAge: 60)
/// let schools = try cache.value(for: "schools") { try countSchools() }
/// ```
public final class RefreshingCache<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `entries`, `computing` and `failures` are only touched while `condition` is locked.
    private struct Entry {
        var value: Value
        var at: Date
        var refreshing = false
    }

    private var entries: [String: Entry] = [:]
    /// Keys with no value yet whose first computation is under way; callers wait for it.
    private var computing: Set<String> = []
    private let condition = NSCondition()
    let maxAge: TimeInterval
    /// Runs a refresh away from the caller (a new thread by default; tests pass their own).
    let runInBackground: @Sendable (@escaping @Sendable () -> Void) -> Void
    private var failures = 0
    /// Background refreshes that failed (the old value stays; the next caller tries again).
    public var failedRefreshes: Int {
        condition.lock()
        defer { condition.unlock() }
        return failures
    }

    public init(
        maxAge: TimeInterval,
        runInBackground: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void = { work in
            Thread.detachNewThread { work() }
        }
    ) {
        self.maxAge = maxAge
        self.runInBackground = runInBackground
    }

    /// The value for `key`: the cached one while it is younger than `maxAge`; an older one at
    /// once, starting a refresh in the background unless one is running; with none yet, computed
    /// by this caller, or awaited when another caller is computing it.
    public func value(
        for key: String, now: Date = Date(), compute: @escaping @Sendable () throws -> Value
    ) throws -> Value {
        condition.lock()
        while true {
            if let entry = entries[key] {
                if now.timeIntervalSince(entry.at) >= maxAge && !entry.refreshing {
                    entries[key]?.refreshing = true
                    condition.unlock()
                    runInBackground { [self] in refresh(key, compute: compute) }
                    return entry.value
                }
                condition.unlock()
                return entry.value
            }
            if !computing.contains(key) { break }
            condition.wait()
        }
        computing.insert(key)
        condition.unlock()
        let result = Result { try compute() }
        condition.lock()
        computing.remove(key)
        if case .success(let value) = result { entries[key] = Entry(value: value, at: Date()) }
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    private func refresh(_ key: String, compute: () throws -> Value) {
        let result = Result { try compute() }
        condition.lock()
        defer { condition.unlock() }
        switch result {
        case .success(let value): entries[key] = Entry(value: value, at: Date())
        case .failure:
            entries[key]?.refreshing = false
            failures += 1
        }
    }

    /// Forgets every value (a test, or a change that must show at once).
    public func removeAll() {
        condition.lock()
        entries.removeAll()
        condition.unlock()
    }
}
