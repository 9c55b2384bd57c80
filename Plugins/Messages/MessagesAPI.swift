import Kernel

/// The messages part of the JSON API: /api/v1/conversations and /api/v1/blocks. Every
/// operation is for signed-in members and answers only about conversations they take part in
/// (404 for any other id, exactly as for one that does not exist). See docs/api.md.
struct MessagesAPI {
    let messages: MessagesService

    func register(_ web: inout WebContributions) {
        let conversations = ConversationsController(messages: messages)
        let blocks = BlocksController(messages: messages)
        web.apiGroup("/api/v1/conversations", tag: "messages") { api in
            api.get(
                "", access: .members, summary: "Your conversations, the most recently active first.",
                operationID: "listConversations", use: conversations.list)
            api.post(
                "", access: .members, summary: "Start a conversation with its first message.",
                operationID: "createConversation", errors: [.forbidden, .tooManyRequests],
                use: conversations.create)
            api.get(
                "/:id", access: .members, summary: "One conversation you take part in.",
                operationID: "getConversation", use: conversations.show)
            api.get(
                "/:id/messages", access: .members,
                summary:
                    "The newest page of messages you may see, oldest first; `next` pages to earlier ones.",
                operationID: "listConversationMessages", use: conversations.messages)
            api.post(
                "/:id/messages", access: .members, summary: "Send a message.",
                operationID: "sendConversationMessage", errors: [.forbidden, .conflict, .tooManyRequests],
                use: conversations.send)
            api.delete(
                "/:id/messages/:messageID", access: .members,
                summary: "Delete a message for you (the others keep it).",
                operationID: "dismissConversationMessage", use: conversations.dismiss)
            api.post(
                "/:id/participants", access: .members,
                summary: "Add members; they see the conversation from now on.",
                operationID: "addConversationParticipants", errors: [.forbidden], use: conversations.addPeople
            )
            api.post(
                "/:id/read", access: .members, summary: "Mark the conversation read.",
                operationID: "markConversationRead", use: conversations.markRead)
            api.post(
                "/:id/archive", access: .members,
                summary: "Archive the conversation (a new message brings it back).",
                operationID: "archiveConversation", use: conversations.archive)
            api.post(
                "/:id/unarchive", access: .members, summary: "Move the conversation back to the inbox.",
                operationID: "unarchiveConversation", use: conversations.unarchive)
            api.post(
                "/:id/leave", access: .members, summary: "Leave the conversation; you no longer see it.",
                operationID: "leaveConversation", use: conversations.leave)
        }
        web.apiGroup("/api/v1/blocks", tag: "messages") { api in
            api.get(
                "", access: .members, summary: "The members you block.", operationID: "listBlockedMembers",
                use: blocks.list)
            api.put(
                "/:handle", access: .members, summary: "Block a member.", operationID: "blockMember",
                errors: [.forbidden, .unprocessable], use: blocks.block)
            api.delete(
                "/:handle", access: .members, summary: "Unblock a member.", operationID: "unblockMember",
                use: blocks.unblock)
        }
    }
}
