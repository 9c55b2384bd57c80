import Foundation
import Kernel
import Membership
import Storage

extension GroupsService {
    // MARK: Finding groups

    /// One page of the directory, by name: listed groups plus hidden ones the viewer belongs
    /// to, narrowed by a name search and a category. `after` is the last group of the previous page.
    public func directory(
        for member: SignedInMember?, search: String? = nil, category: String? = nil, limit: Int = 24,
        after: Group? = nil
    ) throws -> [Group] {
        var conditions = [
            """
            (g.visibility <> 'hidden' OR EXISTS (SELECT 1 FROM groups_member gm WHERE gm.group_id = g.id
                AND gm.member_id = ? AND gm.state = 'active'))
            """,
            "(g.hidden = 0 OR g.owner_id = ? OR ?)",
        ]
        var arguments: [any DatabaseValueConvertible] = [
            member?.id ?? 0, member?.id ?? 0, member?.isModerator ?? false,
        ]
        if let category, !category.isEmpty {
            conditions.append("g.category = ?")
            arguments.append(category)
        }
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            conditions.append("g.name LIKE ? ESCAPE '\\'")
            arguments.append("%" + Self.escapeLike(search) + "%")
        }
        if let after {
            conditions.append("(g.name > ? COLLATE NOCASE OR (g.name = ? COLLATE NOCASE AND g.id > ?))")
            arguments += [after.name, after.name, after.id]
        }
        arguments.append(PageSize.clamp(limit, to: 101))
        return try database.read { db in
            try db.query(
                """
                SELECT \(Group.columns) FROM groups_group g WHERE \(conditions.joined(separator: " AND "))
                ORDER BY g.name COLLATE NOCASE, g.id LIMIT ?
                """, arguments, Group.decode)
        }
    }

    /// The group a directory page continues after — only one the viewer may see, so a cursor
    /// cannot be used to probe whether a hidden group's address exists.
    public func directoryCursor(slug: String?, for member: SignedInMember?) -> Group? {
        guard let slug, let (group, _) = try? visibleGroup(slug: slug, for: member) else { return nil }
        return group
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// A member's groups with their row in each: memberships, open requests and invitations.
    public func groups(of memberID: Int64, limit: Int = 200) throws -> [(
        group: Group, membership: GroupMembership
    )] {
        try database.read { db in
            try db.query(
                """
                SELECT \(Group.columns), \(GroupMembership.columns) FROM groups_member gm
                JOIN groups_group g ON g.id = gm.group_id JOIN membership_people m ON m.id = gm.member_id
                WHERE gm.member_id = ? AND gm.state IN ('active', 'requested', 'invited')
                ORDER BY g.name COLLATE NOCASE, g.id LIMIT ?
                """, [memberID, limit]
            ) { row in (try Group.decode(row), try GroupMembership.decode(row)) }
        }
    }

    // MARK: Creating and editing

    /// What a group is made of, as submitted.
    public struct Draft: Sendable, Equatable {
        public var name: String
        /// Derived from the name when empty.
        public var slug: String
        public var description: String
        public var category: String
        public var visibility: GroupVisibility?

        public init(
            name: String, slug: String = "", description: String = "", category: String,
            visibility: GroupVisibility?
        ) {
            self.name = name
            self.slug = slug
            self.description = description
            self.category = category
            self.visibility = visibility
        }
    }

    public func canCreate(_ actor: SignedInMember?) -> Bool {
        guard let actor, actor.mayWrite else { return false }
        return whoCanCreate == "members" || actor.isAdmin
    }

    /// A URL-safe slug from a name: "Year 6 Maths — Cluster A" → "year-6-maths-cluster-a".
    public static func deriveSlug(from name: String) -> String {
        var slug = Handle.derive(from: name)
        if slug.hasPrefix("member-") || slug == "member" {
            // Handle.derive pads short names with "member"; a group wants "group".
            slug = "group" + slug.dropFirst("member".count)
        }
        if reservedSlugs.contains(slug) { slug = "group-" + slug }
        return slug
    }

    /// One answer for every web address that cannot be had: reserved by the site, or used by a
    /// group, visible or hidden. "Another group uses it" would tell a member that a hidden group
    /// they cannot see exists at that address. A typed address is refused rather than swapped
    /// for a free one, since the member typed it to print or share it.
    static let unavailableSlug = "That web address is not available. Choose another."

    public static func slugProblem(_ slug: String) -> String? {
        if slug.count < 2 || slug.count > 60 { return "A web address is 2 to 60 characters long." }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        if !slug.allSatisfy({ allowed.contains($0) }) {
            return "Use only lowercase letters, digits and hyphens."
        }
        if slug.hasPrefix("-") || slug.hasSuffix("-") {
            return "Start and end the web address with a letter or digit."
        }
        if reservedSlugs.contains(slug) { return unavailableSlug }
        return nil
    }

    private func validate(_ draft: Draft, requireSlugRules: Bool) -> (Validation, Draft) {
        var check = Validation()
        var clean = draft
        clean.name = check.requiredSingleLine(
            draft.name, field: "name", label: "Name", maxLength: Self.maximumNameLength)
        clean.description = check.optional(
            draft.description, field: "description", label: "Description",
            maxLength: Self.maximumDescriptionLength)
        clean.slug = draft.slug.trimmingCharacters(in: .whitespaces).lowercased()
        if requireSlugRules, !clean.slug.isEmpty, let problem = Self.slugProblem(clean.slug) {
            check.add("slug", problem)
        }
        if !categories.contains(draft.category) {
            check.add(
                "category",
                categories.isEmpty ? "No categories are configured." : "Choose one of the categories.")
        }
        if draft.visibility == nil { check.add("visibility", "Choose who can see the group.") }
        return (check, clean)
    }

    /// Creates a group with `actor` as its owner.
    public func create(_ draft: Draft, by actor: SignedInMember, image: [UInt8]? = nil) throws -> Group {
        try actor.requireMayWrite()
        guard canCreate(actor) else {
            throw DomainError.forbidden("Only administrators can create groups on this network.")
        }
        var (check, clean) = validate(draft, requireSlugRules: true)
        var imageType: String?
        if let image, !image.isEmpty {
            do { imageType = try Self.validateImage(image) } catch DomainError.invalid(let errors) {
                for error in errors { check.add(error.field, error.message) }
            }
        }
        try check.finish()
        let visibility = clean.visibility ?? .private
        let now = self.now
        return try database.write { db in
            let derived = clean.slug.isEmpty
            var slug = derived ? Self.deriveSlug(from: clean.name) : clean.slug
            if try slugTaken(slug, in: db) {
                if !derived {
                    throw DomainError.invalid([FieldError(field: "slug", message: Self.unavailableSlug)])
                }
                let base = slug
                var suffix = 2
                while try slugTaken("\(base)-\(suffix)", in: db) { suffix += 1 }
                slug = "\(base)-\(suffix)"
            }
            try db.execute(
                """
                INSERT INTO groups_group (slug, name, description, category, visibility, owner_id, member_count,
                    created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                """,
                [
                    slug, clean.name, clean.description, clean.category, visibility.rawValue, actor.id, now,
                    now, now,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                "INSERT INTO groups_member (group_id, member_id, role, state, created_at) VALUES (?, ?, 'owner', 'active', ?)",
                [id, actor.id, now])
            if let image, let imageType {
                try db.execute(
                    "INSERT INTO groups_image (group_id, content_type, bytes, updated_at) VALUES (?, ?, ?, ?)",
                    [id, imageType, image, now])
            }
            guard let group = try group(id: id, in: db) else { throw DomainError.notFound }
            try record(
                group: group, actorID: actor.id, actorName: actor.name, actorHandle: actor.handle,
                verb: "created",
                objectKind: "group", objectID: group.id, objectTitle: group.name, objectURL: group.path,
                in: db)
            try services.contentCreated(
                ContentSubmission(module: "groups", kind: "group", id: id, authorID: actor.id), in: db)
            return group
        }
    }

    func slugTaken(_ slug: String, in db: Connection) throws -> Bool {
        try db.scalar("SELECT 1 FROM groups_group WHERE slug = ?", [slug], as: Int.self) != nil
    }

    /// Changes name, description, category and visibility (chairs and the owner). The slug
    /// stays: links to the group keep working. A visibility change re-scopes the group's
    /// existing activity in the same transaction, so nothing is visible for a moment to the wrong people.
    public func update(groupID: Int64, _ draft: Draft, by actor: SignedInMember) throws -> Group {
        let (check, clean) = validate(draft, requireSlugRules: false)
        try check.finish()
        let now = self.now
        return try database.write { db in
            guard let before = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(before, actor, in: db)
            let visibility = clean.visibility ?? before.visibility
            try db.execute(
                "UPDATE groups_group SET name = ?, description = ?, category = ?, visibility = ?, updated_at = ? WHERE id = ?",
                [clean.name, clean.description, clean.category, visibility.rawValue, now, groupID])
            if visibility != before.visibility {
                try rescopeActivity(groupID: groupID, visibility: visibility, in: db)
            }
            if clean.name != before.name {
                try services.activity.update(
                    .object("group", id: groupID), ActivityUpdate(objectTitle: clean.name), in: db)
            }
            try services.events.publish(
                ContentEvent(
                    module: "groups", kind: "group", id: groupID, authorID: actor.id, action: .updated),
                in: db)
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            return group
        }
    }

    /// Moves every activity entry of the group to the scope its visibility now calls for.
    func rescopeActivity(groupID: Int64, visibility: GroupVisibility, in db: Connection) throws {
        try services.activity.update(
            .context(.group(groupID)).inModule("groups"),
            ActivityUpdate(scope: visibility.activityScope(groupID: groupID)), in: db)
    }

    /// Deletes a group with its discussions and activity. `actor` nil means an administrator at
    /// the console; otherwise only the owner (or a site administrator) may.
    public func delete(groupID: Int64, by actor: SignedInMember?) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            if let actor, !actor.isAdmin {
                let access = try access(to: group, for: actor, in: db)
                guard access.canSeeGroup else { throw DomainError.notFound }
                guard access.isOwner else {
                    throw DomainError.forbidden("Only the group's owner can delete the group.")
                }
            }
            try deleteGroup(group, in: db)
        }
    }

    /// Deletes `group` with its discussions and activity inside the caller's transaction (the
    /// owner's request above, or a moderator's action on a reported group).
    func deleteGroup(_ group: Group, in db: Connection) throws {
        let groupID = group.id
        let discussions = try db.query(
            "SELECT id, author_id FROM groups_discussion WHERE group_id = ?", [groupID]
        ) { (try $0.value("id") as Int64, try $0.optional("author_id") as Int64?) }
        try services.activity.deleteEntries(.context(.group(groupID)), in: db)
        try db.execute("DELETE FROM groups_group WHERE id = ?", [groupID])
        for (id, author) in discussions {
            try services.events.publish(
                ContentEvent(
                    module: "groups", kind: "group_discussion", id: id, authorID: author, action: .deleted),
                in: db)
        }
        try services.events.publish(
            ContentEvent(
                module: "groups", kind: "group", id: groupID, authorID: group.ownerID, action: .deleted),
            in: db)
        try services.events.publish(GroupDeleted(groupID: groupID), in: db)
    }

    /// Every group, hidden ones included, by name — for administrators at the console.
    public func allGroups(category: String? = nil, needsOwner: Bool = false, limit: Int = 100) throws
        -> [Group]
    {
        try database.read { db in
            try db.query(
                """
                SELECT \(Group.columns) FROM groups_group g WHERE (? IS NULL OR g.category = ?)
                    AND (? = 0 OR g.owner_id IS NULL) ORDER BY g.name COLLATE NOCASE, g.id LIMIT ?
                """, [category, category, needsOwner, max(1, limit)], Group.decode)
        }
    }
}
