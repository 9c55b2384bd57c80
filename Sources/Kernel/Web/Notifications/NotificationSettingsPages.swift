import Foundation
import HTTP

/// The settings page (a channel per kind, a level per group, the digest) and the unsubscribe
/// page mail links to, which works without signing in.
extension NotificationPages {
    @Sendable func settings(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        return ctx.page(
            title: "Notification settings",
            body: settingsForm(ctx, try services.notifications.settings(memberID: member.id)),
            sidebar: false)
    }

    private func settingsForm(_ ctx: RequestContext, _ settings: NotificationSettings) -> HTML {
        func select<T: RawRepresentable & CaseIterable & Equatable>(
            _ name: String, _ label: String, _ value: T, _ text: (T) -> String
        ) -> HTML where T.RawValue == String {
            let id = "f-" + name.replacingOccurrences(of: ".", with: "-")
            let options = T.allCases.map { option -> HTML in
                "<option value=\"\(option.rawValue)\"\(option == value ? HTML(" selected") : HTML.empty)>\(text(option))</option>"
            }
            return """
                <p><label for="\(id)">\(label)</label>
                <select id="\(id)" name="\(name)">\(options)</select></p>
                """
        }
        let kinds = settings.channels.map { entry in
            select("channel.\(entry.kind.id)", entry.kind.title, entry.channel) { $0.label }
        }
        var groups: HTML = ""
        if !settings.groups.isEmpty {
            groups = """
                <fieldset><legend>Groups</legend>\
                \(settings.groups.map { entry in select("group.\(entry.group.id)", entry.group.name, entry.level) { $0.label } })\
                </fieldset>
                """
        }
        return """
            <h1>Notification settings</h1>
            <p>Choose where you hear about each kind of thing. Mail about your account (password resets,
            moderation decisions) always comes.</p>
            <form method="post" action="/notifications/settings">\(ctx.csrfField)
            <fieldset><legend>What happens</legend>\(kinds)</fieldset>
            \(groups)
            <fieldset><legend>Digest</legend>\(select("digest", "How often a digest comes", settings.digest) { $0.label })</fieldset>
            <p><button type="submit">Save settings</button> <a href="/notifications">Back to notifications</a></p>
            </form>
            """
    }

    @Sendable func saveSettings(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireMember()
        let form = try ctx.form()
        var channels: [String: NotificationChannel] = [:]
        var groups: [Int64: GroupNotificationLevel] = [:]
        var digest: DigestFrequency?
        var errors: [FieldError] = []
        for item in form.items {
            if item.name.hasPrefix("channel.") {
                guard let channel = NotificationChannel(rawValue: item.value) else {
                    errors.append(FieldError(field: item.name, message: "Choose one of the listed channels."))
                    continue
                }
                channels[String(item.name.dropFirst("channel.".count))] = channel
            } else if item.name.hasPrefix("group.") {
                guard let id = Int64(item.name.dropFirst("group.".count)),
                    let level = GroupNotificationLevel(rawValue: item.value)
                else {
                    errors.append(FieldError(field: item.name, message: "Choose one of the listed levels."))
                    continue
                }
                groups[id] = level
            } else if item.name == "digest" {
                digest = DigestFrequency(rawValue: item.value)
                if digest == nil {
                    errors.append(FieldError(field: "digest", message: "Choose daily, weekly or never."))
                }
            }
        }
        if !errors.isEmpty { throw DomainError.invalid(errors) }
        try services.notifications.update(
            memberID: member.id, channels: channels, groups: groups, digest: digest)
        return ctx.redirect(to: "/notifications/settings", flash: "Your notification settings are saved.")
    }

    /// The page an unsubscribe link opens: says what it stops, with one button (no sign-in).
    @Sendable func unsubscribeForm(_ ctx: RequestContext) throws -> HTTPResponse {
        let (memberID, kind, token) = try Self.unsubscribeFields(ctx.request.queryValue)
        guard try services.notifications.verifyUnsubscribe(memberID: memberID, kind: kind, token: token)
        else {
            throw DomainError.notFound
        }
        let title =
            kind == Notifications.digestKind
            ? "Your digest" : services.notifications.kinds.first { $0.id == kind }?.title ?? kind
        let action =
            "\(Notifications.unsubscribePath)?member=\(memberID)&kind=\(PercentDecoding.encode(kind))&token=\(token)"
        return ctx.page(
            title: "Stop these emails",
            body: """
                <h1>Stop these emails</h1>
                <p>Stop emails about “\(title)”? You will still see them in the site when you sign in.</p>
                <form method="post" action="\(action)"><button type="submit">Stop these emails</button></form>
                """, sidebar: false)
    }

    /// The one-click unsubscribe (RFC 8058): a POST with the signed link as its authority, so it
    /// needs neither a session nor a CSRF token (mail clients send neither).
    @Sendable func unsubscribe(_ ctx: RequestContext) throws -> HTTPResponse {
        let (memberID, kind, token) = try Self.unsubscribeFields(ctx.request.queryValue)
        guard try services.notifications.verifyUnsubscribe(memberID: memberID, kind: kind, token: token)
        else {
            throw DomainError.notFound
        }
        try services.notifications.unsubscribe(memberID: memberID, kind: kind, token: token)
        let title =
            kind == Notifications.digestKind
            ? "Your digest" : services.notifications.kinds.first { $0.id == kind }?.title ?? kind
        return ctx.page(
            title: "Unsubscribed",
            body: """
                <h1>Unsubscribed</h1><p>You will get no more emails about “\(title)”. You can change this in
                your <a href="/notifications/settings">notification settings</a>.</p>
                """, sidebar: false)
    }

    static func unsubscribeFields(_ value: (String) -> String?) throws -> (Int64, String, String) {
        guard let member = value("member").flatMap(Int64.init), let kind = value("kind"), !kind.isEmpty,
            let token = value("token"), !token.isEmpty
        else { throw DomainError.notFound }
        return (member, kind, token)
    }
}
