import Foundation
import Synchronization
import Testing

@testable import Kernel

/// Costly values that may be a little old: one computation per key at a time, and an old value
/// served while a single refresh runs in the background.
@Suite struct RefreshingCacheTests {
    /// Holds background work until the test runs it, so the test decides when a refresh ends.
    final class HeldWork: Sendable {
        let work = Mutex<[@Sendable () -> Void]>([])
        func hold(_ job: @escaping @Sendable () -> Void) { work.withLock { $0.append(job) } }
        var count: Int { work.withLock { $0.count } }
        func runAll() {
            let jobs = work.withLock { jobs in
                defer { jobs.removeAll() }
                return jobs
            }
            for job in jobs { job() }
        }
    }

    @Test func aFreshValueIsComputedOnce() throws {
        let cache = RefreshingCache<Int>(maxAge: 60)
        let calls = Atomic(0)
        for _ in 0..<3 {
            #expect(try cache.value(for: "k") { calls.add(1, ordering: .relaxed).newValue } == 1)
        }
        #expect(calls.load(ordering: .relaxed) == 1)
        // Keys are separate.
        #expect(try cache.value(for: "other") { 7 } == 7)
    }

    @Test func anOldValueIsServedWhileOneRefreshRunsInTheBackground() throws {
        let held = HeldWork()
        let cache = RefreshingCache<String>(maxAge: 60, runInBackground: { held.hold($0) })
        #expect(try cache.value(for: "k") { "first" } == "first")
        let later = Date().addingTimeInterval(61)
        let calls = Atomic(0)
        // Many callers after the minute: each gets the old value at once, and one refresh starts.
        for _ in 0..<5 {
            let value = try cache.value(for: "k", now: later) {
                calls.add(1, ordering: .relaxed)
                return "second"
            }
            #expect(value == "first")
        }
        #expect(held.count == 1)
        #expect(calls.load(ordering: .relaxed) == 0)
        held.runAll()
        #expect(calls.load(ordering: .relaxed) == 1)
        // The refreshed value is fresh again: served without another refresh.
        #expect(try cache.value(for: "k") { "third" } == "second")
        #expect(held.count == 0)
    }

    @Test func aFailedRefreshKeepsTheOldValueAndTheNextCallerTriesAgain() throws {
        struct Boom: Error {}
        let held = HeldWork()
        let cache = RefreshingCache<String>(maxAge: 60, runInBackground: { held.hold($0) })
        _ = try cache.value(for: "k") { "old" }
        let later = Date().addingTimeInterval(61)
        #expect(try cache.value(for: "k", now: later) { throw Boom() } == "old")
        held.runAll()
        #expect(cache.failedRefreshes == 1)
        #expect(try cache.value(for: "k", now: later) { "new" } == "old")
        #expect(held.count == 1)
        held.runAll()
        #expect(try cache.value(for: "k", now: later) { "newer" } == "new")
    }

    /// The defect it mends: callers arriving together with no value computed it once each.
    @Test func callersArrivingTogetherWaitForOneComputation() throws {
        let cache = RefreshingCache<Int>(maxAge: 60)
        let calls = Atomic(0)
        let answers = Mutex<[Int]>([])
        let group = DispatchGroup()
        for _ in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let value = try? cache.value(for: "k") {
                    calls.add(1, ordering: .relaxed)
                    Thread.sleep(forTimeInterval: 0.2)
                    return 42
                }
                answers.withLock { $0.append(value ?? -1) }
            }
        }
        #expect(group.wait(timeout: .now() + 20) == .success)
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(answers.withLock { $0 } == Array(repeating: 42, count: 8))
    }

    @Test func aFailedFirstComputationReachesItsCallerAndTheNextOneComputesAgain() throws {
        struct Boom: Error {}
        let cache = RefreshingCache<Int>(maxAge: 60)
        #expect(throws: Boom.self) { try cache.value(for: "k") { throw Boom() } }
        #expect(try cache.value(for: "k") { 5 } == 5)
    }

    @Test func theDefaultRefreshRunsOnAnotherThread() throws {
        let cache = RefreshingCache<Int>(maxAge: 60)
        _ = try cache.value(for: "k") { 1 }
        let later = Date().addingTimeInterval(61)
        #expect(try cache.value(for: "k", now: later) { 2 } == 1)
        let deadline = Date().addingTimeInterval(10)
        while try cache.value(for: "k", now: Date()) { 3 } != 2 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(try cache.value(for: "k") { 3 } == 2)
    }
}
