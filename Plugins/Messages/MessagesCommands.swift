import Foundation
import Kernel
import Storage

/// `pln admin messages stats`: how much the module holds, in counts only. There is no console
/// command that reads a message, a subject or who wrote to whom: private stays private from
/// the console too.
enum MessagesCommands {
    static func command(_ messages: MessagesService) -> CommandSpec {
        .group(
            "messages", abstract: "Private messages (counts only: the console never reads them).",
            [.command(MessagesStats.self, messages)])
    }
}

extension MessagesService {
    /// Counts, never contents.
    public struct Stats: Sendable, Equatable {
        public var conversations: Int
        public var messages: Int
        public var messagesLastWeek: Int
        public var participants: Int
        public var blocks: Int
        public var heldOrHidden: Int
    }

    public func stats() throws -> Stats {
        let weekAgo = now.addingTimeInterval(-7 * 86_400)
        return try database.read { db in
            func count(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> Int {
                try db.scalar(sql, arguments, as: Int.self) ?? 0
            }
            return Stats(
                conversations: try count("SELECT COUNT(*) FROM messages_conversations"),
                messages: try count("SELECT COUNT(*) FROM messages_messages"),
                messagesLastWeek: try count(
                    "SELECT COUNT(*) FROM messages_messages WHERE created_at > ?", [weekAgo]),
                participants: try count("SELECT COUNT(*) FROM messages_participants"),
                blocks: try count("SELECT COUNT(*) FROM messages_blocks"),
                heldOrHidden: try count("SELECT COUNT(*) FROM messages_messages WHERE hidden = 1"))
        }
    }
}

struct MessagesStats: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "stats", abstract: "Count conversations, messages and blocks (no contents, no names).")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ messages: MessagesService, console: Console) throws {
        let stats = try messages.stats()
        let rows: [(String, Int)] = [
            ("conversations", stats.conversations), ("messages", stats.messages),
            ("messages_last_7_days", stats.messagesLastWeek), ("participants", stats.participants),
            ("blocks", stats.blocks), ("held_or_hidden", stats.heldOrHidden),
        ]
        if json {
            console.printJSON(.object(rows.map { ($0.0, .int(Int64($0.1))) }))
        } else {
            console.table(
                ["WHAT", "COUNT"], rows.map { [$0.0.replacingOccurrences(of: "_", with: " "), String($0.1)] })
        }
    }
}
