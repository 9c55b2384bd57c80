import Foundation
import Storage
import Synchronization

/// A link in the site navigation.
public struct NavigationEntry: Sendable, Equatable {
    /// Who sees a navigation link.
    public enum Audience: Sendable, Equatable {
        case everyone, members, moderators, administrators

        /// Whether `member` (nil: a visitor) sees links for this audience.
        public func includes(_ member: SignedInMember?) -> Bool {
            switch self {
            case .everyone: return true
            case .members: return member != nil
            case .moderators: return member.map { $0.role >= .moderator } ?? false
            case .administrators: return member.map { $0.role >= .admin } ?? false
            }
        }
    }

    public var title: String
    public var path: String
    /// Lower comes first.
    public var order: Int
    public var audience: Audience
    /// Only shown to signed-in members.
    public var membersOnly: Bool { audience != .everyone }

    public init(title: String, path: String, order: Int = 50, membersOnly: Bool = false) {
        self.init(title: title, path: path, order: order, audience: membersOnly ? .members : .everyone)
    }

    public init(title: String, path: String, order: Int = 50, audience: Audience) {
        self.title = title
        self.path = path
        self.order = order
        self.audience = audience
    }
}

/// A page in the administrators' menu at /admin ("Members", "Invitations", "Moderation queue").
public struct AdminLink: Sendable, Equatable {
    public var title: String
    public var path: String
    /// One sentence under the title.
    public var summary: String
    /// Lower comes first.
    public var order: Int
    /// Moderators see it too (administrators always do).
    public var forModerators: Bool

    public init(title: String, path: String, summary: String, order: Int = 50, forModerators: Bool = false) {
        self.title = title
        self.path = path
        self.summary = summary
        self.order = order
        self.forModerators = forModerators
    }
}

/// A number a navigation link shows for the signed-in member (unread messages …); 0 shows none.
public typealias NavigationCount = @Sendable (_ member: SignedInMember) throws -> Int

/// A footer link ("Badges", "Report an Issue", "Terms of Service").
public struct FooterLink: Sendable, Equatable {
    public var title: String
    public var path: String
    public var order: Int
    public init(title: String, path: String, order: Int = 50) {
        self.title = title
        self.path = path
        self.order = order
    }
}

/// How a module's activity lines read: the phrase after the actors' names.
/// `{count}` is not needed: the shell writes "A, B and 3 more" itself.
public typealias ActivityPhrase = @Sendable (_ group: ActivityGroup) -> String

/// Something members can report to moderators (a post, a comment, a profile …).
public struct ReportableKind: Sendable {
    public var module: String
    /// e.g. "blog_post"
    public var kind: String
    /// e.g. "blog post"
    public var title: String
    /// Finds the item; nil when it no longer exists.
    public var lookup: @Sendable (_ id: Int64, _ db: Connection) throws -> ReportableItem?
    /// Whether `viewer` may see the item where it lives (a draft only for its author, a private
    /// group's discussion only for the group's members, …): a member may report only what they
    /// may see, and anything else answers exactly like an id that does not exist. Moderation's
    /// own rule for hidden items applies on top of this one.
    public var isVisible: @Sendable (_ id: Int64, _ viewer: SignedInMember, _ db: Connection) throws -> Bool
    /// Hides or shows the item (hidden: seen only by its author and moderators).
    public var setHidden: @Sendable (_ id: Int64, _ hidden: Bool, _ db: Connection) throws -> Void
    /// Deletes the item.
    public var delete: @Sendable (_ id: Int64, _ db: Connection) throws -> Void
    /// Sends what the writer held back because the content gate held the item (the
    /// notifications and mail a published item sends when it is written): moderation calls it
    /// when it approves or releases a held item, inside the same transaction, after showing it.
    public var released: (@Sendable (_ id: Int64, _ db: Connection) throws -> Void)?

    public init(
        module: String, kind: String, title: String,
        lookup: @escaping @Sendable (Int64, Connection) throws -> ReportableItem?,
        isVisible: @escaping @Sendable (Int64, SignedInMember, Connection) throws -> Bool,
        setHidden: @escaping @Sendable (Int64, Bool, Connection) throws -> Void,
        delete: @escaping @Sendable (Int64, Connection) throws -> Void,
        released: (@Sendable (Int64, Connection) throws -> Void)? = nil
    ) {
        self.module = module
        self.kind = kind
        self.title = title
        self.lookup = lookup
        self.isVisible = isVisible
        self.setHidden = setHidden
        self.delete = delete
        self.released = released
    }
}

/// What a moderator sees of a reported item, and what moderation's word and link rules screen.
public struct ReportableItem: Sendable, Equatable {
    public var title: String
    public var authorID: Int64?
    public var url: String
    /// An ``Excerpt`` for the queue: the first paragraph only.
    public var excerpt: String
    public var isHidden: Bool
    /// The whole text as its author wrote it (Markdown or plain), which held words and link
    /// limits are checked against; empty for items without one (the excerpt is checked then).
    public var text: String
    public init(
        title: String, authorID: Int64?, url: String, excerpt: String, isHidden: Bool, text: String = ""
    ) {
        self.title = title
        self.authorID = authorID
        self.url = url
        self.excerpt = excerpt
        self.isHidden = isHidden
        self.text = text
    }
}

