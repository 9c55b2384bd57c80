import Foundation
import Synchronization

/// The time, as a service, so tests can fix it.
///
/// ```swift
/// let clock = FixedClock(Date(timeIntervalSince1970: 0))
/// clock.advance(by: 3600)
/// ```
public protocol Clock: Sendable {
    var now: Date { get }
}

/// The real time.
public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that only moves when told to.
public final class FixedClock: Clock {
    private let current: Mutex<Date>

    public init(_ date: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(date)
    }

    public var now: Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
