import Kernel

// The JSON the API answers and accepts for the expertise directory.

/// An area of the taxonomy and how many members list it.
struct ExpertiseAreaResponse: APIModel {
    var area: String
    var experts: Int

    static let schemaName = "CPDExpertiseArea"
}

/// A member who lists expertise in an area.
struct ExpertResponse: APIModel {
    var memberID: Int64
    var handle: String
    var name: String
    var statement: String
    var school: String?

    static let schemaName = "CPDExpert"
    static let fieldHints: [String: SchemaHint] = [
        "school": .description("Their answer to the school profile question; null when there is none.")
    ]

    init(_ expert: Expert) {
        memberID = expert.memberID
        handle = expert.handle
        name = expert.name
        statement = expert.statement
        school = expert.school
    }
}

/// The taxonomy with counts (`areas`), or, asked for one area, that `area` and its experts
/// (`items`). Keys that do not apply are left out.
struct ExpertiseResponse: APIModel {
    var area: String?
    var items: [ExpertResponse]?
    var areas: [ExpertiseAreaResponse]?

    static let schemaName = "CPDExpertise"
    static let schemaDescription: String? = "The taxonomy with counts, or the experts in one area."
    static let fieldHints: [String: SchemaHint] = [
        "area": .description("The area asked for; left out for the taxonomy."),
        "items": .description("The experts in the area asked for; left out for the taxonomy."),
        "areas": .description("The taxonomy with counts; left out when an area is asked for."),
    ]

    private enum CodingKeys: String, CodingKey { case area, items, areas }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let area { try container.encode(area, forKey: .area) }
        if let items { try container.encode(items, forKey: .items) }
        if let areas { try container.encode(areas, forKey: .areas) }
    }
}

/// The area of the expert search.
struct ExpertiseQuery: APIQuery {
    var area: String?

    static let fieldHints: [String: SchemaHint] = [
        "area": .description("List the experts in this area (one of the taxonomy's); else the taxonomy.")
    ]
}

/// One area of your expertise.
struct ExpertiseItemRequest: APIModel {
    var area: String
    var statement: String?

    static let schemaName = "CPDExpertiseItemInput"
    static let fieldHints: [String: SchemaHint] = [
        "area": .description("One of the taxonomy's areas."),
        "statement": .init(maxLength: 280),
    ]
}

/// Your areas of expertise, replacing those you had.
struct ExpertiseRequest: APIModel {
    var items: [ExpertiseItemRequest]?

    static let schemaName = "CPDExpertiseInput"
}
