import Foundation
import Kernel
import Membership
import Storage

/// What CPD tells members through the notifications service (each kind with a preference, by
/// email at once unless the member chooses otherwise): a place offered from the waiting list,
/// a session cancelled or moved, and the impact follow-up after attending.
enum CPDNotifications {
    static let placeOffered = NotificationKind(
        id: "cpd.place_offered", title: "A place for me from a CPD waiting list", defaultChannel: .email)
    static let sessionCancelled = NotificationKind(
        id: "cpd.session_cancelled", title: "CPD sessions I booked cancelled", defaultChannel: .email)
    static let sessionMoved = NotificationKind(
        id: "cpd.session_moved", title: "CPD sessions I booked moved", defaultChannel: .email)
    static let followUp = NotificationKind(
        id: "cpd.follow_up", title: "What difference a CPD session I attended made", defaultChannel: .email)

    static func register(_ services: Services, cpd: CPDService) {
        for kind in [placeOffered, sessionCancelled, sessionMoved, followUp] {
            services.notifications.register(kind)
        }
        services.notifications.registerDigestSource { memberID, since, db in
            try cpd.newSessionsDigest(memberID: memberID, since: since, in: db)
        }
        services.notifications.registerDigestSource { memberID, _, db in
            try cpd.bookedSessionsDigest(memberID: memberID, in: db)
        }
    }
}

extension CPDService {
    /// Tells `memberIDs` about `session` (kind, text after the actor's name, an excerpt), inside
    /// the caller's transaction. The actor is who acted, else the session's organiser.
    func notify(
        _ memberIDs: [Int64], about session: CPDSession, kind: NotificationKind, text: String,
        excerpt: String = "",
        link: String? = nil, actor: SignedInMember? = nil, in db: Connection
    ) throws {
        let by: NotificationActor
        if let actor {
            by = NotificationActor(actor)
        } else if let organiser = try membership.member(id: session.organiserID, in: db) {
            by = NotificationActor(id: organiser.id, name: organiser.name, handle: organiser.handle)
        } else {
            return
        }
        for memberID in memberIDs {
            try services.notifications.publish(
                NewNotification(
                    recipientID: memberID, kind: kind.id, actor: by,
                    subject: ContentReference(module: "cpd", kind: "cpd_session", id: session.id), text: text,
                    link: link ?? session.path, excerpt: excerpt),
                in: db)
        }
    }
}
