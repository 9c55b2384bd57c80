import Foundation
import Kernel
import Storage

/// A CPD session offered to the network or to one group.
///
/// ```swift
/// let session = try cpd.offer(SessionInput(title: "Phonics in Year 1", …), by: erin)
/// session.endsAt        // startsAt + duration
/// session.hours         // 1.5
/// ```
public struct CPDSession: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case scheduled, cancelled }

    public var id: Int64
    public var title: String
    public var description: String
    public var areas: [String]
    public var organiserID: Int64
    /// The group the session is offered on behalf of (a cluster), if any.
    public var groupID: Int64?
    /// nil: the whole network; otherwise only this group's members may see and book.
    public var audienceGroupID: Int64?
    public var facilitatorIDs: [Int64]
    public var hostSchool: String
    /// The UTC instant the session starts.
    public var startsAt: Date
    /// The IANA zone the session happens in, e.g. "Europe/London".
    public var timeZone: String
    public var durationMinutes: Int
    public var venue: String
    public var onlineURL: String
    public var capacity: Int
    public var status: Status
    /// Raised on every change calendar clients must notice (RFC 5545 SEQUENCE).
    public var sequence: Int
    public var cancelReason: String
    public var hidden: Bool
    /// Unguessable part of the BadgeClass URL, so a private session's title is not enumerable.
    public var badgeToken: String
    public var createdAt: Date
    public var updatedAt: Date

    public var endsAt: Date { startsAt.addingTimeInterval(Double(durationMinutes) * 60) }
    public var isCancelled: Bool { status == .cancelled }
    public var hours: Double { Double(durationMinutes) / 60 }
    public var path: String { "/cpd/sessions/\(id)" }
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current }

    /// Whether `memberID` runs the session (organiser or facilitator).
    public func isRunBy(_ memberID: Int64?) -> Bool {
        guard let memberID else { return false }
        return organiserID == memberID || facilitatorIDs.contains(memberID)
    }

    static let columns = """
        s.id, s.title, s.description, s.organiser_id, s.group_id, s.audience_group_id, s.host_school, s.starts_at,
        s.time_zone, s.duration_minutes, s.venue, s.online_url, s.capacity, s.status, s.sequence, s.cancel_reason,
        s.hidden, s.badge_token, s.created_at, s.updated_at
        """

    static func decode(_ row: Row) throws -> CPDSession {
        CPDSession(
            id: try row.value("id"), title: try row.value("title"), description: try row.value("description"),
            areas: [], organiserID: try row.value("organiser_id"), groupID: try row.optional("group_id"),
            audienceGroupID: try row.optional("audience_group_id"), facilitatorIDs: [],
            hostSchool: try row.value("host_school"), startsAt: try row.value("starts_at"),
            timeZone: try row.value("time_zone"), durationMinutes: try row.value("duration_minutes"),
            venue: try row.value("venue"), onlineURL: try row.value("online_url"),
            capacity: try row.value("capacity"),
            status: Status(rawValue: try row.value("status")) ?? .scheduled,
            sequence: try row.value("sequence"),
            cancelReason: try row.value("cancel_reason"), hidden: try row.value("hidden"),
            badgeToken: try row.value("badge_token"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }
}

/// What a member submits to offer a session: text as typed, parsed and checked by the service.
///
/// ```swift
/// let input = SessionInput(title: "Maths mastery", starts: "2026-12-03T16:00", durationMinutes: "90", capacity: "12")
/// ```
public struct SessionInput: Sendable {
    public var title: String
    public var description: String
    public var areas: [String]
    /// Handles of co-facilitators, separated by commas or spaces (the organiser always facilitates).
    public var facilitators: String
    public var hostSchool: String
    /// Local wall-clock start, "yyyy-MM-dd'T'HH:mm" (an HTML datetime-local value).
    public var starts: String
    /// IANA zone; empty means the network's default.
    public var timeZone: String
    public var durationMinutes: String
    public var venue: String
    public var onlineURL: String
    public var capacity: String
    /// Empty: the whole network; otherwise a group id.
    public var audienceGroup: String
    /// Empty: the member alone; otherwise the group offering it.
    public var onBehalfOfGroup: String

    public init(
        title: String = "", description: String = "", areas: [String] = [], facilitators: String = "",
        hostSchool: String = "", starts: String = "", timeZone: String = "", durationMinutes: String = "60",
        venue: String = "", onlineURL: String = "", capacity: String = "20", audienceGroup: String = "",
        onBehalfOfGroup: String = ""
    ) {
        self.title = title
        self.description = description
        self.areas = areas
        self.facilitators = facilitators
        self.hostSchool = hostSchool
        self.starts = starts
        self.timeZone = timeZone
        self.durationMinutes = durationMinutes
        self.venue = venue
        self.onlineURL = onlineURL
        self.capacity = capacity
        self.audienceGroup = audienceGroup
        self.onBehalfOfGroup = onBehalfOfGroup
    }
}

/// A member's place on a session: booked, waiting for a place, or cancelled.
///
/// ```swift
/// let booking = try cpd.book(sessionID: 4, memberID: 7)
/// if booking.status == .waiting { print("number \(booking.position ?? 0) on the waiting list") }
/// ```
public struct Booking: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case booked, waiting, cancelled }
    public var id: Int64
    public var sessionID: Int64
    public var memberID: Int64
    public var status: Status
    /// nil until the register is marked; then whether they came.
    public var attended: Bool?
    public var queuedAt: Date
    public var createdAt: Date
    /// Place on the waiting list (1 = next), for waiting bookings.
    public var position: Int?

    static func decode(_ row: Row) throws -> Booking {
        let attended: Int? = try row.optional("attended")
        return Booking(
            id: try row.value("id"), sessionID: try row.value("session_id"),
            memberID: try row.value("member_id"),
            status: Status(rawValue: try row.value("status")) ?? .cancelled,
            attended: attended.map { $0 != 0 },
            queuedAt: try row.value("queued_at"), createdAt: try row.value("created_at"), position: nil)
    }
}

