import Foundation
import Kernel

// The JSON the API answers and accepts for sessions. Each type is its own OpenAPI schema: the
// document is derived from these declarations, so change the JSON here and the document follows.

extension CPDSession.Status: APIEnum {}

/// A session as the API shows it.
struct SessionResponse: APIModel {
    var id: Int64
    var title: String
    var description: String
    var areas: [String]
    var organiserID: Int64
    var facilitatorIDs: [Int64]
    var groupID: Int64?
    var audienceGroupID: Int64?
    var hostSchool: String
    var startsAt: Date
    var timeZone: String
    var startsLocal: String
    var durationMinutes: Int
    var venue: String
    var onlineURL: String
    var capacity: Int
    var status: CPDSession.Status
    var sequence: Int
    var bookingClosesAt: Date
    var url: String
    /// Left out (not null) where the answer does not count places: a cancelled session.
    var placesTaken: Int?
    var waiting: Int?

    static let schemaName = "CPDSession"
    static let schemaDescription: String? = "A CPD session."
    static let fieldHints: [String: SchemaHint] = [
        "groupID": .description("The group offering it, if any."),
        "audienceGroupID": .description(
            "Only this group's members may see and book it; null: the whole network."),
        "startsAt": .description("The start as a UTC instant."),
        "timeZone": .description("The IANA zone the session happens in."),
        "startsLocal": .description("The start in the session's zone, as the pages show it."),
        "onlineURL": .description("The online link; empty for visitors and when there is none."),
        "sequence": .description("Raised on every change calendar clients must notice (RFC 5545 SEQUENCE)."),
        "bookingClosesAt": .description("When booking closes."),
        "url": .description("The session's page, relative to the network's address."),
        "placesTaken": .description("Places booked; left out when the session is cancelled."),
        "waiting": .description("Members on the waiting list; left out when the session is cancelled."),
    ]

    /// `forMember`: visitors never get the online link.
    init(
        _ session: CPDSession, cpd: CPDService, taken: (booked: Int, waiting: Int)? = nil,
        forMember: Bool = true
    ) {
        id = session.id
        title = session.title
        description = session.description
        areas = session.areas
        organiserID = session.organiserID
        facilitatorIDs = session.facilitatorIDs
        groupID = session.groupID
        audienceGroupID = session.audienceGroupID
        hostSchool = session.hostSchool
        startsAt = session.startsAt
        timeZone = session.timeZone
        startsLocal = CPDService.format(session.startsAt, of: session, style: .long)
        durationMinutes = session.durationMinutes
        venue = session.venue
        onlineURL = forMember ? session.onlineURL : ""
        capacity = session.capacity
        status = session.status
        sequence = session.sequence
        bookingClosesAt = cpd.bookingClosesAt(session)
        url = session.path
        placesTaken = taken?.booked
        waiting = taken?.waiting
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, description, areas, organiserID
        case facilitatorIDs = "facilitator_ids"
        case groupID, audienceGroupID, hostSchool, startsAt, timeZone, startsLocal, durationMinutes, venue
        case onlineURL, capacity, status, sequence, bookingClosesAt, url, placesTaken, waiting
    }

    // As the synthesized one, but the place counts are left out when there are none.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(areas, forKey: .areas)
        try container.encode(organiserID, forKey: .organiserID)
        try container.encode(facilitatorIDs, forKey: .facilitatorIDs)
        try container.encode(groupID, forKey: .groupID)
        try container.encode(audienceGroupID, forKey: .audienceGroupID)
        try container.encode(hostSchool, forKey: .hostSchool)
        try container.encode(startsAt, forKey: .startsAt)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(startsLocal, forKey: .startsLocal)
        try container.encode(durationMinutes, forKey: .durationMinutes)
        try container.encode(venue, forKey: .venue)
        try container.encode(onlineURL, forKey: .onlineURL)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(status, forKey: .status)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(bookingClosesAt, forKey: .bookingClosesAt)
        try container.encode(url, forKey: .url)
        if let placesTaken, let waiting {
            try container.encode(placesTaken, forKey: .placesTaken)
            try container.encode(waiting, forKey: .waiting)
        }
    }
}

/// A page of sessions, soonest first; `next` is the cursor of the page after.
struct SessionPage: APIModel {
    var items: [SessionResponse]
    var next: String?

    static let schemaName = "CPDSessionPage"
    static let schemaDescription: String? = "A page of CPD sessions."
    static let fieldHints: [String: SchemaHint] = [
        "next": .description("Pass it back as `after` to fetch the next page; null on the last page.")
    ]
}

/// What a client sends to offer a session or change one. Left out: empty when offering (and the
/// service names what is missing), unchanged when changing.
struct SessionRequest: APIModel {
    var title: String?
    var description: String?
    var areas: [String]?
    var facilitators: [String]?
    var hostSchool: String?
    var starts: String?
    var timeZone: String?
    var durationMinutes: Int?
    var venue: String?
    var onlineURL: String?
    var capacity: Int?
    var audienceGroupID: Int64?
    var groupID: Int64?

    static let schemaName = "CPDSessionInput"
    static let fieldHints: [String: SchemaHint] = [
        "title": .description("Required when offering."),
        "description": .description("Markdown."),
        "facilitators": .description("Handles of co-facilitators; the organiser always facilitates."),
        "hostSchool": .description("Empty: the organiser's school."),
        "starts": .description("Local wall-clock time, YYYY-MM-DDTHH:MM; required when offering."),
        "timeZone": .description("IANA zone; default the network's."),
        "durationMinutes": .description("Required when offering."),
        "capacity": .description("Places; required when offering."),
        "audienceGroupID": .description("Only this group's members may see it (when offering)."),
        "groupID": .description("Offered on behalf of this group (when offering)."),
    ]

    /// The service's input: `base` with the fields this request sets.
    func applied(to base: SessionInput) -> SessionInput {
        var input = base
        if let title { input.title = title }
        if let description { input.description = description }
        if let areas { input.areas = areas }
        if let facilitators { input.facilitators = facilitators.joined(separator: ",") }
        if let hostSchool { input.hostSchool = hostSchool }
        if let starts { input.starts = starts }
        if let timeZone { input.timeZone = timeZone }
        if let durationMinutes { input.durationMinutes = String(durationMinutes) }
        if let venue { input.venue = venue }
        if let onlineURL { input.onlineURL = onlineURL }
        if let capacity { input.capacity = String(capacity) }
        if let audienceGroupID { input.audienceGroup = String(audienceGroupID) }
        if let groupID { input.onBehalfOfGroup = String(groupID) }
        return input
    }
}

/// Why a session is cancelled (an optional body).
struct CancelSessionRequest: APIModel {
    var reason: String?

    static let schemaName = "CPDCancellation"
}

/// The filters and page of the session list.
struct SessionListQuery: APIQuery {
    var area: String?
    var after: String?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "area": .description("Only sessions in this area of expertise."),
        "after": .description("Cursor from the previous page's `next`."),
        "limit": .description("Sessions per page (default 20)."),
    ]
}
