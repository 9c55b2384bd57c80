import Foundation
import Kernel

// The JSON the API answers and accepts for conversations; each type is its own OpenAPI schema.

/// A member as messages show them.
struct MessagesPersonResponse: APIModel {
    var id: Int64
    var handle: String
    var name: String

    static let schemaName = "MessagesPerson"
    static let schemaDescription: String? = "A member taking part in a conversation."
}

/// One message as its reader sees it.
struct MessageResponse: APIModel {
    var id: Int64
    var conversationID: Int64
    var sender: MessagesPersonResponse
    var body: String
    var bodyHTML: String
    var hidden: Bool
    var removed: Bool
    var createdAt: Date

    static let schemaName = "MessagesMessage"
    static let schemaDescription: String? = "A private message."
    static let fieldHints: [String: SchemaHint] = [
        "body": .description("Markdown source; empty when removed."),
        "bodyHTML": .description("The body rendered safely."),
        "hidden": .description("Held or hidden by moderation: only its sender sees it."),
        "removed": .description("Its author deleted their account, and its text went with it."),
    ]

    init(_ message: Message) {
        id = message.id
        conversationID = message.conversationID
        sender = MessagesPersonResponse(
            id: message.senderID, handle: message.senderHandle,
            name: message.isRemoved ? "Deleted member" : message.senderName)
        body = message.isRemoved ? "" : message.body
        bodyHTML = message.isRemoved ? "" : MarkdownCache.html(message.body)
        hidden = message.isHidden
        removed = message.isRemoved
        createdAt = message.createdAt
    }
}

/// A conversation as one participant sees it.
struct ConversationResponse: APIModel {
    var id: Int64
    var subject: String
    var title: String
    var participants: [MessagesPersonResponse]
    var unread: Int
    var archived: Bool
    var createdAt: Date
    var latest: MessageResponse?

    static let schemaName = "MessagesConversation"
    static let schemaDescription: String? = "A conversation you take part in."
    static let fieldHints: [String: SchemaHint] = [
        "subject": .description("Empty when none was given."),
        "title": .description("The subject, or the other participants' names."),
        "participants": .description("Everyone taking part now, you included."),
        "unread": .description("Messages you have not read."),
        "latest": .description("The newest message you may see (in lists only)."),
    ]

    init(_ conversation: Conversation, readerID: Int64) {
        id = conversation.id
        subject = conversation.subject
        title = conversation.title(for: readerID)
        participants = conversation.participants.map {
            MessagesPersonResponse(id: $0.memberID, handle: $0.handle, name: $0.name)
        }
        unread = conversation.unread
        archived = conversation.isArchived
        createdAt = conversation.createdAt
        latest = conversation.latest.map(MessageResponse.init)
    }
}

/// A new conversation.
struct ConversationRequest: APIModel {
    var to: [String]
    var subject: String?
    var body: String

    static let schemaName = "MessagesConversationInput"
    static let fieldHints: [String: SchemaHint] = [
        "to": .init(
            description: "Handles of the members to write to.", message: "Name the members to write to."),
        "subject": .init(description: "Optional.", maxLength: MessagesService.maximumSubjectLength),
        "body": .init(description: "The first message, in Markdown.", message: "Enter your message."),
    ]
}

/// A new message.
struct MessageRequest: APIModel {
    var body: String

    static let schemaName = "MessagesMessageInput"
    static let fieldHints: [String: SchemaHint] = [
        "body": .init(description: "Markdown.", message: "Enter your message.")
    ]
}

/// Members to add to a conversation.
struct ParticipantsRequest: APIModel {
    var to: [String]

    static let schemaName = "MessagesParticipantsInput"
    static let fieldHints: [String: SchemaHint] = [
        "to": .init(description: "Handles of the members to add.", message: "Name the members to add.")
    ]
}

extension MessagesService.Box: APIEnum {}

/// Which page of the inbox.
struct ConversationListQuery: APIQuery {
    var box: MessagesService.Box?
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "box": .description("inbox (default) or archived."),
        "before": .init(description: "The `next` value of the previous page.", message: "Must be a cursor."),
        "limit": .description("Conversations per page (default 20)."),
    ]
}

/// Which page of a conversation's messages.
struct MessageListQuery: APIQuery {
    var before: Int64?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...200
    static let fieldHints: [String: SchemaHint] = [
        "before": .init(
            description: "The `next` value of the previous page: messages before this one.",
            message: "Must be a message id."),
        "limit": .description("Messages per page (default: the network's page size)."),
    ]
}
