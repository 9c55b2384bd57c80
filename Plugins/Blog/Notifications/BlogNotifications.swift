import Kernel

/// The kinds of notification the blog sends (members choose a channel for each).
enum BlogNotifications {
    static let comment = NotificationKind(
        id: "blog.comment", title: "Comments on my blog posts", defaultChannel: .email)
    static let reply = NotificationKind(
        id: "blog.reply", title: "Replies to my blog comments", defaultChannel: .email)

    static func register(_ services: Services, blog: BlogService) {
        services.notifications.register(comment)
        services.notifications.register(reply)
        services.notifications.registerDigestSource { memberID, since, db in
            try blog.digestSection(memberID: memberID, since: since, in: db)
        }
    }
}
