import Foundation
import Kernel
import Storage

/// How members hear of a new message: one mail per conversation until they read it (the first
/// unread message mails, the next ones wait until the conversation is opened). The mail names
/// the sender and links to the conversation; it carries no message text, so nothing private
/// sits in a mailbox or a mail server's logs. Written in the delivering transaction.
///
/// ```swift
/// try MessageNotices(services: services).newMessage(message, to: [benID], in: db)
/// ```
struct MessageNotices {
    let services: Services

    func newMessage(_ message: Message, to recipientIDs: [Int64], in db: Connection) throws {
        guard !recipientIDs.isEmpty, let identity = services.identity else { return }
        let network = services.config.networkName
        let link = services.link("/messages/\(message.conversationID)")
        for recipient in try identity.mailRecipients(recipientIDs, in: db) where recipient.status == .active {
            try services.outbox.enqueue(
                Mail(
                    to: recipient.address, subject: "\(message.senderName) sent you a message on \(network)",
                    body: """
                        \(message.senderName) sent you a private message on \(network).

                        Read it and reply: \(link)

                        You get one mail per conversation until you read it.
                        """), in: db)
        }
    }
}
