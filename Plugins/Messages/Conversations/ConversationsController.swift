import Foundation
import Kernel

/// The JSON API of conversations: the inbox, one conversation, its messages (the newest page
/// first, `next` pointing to earlier ones), sending, adding people, reading, leaving and
/// deleting a message for oneself. Only participants get anything but 404.
struct ConversationsController: Sendable {
    let messages: MessagesService

    func list(_ ctx: RequestContext, _ query: ConversationListQuery) throws -> Page<ConversationResponse> {
        let me = try ctx.requireMember()
        let (conversations, next) = try messages.inbox(
            of: me.id, box: query.box ?? .inbox, before: query.before,
            limit: ConversationListQuery.limit(query.limit, default: MessagesService.conversationsPerPage))
        return Page(items: conversations.map { ConversationResponse($0, readerID: me.id) }, next: next)
    }

    func create(_ ctx: RequestContext, _ request: ConversationRequest) throws -> Created<ConversationResponse>
    {
        let me = try ctx.requireActiveMember()
        let conversation = try messages.start(
            .init(
                to: request.to.flatMap(MessagesService.handles), subject: request.subject ?? "",
                body: request.body),
            by: me)
        return Created(ConversationResponse(conversation, readerID: me.id))
    }

    func show(_ ctx: RequestContext, _ id: Int64) throws -> ConversationResponse {
        let me = try ctx.requireMember()
        guard let conversation = try messages.conversation(id: id, reader: me.id) else {
            throw DomainError.notFound
        }
        return ConversationResponse(conversation, readerID: me.id)
    }

    func messages(_ ctx: RequestContext, _ id: Int64, _ query: MessageListQuery) throws -> Page<
        MessageResponse
    > {
        let me = try ctx.requireMember()
        let (page, earlier) = try messages.messages(
            in: id, reader: me.id, before: query.before,
            limit: MessageListQuery.limit(query.limit, default: messages.messagesPerPage))
        return Page(items: page.map(MessageResponse.init), next: earlier)
    }

    func send(_ ctx: RequestContext, _ id: Int64, _ request: MessageRequest) throws -> Created<
        MessageResponse
    > {
        let me = try ctx.requireActiveMember()
        return Created(MessageResponse(try messages.send(request.body, in: id, by: me)))
    }

    func addPeople(_ ctx: RequestContext, _ id: Int64, _ request: ParticipantsRequest) throws
        -> ConversationResponse
    {
        let me = try ctx.requireActiveMember()
        _ = try messages.add(request.to.flatMap(MessagesService.handles), to: id, by: me)
        return try show(ctx, id)
    }

    func markRead(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        let me = try ctx.requireMember()
        guard try messages.conversation(id: id, reader: me.id) != nil else { throw DomainError.notFound }
        try messages.markRead(id, by: me.id)
        return NoContent()
    }

    func archive(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        try messages.setArchived(true, conversationID: id, by: try ctx.requireMember().id)
        return NoContent()
    }

    func unarchive(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        try messages.setArchived(false, conversationID: id, by: try ctx.requireMember().id)
        return NoContent()
    }

    func leave(_ ctx: RequestContext, _ id: Int64) throws -> NoContent {
        try messages.leave(id, by: try ctx.requireMember().id)
        return NoContent()
    }

    func dismiss(_ ctx: RequestContext, _ id: Int64, _ messageID: Int64) throws -> NoContent {
        let me = try ctx.requireMember()
        guard let message = try messages.message(id: messageID, reader: me.id), message.conversationID == id
        else {
            throw DomainError.notFound
        }
        try messages.dismiss(messageID: messageID, by: me.id)
        return NoContent()
    }
}
