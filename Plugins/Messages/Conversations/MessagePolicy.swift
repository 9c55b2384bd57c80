import Foundation
import Kernel
import Storage

/// Who may write to whom, and how much: the network's `who_can_write` rule (administrators and
/// moderators are exempt), blocks (a member who blocked you cannot be written to or added by
/// you), per-member rate limits and the link limit for new members. Every refusal says why, in
/// a sentence the writer can act on.
extension MessagesService {
    /// Why `sender` may not start a conversation with, or add, `recipient`; nil when they may.
    /// Reads committed data, before the write that acts on the answer.
    func refusal(from sender: SignedInMember, to recipient: Person) throws -> String? {
        if recipient.status == .suspended || recipient.status == .deleted {
            return "\(recipient.name) cannot receive messages."
        }
        if try hasBlocked(recipient.id, sender.id) {
            return "\(recipient.name) does not accept messages from you."
        }
        if sender.isModerator { return nil }
        switch whoCanWrite {
        case .anyone:
            return nil
        case .friends:
            let friends = try membership?.relationship(between: sender.id, and: recipient.id) == .friends
            return friends
                ? nil
                : "On this network you can write only to your friends, and \(recipient.name) is not your friend yet."
        case .sharedGroup:
            guard let groups else {
                return "On this network you can write only to members who share a group with you."
            }
            let shared = !Set(groups.groupIDs(of: sender.id)).isDisjoint(
                with: groups.groupIDs(of: recipient.id))
            return shared
                ? nil
                : "On this network you can write only to members who share a group with you, and \(recipient.name) does not."
        }
    }

    /// Whether `memberID` blocks `otherID`.
    func hasBlocked(_ memberID: Int64, _ otherID: Int64) throws -> Bool {
        try database.read { db in try hasBlocked(memberID, otherID, in: db) }
    }

    func hasBlocked(_ memberID: Int64, _ otherID: Int64, in db: Connection) throws -> Bool {
        try db.scalar(
            "SELECT 1 FROM messages_blocks WHERE member_id = ? AND blocked_id = ?", [memberID, otherID],
            as: Int.self) != nil
    }

    /// Throws ``DomainError/rateLimited(_:)`` when `sender` has sent their hour's messages (and,
    /// when starting one, conversations), or ``DomainError/invalid(_:)`` when a new member's
    /// message holds more links than the network allows.
    func checkLimits(for sender: SignedInMember, body: String, startingConversation: Bool, in db: Connection)
        throws
    {
        if sender.isModerator { return }
        let hourAgo = now.addingTimeInterval(-3600)
        if startingConversation {
            let started =
                try db.scalar(
                    """
                    SELECT COUNT(*) FROM (SELECT 1 FROM messages_conversations WHERE created_by = ? AND created_at > ? LIMIT ?)
                    """, [sender.id, hourAgo, conversationsPerHour], as: Int.self) ?? 0
            if started >= conversationsPerHour {
                throw DomainError.rateLimited(
                    "You have started \(started) conversations in the last hour, the most this network allows. Please wait a while, or write in a conversation you already have."
                )
            }
        }
        let sent =
            try db.scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM messages_messages WHERE sender_id = ? AND created_at > ? LIMIT ?)",
                [sender.id, hourAgo, messagesPerHour], as: Int.self) ?? 0
        if sent >= messagesPerHour {
            throw DomainError.rateLimited(
                "You have sent \(sent) messages in the last hour, the most this network allows. Please wait a while before sending more."
            )
        }
        guard let joined = try identity?.person(id: sender.id, in: db)?.createdAt,
            now.timeIntervalSince(joined) < Double(newMemberDays) * 86_400
        else { return }
        let links = Self.linkCount(body)
        if links > newMemberLinkLimit {
            let allowed =
                newMemberLinkLimit == 0
                ? "no links" : "at most \(newMemberLinkLimit) link\(newMemberLinkLimit == 1 ? "" : "s")"
            throw DomainError.invalid([
                FieldError(
                    field: "body",
                    message:
                        "For your first \(newMemberDays) days on the network a message may hold \(allowed); this one has \(links)."
                )
            ])
        }
    }

    /// Words that are web links: "https://…", "http://…" or "www.…" (as moderation counts them).
    static func linkCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || "()<>[]".contains($0) })
            .filter { word in
                let lowered = word.lowercased()
                return lowered.contains("http://") || lowered.contains("https://")
                    || lowered.hasPrefix("www.")
            }.count
    }
}
