import Storage
import Synchronization

/// A domain event: something that happened and committed. Modules define their own.
public protocol DomainEvent: Sendable {
    /// A stable name, e.g. "blog.post_published".
    static var name: String { get }
}

/// Content was created, changed or removed in some module. Moderation, search and
/// notifications listen to this one event instead of importing every module.
public struct ContentEvent: DomainEvent {
    public static let name = "content"
    public enum Action: String, Sendable { case created, updated, deleted, hidden, restored }
    public var module: String
    public var kind: String
    public var id: Int64
    public var authorID: Int64?
    public var action: Action

    public init(module: String, kind: String, id: Int64, authorID: Int64?, action: Action) {
        self.module = module
        self.kind = kind
        self.id = id
        self.authorID = authorID
        self.action = action
    }
}

/// Delivers typed domain events to the handlers of enabled modules, after the publishing
/// transaction commits — never for one that rolled back.
///
/// ```swift
/// services.events.subscribe(ContentEvent.self, module: "moderation") { event in … }
/// try db.write { db in …; try services.events.publish(ContentEvent(…), in: db) }
/// ```
public final class EventBus: Sendable {
    private struct Subscription: Sendable {
        var module: String
        var handler: @Sendable (any DomainEvent) -> Void
    }

    private let subscriptions = Mutex<[String: [Subscription]]>([:])
    private let writeHandlers = Mutex<[String: [@Sendable (any DomainEvent, Connection) throws -> Void]]>([:])
    private let log: Logger

    public init(log: Logger = .silent) {
        self.log = log
    }

    public func subscribe<E: DomainEvent>(
        _ type: E.Type, module: String, _ handler: @escaping @Sendable (E) throws -> Void
    ) {
        let log = self.log
        let subscription = Subscription(module: module) { event in
            guard let event = event as? E else { return }
            do { try handler(event) } catch {
                log.error("event handler failed", ["event": E.name, "module": module, "error": "\(error)"])
            }
        }
        subscriptions.withLock { $0[E.name, default: []].append(subscription) }
    }

    /// Runs `handler` inside the publishing transaction, before it commits: for kernel services
    /// that must change with the write or not at all (the search index). A thrown error rolls
    /// the write back.
    public func onWrite<E: DomainEvent>(_ type: E.Type, _ handler: @escaping @Sendable (E, Connection) throws -> Void) {
        writeHandlers.withLock {
            $0[E.name, default: []].append { event, db in
                if let event = event as? E { try handler(event, db) }
            }
        }
    }

    /// Runs the ``onWrite(_:_:)`` handlers now, then queues `event` for delivery once the write
    /// transaction of `connection` commits.
    public func publish<E: DomainEvent>(_ event: E, in connection: Connection) throws {
        for handler in writeHandlers.withLock({ $0[E.name] ?? [] }) { try handler(event, connection) }
        try connection.afterCommit { [self] in deliver(event) }
    }

    /// Delivers at once, for events not tied to a transaction.
    public func deliver<E: DomainEvent>(_ event: E) {
        let handlers = subscriptions.withLock { $0[E.name] ?? [] }
        for subscription in handlers { subscription.handler(event) }
    }

    public func subscriberModules<E: DomainEvent>(for type: E.Type) -> [String] {
        subscriptions.withLock { ($0[E.name] ?? []).map(\.module) }
    }
}
