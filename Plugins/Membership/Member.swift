import Foundation
import Kernel
import Storage

/// A member of the network, as other modules see them.
public struct Member: Sendable, Equatable {
    /// Active, pending, suspended or deleted: the kernel's ``Person/Status``.
    public typealias Status = Person.Status

    public var id: Int64
    public var handle: String
    public var email: String
    public var name: String
    public var role: MemberRole
    public var status: Status
    public var bio: String
    public var createdAt: Date
    public var hasAvatar: Bool

    public var profilePath: String { Self.profilePath(handle: handle) }

    public static func profilePath(handle: String) -> String { "/members/\(handle)" }

    /// The name shown for content whose author deleted their account.
    public static let formerMemberName = "former member"

    static let columns =
        "m.id, m.handle, m.email, m.name, m.role, m.status, m.bio, m.created_at, (SELECT 1 FROM membership_avatars a WHERE a.member_id = m.id) AS has_avatar"

    static func decode(_ row: Row) throws -> Member {
        Member(
            id: try row.value("id"), handle: try row.value("handle"), email: try row.value("email"),
            name: try row.value("name"), role: MemberRole(rawValue: try row.value("role")) ?? .member,
            status: Status(rawValue: try row.value("status")) ?? .active, bio: try row.value("bio"),
            createdAt: try row.value("created_at"), hasAvatar: (try row.optional("has_avatar") as Int?) != nil
        )
    }
}

/// Domain events membership publishes after commit.
public struct MemberJoined: DomainEvent {
    public static let name = "membership.member_joined"
    public var memberID: Int64
}

public struct MemberStatusChanged: DomainEvent {
    public static let name = "membership.member_status_changed"
    public var memberID: Int64
    public var status: Member.Status
}

/// Rules for handles: lowercase letters, digits, hyphens and underscores, 2–30 long, not a
/// word the site uses in its own paths.
public enum Handle {
    static let reserved: Set<String> = [
        "admin", "api", "assets", "join", "sign-in", "sign-out", "members", "me", "new", "edit", "settings",
        "account", "activity", "terms", "report", "moderation", "groups", "blog", "cpd", "healthz", "static",
        "former-member", "system", "root", "support", "help", "about",
    ]

    public static func problem(with handle: String) -> String? {
        if handle.count < 2 || handle.count > 30 { return "A handle is 2 to 30 characters long." }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        if !handle.allSatisfy({ allowed.contains($0) }) {
            return "Use only lowercase letters, digits, hyphens and underscores."
        }
        if handle.hasPrefix("-") || handle.hasPrefix("_") {
            return "Start the handle with a letter or digit."
        }
        if reserved.contains(handle) { return "That handle is reserved. Choose another." }
        return nil
    }

    /// A URL-safe handle from a name: "Zoë O'Brien-Smith" → "zoe-obrien-smith".
    public static func derive(from name: String) -> String {
        let folded = name.folding(
            options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
        var handle = ""
        var lastWasHyphen = false
        for character in folded.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                handle.append(character)
                lastWasHyphen = false
            } else if character == "'" || character == "’" {
                continue
            } else if !lastWasHyphen && !handle.isEmpty {
                handle.append("-")
                lastWasHyphen = true
            }
        }
        while handle.hasSuffix("-") { handle.removeLast() }
        if handle.count > 24 {
            handle = String(handle.prefix(24)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        }
        if handle.count < 2 || reserved.contains(handle) {
            handle = "member" + (handle.isEmpty ? "" : "-" + handle)
        }
        return handle
    }
}

enum EmailAddress {
    /// Normalised (trimmed, lowercased) address, or nil when it does not look like one.
    static func normalise(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.count <= 254,
            !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        else {
            return nil
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return nil }
        return email
    }
}
