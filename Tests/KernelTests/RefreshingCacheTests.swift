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

    /// Runs `body` on `count` new threads at once; false when they have not all ended in 20 s.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) -> Bool {
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                body()
            }
        }
        return group.wait(timeout: .now() + 20) == .success
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

    @Test func aFailedRefreshKeepsTheOldValueIsReportedAndTheNextCallerTriesAgain() throws {
        struct Boom: Error {}
        let held = HeldWork()
        let reported = Mutex<[String]>([])
        let cache = RefreshingCache<String>(
            maxAge: 60, runInBackground: { held.hold($0) },
            onFailure: { key, error in reported.withLock { $0.append("\(key): \(error)") } })
        _ = try cache.value(for: "k") { "old" }
        let later = Date().addingTimeInterval(61)
        #expect(try cache.value(for: "k", now: later) { throw Boom() } == "old")
        held.runAll()
        #expect(cache.failedRefreshes == 1)
        #expect(reported.withLock { $0 } == ["k: Boom()"])
        #expect(try cache.value(for: "k", now: later) { "new" } == "old")
        #expect(held.count == 1)
        held.runAll()
        #expect(try cache.value(for: "k") { "newer" } == "new")
    }

    /// A refresh whose work never ran (a queue that dropped it) does not block refreshing for
    /// good: after five times the age another one starts.
    @Test func aLostRefreshIsStartedAgainAfterFiveTimesTheAge() throws {
        let held = HeldWork()
        let cache = RefreshingCache<Int>(maxAge: 60, runInBackground: { held.hold($0) })
        let start = Date()
        _ = try cache.value(for: "k") { 1 }
        _ = try cache.value(for: "k", now: start.addingTimeInterval(61)) { 2 }
        _ = try cache.value(for: "k", now: start.addingTimeInterval(200)) { 2 }
        #expect(held.count == 1)
        _ = try cache.value(for: "k", now: start.addingTimeInterval(61 + 301)) { 2 }
        #expect(held.count == 2)
    }

    /// The defect it mends: callers arriving together with no value computed it once each.
    @Test func callersArrivingTogetherWaitForOneComputation() throws {
        let cache = RefreshingCache<Int>(maxAge: 60)
        let calls = Atomic(0)
        let answers = Mutex<[Int]>([])
        let finished = Self.onThreads(8) {
            let value = try? cache.value(for: "k") {
                calls.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.2)
                return 42
            }
            answers.withLock { $0.append(value ?? -1) }
        }
        #expect(finished)
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(answers.withLock { $0 } == Array(repeating: 42, count: 8))
    }

    @Test func aFailedFirstComputationReachesItsCallerAndTheNextOneComputesAgain() throws {
        struct Boom: Error {}
        let cache = RefreshingCache<Int>(maxAge: 60)
        #expect(throws: Boom.self) { try cache.value(for: "k") { throw Boom() } }
        #expect(try cache.value(for: "k") { 5 } == 5)
    }

    /// Callers waiting on a first computation that fails get its error; they do not each try
    /// again in turn (on PostgreSQL a timed-out count would make the k-th wait k times).
    @Test(.timeLimit(.minutes(1))) func callersWaitingOnAFailedComputationGetItsError() throws {
        struct Boom: Error {}
        let cache = RefreshingCache<Int>(maxAge: 60)
        let calls = Atomic(0)
        let outcomes = Mutex<[String]>([])
        let finished = Self.onThreads(6) {
            do {
                let value = try cache.value(for: "k") {
                    calls.add(1, ordering: .relaxed)
                    Thread.sleep(forTimeInterval: 0.2)
                    throw Boom()
                }
                outcomes.withLock { $0.append("value \(value)") }
            } catch {
                outcomes.withLock { $0.append("\(error)") }
            }
        }
        #expect(finished)
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(outcomes.withLock { $0 } == Array(repeating: "Boom()", count: 6))
        // A later caller tries again.
        #expect(try cache.value(for: "k") { 9 } == 9)
    }

    /// By default a refresh runs on another thread (the caller returns before it ends), and
    /// keys that expire together are refreshed one after another, not all at once.
    @Test(.timeLimit(.minutes(1))) func theDefaultRefreshesRunOneAtATimeAwayFromTheCaller() throws {
        let cache = RefreshingCache<Int>(maxAge: 60)
        for key in ["a", "b", "c"] { _ = try cache.value(for: key) { 1 } }
        let release = DispatchSemaphore(value: 0)
        let running = Atomic(0)
        let mostAtOnce = Atomic(0)
        let finished = Atomic(0)
        let later = Date().addingTimeInterval(61)
        for key in ["a", "b", "c"] {
            let value = try cache.value(for: key, now: later) {
                let now = running.add(1, ordering: .relaxed).newValue
                mostAtOnce.max(now, ordering: .relaxed)
                release.wait()
                running.subtract(1, ordering: .relaxed)
                finished.add(1, ordering: .relaxed)
                return 2
            }
            #expect(value == 1)
        }
        // Every caller has its old value although no refresh may end yet.
        #expect(finished.load(ordering: .relaxed) == 0)
        // Time for a pool that runs work side by side to start more threads (libdispatch adds
        // them about once a second while its threads are blocked).
        Thread.sleep(forTimeInterval: 2.5)
        #expect(running.load(ordering: .relaxed) == 1)
        for _ in 0..<3 { release.signal() }
        let deadline = Date().addingTimeInterval(20)
        while finished.load(ordering: .relaxed) < 3 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(finished.load(ordering: .relaxed) == 3)
        #expect(mostAtOnce.load(ordering: .relaxed) == 1)
        for key in ["a", "b", "c"] { #expect(try cache.value(for: key) { 3 } == 2) }
    }
}
