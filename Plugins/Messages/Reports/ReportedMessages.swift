import Foundation
import Kernel
import Storage

/// Reporting a message with the context its reporter chooses, and what a moderator may open:
/// a message someone reported (or the content gate held), with the earlier messages each
/// reporter attached, nothing more. Every opening is written to the audit log.
extension MessagesService {
    /// A reported message as a moderator sees it.
    public struct ReportedMessage: Sendable, Equatable {
        public var message: Message
        /// Per reporter, the earlier messages they attached, oldest first.
        public var attachments: [(reporterName: String, messages: [Message])]

        public static func == (a: ReportedMessage, b: ReportedMessage) -> Bool {
            a.message == b.message && a.attachments.map(\.reporterName) == b.attachments.map(\.reporterName)
                && a.attachments.map(\.messages) == b.attachments.map(\.messages)
        }
    }

    /// The messages before `messageID` that its reader may attach as context, newest last.
    public func contextChoices(for messageID: Int64, reader: SignedInMember) throws -> (
        message: Message, earlier: [Message]
    ) {
        guard let message = try message(id: messageID, reader: reader.id) else { throw DomainError.notFound }
        let earlier = try messages(
            in: message.conversationID, reader: reader.id, before: message.id,
            limit: Self.reportContextChoices
        ).messages
        return (message, earlier)
    }

    /// Records which earlier messages `reporter` shows moderators with their report of
    /// `messageID` (none is a choice too). Only messages they may see, from the same
    /// conversation and before it, are accepted.
    public func attachContext(_ contextIDs: [Int64], to messageID: Int64, by reporter: SignedInMember) throws
    {
        let (message, earlier) = try contextChoices(for: messageID, reader: reporter)
        if message.senderID == reporter.id {
            throw DomainError.invalid([
                FieldError(field: "context", message: "You cannot report your own message.")
            ])
        }
        let allowed = Set(earlier.map(\.id))
        let chosen = Array(Set(contextIDs)).sorted()
        if let stray = chosen.first(where: { !allowed.contains($0) }) {
            throw DomainError.invalid([
                FieldError(
                    field: "context", message: "Message \(stray) is not one you can attach to this report.")
            ])
        }
        let now = self.now
        try database.write { db in
            try db.execute(
                """
                INSERT INTO messages_report_context (message_id, reporter_id, context_ids, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (message_id, reporter_id) DO UPDATE SET context_ids = excluded.context_ids, created_at = excluded.created_at
                """, [messageID, reporter.id, chosen.map(String.init).joined(separator: ","), now])
        }
    }

    /// The reported message and its attached context, for a moderator; writes the opening to
    /// the audit log in the same transaction. Not found unless someone reported it or the
    /// content gate holds it.
    public func openReported(messageID: Int64, by moderator: SignedInMember) throws -> ReportedMessage {
        guard moderator.isModerator else { throw DomainError.notFound }
        return try database.write { db in
            guard let message = try storedMessage(id: messageID, in: db) else { throw DomainError.notFound }
            let reports = try db.query(
                """
                SELECT r.context_ids, m.name FROM messages_report_context r JOIN membership_people m ON m.id = r.reporter_id
                WHERE r.message_id = ? ORDER BY r.created_at, r.reporter_id
                """, [messageID]
            ) { row -> (String, String) in (try row.value("name"), try row.value("context_ids")) }
            guard !reports.isEmpty || message.isHidden else { throw DomainError.notFound }
            var attachments: [(reporterName: String, messages: [Message])] = []
            for (reporter, ids) in reports {
                let attached = try ids.split(separator: ",").compactMap { Int64($0) }.compactMap { id in
                    try storedMessage(id: id, in: db)
                }.filter { $0.conversationID == message.conversationID }
                attachments.append((reporter, attached))
            }
            guard let audit = services.service(AuditLogBox.self)?.log else {
                throw DomainError.forbidden(
                    "Reported messages can be opened only while moderation is enabled.")
            }
            try audit.record(
                AuditRecord(
                    actorID: moderator.id, actorName: moderator.name, action: "view_private",
                    targetKind: MessagesReportables.kind, targetID: messageID,
                    targetTitle: "Private message from \(message.senderName)", memberID: message.senderID,
                    reason: "Opened the reported message and the context its reporters attached."), in: db)
            return ReportedMessage(message: message, attachments: attachments)
        }
    }
}
