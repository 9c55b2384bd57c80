import Foundation
import Kernel
import Membership
import Storage

/// CPD's domain operations, shared by pages, the JSON API, feeds and the console. Every change
/// is one `database.write` with its activity entry, mail and events, so they commit together.
///
/// ```swift
/// let cpd = services.service(CPDService.self)!
/// let session = try cpd.offer(input, by: organiser)
/// let booking = try cpd.book(sessionID: session.id, memberID: attendee.id)
/// ```
public final class CPDService: Sendable {
    public let services: Services
    public let membership: MembershipService
    /// The taxonomy from the `expertise_areas` setting.
    public let areas: [String]
    public let followUpWeeks: Int
    public let bookingCutoffHours: Int
    /// The network's zone (config network.time_zone), the default for new sessions.
    public let defaultTimeZone: String
    /// The profile question that holds a member's school, when the deployment asks it.
    public let schoolQuestionID: String?

    public static let followUpJob = "cpd.follow_up"
    public static let maximumCapacity = 10_000

    public init(services: Services, membership: MembershipService) {
        self.services = services
        self.membership = membership
        let settings = services.settings(of: CPDModule.manifest)
        areas = settings.strings("expertise_areas")
        followUpWeeks = settings.int("follow_up_weeks")
        bookingCutoffHours = settings.int("booking_cutoff_hours")
        let zone = services.config.string("network", "time_zone")
        defaultTimeZone = TimeZone(identifier: zone) != nil ? zone : "UTC"
        schoolQuestionID = membership.questions.contains { $0.id == "school" } ? "school" : nil
    }

    var database: Database { services.database }
    var now: Date { services.clock.now }

    // MARK: Visibility

    /// Who is looking, with group memberships from the groups module when it is enabled.
    public func viewer(memberID: Int64?, isModerator: Bool = false) -> Viewer {
        guard let memberID else { return .anonymous }
        let groups = services.service(GroupScopesBox.self)?.scopes.groupIDs(of: memberID) ?? []
        return Viewer(memberID: memberID, isModerator: isModerator, groupIDs: groups)
    }

    /// Whether `viewer` may see `session`. Group-audience sessions: the group's members and the
    /// people running it; with the groups module disabled nobody's groups are known, so only
    /// those running it. Hidden (moderated) sessions: those running it and moderators.
    public func canSee(_ session: CPDSession, viewer: Viewer) -> Bool {
        if session.isRunBy(viewer.memberID) { return true }
        if session.hidden && !viewer.isModerator { return false }
        guard let group = session.audienceGroupID else { return true }
        return viewer.groupIDs.contains(group)
    }

    /// The SQL condition (on alias `s`) matching what `viewer` may see, and its arguments.
    func visibleCondition(_ viewer: Viewer) -> (String, [any DatabaseValueConvertible]) {
        guard let memberID = viewer.memberID else {
            return ("(s.audience_group_id IS NULL AND s.hidden = 0)", [])
        }
        let groups = "[" + viewer.groupIDs.map(String.init).joined(separator: ",") + "]"
        let runs =
            "(s.organiser_id = ? OR EXISTS (SELECT 1 FROM cpd_facilitators f WHERE f.session_id = s.id AND f.member_id = ?))"
        return (
            """
            (\(runs) OR ((s.hidden = 0 OR ?) AND (s.audience_group_id IS NULL
                OR s.audience_group_id IN (SELECT value FROM json_each(?)))))
            """, [memberID, memberID, viewer.isModerator, groups]
        )
    }

    /// The activity scope matching a session's audience.
    func scope(of session: CPDSession, public isPublic: Bool) -> ActivityScope {
        if let group = session.audienceGroupID { return .group(group) }
        return isPublic ? .public : .members
    }

    // MARK: Formatting

    public enum DateStyle { case long, short, day }

    /// A date shown in the session's own zone, with the zone's abbreviation.
    public static func format(_ date: Date, zone: TimeZone, style: DateStyle) -> String {
        format(date, calendar: ZoneCalendar.shared(zone), style: style)
    }

    /// The same for a session: its zone by name (lists format one date per session).
    public static func format(_ date: Date, of session: CPDSession, style: DateStyle) -> String {
        format(date, calendar: ZoneCalendar.shared(identifier: session.timeZone), style: style)
    }

    static func format(_ date: Date, calendar: ZoneCalendar, style: DateStyle) -> String {
        switch style {
        case .long: return calendar.string(date, .weekdayDayMonthYearTimeZone)
        case .short: return calendar.string(date, .dayShortMonthYearTimeZone)
        case .day: return calendar.string(date, .dayMonthYear)
        }
    }
}
