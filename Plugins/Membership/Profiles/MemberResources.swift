import Foundation
import Kernel

// The JSON the API answers and accepts for members and their profiles. Each type is its own
// OpenAPI schema: the document is derived from these declarations. Other modules' tests read
// this JSON too: keep its keys and their order.

// The kernel declares the role; membership is where the API shows it.
extension Member.Status: APIEnum {}
extension MembershipService.DirectoryOrder: APIEnum {}

/// A member as the API shows them. `email` is only in your own record; `bio` and `answers` only
/// where one member is shown (not in lists). Absent keys are left out, not null.
struct MemberResponse: APIModel {
    var id: Int64
    var handle: String
    var name: String
    var role: MemberRole
    var status: Member.Status
    var joinedAt: Date
    var url: String
    var email: String?
    var bio: String?
    var answers: [String: String]?

    static let schemaName = "Member"
    static let schemaDescription: String? = "A member of the network."
    static let fieldHints: [String: SchemaHint] = [
        "url": .description("The member's profile page, relative to the network's address."),
        "email": .description("Only in your own record."),
        "bio": .description("Only where one member is shown."),
        "answers": .description(
            "Answers to the network's profile questions, by question id; only where one member is shown."),
    ]

    init(_ member: Member, answers: [String: String]? = nil, includeEmail: Bool = false) {
        id = member.id
        handle = member.handle
        name = member.name
        role = member.role
        status = member.status
        joinedAt = member.createdAt
        url = member.profilePath
        email = includeEmail ? member.email : nil
        bio = answers == nil ? nil : member.bio
        self.answers = answers
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(handle, forKey: .handle)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(status, forKey: .status)
        try container.encode(joinedAt, forKey: .joinedAt)
        try container.encode(url, forKey: .url)
        // Left out rather than null, as the API always answered.
        if let email { try container.encode(email, forKey: .email) }
        if let bio { try container.encode(bio, forKey: .bio) }
        if let answers { try container.encode(answers, forKey: .answers) }
    }
}

/// A page of the member directory; `next` is the handle to pass as `after`.
struct MemberPage: APIModel {
    var items: [MemberResponse]
    var next: String?

    static let schemaName = "MemberPage"
    static let schemaDescription: String? = "A page of the member directory."
    static let fieldHints: [String: SchemaHint] = [
        "next": .description("Pass it back as `after` to fetch the next page; null on the last page.")
    ]
}

/// The order, search and page of the member directory.
struct MemberListQuery: APIQuery {
    var sort: MembershipService.DirectoryOrder?
    var after: String?
    var limit: Int?
    var q: String?
    var school: String?
    var role: String?
    var subjects: String?
    var keyStage: String?
    var expertise: String?
    var otherSchool: Bool?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "sort": .description("Newest first (the default) or by name. Filtered lists are always by name."),
        "after": .description("Handle of the last member of the previous page (`next`)."),
        "limit": .description("Members per page (default 24)."),
        "q": .description(
            "Only members whose name or handle contains this; with a filter, whose entry holds these words."),
        "school": .description("Only members who gave this answer to the profile question `school`."),
        "role": .description("Only members who gave this answer to the profile question `role`."),
        "subjects": .description("Only members who teach this subject (profile question `subjects`)."),
        "keyStage": .description("Only members who chose this key stage (profile question `key_stage`)."),
        "expertise": .description("Only members with this CPD expertise area."),
        "otherSchool": .description("Only members in another school than the caller's (signed-in callers)."),
    ]

    /// The directory filters chosen: profile answers by question id, then CPD expertise.
    var facets: [SearchFacet] {
        let answers: [(String, String?)] = [
            ("school", school), ("role", role), ("subjects", subjects), ("key_stage", keyStage),
            (DirectoryFilters.expertise, expertise),
        ]
        return answers.compactMap { name, value in
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return SearchFacet(name, value)
        }
    }
}

/// Changes to your own profile; fields left out keep their value, answers left out keep theirs.
struct ProfileUpdateRequest: APIModel {
    var name: String?
    var handle: String?
    var bio: String?
    var answers: [String: AnswerText]?

    static let schemaName = "MemberProfileUpdate"
    static let schemaDescription: String? = "Changes to your profile; what is left out stays as it is."
    static let fieldHints: [String: SchemaHint] = [
        "answers": .description("Answers to the profile questions, by question id.")
    ]
}

/// An answer to a profile question: a string, or a list of the options chosen.
struct AnswerText: Codable, Sendable, APICustomSchema {
    var text: String

    static let jsonSchema: JSONValue = [
        "anyOf": [
            ["type": "string"],
            ["type": "array", "items": ["type": "string"], "description": "The options chosen."],
        ]
    ]
    static let schemaPlaceholder = AnswerText(text: "")

    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            text = list.joined(separator: "\n")
        } else {
            text = try container.decode(String.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
