import Foundation
import Kernel
import Markdown
import Storage

/// A status update.
public struct Status: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var body: String
    public var createdAt: Date
    public var hidden: Bool
}

/// Statuses: posting, reading and deleting them, and the links in them.
extension MembershipService {
    public static let maximumStatusLength = 500

    public func postStatus(by member: Member, body: String) throws -> Status {
        guard member.status == .active else {
            throw DomainError.forbidden(
                "Your membership is waiting for an administrator's approval: you cannot post yet.")
        }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            throw DomainError.invalid([FieldError(field: "body", message: "Write something first.")])
        }
        if text.count > Self.maximumStatusLength {
            throw DomainError.invalid([
                FieldError(
                    field: "body",
                    message:
                        "A status is at most \(Self.maximumStatusLength) characters (this has \(text.count))."
                )
            ])
        }
        return try database.write { db in
            try db.execute(
                "INSERT INTO membership_statuses (member_id, body, created_at) VALUES (?, ?, ?)",
                [member.id, text, now])
            let id = db.lastInsertedRowID
            let excerpt = Excerpt.plain(text, length: MembershipService.statusExcerptLength)
            try services.activity.record(
                activity(
                    member, verb: "posted_status", objectKind: "status", objectID: id,
                    objectURL: "\(member.profilePath)#status-\(id)", excerpt: excerpt),
                at: now, in: db)
            let decision = try services.contentCreated(
                ContentSubmission(module: "membership", kind: "status", id: id, authorID: member.id), in: db)
            if decision.isPublished { try notifyMentions(inStatus: id, body: text, by: member, in: db) }
            return Status(
                id: id, memberID: member.id, body: text, createdAt: now, hidden: !decision.isPublished)
        }
    }

    public func status(id: Int64) throws -> Status? {
        try database.read { db in
            try db.queryOne("SELECT * FROM membership_statuses WHERE id = ?", [id], Self.decodeStatus)
        }
    }

    static func decodeStatus(_ row: Row) throws -> Status {
        Status(
            id: try row.value("id"), memberID: try row.value("member_id"), body: try row.value("body"),
            createdAt: try row.value("created_at"), hidden: try row.value("hidden"))
    }

    /// A member's statuses, newest first; hidden ones only for their author and moderators.
    public func statuses(of memberID: Int64, viewer: Viewer, limit: Int = 20, before: Int64? = nil) throws
        -> [Status]
    {
        let showHidden = viewer.isModerator || viewer.memberID == memberID
        return try database.read { db in
            try db.query(
                "SELECT * FROM membership_statuses WHERE member_id = ? AND (hidden = 0 OR ?) AND id < ? ORDER BY id DESC LIMIT ?",
                [memberID, showHidden, before ?? Int64.max, limit], Self.decodeStatus)
        }
    }

    public func deleteStatus(id: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard
                let status = try db.queryOne(
                    "SELECT * FROM membership_statuses WHERE id = ?", [id], Self.decodeStatus)
            else { throw DomainError.notFound }
            guard status.memberID == actor.id || actor.isModerator else {
                throw DomainError.forbidden("You can only delete your own statuses.")
            }
            try db.execute("DELETE FROM membership_statuses WHERE id = ?", [id])
            try services.activity.deleteEntries(objectKind: "status", objectID: id, in: db)
            try services.events.publish(
                ContentEvent(
                    module: "membership", kind: "status", id: id, authorID: status.memberID, action: .deleted),
                in: db)
        }
    }

    /// Status text with links and `@handle` mentions made clickable (and everything else escaped).
    public static func linkify(_ text: String) -> HTML {
        // Most statuses hold no link: escape them whole (the loop below gives the same text).
        guard mayHoldLink(text) || text.utf8.contains(UInt8(ascii: "@")) else { return "\(text)" }
        var parts: [HTML] = []
        var buffer = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let token = String(word)
            let lowered = token.lowercased()
            if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
                var url = token
                var trailing = ""
                while let last = url.last, ".,;:!?)".contains(last) {
                    trailing = String(last) + trailing
                    url.removeLast()
                }
                parts.append(
                    "\(buffer)<a href=\"\(url: url)\" rel=\"nofollow ugc noopener\">\(url)</a>\(trailing) ")
                buffer = ""
            } else if let (handle, trailing) = mention(token) {
                parts.append(
                    "\(buffer)<a class=\"mention\" href=\"\(Member.profilePath(handle: handle))\">@\(handle)</a>\(trailing) "
                )
                buffer = ""
            } else {
                buffer += token + " "
            }
        }
        parts.append("\(buffer)")
        var html = HTML.join(parts)
        if html.text.hasSuffix(" ") { html = HTML(trustedRenderer: String(html.text.dropLast())) }
        return html
    }

    /// "@ada," → ("ada", ","): a word that is a mention (letters, digits, `_`, `.`, `-`, up to
    /// 40, not ending in `.` or `-`), with the punctuation after it.
    static func mention(_ token: String) -> (handle: String, trailing: String)? {
        guard token.hasPrefix("@") else { return nil }
        var handle = Substring(token.dropFirst())
        var trailing = ""
        while let last = handle.last, ".,;:!?)-".contains(last) {
            trailing = String(last) + trailing
            handle.removeLast()
        }
        guard (1...40).contains(handle.count),
            handle.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
        else { return nil }
        return (handle.lowercased(), trailing)
    }

    /// Whether "http" appears in any letter case: a cheap test before splitting into words.
    private static let linkPrefix = Array("http".utf8)

    static func mayHoldLink(_ text: String) -> Bool {
        // "http" has no repeated prefix, so a mismatch restarts the match (at 1 on an "h").
        let http = linkPrefix
        var matched = 0
        for byte in text.utf8 {
            let lowered = byte | 0x20
            if lowered == http[matched] {
                matched += 1
                if matched == http.count { return true }
            } else {
                matched = lowered == http[0] ? 1 : 0
            }
        }
        return false
    }
}
