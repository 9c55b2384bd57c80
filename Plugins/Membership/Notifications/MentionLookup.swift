import Foundation
import HTTP
import Kernel
import Storage

/// The members lookup behind the @mention autocomplete (pln.js): signed-in members only, at
/// most eight active members whose handle or name starts with what was typed, as JSON
/// `[{"handle": …, "name": …}]`. Pending, suspended and deleted members are never offered.
///
/// ```swift
/// MentionLookup(membership: membership).register(&web)   // GET /mentions/members?q=am
/// ```
struct MentionLookup: Sendable {
    let membership: MembershipService
    static let limit = 8

    func register(_ web: inout WebContributions) {
        let lookup = self
        web.pages("/mentions") { pages in
            pages.get("/members", access: .members, use: lookup.members)
        }
    }

    func members(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try ctx.requireMember()
        let found = try membership.mentionCandidates(ctx.query("q") ?? "", limit: Self.limit)
        var response = ctx.json(
            .array(found.map { ["handle": .string($0.handle), "name": .string($0.name)] }))
        response.headers.add("Cache-Control", "private, max-age=30")
        return response
    }
}

extension MembershipService {
    /// Active members whose handle starts with `typed` (the index on handles), then those whose
    /// name or a word of it does, by name; at most `limit`.
    func mentionCandidates(_ typed: String, limit: Int) throws -> [(handle: String, name: String)] {
        let text = String(typed.trimmingCharacters(in: .whitespaces).drop { $0 == "@" }.prefix(40))
            .lowercased()
        guard !text.isEmpty else { return [] }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "%", with: "\\%"
        )
        .replacingOccurrences(of: "_", with: "\\_")
        return try database.read { db in
            var found = try db.query(
                """
                SELECT handle, name FROM membership_members
                WHERE handle >= ? AND handle < ? AND status = 'active' ORDER BY handle LIMIT ?
                """, [text, text + "\u{10FFFF}", limit]
            ) { row in (handle: try row.value("handle") as String, name: try row.value("name") as String) }
            if found.count < limit {
                let more = try db.query(
                    """
                    SELECT handle, name FROM membership_members
                    WHERE status = 'active' AND (name LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')
                    ORDER BY name, id LIMIT ?
                    """, [escaped + "%", "% " + escaped + "%", limit * 2]
                ) { row in (handle: try row.value("handle") as String, name: try row.value("name") as String)
                }
                for person in more
                where found.count < limit && !found.contains(where: { $0.handle == person.handle }) {
                    found.append(person)
                }
            }
            return found
        }
    }
}
