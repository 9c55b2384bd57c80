import Storage

/// The network's moderation audit log, as other modules see it: the moderation module provides
/// it; group chairs' actions are written to the same log. Nil when moderation is disabled.
///
/// ```swift
/// try services.service(AuditLogBox.self)?.log.record(
///     .init(actorID: chair.id, actorName: chair.name, action: "delete", targetKind: "group_reply",
///           targetID: 7, targetTitle: "Reply in Phonics network", memberID: author, reason: "off topic"), in: db)
/// ```
public protocol AuditLog: Sendable {
    /// Writes one entry inside the caller's transaction.
    func record(_ entry: AuditRecord, in db: Connection) throws
}

/// One audited action. `action` is one of the moderation module's action names
/// (delete, hide, ban, group_remove …); `targetTitle` keeps a readable name after deletion.
public struct AuditRecord: Sendable {
    public var actorID: Int64?
    public var actorName: String
    public var action: String
    public var targetKind: String
    public var targetID: Int64?
    public var targetTitle: String
    public var memberID: Int64?
    public var reason: String

    public init(
        actorID: Int64?, actorName: String, action: String, targetKind: String, targetID: Int64?, targetTitle: String,
        memberID: Int64?, reason: String
    ) {
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.targetKind = targetKind
        self.targetID = targetID
        self.targetTitle = targetTitle
        self.memberID = memberID
        self.reason = reason
    }
}

public struct AuditLogBox: Sendable {
    public let log: any AuditLog
    public init(_ log: any AuditLog) { self.log = log }
}

/// Actions on a member taken outside the moderation pages (the console's
/// `pln admin members suspend|ban|reinstate`), carried out and logged by the moderation module
/// exactly like a moderator's. Nil when moderation is disabled.
public protocol MemberModeration: Sendable {
    /// `action` is "suspend", "ban", "reinstate" or "unban".
    func act(onMember memberID: Int64, action: String, reason: String) throws
}

public struct MemberModerationBox: Sendable {
    public let moderation: any MemberModeration
    public init(_ moderation: any MemberModeration) { self.moderation = moderation }
}