/// What a member did for their professional development.
///
/// ```swift
/// RecordKind(rawValue: "lesson_observation")?.label  // "Lesson observation"
/// ```
public enum RecordKind: String, Sendable, CaseIterable {
    case course
    case collaborativeEnquiry = "collaborative_enquiry"
    case coaching
    case lessonObservation = "lesson_observation"
    case reading
    case other

    public var label: String {
        switch self {
        case .course: return "Course or session"
        case .collaborativeEnquiry: return "Collaborative enquiry"
        case .coaching: return "Coaching"
        case .lessonObservation: return "Lesson observation"
        case .reading: return "Reading"
        case .other: return "Other"
        }
    }
}

/// Whether an activity aims at pupils' learning directly or through the teacher.
///
/// ```swift
/// PupilFocus.direct.label  // "Direct focus on pupils"
/// ```
public enum PupilFocus: String, Sendable, CaseIterable {
    case direct, indirect
    public var label: String { self == .direct ? "Direct focus on pupils" : "Indirect focus on pupils" }
}

/// One entry of a member's personal CPD record.
///
/// ```swift
/// let entry = try cpd.addEntry(memberID: 7, RecordInput(title: "Read 'Teach Like a Champion'", date: "2026-10-01", hours: "3", kind: "reading"))
/// entry.hours  // 3.0
/// ```
public struct RecordEntry: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    /// Set for entries added when a session's register was marked.
    public var sessionID: Int64?
    public var title: String
    public var date: Date
    public var minutes: Int
    public var kind: RecordKind
    public var pupilFocus: PupilFocus
    public var standard: String
    public var evidenceURL: String
    public var reflection: String
    public var impact: String
    public var impactAt: Date?
    public var createdAt: Date

    public var hours: Double { Double(minutes) / 60 }

    static func decode(_ row: Row) throws -> RecordEntry {
        RecordEntry(
            id: try row.value("id"), memberID: try row.value("member_id"),
            sessionID: try row.optional("session_id"),
            title: try row.value("title"), date: try row.value("activity_date"),
            minutes: try row.value("minutes"),
            kind: RecordKind(rawValue: try row.value("kind")) ?? .other,
            pupilFocus: PupilFocus(rawValue: try row.value("pupil_focus")) ?? .indirect,
            standard: try row.value("standard"), evidenceURL: try row.value("evidence_url"),
            reflection: try row.value("reflection"), impact: try row.value("impact"),
            impactAt: try row.optional("impact_at"), createdAt: try row.value("created_at"))
    }
}

/// A member's own record entry as typed; the service parses and checks it.
///
/// ```swift
/// let input = RecordInput(title: "Coaching cycle", date: "2026-10-01", hours: "2", kind: "coaching", pupilFocus: "direct")
/// try cpd.addEntry(memberID: me.id, input)
/// ```
public struct RecordInput: Sendable {
    public var title: String
    /// "yyyy-MM-dd".
    public var date: String
    /// Decimal hours, e.g. "1.5".
    public var hours: String
    public var kind: String
    public var pupilFocus: String
    public var standard: String
    public var evidenceURL: String
    public var reflection: String

