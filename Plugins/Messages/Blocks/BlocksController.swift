import Foundation
import Kernel

/// A member someone blocks, as the API shows it.
struct BlockedMemberResponse: APIModel {
    var id: Int64
    var handle: String
    var name: String
    var blockedAt: Date

    static let schemaName = "MessagesBlockedMember"
    static let schemaDescription: String? =
        "A member you block: they cannot write to you or add you to a conversation."

    init(_ blocked: MessagesService.BlockedMember) {
        id = blocked.memberID
        handle = blocked.handle
        name = blocked.name
        blockedAt = blocked.blockedAt
    }
}

/// The JSON API of the block list.
struct BlocksController: Sendable {
    let messages: MessagesService

    func list(_ ctx: RequestContext) throws -> ItemList<BlockedMemberResponse> {
        ItemList(try messages.blocked(by: try ctx.requireMember().id).map(BlockedMemberResponse.init))
    }

    func block(_ ctx: RequestContext, _ handle: String) throws -> NoContent {
        _ = try messages.block(handle: handle, by: try ctx.requireMember())
        return NoContent()
    }

    func unblock(_ ctx: RequestContext, _ handle: String) throws -> NoContent {
        try messages.unblock(handle: handle, by: try ctx.requireMember())
        return NoContent()
    }
}
