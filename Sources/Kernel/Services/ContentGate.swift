import Storage

/// A new item, as the module that wrote it hands it to the content gate.
public struct ContentSubmission: Sendable, Equatable {
    public var module: String
    /// A reportable kind, e.g. "blog_comment".
    public var kind: String
    public var id: Int64
    public var authorID: Int64

    public init(module: String, kind: String, id: Int64, authorID: Int64) {
        self.module = module
        self.kind = kind
        self.id = id
        self.authorID = authorID
    }
}

/// What the gate decided for a new item.
public enum ScreeningDecision: Sendable, Equatable {
    /// Visible as soon as the transaction commits: the writer sends its notifications.
    case publish
    /// Hidden and waiting for a moderator (the gate hid it in the same transaction): the writer
    /// sends no notification, since nobody but its author and moderators may see it yet.
    case hold(reason: String)

    public var isPublished: Bool { self == .publish }
}

/// Screens new content inside the transaction that writes it, so nothing is visible, mailed or
/// counted before it is screened, and a crash cannot leave an item published unscreened. The
/// moderation module installs one; without it everything is published.
///
/// ```swift
/// try database.write { db in
///     try db.execute("INSERT INTO blog_comments …"); let id = db.lastInsertedRowID
///     try services.activity.record(…, in: db)
///     let decision = try services.contentCreated(
///         ContentSubmission(module: "blog", kind: "blog_comment", id: id, authorID: member.id), in: db)
///     if decision.isPublished { try notifyPostAuthor(…, in: db) }
/// }
/// ```
public protocol ContentGate: Sendable {
    /// Decides, and when it holds the item hides it (and its activity) through its reportable
    /// kind, all on `db` inside the caller's transaction.
    func screen(_ submission: ContentSubmission, in db: Connection) throws -> ScreeningDecision
}

/// Holds the installed gate in the service container.
public struct ContentGateBox: Sendable {
    public let gate: any ContentGate
    public init(_ gate: any ContentGate) { self.gate = gate }
}

extension Services {
    /// Screens a new item (after its row and activity entry are written, before any
    /// notification) and publishes its ``ContentEvent`` for after the commit.
    @discardableResult
    public func contentCreated(_ submission: ContentSubmission, in db: Connection) throws -> ScreeningDecision
    {
        let decision = try service(ContentGateBox.self)?.gate.screen(submission, in: db) ?? .publish
        try events.publish(
            ContentEvent(
                module: submission.module, kind: submission.kind, id: submission.id,
                authorID: submission.authorID,
                action: .created), in: db)
        return decision
    }
}
