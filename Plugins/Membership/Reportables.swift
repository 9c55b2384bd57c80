import Kernel
import Storage

/// What members can report in membership: a status, and a profile (hiding a profile suspends
/// the member; deleting it deletes the account).
///
/// ```swift
/// for kind in MembershipReportables.kinds(membership: membership, services: services) { context.reportable(kind) }
/// ```
enum MembershipReportables {
    static func kinds(membership: MembershipService, services: Services) -> [ReportableKind] {
        [
            ReportableKind(
                module: "membership", kind: "status", title: "status",
                lookup: { id, db in
                    try db.queryOne(
                        "SELECT s.body, s.member_id, s.hidden, m.handle FROM membership_statuses s JOIN membership_members m ON m.id = s.member_id WHERE s.id = ?",
                        [id]
                    ) { row in
                        let body: String = try row.value("body")
                        return ReportableItem(
                            title: "Status by @\(try row.value("handle") as String)",
                            authorID: try row.value("member_id"),
                            url: "/members/\(try row.value("handle") as String)#status-\(id)",
                            excerpt: Excerpt.plain(body, length: 200), isHidden: try row.value("hidden"),
                            text: body)
                    }
                },
                // A status is seen where its author's profile is.
                isVisible: { id, viewer, db in
                    guard
                        let authorID = try db.scalar(
                            "SELECT member_id FROM membership_statuses WHERE id = ?", [id], as: Int64.self)
                    else { return false }
                    return try membership.profileIsVisible(memberID: authorID, to: viewer, in: db)
                },
                setHidden: { id, hidden, db in
                    try db.execute("UPDATE membership_statuses SET hidden = ? WHERE id = ?", [hidden, id])
                    try services.activity.setHidden(
                        hidden, objectKind: "status", objectID: id, in: db)
                },
                delete: { id, db in
                    try db.execute("DELETE FROM membership_statuses WHERE id = ?", [id])
                    try services.activity.deleteEntries(objectKind: "status", objectID: id, in: db)
                },
                released: { id, db in try membership.statusReleased(id: id, in: db) }),
            ReportableKind(
                module: "membership", kind: "profile", title: "profile",
                lookup: { id, db in
                    try membership.member(id: id, in: db).map { member in
                        ReportableItem(
                            title: "Profile of \(member.name)", authorID: member.id, url: member.profilePath,
                            excerpt: Excerpt.make(member.bio, length: 200),
                            isHidden: member.status == .suspended, text: member.bio)
                    }
                },
                isVisible: { id, viewer, db in
                    try membership.profileIsVisible(memberID: id, to: viewer, in: db)
                },
                setHidden: { id, hidden, db in
                    if hidden {
                        _ = try membership.suspend(memberID: id, by: nil, in: db)
                    } else {
                        _ = try membership.reinstate(memberID: id, in: db)
                    }
                },
                // Deleting a profile is deleting the account: every enabled module's erase hook runs
                // (membership's own last), in the moderation action's transaction.
                delete: { id, db in
                    for hook in membership.personalDataHooks().reversed() { try hook.erase(id, db) }
                }),
        ]
    }
}