/// Personal data hooks: "Download my data" gathers every enabled module's export; "Delete my
/// account" runs every enabled module's erase in one transaction.
public struct PersonalDataHooks: Sendable {
    public var module: String
    public var export: @Sendable (_ memberID: Int64, _ db: Connection) throws -> JSONValue
    public var erase: @Sendable (_ memberID: Int64, _ db: Connection) throws -> Void
    public init(
        module: String, export: @escaping @Sendable (Int64, Connection) throws -> JSONValue,
        erase: @escaping @Sendable (Int64, Connection) throws -> Void
    ) {
        self.module = module
        self.export = export
        self.erase = erase
    }
}

/// What enabled modules contribute, collected at start-up and read-only afterwards.
///
/// ```swift
/// func bootstrap(_ context: ModuleContext) throws {
///     context.navigation(NavigationEntry(title: "Blogs", path: "/blog", order: 30))
///     context.activityPhrase(verb: "published") { "published a blog post" }
/// }
/// ```
public final class ModuleContext: @unchecked Sendable {
    // @unchecked: mutated only during start-up on one thread, read-only once serving starts.
    public let services: Services
    /// The module being bootstrapped right now.
    public internal(set) var moduleID: String = ""
    public private(set) var navigationEntries: [NavigationEntry] = []
    public private(set) var footerLinks: [FooterLink] = []
    /// The administrators' menu (/admin), from every enabled module and the kernel.
    public private(set) var adminLinks: [AdminLink] = []
    /// Counts shown by navigation links, by the link's path.
    public private(set) var navigationCounts: [String: NavigationCount] = [:]
    public private(set) var commands: [CommandSpec] = []
    public private(set) var activityPhrases: [String: ActivityPhrase] = [:]
    public private(set) var reportableKinds: [ReportableKind] = []
    public private(set) var personalDataHooks: [PersonalDataHooks] = []
    public private(set) var seeders: [Seeder] = []
    /// Each module's part of the stylesheet, in the order the modules were bootstrapped.
    public private(set) var stylesheets: [(module: String, css: String)] = []
    /// Work each module runs once when `pln serve` starts taking requests (``whenServing(_:)``).
    public private(set) var servingHooks: [(module: String, run: @Sendable () throws -> Void)] = []
    public var web = WebContributions()

    init(services: Services) {
        self.services = services
    }

    public func navigation(_ entry: NavigationEntry) { navigationEntries.append(entry) }
    public func footer(_ link: FooterLink) { footerLinks.append(link) }
    /// Adds a page to the administrators' menu at /admin.
    public func adminLink(_ link: AdminLink) { adminLinks.append(link) }
    /// Shows `count` by the navigation link to `path` for signed-in members (read on every page: keep it one indexed query).
    public func navigationCount(path: String, _ count: @escaping NavigationCount) {
        navigationCounts[path] = count
    }

    /// Adds `pln admin <command>` (its name is the noun, e.g. "members").
    public func adminCommand(_ command: CommandSpec) { commands.append(command) }

    /// How lines of this module's `verb` read after the actors' names.
    public func activityPhrase(verb: String, _ phrase: @escaping ActivityPhrase) {
        activityPhrases["\(moduleID).\(verb)"] = phrase
    }

    public func reportable(_ kind: ReportableKind) { reportableKinds.append(kind) }

    /// Adds this module's CSS rules: served as `/assets/<module>.css` and linked, after the
    /// kernel's sheet and earlier modules', by the pages whose markup its rules can match
    /// (``ModuleStylesheet``), so a module styles its own classes and may refine shared ones.
    public func stylesheet(_ css: String) { stylesheets.append((moduleID, css)) }

    public func personalData(
        export: @escaping @Sendable (Int64, Connection) throws -> JSONValue,
        erase: @escaping @Sendable (Int64, Connection) throws -> Void
    ) {
        personalDataHooks.append(PersonalDataHooks(module: moduleID, export: export, erase: erase))
    }

    /// Adds this module's part of `pln admin seed`.
    public func seeder(order: Int = 50, _ run: @escaping @Sendable (SeedContext) throws -> Void) {
        seeders.append(Seeder(module: moduleID, order: order, run: run))
    }

    /// Subscribes to a domain event on behalf of this module.
    public func on<E: DomainEvent>(_ type: E.Type, _ handler: @escaping @Sendable (E) throws -> Void) {
        services.events.subscribe(type, module: moduleID, handler)
    }

    /// Work to run once, on its own thread, when `pln serve` has started taking requests:
    /// filling a cache that the first pages would otherwise wait for. Console commands and tests
    /// do not run it; a failure is logged and changes nothing else.
    ///
    /// ```swift
    /// context.whenServing { _ = try search.facetValues("school", kind: "member", viewer: anyMember) }
    /// ```
    public func whenServing(_ run: @escaping @Sendable () throws -> Void) {
        servingHooks.append((moduleID, run))
    }

    /// Registers a job handler; `every` also schedules it periodically.
    public func job(_ name: String, every seconds: Int? = nil, _ handler: @escaping JobScheduler.Handler)
        throws
    {
        services.jobs.register(name, handler)
        if let seconds { try services.jobs.schedulePeriodic(name, every: seconds) }
    }

    /// The phrase for an activity line, falling back to the bare verb.
    public func phrase(for group: ActivityGroup) -> String {
        activityPhrases["\(group.lead.module).\(group.lead.verb)"]?(group) ?? group.lead.verb
    }
}
