import Foundation
import Kernel
import Storage

/// What a report is about. Safeguarding concerns go to the top of the queue.
///
/// ```swift
/// let category = ReportCategory(rawValue: "safeguarding")   // .safeguarding
/// category?.label                                           // "Safeguarding concern"
/// ```
public enum ReportCategory: String, Sendable, CaseIterable, Codable {
    case spam, harassment, safeguarding, inappropriate, copyright, other

    public var label: String {
        switch self {
        case .spam: return "Spam"
        case .harassment: return "Harassment or abuse"
        case .safeguarding: return "Safeguarding concern"
        case .inappropriate: return "Inappropriate content"
        case .copyright: return "Copyright"
        case .other: return "Something else"
        }
    }

    /// Queue order: lower first.
    var priority: Int { self == .safeguarding ? 0 : 1 }
}

/// Where a case stands. A case gathers every report about one item.
///
/// ```swift
/// if detail.moderationCase.status == .awaitingApproval { … }
/// ```
public enum CaseStatus: String, Sendable, CaseIterable, Codable {
    /// Reported, waiting for a moderator.
    case open
    /// Held by pre-moderation or a spam rule: hidden until approved.
    case awaitingApproval = "awaiting_approval"
    /// A moderator acted; the reports are closed.
    case resolved

    public var label: String {
        switch self {
        case .open: return "Open"
        case .awaitingApproval: return "Awaiting approval"
        case .resolved: return "Resolved"
        }
    }
}

/// What a moderator can do. Undo actions (`unhide`, `reinstate`, `unban`) resolve nothing.
///
/// ```swift
/// try moderation.act(caseID: 4, ActionRequest(action: .hide, reason: "Personal attack"), by: moderator)
/// ```
public enum ModerationActionKind: String, Sendable, CaseIterable, Codable {
    case dismiss, approve, hide, unhide, delete, warn, suspend, ban, reinstate, unban
    /// Recorded by the automatic holds (pre-moderation, spam rules); not a moderator's choice.
    case hold
    /// A group chair removed or banned a member from their group (recorded by the groups module).
    case groupRemove = "group_remove"
    case groupBan = "group_ban"
    /// A moderator opened a reported (or held) private message (recorded by the messages module).
    case viewPrivate = "view_private"

    public var label: String {
        switch self {
        case .dismiss: return "Dismiss (no action needed)"
        case .approve: return "Approve (show it)"
        case .hide: return "Hide the content"
        case .unhide: return "Show the content again"
        case .delete: return "Delete the content"
        case .warn: return "Warn the member"
        case .suspend: return "Suspend the member"
        case .ban: return "Ban the member"
        case .reinstate: return "Reinstate the member"
        case .unban: return "Lift the ban and reinstate"
        case .hold: return "Held for review"
        case .groupRemove: return "Removed from the group by a chair"
        case .groupBan: return "Banned from the group by a chair"
        case .viewPrivate: return "Opened a reported private message"
        }
    }

    /// What a moderator can choose (holds are automatic; group removals come from chairs).
    public static var moderatorChoices: [ModerationActionKind] {
        allCases.filter { ![.hold, .groupRemove, .groupBan, .viewPrivate].contains($0) }
    }

    /// Actions about a member rather than one item.
    public var isMemberAction: Bool { [.warn, .suspend, .ban, .reinstate, .unban].contains(self) }

    /// Actions that decide a case: its open reports are closed and their reporters told.
    public var resolvesReports: Bool { [.dismiss, .approve, .hide, .delete, .warn, .suspend, .ban].contains(self) }

    /// What reporters are told.
    var outcome: String {
        switch self {
        case .dismiss, .approve: return "A moderator reviewed it and found that it does not break the network's rules. No action was taken."
        case .hide: return "A moderator reviewed it and hid the content."
        case .delete: return "A moderator reviewed it and removed the content."
        case .warn: return "A moderator reviewed it and warned the member responsible."
        case .suspend: return "A moderator reviewed it and suspended the member responsible."
        case .ban: return "A moderator reviewed it and banned the member responsible."
        case .unhide, .reinstate, .unban, .hold, .groupRemove, .groupBan, .viewPrivate: return ""
        }
    }
}

/// One report a member filed.
///
/// ```swift
/// let mine = try moderation.reports(filedBy: member.id)
/// mine.first?.outcome   // "A moderator reviewed it and hid the content."
/// ```
public struct Report: Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    /// nil for reports the spam rules filed.
    public var reporterID: Int64?
    public var category: ReportCategory
    public var comment: String
    /// "open" or "closed".
    public var status: String
    /// What the reporter is told once a moderator acted.
    public var outcome: String?
    public var createdAt: Date
    public var resolvedAt: Date?
    /// The reported item's name when it was reported (kept after deletion).
    public var title: String
    public var kind: String
    public var itemID: Int64?
}

/// Every report about one item, gathered: what the queue lists.
///
/// ```swift
/// let page = try moderation.queue(QueueFilter(category: .safeguarding))
/// page.cases.first?.path   // "/moderation/cases/12"
/// ```
public struct ModerationCase: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var itemID: Int64?
    public var module: String
    public var title: String
    public var url: String
    public var excerpt: String
    public var authorID: Int64?
    public var status: CaseStatus
    /// Why pre-moderation or a spam rule held the item.
    public var holdReason: String?
    public var priority: Int
    public var reportCount: Int
    public var assignedTo: Int64?
    public var resolution: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var resolvedAt: Date?

    public var isSafeguarding: Bool { priority == 0 }
    public var path: String { "/moderation/cases/\(id)" }
}

