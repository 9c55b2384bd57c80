import Foundation
import Kernel

// The JSON the API answers and accepts for moderation actions and the audit log; each type is its
// own OpenAPI schema.

extension ModerationActionKind: APIEnum {}

/// One entry of the audit log: who did what to what, and why.
struct AuditEntryResponse: APIModel {
    var id: Int64
    var actorID: Int64?
    var actorName: String
    var action: ModerationActionKind
    var caseID: Int64?
    var targetKind: String
    var targetID: Int64?
    var targetTitle: String
    var memberID: Int64?
    var reason: String
    var detail: String
    var createdAt: Date

    static let schemaName = "ModerationAuditEntry"
    static let schemaDescription: String? = "An entry of the moderation audit log."
    static let fieldHints: [String: SchemaHint] = [
        "actorID": .description("The moderator; null for the console or an automatic hold."),
        "targetTitle": .description("The target's title as it was when the action was taken."),
        "memberID": .description(
            "The member the action concerns (the item's author, or the member acted on)."),
    ]

    init(_ entry: AuditEntry) {
        id = entry.id
        actorID = entry.actorID
        actorName = entry.actorName
        action = entry.action
        caseID = entry.caseID
        targetKind = entry.targetKind
        targetID = entry.targetID
        targetTitle = entry.targetTitle
        memberID = entry.memberID
        reason = entry.reason
        detail = entry.detail
        createdAt = entry.createdAt
    }
}

/// An action a moderator takes on a case or a member.
struct ActionInput: APIModel {
    /// What a moderator may choose (holds are automatic; group removals come from chairs).
    enum Choice: String, APIEnum {
        case dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate, unban

        var kind: ModerationActionKind {
            switch self {
            case .dismiss: return .dismiss
            case .approve: return .approve
            case .hide: return .hide
            case .unhide: return .unhide
            case .delete: return .delete
            case .warn: return .warn
            case .suspend: return .suspend
            case .ban: return .ban
            case .reinstate: return .reinstate
            case .unban: return .unban
            }
        }
    }

    var action: Choice
    var reason: String?
    var hideContent: Bool?

    static let schemaName = "ModerationActionInput"
    static let fieldHints: [String: SchemaHint] = [
        "action": .init(
            message:
                "action is one of \(ModerationActionKind.moderatorChoices.map(\.rawValue).joined(separator: ", "))."
        ),
        "reason": .init(
            description: "Told to the member where the action mails them.",
            maxLength: ModerationService.maximumReasonLength),
        "hideContent": .description("With suspend or ban: also hide all of the member's content."),
    ]

    var request: ActionRequest {
        ActionRequest(action: action.kind, reason: reason ?? "", hideContent: hideContent ?? false)
    }
}

/// Which audit entries to list.
struct AuditQuery: APIQuery {
    var since: String?
    var member: Int64?
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...200
    static let fieldHints: [String: SchemaHint] = [
        "since": .init(description: "YYYY-MM-DD or an ISO 8601 time.", format: "date"),
        "member": .init(description: "Only actions about this member.", message: "Must be a member id."),
        "before": .init(
            description: "The `next` of the previous page.", message: "Must be an audit entry id."),
        "limit": .description("Entries per page (default 50)."),
    ]
}
