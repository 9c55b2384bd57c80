import Foundation
import Groups
import Kernel
import Membership
import Storage

/// The messages module's domain operations, shared by its pages, JSON API, console command and
/// hooks. Every read takes the reader (a participant) and answers only what they may see; the
/// rule lives in one place (``MessagesService/visibleMessage(_:)``). Every change is one
/// `database.write` with its screening and mail.
///
/// ```swift
/// let messages = services.service(MessagesService.self)!
/// let started = try messages.start(.init(to: ["ben"], subject: "Visit", body: "Tuesday?"), by: ada)
/// let page = try messages.messages(in: started.id, reader: ben)
/// ```
public final class MessagesService: Sendable {
    public enum WhoCanWrite: String, Sendable, CaseIterable {
        case anyone, friends
        case sharedGroup = "shared_group"
    }

    public let services: Services
    public let maximumParticipants: Int
    public let whoCanWrite: WhoCanWrite
    public let readReceipts: Bool
    public let messagesPerPage: Int
    public let messagesPerHour: Int
    public let conversationsPerHour: Int
    public let newMemberDays: Int
    public let newMemberLinkLimit: Int

    public static let maximumBodyLength = 20_000
    public static let maximumSubjectLength = 200
    public static let conversationsPerPage = 20
    /// Earlier messages a reporter may attach as context to a report.
    public static let reportContextChoices = 10

    public init(services: Services) {
        self.services = services
        let settings = services.settings(of: MessagesModule.manifest)
        maximumParticipants = settings.int("max_participants")
        whoCanWrite = WhoCanWrite(rawValue: settings.string("who_can_write")) ?? .anyone
        readReceipts = settings.bool("read_receipts")
        messagesPerPage = settings.int("messages_per_page")
        messagesPerHour = settings.int("messages_per_hour")
        conversationsPerHour = settings.int("conversations_per_hour")
        newMemberDays = settings.int("new_member_days")
        newMemberLinkLimit = settings.int("new_member_link_limit")
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }
    var identity: (any Identity)? { services.identity }
    /// Friendships, for `who_can_write = "friends"`.
    var membership: MembershipService? { services.service(MembershipService.self) }
    /// Group memberships, for `who_can_write = "shared_group"`; nil when groups are not enabled
    /// (then no two members share a group).
    var groups: GroupsService? { services.service(GroupsService.self) }

    /// A member by handle, through Identity.
    public func person(handle: String) throws -> Person? {
        try database.read { db in try identity?.person(handle: handle, in: db) }
    }
}
