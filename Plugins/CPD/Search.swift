import Foundation
import Kernel
import Storage

/// What of CPD members can search: sessions (a group's only for that group; hidden ones only for
/// moderators; results carry the group a session is offered by or for, to those who may see it), and members' expertise, which CPD adds to each member's entry as text and as the
/// `expertise` facet the member directory filters by.
///
/// ```swift
/// CPDSearch.register(in: context, cpd: cpd)   // in bootstrap
/// ```
enum CPDSearch {
    static func register(in context: ModuleContext, cpd: CPDService) {
        context.searchable(
            SearchableKind(
                module: "cpd", kind: "cpd_session", label: "CPD sessions",
                aliases: ["cpd", "session", "sessions", "training"],
                document: { id, db in try cpd.searchDocument(sessionID: id, in: db) },
                ids: { after, limit, db in
                    try db.query(
                        "SELECT id FROM cpd_sessions WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
                    ) {
                        try $0.value("id") as Int64
                    }
                }))
        context.searchContribution(to: "member") { memberID, db in
            try cpd.expertiseContribution(memberID: memberID, in: db)
        }
    }
}

extension CPDService {
    func searchDocument(sessionID: Int64, in db: Connection) throws -> SearchDocument? {
        guard let session = try session(id: sessionID, in: db) else { return nil }
        return SearchDocument(
            title: session.title,
            keywords: (session.areas + [session.hostSchool, session.isCancelled ? "cancelled" : ""])
                .joined(separator: " "),
            body: session.description + "\n" + session.venue, url: session.path,
            authorID: session.organiserID,
            audience: session.audienceGroupID.map { .group($0) } ?? .everyone,
            state: session.hidden ? .hidden : .published, date: session.startsAt,
            groupID: session.groupID ?? session.audienceGroupID)
    }

    /// A member's expertise areas and statements, for their entry in the index.
    func expertiseContribution(memberID: Int64, in db: Connection) throws -> SearchContribution? {
        let entries = try db.query(
            "SELECT area, statement FROM cpd_expertise WHERE member_id = ? ORDER BY area", [memberID]
        ) { (area: try $0.value("area") as String, statement: try $0.value("statement") as String) }
        guard !entries.isEmpty else { return nil }
        return SearchContribution(
            keywords: entries.map(\.area).joined(separator: " · "),
            body: entries.map(\.statement).filter { !$0.isEmpty }.joined(separator: "\n"),
            facets: entries.map { SearchFacet("expertise", $0.area) })
    }
}
