import Kernel

/// The kinds of notification membership sends.
enum SocialNotifications {
    static let friendRequest = NotificationKind(
        id: "membership.friend_request", title: "Friend requests", defaultChannel: .email)

    static func register(_ services: Services) {
        services.notifications.register(friendRequest)
    }
}
