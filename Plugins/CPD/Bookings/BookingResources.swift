import Foundation
import Kernel
import Membership

// The JSON the API answers and accepts for bookings and the attendance register.

extension Booking.Status: APIEnum {}

/// A booking as the API shows it; facilitators' lists add who booked.
struct BookingResponse: APIModel {
    var id: Int64
    var sessionID: Int64
    var memberID: Int64
    var status: Booking.Status
    var position: Int?
    var attended: Bool?
    var bookedAt: Date
    /// Only in the lists facilitators see.
    var handle: String?
    var name: String?

    static let schemaName = "CPDBooking"
    static let schemaDescription: String? = "A place on a session: booked, waiting or cancelled."
    static let fieldHints: [String: SchemaHint] = [
        "position": .description("Place on the waiting list (1 = next); null unless waiting."),
        "attended": .description("Null until the register is marked."),
        "handle": .description("Who booked; only in the list facilitators see."),
        "name": .description("Who booked; only in the list facilitators see."),
    ]

    init(_ booking: Booking, member: Member? = nil) {
        id = booking.id
        sessionID = booking.sessionID
        memberID = booking.memberID
        status = booking.status
        position = booking.position
        attended = booking.attended
        bookedAt = booking.createdAt
        handle = member?.handle
        name = member?.name
    }

    private enum CodingKeys: String, CodingKey {
        case id, sessionID, memberID, status, position, attended, bookedAt, handle, name
    }

    // As the synthesized one, but who booked is left out unless it is known.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(memberID, forKey: .memberID)
        try container.encode(status, forKey: .status)
        try container.encode(position, forKey: .position)
        try container.encode(attended, forKey: .attended)
        try container.encode(bookedAt, forKey: .bookedAt)
        if let handle, let name {
            try container.encode(handle, forKey: .handle)
            try container.encode(name, forKey: .name)
        }
    }
}

/// One line of the attendance register.
struct RegisterEntryResponse: APIModel {
    var memberID: Int64
    var handle: String
    var name: String
    var attended: Bool?

    static let schemaName = "CPDRegisterEntry"
    static let fieldHints: [String: SchemaHint] = [
        "attended": .description("Null until the register is marked.")
    ]
}

/// The members present; everyone else booked is marked absent.
struct AttendanceRequest: APIModel {
    var present: [Int64]

    static let schemaName = "CPDAttendanceInput"
    static let fieldHints: [String: SchemaHint] = [
        "present": .init(description: "Member ids.", message: "Give the ids of the members present.")
    ]
}
