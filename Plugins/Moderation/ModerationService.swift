import Foundation
import Kernel
import Membership
import Storage
import Synchronization

/// Errors of moderation's own rules, beside the ``WebError``s the pages and API answer with.
///
/// ```swift
/// moderation.failpoint.withLock { $0 = { step in throw ModerationError.injected(step) } }   // tests only
/// ```
public enum ModerationError: Error, Equatable, CustomStringConvertible {
    /// A failure injected by a test in the middle of an action.
    case injected(String)

    public var description: String {
        switch self {
        case .injected(let step): return "failure injected at \(step)"
        }
    }
}

/// The deployment's moderation settings, read once at start-up.
struct ModerationSettings: Sendable {
    var premoderateFirstPosts: Int
    var premoderateModules: [String]
    var reportsPerHour: Int
    var postsPerHour: Int
    var newMemberDays: Int
    var newMemberLinkLimit: Int
    var heldWords: [String]

    init(_ settings: ModuleSettings) {
        premoderateFirstPosts = settings.int("premoderate_first_posts")
        premoderateModules = settings.strings("premoderate_modules")
        reportsPerHour = settings.int("reports_per_hour")
        postsPerHour = settings.int("posts_per_hour")
        newMemberDays = settings.int("new_member_days")
        newMemberLinkLimit = settings.int("new_member_link_limit")
        heldWords = settings.strings("held_words")
    }
}

/// Moderation's domain: reports, the queue, actions with their audit log, pre-moderation and
/// spam holds. Pages, the JSON API and the console all go through it; every change is one
/// `database.write`, so an action, the mail it sends and the reports it resolves commit together.
///
/// ```swift
/// let moderation = services.service(ModerationService.self)!
/// let report = try moderation.fileReport(by: member, kind: "status", itemID: 7, category: "spam", comment: "Ads")
/// try moderation.act(caseID: report.caseID, ActionRequest(action: .hide, reason: "Spam"), by: ModeratorRef(member: moderator))
/// ```
public final class ModerationService: Sendable {
    public let services: Services
    let settings: ModerationSettings
    private let kindSource: @Sendable () -> [ReportableKind]
    /// Tests inject a failure at a named step of an action to prove it all rolls back.
    let failpoint = Mutex<(@Sendable (String) throws -> Void)?>(nil)

    public static let maximumCommentLength = 2000
    public static let maximumReasonLength = 1000

    /// `kinds` is read at request time: modules bootstrapped after moderation add theirs later.
    public init(services: Services, kinds: @escaping @Sendable () -> [ReportableKind]) {
        self.services = services
        self.kindSource = kinds
        settings = ModerationSettings(services.settings(of: ModerationModule.manifest))
    }

    /// Cases of modules this deployment runs (general reports belong to moderation): a disabled
    /// module's cases stay in the database but are not listed, shown or acted on, since the
    /// pages they link to are gone with the module.
    static let caseIsOfEnabledModule = "c.module IN (SELECT value FROM json_each(?))"
    var enabledModulesJSON: String {
        let ids = services.config.enabledModules + ["moderation"]
        return "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// The case `id`, or nil when there is none or it belongs to a disabled module.
    func findCase(id: Int64, in db: Connection) throws -> ModerationCase? {
        try db.queryOne(
            "SELECT c.* FROM moderation_cases c WHERE c.id = ? AND \(Self.caseIsOfEnabledModule)",
            [id, enabledModulesJSON], Self.decodeCase)
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }
    var membership: MembershipService? { services.service(MembershipService.self) }

    /// Every reportable kind the enabled modules registered.
    public var kinds: [ReportableKind] { kindSource() }

    public func kind(_ name: String) -> ReportableKind? { kindSource().first { $0.kind == name } }

    func checkpoint(_ step: String) throws {
        if let hook = failpoint.withLock({ $0 }) { try hook(step) }
    }

    // MARK: Decoding

    static func decodeCase(_ row: Row) throws -> ModerationCase {
        ModerationCase(
            id: try row.value("id"), kind: try row.value("kind"), itemID: try row.optional("item_id"),
            module: try row.value("module"), title: try row.value("title"), url: try row.value("url"),
            excerpt: try row.value("excerpt"), authorID: try row.optional("author_id"),
            status: CaseStatus(rawValue: try row.value("status")) ?? .open,
            holdReason: try row.optional("hold_reason"),
            priority: try row.value("priority"), reportCount: try row.value("report_count"),
            assignedTo: try row.optional("assigned_to"), resolution: try row.optional("resolution"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"),
            resolvedAt: try row.optional("resolved_at"))
    }

    static func decodeReport(_ row: Row) throws -> Report {
        Report(
            id: try row.value("id"), caseID: try row.value("case_id"),
            reporterID: try row.optional("reporter_id"),
            category: ReportCategory(rawValue: try row.value("category")) ?? .other,
            comment: try row.value("comment"),
            status: try row.value("status"), outcome: try row.optional("outcome"),
            createdAt: try row.value("created_at"),
            resolvedAt: try row.optional("resolved_at"), title: try row.value("title"),
            kind: try row.value("kind"),
            itemID: try row.optional("item_id"))
    }

    static func decodeNote(_ row: Row) throws -> CaseNote {
        CaseNote(
            id: try row.value("id"), authorID: try row.optional("author_id"),
            authorName: try row.value("author_name"),
            body: try row.value("body"), createdAt: try row.value("created_at"))
    }

    static func decodeAudit(_ row: Row) throws -> AuditEntry {
        AuditEntry(
            id: try row.value("id"), actorID: try row.optional("actor_id"),
            actorName: try row.value("actor_name"),
            action: ModerationActionKind(rawValue: try row.value("action")) ?? .hold,
            caseID: try row.optional("case_id"),
            targetKind: try row.value("target_kind"), targetID: try row.optional("target_id"),
            targetTitle: try row.value("target_title"), memberID: try row.optional("member_id"),
            reason: try row.value("reason"), detail: try row.value("detail"),
            createdAt: try row.value("created_at"))
    }
}