    public init(
        title: String = "", date: String = "", hours: String = "", kind: String = "course",
        pupilFocus: String = "indirect", standard: String = "", evidenceURL: String = "",
        reflection: String = ""
    ) {
        self.title = title
        self.date = date
        self.hours = hours
        self.kind = kind
        self.pupilFocus = pupilFocus
        self.standard = standard
        self.evidenceURL = evidenceURL
        self.reflection = reflection
    }
}

/// One member's tagged area of expertise.
///
/// ```swift
/// try cpd.setExpertise(memberID: me.id, ["Phonics": "RWI trainer"])
/// try cpd.expertise(of: me.id).first?.statement  // "RWI trainer"
/// ```
public struct Expertise: Sendable, Equatable {
    public var memberID: Int64
    public var area: String
    public var statement: String
}

/// A member listed by "find an expert in X".
///
/// ```swift
/// for expert in try cpd.experts(in: "SEND") { print(expert.name, expert.school ?? "") }
/// ```
public struct Expert: Sendable, Equatable {
    public var memberID: Int64
    public var handle: String
    public var name: String
    public var statement: String
    /// The member's answer to the "school" profile question, when that question exists.
    public var school: String?
}

/// Facilitators' view of how a session was received, never naming who said what.
///
/// ```swift
/// let summary = try cpd.evaluationSummary(sessionID: 4, by: facilitator)
/// summary.averageRating  // 4.5
/// ```
public struct EvaluationSummary: Sendable, Equatable {
    public var responses: Int
    public var averageRating: Double?
    /// Count of ratings 1…5 (index 0 is a rating of 1).
    public var distribution: [Int]
    public var changes: [String]
    public var followUps: Int
    public var averageReaction: Double?
    public var averageLearning: Double?
    public var averagePractice: Double?
    public var averageOutcomes: Double?
    public var impactComments: [String]
}

/// A hosted Open Badges 2.0 assertion of attendance, issued when the register is marked.
///
/// ```swift
/// let assertion = try cpd.assertion(sessionID: 4, memberID: 7)
/// let json = cpd.assertionJSON(assertion!, session: session)   // served at assertion.path
/// ```
public struct BadgeAssertion: Sendable, Equatable {
    public var id: Int64
    public var uid: String
    public var sessionID: Int64
    public var memberID: Int64
    public var salt: String
    /// "sha256$" + hex(sha256(lowercased email + salt)).
    public var identity: String
    public var issuedAt: Date
    public var revokedAt: Date?
    public var revocationReason: String

    public var path: String { "/cpd/badges/assertions/\(uid)" }

    static func decode(_ row: Row) throws -> BadgeAssertion {
        BadgeAssertion(
            id: try row.value("id"), uid: try row.value("uid"), sessionID: try row.value("session_id"),
            memberID: try row.value("member_id"), salt: try row.value("salt"),
            identity: try row.value("identity"),
            issuedAt: try row.value("issued_at"), revokedAt: try row.optional("revoked_at"),
            revocationReason: try row.value("revocation_reason"))
    }
}

/// Leaders' report over a date range: the partnership's give-and-take.
///
/// ```swift
/// let report = try cpd.report(from: start, to: end)
/// let csv = CPDService.reportCSV(report)
/// ```
public struct CPDReport: Sendable, Equatable {
    public struct SchoolRow: Sendable, Equatable {
        public var school: String
        public var participants: Int
        public var entries: Int
        public var minutes: Int
        public var sessionsOffered: Int
        /// Places taken at this school's sessions by members of other schools.
        public var placesGiven: Int
        /// Places this school's members took at other schools' sessions.
        public var placesTaken: Int
    }
    public struct AreaRow: Sendable, Equatable {
        public var area: String
        public var sessions: Int
        public var participants: Int
        public var minutes: Int
    }
    public var from: Date
    public var to: Date
    public var schools: [SchoolRow]
    public var areas: [AreaRow]
}

/// Formats hours the way people write them: "1.5", "2", "0.75".
enum Hours {
    static func text(minutes: Int) -> String {
        let hours = Double(minutes) / 60
        if minutes % 60 == 0 { return String(minutes / 60) }
        var text = String(format: "%.2f", hours)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// "1 hour", "1.5 hours", "2 hours": the number with its unit, for sentences.
    static func phrase(minutes: Int) -> String {
        minutes == 60 ? "1 hour" : "\(text(minutes: minutes)) hours"
    }
}