/// A moderator's private note on a case.
///
/// ```swift
/// try moderation.addNote(caseID: 12, body: "Second report this month", by: moderator)
/// ```
public struct CaseNote: Sendable, Equatable {
    public var id: Int64
    public var authorID: Int64?
    public var authorName: String
    public var body: String
    public var createdAt: Date
}

/// One line of the audit log: who did what to which target, when and why.
///
/// ```swift
/// let entry = try moderation.act(caseID: 12, ActionRequest(action: .delete, reason: "Spam"), by: moderator)
/// entry.targetTitle   // "Status by @bob", kept after the status is gone
/// ```
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var actorID: Int64?
    public var actorName: String
    public var action: ModerationActionKind
    public var caseID: Int64?
    public var targetKind: String
    public var targetID: Int64?
    /// The target's readable name at the time of the action.
    public var targetTitle: String
    public var memberID: Int64?
    public var reason: String
    public var detail: String
    public var createdAt: Date
}

/// A case with everything a moderator needs to decide.
///
/// ```swift
/// let detail = try moderation.detail(caseID: 12)
/// detail.item?.isHidden   // nil item: deleted, or a general report
/// ```
public struct CaseDetail: Sendable {
    public var moderationCase: ModerationCase
    public var reports: [Report]
    public var notes: [CaseNote]
    public var actions: [AuditEntry]
    /// The item as it is now; nil when it was deleted (or for general reports).
    public var item: ReportableItem?
    public var kindTitle: String
    public var authorName: String?
    public var authorHandle: String?
    public var assigneeName: String?
    public var isAuthorBanned: Bool
    public var authorIsSuspended: Bool
}

/// Who acts: a moderator, or the console (no member).
///
/// ```swift
/// let moderator = ModeratorRef(member: ctx.member!)
/// let console = ModeratorRef.console
/// ```
public struct ModeratorRef: Sendable, Equatable {
    public var id: Int64?
    public var name: String
    public var role: MemberRole

    public init(id: Int64?, name: String, role: MemberRole) {
        self.id = id
        self.name = name
        self.role = role
    }

    public init(member: SignedInMember) {
        self.init(id: member.id, name: member.name, role: member.role)
    }

    /// The administrator at the console (`pln admin moderation …`).
    public static let console = ModeratorRef(id: nil, name: "console", role: .creator)
    /// The automatic holds.
    static let automatic = ModeratorRef(id: nil, name: "PLN (automatic)", role: .creator)
}

/// A moderation action to take.
///
/// ```swift
/// ActionRequest(action: .suspend, reason: "Repeated harassment", hideContent: true)
/// ```
public struct ActionRequest: Sendable, Equatable {
    public var action: ModerationActionKind
    public var reason: String
    /// For suspend and ban: also hide the member's content in every module.
    public var hideContent: Bool

    public init(action: ModerationActionKind, reason: String = "", hideContent: Bool = false) {
        self.action = action
        self.reason = reason
        self.hideContent = hideContent
    }
}

/// Which cases the queue shows.
///
/// ```swift
/// QueueFilter(status: "active", category: .safeguarding)
/// ```
public struct QueueFilter: Sendable, Equatable {
    /// "active" (open and awaiting approval), "open", "awaiting_approval", "resolved" or "all".
    public var status: String
    public var category: ReportCategory?
    public var kind: String?
    public var assignedTo: Int64?

    public init(status: String = "active", category: ReportCategory? = nil, kind: String? = nil, assignedTo: Int64? = nil) {
        self.status = status
        self.category = category
        self.kind = kind
        self.assignedTo = assignedTo
    }

    public static let statuses = ["active", "open", "awaiting_approval", "resolved", "all"]
}

/// A page of the queue; `next` is the keyset cursor of the following page.
///
/// ```swift
/// let first = try moderation.queue(limit: 25)
/// let second = try moderation.queue(limit: 25, after: first.next)
/// ```
public struct QueuePage: Sendable {
    public var cases: [ModerationCase]
    public var next: String?
}

/// Published after a report is filed and committed.
///
/// ```swift
/// context.on(ReportFiled.self) { event in if event.category == .safeguarding { … } }
/// ```
public struct ReportFiled: DomainEvent {
    public static let name = "moderation.report_filed"
    public var reportID: Int64
    public var caseID: Int64
    public var category: ReportCategory
}

/// Published after a moderation action committed.
///
/// ```swift
/// context.on(ModerationActionTaken.self) { event in log(event.action, event.memberID) }
/// ```
public struct ModerationActionTaken: DomainEvent {
    public static let name = "moderation.action_taken"
    public var auditID: Int64
    public var action: ModerationActionKind
    public var caseID: Int64?
    public var memberID: Int64?
}

/// Builds "Report" links for any reportable item. Other modules cannot import Moderation (it
/// depends on them), so the URL scheme itself is the contract:
/// `/report?kind=<kind>&id=<id>` — any module may write that link by hand.
///
/// ```swift
/// let link = ModerationLinks.reportLink(kind: "blog_post", id: 42)   // <a … href="/report?kind=blog_post&amp;id=42">Report</a>
/// ```
public enum ModerationLinks {
    public static func reportPath(kind: String, id: Int64) -> String {
        "/report?kind=\(PercentEncoding.query(kind))&id=\(id)"
    }

    public static func reportLink(kind: String, id: Int64, label: String = "Report") -> HTML {
        "<a class=\"report-link\" rel=\"nofollow\" href=\"\(reportPath(kind: kind, id: id))\">\(label)</a>"
    }
}

enum PercentEncoding {
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
