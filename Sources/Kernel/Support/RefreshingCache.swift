import Dispatch
import Foundation

/// Values that are costly to compute and may be a little old (the directory's filter choices):
/// each key is computed by one caller at a time, and an old value keeps being served while one
/// refresh runs in the background.
///
/// Without it, every request that found the value expired computed it again at once. When the
/// directory's choices (~100 ms to count 100,000 members' answers) expired under 64 connections,
/// all four workers counted at the same time and every request waited ~250–380 ms for them:
/// wrk's p99 for that 10-second run was 116–323 ms instead of 16 ms.
///
/// Keys must come from a bounded set (configuration, not requests): values are never evicted.
/// Callers waiting for a first computation keep whatever they hold (a request's database
/// reader), so a computation must not need more readers than the pool has beyond the workers.
///
/// ```swift
/// let cache = RefreshingCache<[String]>(maxAge: 60)
/// let schools = try cache.value(for: "schools") { try countSchools() }
/// ```
public final class RefreshingCache<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every stored `var` is only touched while `condition` is locked.
    private struct Entry {
        var value: Value
        var at: Date
        /// When the background refresh under way began, if one is.
        var refreshStarted: Date?
    }

    private var entries: [String: Entry] = [:]
    /// Keys with no value yet whose first computation is under way, with that attempt's number.
    private var computing: [String: Int] = [:]
    /// The last failed first computation of each key, for the callers that waited on it.
    private var failed: [String: (attempt: Int, error: any Error)] = [:]
    private var attempts = 0
    private var failures = 0
    private let condition = NSCondition()
    let maxAge: TimeInterval
    /// Runs a refresh away from the caller: one serial queue by default, so that keys expiring
    /// together are counted one after another, not all at once (tests pass their own).
    let runInBackground: @Sendable (@escaping @Sendable () -> Void) -> Void
    /// Told of each background refresh that failed (the old value stays; the next caller after
    /// the failure tries again).
    let onFailure: @Sendable (String, any Error) -> Void

    public init(
        maxAge: TimeInterval,
        runInBackground: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil,
        onFailure: @escaping @Sendable (String, any Error) -> Void = { _, _ in }
    ) {
        self.maxAge = maxAge
        let queue = DispatchQueue(label: "pln.refreshing-cache")
        self.runInBackground = runInBackground ?? { work in queue.async(execute: work) }
        self.onFailure = onFailure
    }

    /// Background refreshes that failed since the cache was made.
    public var failedRefreshes: Int {
        condition.lock()
        defer { condition.unlock() }
        return failures
    }

    /// The value for `key`: the cached one while it is younger than `maxAge`; an older one at
    /// once, starting a refresh in the background unless one is running; with none yet, computed
    /// by this caller, or awaited when another caller is computing it (whose error, if it fails,
    /// this caller gets too).
    public func value(
        for key: String, now: Date = Date(), compute: @escaping @Sendable () throws -> Value
    ) throws -> Value {
        condition.lock()
        var awaited: Int?
        while true {
            if let entry = entries[key] {
                let refreshes = startsRefresh(key, entry, now: now)
                condition.unlock()
                if refreshes { runInBackground { [self] in refresh(key, compute: compute) } }
                return entry.value
            }
            if let awaited, let failure = failed[key], failure.attempt == awaited {
                condition.unlock()
                throw failure.error
            }
            guard let attempt = computing[key] else { break }
            awaited = attempt
            condition.wait()
        }
        attempts += 1
        let attempt = attempts
        computing[key] = attempt
        condition.unlock()
        let result = Result { try compute() }
        condition.lock()
        computing[key] = nil
        switch result {
        case .success(let value):
            entries[key] = Entry(value: value, at: Date())
            failed[key] = nil
        case .failure(let error): failed[key] = (attempt, error)
        }
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Whether this caller starts a refresh of `key` (called with the lock held): the value is
    /// old and no refresh is under way. A refresh that has not ended after five times `maxAge` is
    /// taken as lost (its work never ran), and another starts.
    private func startsRefresh(_ key: String, _ entry: Entry, now: Date) -> Bool {
        guard now.timeIntervalSince(entry.at) >= maxAge else { return false }
        if let started = entry.refreshStarted, now.timeIntervalSince(started) < maxAge * 5 { return false }
        entries[key]?.refreshStarted = now
        return true
    }

    private func refresh(_ key: String, compute: () throws -> Value) {
        let result = Result { try compute() }
        condition.lock()
        switch result {
        case .success(let value): entries[key] = Entry(value: value, at: Date())
        case .failure:
            entries[key]?.refreshStarted = nil
            failures += 1
        }
        condition.unlock()
        if case .failure(let error) = result { onFailure(key, error) }
    }
}
