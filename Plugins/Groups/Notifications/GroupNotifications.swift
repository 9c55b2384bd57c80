import Kernel

/// The kinds of notification groups send (members choose a channel for each, and a level per group).
enum GroupNotifications {
    static let reply = NotificationKind(
        id: "groups.reply", title: "Replies in discussions I follow", defaultChannel: .email)
    static let joinRequest = NotificationKind(
        id: "groups.join_request", title: "Requests to join groups I chair", defaultChannel: .email)
    static let membership = NotificationKind(
        id: "groups.membership", title: "My requests to join groups approved", defaultChannel: .email)
    static let invitation = NotificationKind(
        id: "groups.invitation", title: "Invitations to join groups", defaultChannel: .email)

    /// The fan-out that notifies a discussion's followers of a reply (argument: the reply's id).
    static let replyFanout = "groups.reply"

    static func register(_ services: Services, groups: GroupsService) {
        for kind in [reply, joinRequest, membership, invitation] { services.notifications.register(kind) }
        services.notifications.registerDigestSource { memberID, since, db in
            try groups.digestSection(memberID: memberID, since: since, in: db)
        }
        services.notifications.registerFanout(
            replyFanout,
            Fanout(
                recipients: { argument, limit, db in
                    guard let replyID = Int64(argument) else { return [] }
                    return try groups.followers(ofReply: replyID, limit: limit, in: db)
                },
                notification: { argument, db in
                    guard let replyID = Int64(argument) else { return nil }
                    return try groups.replyNotification(replyID: replyID, in: db)
                }))
    }
}
