import Foundation
import Kernel
import Membership
import PLNTestSupport
import Storage

@testable import Blog

/// A kernel with membership and the blog on a temporary database and a fixed clock.
struct BlogFixture {
    let kernel: Kernel
    let clock: FixedClock
    let blog: BlogService
    let membership: MembershipService

    var services: Services { kernel.services }

    init(settings: [String: [String: SettingValue]] = [:]) throws {
        let registry = ModuleRegistry([MembershipModule.self, BlogModule.self])
        var config = DeploymentConfig.defaults(
            enabling: ["membership", "blog"], manifests: registry.manifests)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-blog-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try config.useTestDatabase(in: folder)
        config.sections["network"]?["name"] = .string("The Educator's PLN")
        config.sections["network"]?["base_url"] = .string("https://pln.example.org")
        // Flushes happen when a test asks, so a test can read a count on either side of one.
        config.sections["blog"]?["view_flush_seconds"] = .int(0)
        for (section, values) in settings {
            for (name, value) in values { config.sections[section, default: [:]][name] = value }
        }
        clock = FixedClock()
        kernel = try Kernel.boot(config: config, registry: registry, clock: clock, log: .silent)
        guard let blog = kernel.services.service(BlogService.self),
            let membership = kernel.services.service(MembershipService.self)
        else { throw FixtureError(description: "blog or membership service missing") }
        self.blog = blog
        self.membership = membership
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    /// A new active member, as a signed-in request would see them.
    func member(_ name: String, role: MemberRole = .member) throws -> SignedInMember {
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@school.example"
        return try services.member(name, email: email, role: role).signedIn
    }

    func viewer(_ member: SignedInMember?) -> Viewer {
        guard let member else { return .anonymous }
        return Viewer(memberID: member.id, isModerator: member.isModerator)
    }

    @discardableResult
    func post(
        by author: SignedInMember, title: String = "Phonics in Year 1",
        body: String = "What worked for us this term.",
        tags: String = "literacy", visibility: String = "public", publish: Bool = true, video: String = ""
    ) throws -> BlogPost {
        try blog.createPost(
            .init(
                title: title, body: body, tags: tags, videoURL: video, visibility: visibility,
                publish: publish), by: author)
    }

    func activities() throws -> [(
        verb: String, actor: Int64, kind: String?, objectID: Int64?, scope: String, hidden: Bool
    )] {
        try services.database.read { db in
            try db.query(
                "SELECT verb, actor_id, object_kind, object_id, scope_kind, hidden FROM activities WHERE module = 'blog' ORDER BY id"
            ) { row in
                (
                    try row.value("verb"), try row.value("actor_id"), try row.optional("object_kind"),
                    try row.optional("object_id"), try row.value("scope_kind"), try row.value("hidden")
                )
            }
        }
    }

    func outbox() throws -> [OutboxMessage] { try services.outbox.list() }

    /// The reportable hooks moderation would call, inside a write like moderation's.
    func setHidden(_ kind: String, _ id: Int64, _ hidden: Bool) throws {
        guard let reportable = kernel.context.reportableKinds.first(where: { $0.kind == kind }) else {
            throw FixtureError(description: "no reportable kind \(kind)")
        }
        try services.database.write { db in try reportable.setHidden(id, hidden, db) }
    }
}
