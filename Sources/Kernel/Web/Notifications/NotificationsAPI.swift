import Foundation
import HTTP

extension NotificationChannel: APIEnum {}
extension GroupNotificationLevel: APIEnum {}
extension DigestFrequency: APIEnum {}

/// The kernel's notifications API: the caller's notifications (list, count, mark read) under
/// /api/v1/notifications and their settings under /api/v1/notification-settings.
struct NotificationsAPI {
    let services: Services

    func register(_ web: inout WebContributions) {
        let controller = NotificationsController(services: services)
        web.apiGroup("/api/v1", tag: "notifications") { api in
            api.get(
                "/notifications", access: .members,
                summary: "The caller's notifications, grouped, newest first.",
                operationID: "listNotifications", use: controller.list)
            api.get(
                "/notifications/unread-count", access: .members,
                summary: "How many notifications are unread.",
                operationID: "countUnreadNotifications", use: controller.unread)
            api.post(
                "/notifications/read-all", access: .members, summary: "Mark every notification read.",
                operationID: "markAllNotificationsRead", use: controller.markAllRead)
            api.post(
                "/notifications/:id/read", access: .members, summary: "Mark one notification read.",
                operationID: "markNotificationRead", use: controller.markRead)
            api.get(
                "/notification-settings", access: .members,
                summary: "The caller's channel per kind, level per group and digest frequency.",
                operationID: "getNotificationSettings", use: controller.settings)
            api.put(
                "/notification-settings", access: .members,
                summary: "Change some of the caller's notification settings (the others stay).",
                operationID: "updateNotificationSettings", use: controller.update)
        }
    }
}

struct NotificationsController: Sendable {
    let services: Services

    func list(_ ctx: RequestContext, _ query: NotificationListQuery) throws -> NotificationPageResponse {
        let member = try ctx.requireMember()
        let page = try services.notifications.list(
            memberID: member.id, after: query.after,
            limit: NotificationListQuery.limit(query.limit, default: 20))
        return NotificationPageResponse(items: page.items.map(NotificationResponse.init), next: page.next)
    }

    func unread(_ ctx: RequestContext) throws -> UnreadCountResponse {
        UnreadCountResponse(
            unread: try services.notifications.unreadCount(memberID: try ctx.requireMember().id))
    }

    func markAllRead(_ ctx: RequestContext) throws -> MarkedReadResponse {
        MarkedReadResponse(
            marked: try services.notifications.markAllRead(memberID: try ctx.requireMember().id))
    }

    func markRead(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        guard try services.notifications.markRead(id: id, memberID: try ctx.requireMember().id) else {
            throw DomainError.notFound
        }
        return NoContent()
    }

    func settings(_ ctx: RequestContext) throws -> NotificationSettingsResponse {
        NotificationSettingsResponse(
            try services.notifications.settings(memberID: try ctx.requireMember().id))
    }

    func update(_ ctx: RequestContext, _ request: NotificationSettingsRequest) throws
        -> NotificationSettingsResponse
    {
        let member = try ctx.requireMember()
        var channels: [String: NotificationChannel] = [:]
        for entry in request.channels ?? [] { channels[entry.kind] = entry.channel }
        var groups: [Int64: GroupNotificationLevel] = [:]
        for entry in request.groups ?? [] { groups[entry.groupID] = entry.level }
        try services.notifications.update(
            memberID: member.id, channels: channels, groups: groups, digest: request.digest)
        return NotificationSettingsResponse(try services.notifications.settings(memberID: member.id))
    }
}

struct NotificationListQuery: APIQuery {
    var after: String?
    var limit: Int?
    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "after": .description("The `next` of the previous page."),
        "limit": .description("Items per page (default 20)."),
    ]
}

struct NotificationResponse: APIModel {
    struct Actor: APIModel {
        var handle: String
        var name: String
        static let schemaName = "NotificationActor"
    }

    var id: Int64
    var kind: String
    var text: String
    var actors: [Actor]
    var actorCount: Int
    var url: String
    var excerpt: String
    var read: Bool
    var createdAt: Date
    var updatedAt: Date

    static let schemaName = "Notification"
    static let schemaDescription: String? =
        "A notification, grouped: the latest actors of one kind about one thing."
    static let fieldHints: [String: SchemaHint] = [
        "text": .description("The whole sentence: “Amira Khan and 3 others commented on your post ‘…’”."),
        "actors": .description("Up to three actors, the latest first."),
        "actorCount": .description("How many members did it."),
    ]

    init(_ item: MemberNotification) {
        id = item.id
        kind = item.kind
        text = item.sentence
        actors = item.actors.map { Actor(handle: $0.handle, name: $0.name) }
        actorCount = item.actorCount
        url = item.link
        excerpt = item.excerpt
        read = item.isRead
        createdAt = item.createdAt
        updatedAt = item.updatedAt
    }
}

struct NotificationPageResponse: APIModel {
    var items: [NotificationResponse]
    var next: String?
    static let schemaName = "NotificationPage"
    static let fieldHints: [String: SchemaHint] = [
        "next": .description("Pass it as `after` for the next (older) page; null on the last page.")
    ]
}

struct UnreadCountResponse: APIModel {
    var unread: Int
    static let schemaName = "NotificationUnreadCount"
}

struct MarkedReadResponse: APIModel {
    var marked: Int
    static let schemaName = "NotificationsMarkedRead"
}

struct NotificationSettingsResponse: APIModel {
    struct Channel: APIModel {
        var kind: String
        var title: String
        var channel: NotificationChannel
        static let schemaName = "NotificationKindChannel"
    }

    struct GroupLevel: APIModel {
        var groupID: Int64
        var name: String
        var level: GroupNotificationLevel
        static let schemaName = "NotificationGroupLevel"
    }

    var digest: DigestFrequency
    var channels: [Channel]
    var groups: [GroupLevel]
    static let schemaName = "NotificationSettings"

    init(_ settings: NotificationSettings) {
        digest = settings.digest
        channels = settings.channels.map {
            Channel(kind: $0.kind.id, title: $0.kind.title, channel: $0.channel)
        }
        groups = settings.groups.map {
            GroupLevel(groupID: $0.group.id, name: $0.group.name, level: $0.level)
        }
    }
}

struct NotificationSettingsRequest: APIModel {
    struct Channel: APIModel {
        var kind: String
        var channel: NotificationChannel
        static let schemaName = "NotificationKindChannelChange"
    }

    struct GroupLevel: APIModel {
        var groupID: Int64
        var level: GroupNotificationLevel
        static let schemaName = "NotificationGroupLevelChange"
    }

    var digest: DigestFrequency?
    var channels: [Channel]?
    var groups: [GroupLevel]?
    static let schemaName = "NotificationSettingsChange"
}
