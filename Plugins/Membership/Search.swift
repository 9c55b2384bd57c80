import Foundation
import Kernel
import Storage

/// Members in search and in the directory: name (also by trigrams, so "Jon Smit" finds
/// "Jonathan Smith"), handle, profile answers (school, role, subjects, key stages) as keywords and
/// as facets the directory filters by, and the bio. Other modules add to the entry (CPD: expertise).
/// Joining, profile changes and changes of standing (approved, suspended, erased) reindex the
/// member inside the same write; a change of standing also reindexes everything they wrote.
///
/// ```swift
/// MembershipSearch.register(in: context, membership: membership)   // in bootstrap
/// ```
enum MembershipSearch {
    static let kind = "member"
    /// The ``ContentEvent`` kind statuses are published as.
    static let statusKind = "status"

    static func register(in context: ModuleContext, membership: MembershipService) {
        context.searchable(
            SearchableKind(
                module: "membership", kind: kind, label: "Members",
                aliases: ["member", "members", "people", "person"],
                document: { id, db in try membership.searchDocument(memberID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM membership_members WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) { try $0.value("id") as Int64 }
                }, visitorsMaySee: membership.directoryIsPublic, isPerson: true))
        context.searchable(
            SearchableKind(
                module: "membership", kind: statusKind, label: "Statuses", aliases: ["status", "statuses"],
                document: { id, db in try membership.searchDocument(statusID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM membership_statuses WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) { try $0.value("id") as Int64 }
                }, visitorsMaySee: membership.directoryIsPublic))
        let search = context.services.search
        context.services.events.onWrite(MemberJoined.self) { event, db in
            try search.reindex(SearchItem(kind: kind, id: event.memberID), in: db)
        }
        context.services.events.onWrite(MemberStatusChanged.self) { event, db in
            try search.reindex(memberAndContentOf: event.memberID, in: db)
        }
    }

    /// The facet values of one answer: each choice of a multiple-choice question; for free text
    /// ("Computing, Science") the whole answer and each comma-separated part.
    static func facets(question: ProfileQuestion, answer: String) -> [SearchFacet] {
        switch question.kind {
        case .url: return []
        case .choice: return [SearchFacet(question.id, answer)]
        case .multiple:
            return answer.split(separator: "\n").map { SearchFacet(question.id, String($0)) }
        case .text:
            let parts = answer.split { ",;/".contains($0) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return ([answer.trimmingCharacters(in: .whitespaces)] + parts).map {
                SearchFacet(question.id, $0)
            }
        }
    }
}

extension MembershipService {
    func searchDocument(memberID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let member = try member(id: memberID, in: db) else { return nil }
        let state: SearchState
        switch member.status {
        case .active: state = .published
        case .suspended: state = .hidden
        default: return nil
        }
        let answers = try answers(of: memberID, in: db)
        var keywords: [String] = []
        var facets: [SearchFacet] = []
        for question in questions where question.kind != .url {
            guard let answer = answers[question.id], !answer.isEmpty else { continue }
            keywords.append(answer.replacingOccurrences(of: "\n", with: " · "))
            facets += MembershipSearch.facets(question: question, answer: answer)
        }
        return SearchDocument(
            title: member.name, keywords: ([member.handle] + keywords).joined(separator: " · "),
            body: member.bio,
            url: member.profilePath, authorID: nil, audience: directoryIsPublic ? .everyone : .members,
            state: state, date: member.createdAt, name: member.name, facets: facets)
    }
}

extension MembershipService {
    /// A status is seen where its author's profile is: by members (everyone when the directory
    /// is public) while the author is active; a hidden status, or a suspended author's, only by
    /// moderators. It hangs off its author's entry, so a change of name reaches it.
    func searchDocument(statusID: Int64, in db: Connection) throws -> SearchDocument? {
        guard
            let status = try db.queryOne(
                "SELECT * FROM membership_statuses WHERE id = ?", [statusID], Self.decodeStatus),
            let author = try member(id: status.memberID, in: db)
        else { return nil }
        let state: SearchState
        switch author.status {
        case .active: state = status.hidden ? .hidden : .published
        case .suspended: state = .hidden
        default: return nil
        }
        var document = SearchDocument(
            title: "Status by \(author.name)", body: status.body,
            url: "\(author.profilePath)#status-\(status.id)",
            authorID: author.id, audience: directoryIsPublic ? .everyone : .members, state: state,
            date: status.createdAt, container: SearchItem(kind: MembershipSearch.kind, id: author.id))
        document.titleIsSearchable = false
        return document
    }
}
