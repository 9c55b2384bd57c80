import Kernel
import Storage

/// CPD's content that members can report to moderation: sessions.
///
/// ```swift
/// context.reportable(CPDReportables.session(cpd))
/// ```
enum CPDReportables {
    /// A session: moderators can look it up, hide it (with its activity) and delete it.
    static func session(_ cpd: CPDService) -> ReportableKind {
        let activity = cpd.services.activity
        return ReportableKind(
            module: "cpd", kind: "cpd_session", title: "CPD session",
            lookup: { id, db in
                try cpd.session(id: id, in: db).map { session in
                    ReportableItem(
                        title: session.title, authorID: session.organiserID, url: session.path,
                        excerpt: Excerpt.make(session.description, length: 200), isHidden: session.hidden,
                        text: session.description)
                }
            },
            isVisible: { id, member, db in
                guard let session = try cpd.session(id: id, in: db) else { return false }
                return cpd.canSee(
                    session, viewer: cpd.viewer(memberID: member.id, isModerator: member.isModerator))
            },
            setHidden: { id, hidden, db in
                try db.execute("UPDATE cpd_sessions SET hidden = ? WHERE id = ?", [hidden, id])
                try activity.setHidden(hidden, objectKind: "cpd_session", objectID: id, in: db)
            },
            delete: { id, db in
                try db.execute("DELETE FROM cpd_sessions WHERE id = ?", [id])
                try activity.deleteEntries(objectKind: "cpd_session", objectID: id, in: db)
            })
    }
}
