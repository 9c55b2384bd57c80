import Foundation
import Kernel

// The JSON the API answers and accepts for groups. Each type is its own OpenAPI schema: the
// document is derived from these declarations, so change the JSON here and the document follows.

extension GroupVisibility: APIEnum {}
extension GroupRole: APIEnum {}
extension GroupMembershipState: APIEnum {}

/// A group. `membership` is there only for a signed-in caller, `leaders` only on the group's own
/// address (both are left out, not null, otherwise).
struct GroupResponse: APIModel {
    var id: Int64
    var slug: String
    var name: String
    var description: String
    var category: String
    var visibility: GroupVisibility
    var memberCount: Int
    var imageURL: String?
    var url: String
    var createdAt: Date
    var lastActivityAt: Date
    var membership: GroupStandingResponse?
    var leaders: [MembershipResponse]?

    static let schemaName = "Group"
    static let schemaDescription: String? = "A group."
    static let fieldHints: [String: SchemaHint] = [
        "description": .description("Markdown."),
        "imageURL": .description("The group's picture; null when it has none."),
        "url": .description("The group's page, relative to the network's address."),
        "membership": .description("The caller's standing, when signed in (left out otherwise)."),
        "leaders": .description(
            "The owner and chairs, on GET /api/v1/groups/{slug} only (left out elsewhere)."),
    ]

    init(_ group: Group, access: GroupAccess?, leaders: [GroupMembership]? = nil) {
        id = group.id
        slug = group.slug
        name = group.name
        description = group.description
        category = group.category
        visibility = group.visibility
        memberCount = group.memberCount
        imageURL = group.hasImage ? "\(group.path)/image" : nil
        url = group.path
        createdAt = group.createdAt
        lastActivityAt = group.lastActivityAt
        if let access, access.isSignedIn {
            membership = GroupStandingResponse(state: access.state, role: access.isMember ? access.role : nil)
        }
        self.leaders = leaders?.map(MembershipResponse.init)
    }

    // `membership` and `leaders` are left out when nil, as the API always answered.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(category, forKey: .category)
        try container.encode(visibility, forKey: .visibility)
        try container.encode(memberCount, forKey: .memberCount)
        try container.encodeIfPresent(imageURL, forKey: .imageURL)
        try container.encode(url, forKey: .url)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastActivityAt, forKey: .lastActivityAt)
        if let membership { try container.encode(membership, forKey: .membership) }
        if let leaders { try container.encode(leaders, forKey: .leaders) }
    }
}

/// Where the caller stands with a group: `state` null when not in it, `role` only for members.
struct GroupStandingResponse: APIModel {
    var state: GroupMembershipState?
    var role: GroupRole?

    static let schemaName = "GroupStanding"
}

/// What a client sends to create a group or change one. Fields left out are empty on a new
/// group (the service names what is missing) and keep their value on a change.
struct GroupRequest: APIModel {
    var name: String?
    var slug: String?
    var description: String?
    var category: String?
    var visibility: GroupVisibility?

    static let schemaName = "GroupInput"
    static let fieldHints: [String: SchemaHint] = [
        "name": .init(maxLength: 80),
        "slug": .description("The group's address; derived from the name when left out. Only on creation."),
        "description": .description("Markdown."),
        "category": .description("One of the network's group categories."),
        "visibility": .init(message: "visibility is public, private or hidden."),
    ]

    /// The draft the service takes: this request's fields over `base` (nil: a new group).
    func draft(base: Group?) -> GroupsService.Draft {
        GroupsService.Draft(
            name: name ?? base?.name ?? "", slug: slug ?? "",
            description: description ?? base?.description ?? "",
            category: category ?? base?.category ?? "", visibility: visibility ?? base?.visibility)
    }
}

/// The directory's filters and page.
struct DirectoryQuery: APIQuery {
    var q: String?
    var category: String?
    var mine: Bool?
    var after: String?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "q": .description("Part of the name."),
        "mine": .description("Only your groups, requests and invitations (all of them, on one page)."),
        "after": .description("Slug of the last group of the previous page (its `next`)."),
        "limit": .description("Groups per page (default 24)."),
    ]
}
