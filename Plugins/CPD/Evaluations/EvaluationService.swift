import Foundation
import Kernel
import Membership
import Storage

/// Evaluations of sessions attended, the follow-up weeks later, and facilitators' summary.
extension CPDService {
    // MARK: Evaluation

    /// Whether the member attended and the session has ended, so they may evaluate it.
    func requireAttended(_ sessionID: Int64, memberID: Int64, in db: Connection) throws -> CPDSession {
        guard let session = try session(id: sessionID, in: db) else { throw DomainError.notFound }
        guard let booking = try booking(sessionID: sessionID, memberID: memberID, in: db),
            booking.attended == true
        else {
            throw DomainError.forbidden("Only people who attended can evaluate this session.")
        }
        if now < session.endsAt {
            throw DomainError.conflict("You can evaluate the session once it has ended.")
        }
        return session
    }

    /// An attendee's rating (1–5) and what they will change in their practice.
    public func evaluate(sessionID: Int64, memberID: Int64, rating: Int?, willChange: String) throws {
        var check = Validation()
        if rating.map({ !(1...5).contains($0) }) ?? true {
            check.add("rating", "Choose a rating from 1 to 5.")
        }
        let change = check.optional(
            willChange, field: "will_change", label: "What you will change", maxLength: 5000)
        try check.finish()
        try database.write { db in
            _ = try requireAttended(sessionID, memberID: memberID, in: db)
            try db.execute(
                """
                INSERT INTO cpd_evaluations (session_id, member_id, rating, will_change, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (session_id, member_id) DO UPDATE SET rating = excluded.rating, will_change = excluded.will_change
                """, [sessionID, memberID, rating ?? 0, change, now])
        }
    }

    /// The follow-up weeks later: reaction, learning, use in practice, pupil outcomes (1–5 each).
    public func followUp(
        sessionID: Int64, memberID: Int64, reaction: Int?, learning: Int?, practice: Int?, outcomes: Int?,
        comment: String
    ) throws {
        var check = Validation()
        for (field, value) in [
            ("reaction", reaction), ("learning", learning), ("practice", practice), ("outcomes", outcomes),
        ]
        where value.map({ !(1...5).contains($0) }) ?? true {
            check.add(field, "Choose from 1 to 5.")
        }
        let text = check.optional(comment, field: "impact_comment", label: "Comment", maxLength: 5000)
        try check.finish()
        try database.write { db in
            _ = try requireAttended(sessionID, memberID: memberID, in: db)
            let exists =
                try db.scalar(
                    "SELECT 1 FROM cpd_evaluations WHERE session_id = ? AND member_id = ?",
                    [sessionID, memberID], as: Int.self) != nil
            if !exists {
                throw DomainError.conflict("Please rate the session first; the follow-up comes after.")
            }
            try db.execute(
                """
                UPDATE cpd_evaluations SET reaction = ?, learning = ?, practice = ?, outcomes = ?, impact_comment = ?,
                    followed_up_at = ? WHERE session_id = ? AND member_id = ?
                """, [reaction, learning, practice, outcomes, text, now, sessionID, memberID])
            // The impact lands in the member's own record too, where they keep their evidence.
            if !text.isEmpty {
                try db.execute(
                    """
                    UPDATE cpd_records SET impact = ?, impact_at = ?, updated_at = ?
                    WHERE member_id = ? AND session_id = ? AND impact = ''
                    """, [text, now, now, memberID, sessionID])
            }
        }
    }

    /// Whether the member has evaluated / followed up, for the session page.
    public func evaluationState(sessionID: Int64, memberID: Int64) throws -> (rated: Bool, followedUp: Bool) {
        try database.read { db in
            let row = try db.queryOne(
                "SELECT followed_up_at FROM cpd_evaluations WHERE session_id = ? AND member_id = ?",
                [sessionID, memberID]
            ) { row in (try row.optional("followed_up_at") as Date?) != nil }
            return (row != nil, row ?? false)
        }
    }

    /// Aggregated results, for the session's facilitators and administrators only.
    public func evaluationSummary(sessionID: Int64, by actor: SignedInMember) throws -> EvaluationSummary {
        guard let session = try session(id: sessionID),
            canSee(session, viewer: viewer(memberID: actor.id, isModerator: actor.isModerator))
        else { throw DomainError.notFound }
        guard session.isRunBy(actor.id) || actor.isAdmin else {
            throw DomainError.forbidden("Only the session's facilitators can see its evaluations.")
        }
        return try database.read { db in
            var summary = EvaluationSummary(
                responses: 0, averageRating: nil, distribution: [0, 0, 0, 0, 0], changes: [], followUps: 0,
                averageReaction: nil, averageLearning: nil, averagePractice: nil, averageOutcomes: nil,
                impactComments: [])
            var sums = [0, 0, 0, 0, 0]
            // Ordered by text, not by who answered, so comments cannot be lined up with the register.
            try db.forEach(
                "SELECT * FROM cpd_evaluations WHERE session_id = ? ORDER BY will_change", [sessionID]
            ) { row in
                let rating: Int = try row.value("rating")
                summary.responses += 1
                sums[0] += rating
                if (1...5).contains(rating) { summary.distribution[rating - 1] += 1 }
                let change: String = try row.value("will_change")
                if !change.isEmpty { summary.changes.append(change) }
                if (try row.optional("followed_up_at") as Date?) != nil {
                    summary.followUps += 1
                    sums[1] += try row.optional("reaction") ?? 0
                    sums[2] += try row.optional("learning") ?? 0
                    sums[3] += try row.optional("practice") ?? 0
                    sums[4] += try row.optional("outcomes") ?? 0
                    let comment: String = try row.value("impact_comment")
                    if !comment.isEmpty { summary.impactComments.append(comment) }
                }
            }
            if summary.responses > 0 { summary.averageRating = Double(sums[0]) / Double(summary.responses) }
            if summary.followUps > 0 {
                let count = Double(summary.followUps)
                summary.averageReaction = Double(sums[1]) / count
                summary.averageLearning = Double(sums[2]) / count
                summary.averagePractice = Double(sums[3]) / count
                summary.averageOutcomes = Double(sums[4]) / count
            }
            summary.impactComments.sort()
            return summary
        }
    }
}
